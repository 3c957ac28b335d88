"""Words as runs of a few ASCII characters, read in C without a regex; counting them.

Python's regex engine reads a character class at some 20 ns a character; ``bytes.translate``
and ``str.split`` read a text at about five. The stages that cut every sentence into words of
a simple class (letters; letters, apostrophes and hyphens; letters and digits) read them this
way: the class becomes a byte table that keeps its characters and turns every other byte
into a space, so the runs left between spaces are exactly the words the class would match.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

_K = TypeVar("_K", bound=Hashable)


def byte_table(keep: Callable[[str], bool]) -> bytes:
    """A ``bytes.translate`` table that keeps the ASCII characters ``keep`` accepts, and blanks the rest."""
    return bytes(code if code < 128 and keep(chr(code)) else 32 for code in range(256))


def blanked(text: str, table: bytes) -> str:
    """``text`` as UTF-8 with every byte ``table`` does not keep as a space.

    Every non-ASCII character becomes spaces (its UTF-8 bytes are all 0x80 or above, which
    no table keeps): one per byte, so offsets agree with ``text`` only when it is ASCII.
    """
    return text.encode("utf-8", "surrogatepass").translate(table).decode("ascii")


def runs(text: str, table: bytes) -> list[str]:
    """The runs of ``text`` made of the characters ``table`` keeps (every other character parts them)."""
    return blanked(text, table).split()


# ``str.split()``'s whitespace in an ASCII text as b" ", any other character as b"x".
_SPLIT_MARKS = bytes(32 if chr(code).isspace() else 120 for code in range(128)) + b"x" * 128


def word_count(text: str) -> int:
    """``len(text.split())``: in an ASCII text counted in C, without making the words."""
    if not text.isascii():
        return len(text.split())
    marks = text.encode("ascii").translate(_SPLIT_MARKS)
    return marks.count(b" x") + int(marks[:1] == b"x")


def has_spaced(text: str, marks: Iterable[str]) -> bool:
    r"""Whether one of ``marks`` stands between two whitespace characters (``\s-\s``, not "real-world")."""
    for mark in marks:
        at = text.find(mark, 1)
        while 0 < at < len(text) - 1:
            if text[at - 1].isspace() and text[at + 1].isspace():
                return True
            at = text.find(mark, at + 1)
    return False


def tally(items: Iterable[_K]) -> dict[_K, int]:
    """How often each item occurs, in order of first occurrence (``Counter``'s counts).

    A compiled loop: building a ``Counter`` runs its Python ``__init__`` and ``update``
    first, which cost more than counting the twenty words of a sentence.
    """
    found: dict[_K, int] = {}
    for item in items:
        found[item] = found.get(item, 0) + 1
    return found


MEMO_LIMIT = 1 << 16  # words a memo keeps before it starts again (a bound over any corpus)


def remember(memo: dict[str, str], word: str, value: str) -> str:
    """Keep ``value`` as ``memo``'s answer for ``word`` and return it.

    A per-word function read through a plain dict (one look-up, compiled) instead of
    ``lru_cache`` (a call through its wrapper, as of any Python callable) for functions asked
    about every word of every sentence.
    """
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[word] = value
    return value
