"""spaCy's English tokenizer, run without importing spaCy.

Sentences are found from tokens (spaCy's sentencizer rule reads which tokens are
sentence-final punctuation), so every article must be tokenized; importing spaCy for that
costs 0.6 s per process and its cache stops filling after a text's first special case.
This module runs the same algorithm as ``spacy.tokenizer.Tokenizer`` (whitespace pieces,
special cases, prefix/suffix/infix splitting, URL pieces, the special-case phrase pass) on
the same rules, which ``python -m pipeline.tokenizer`` copies from the installed spaCy
into ``pipeline/data/spacy_en_tokenizer.json`` (spaCy is MIT-licensed; the file names its
version). ``tests/test_tokenizer.py`` checks that both tokenize alike and that the copied
rules are current. The file also keeps spaCy's English stop words (topic words are the
others). spaCy itself is still loaded, lazily, by token-pattern rules.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate, repeat
from operator import add
from pathlib import Path
from typing import Any

from pipeline.document import Record

RULES_FILE = Path(__file__).resolve().parent / "data" / "spacy_en_tokenizer.json"
_MAX_CACHED_PIECES = 100_000


@dataclass(frozen=True)
class Tokens(Record):
    """Token offsets of one text: ``text[starts[i]:ends[i]]`` is token ``i``."""

    starts: list[int]
    ends: list[int]

    def __len__(self) -> int:
        return len(self.starts)


@dataclass
class Tokenizer:
    """The English tokenizer rules and a cache of how each whitespace-free piece splits."""

    specials: dict[str, list[str]]
    prefix: re.Pattern[str]
    suffix: re.Pattern[str]
    infix: re.Pattern[str]
    url: re.Pattern[str] | None
    punct_chars: frozenset[str]
    cache: dict[str, list[str]] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    # Memos of the properties below (see ``Record._remember``).
    _phrase_lengths_memo: tuple[dict[str, tuple[int, ...]]] | None = field(
        default=None, kw_only=True, repr=False, compare=False
    )
    _ascii_punct_chars_memo: tuple[frozenset[str]] | None = field(
        default=None, kw_only=True, repr=False, compare=False
    )

    @classmethod
    def from_file(cls, path: Path = RULES_FILE) -> Tokenizer:
        """Load the rules copied from spaCy."""
        data = json.loads(path.read_text(encoding="utf-8"))
        tokenizer = cls(
            specials=data["specials"],
            prefix=re.compile(data["prefix"]),
            suffix=re.compile(data["suffix"]),
            infix=re.compile(data["infix"]),
            url=re.compile(data["url"]) if data.get("url") else None,
            punct_chars=frozenset(data["punct_chars"]),
        )
        tokenizer.phrases = tokenizer._special_phrases()
        return tokenizer

    def __call__(self, text: str) -> Tokens:
        """Token offsets of ``text``, as spaCy's ``Tokenizer.__call__`` makes them."""
        return self._tokens_of(text, ((offset, piece) for piece, offset in _pieces(text)))

    def tokens_near(self, text: str, positions: list[int]) -> Tokens:
        """The tokens a sentence splitter reads around ``positions`` (sorted offsets).

        Sentences end only at sentence-final characters, so only the whitespace pieces that
        hold one are tokenized, with the piece before (the word before "D.") and the pieces
        after, up to one holding a word (where the next sentence starts). The tokens come in
        order; tokenizing the rest of the text, most of it, would not change a boundary.
        """
        if not positions:
            return Tokens([], [])
        if _is_single_spaced(text):
            chosen = self._pieces_near_single_spaced(text, positions)
        else:
            chosen = self._pieces_near(text, positions)
        return self._tokens_of(text, chosen)

    def _tokens_of(self, text: str, pieces: Iterable[tuple[int, str]]) -> Tokens:
        """The tokens of ``pieces`` ((offset, piece), in order), special phrases of ``text`` applied."""
        starts: list[int] = []
        ends: list[int] = []
        for offset, piece in pieces:
            position = offset
            for token in self._piece_tokens(piece):
                starts.append(position)
                position += len(token)
                ends.append(position)
        if self.phrases:
            self._apply_special_phrases(text, starts, ends)
        return Tokens(starts, ends)

    def _pieces_near(self, text: str, positions: list[int]) -> list[tuple[int, str]]:
        """(offset, piece) of the pieces ``tokens_near`` reads, in order, from the whole piece table."""
        pieces, offsets = _piece_table(text)
        wanted: set[int] = set()
        done: set[int] = set()  # pieces whose following pieces are already taken
        for position in positions:
            k = bisect_right(offsets, position) - 1
            if k < 0 or k in done:
                continue
            done.add(k)
            wanted.update((k - 1, k) if k else (k,))
            for j in range(k + 1, len(pieces)):  # up to the piece where a word follows
                wanted.add(j)
                if any(not is_punct(token) for token in self._piece_tokens(pieces[j])):
                    break
        return [(offsets[k], pieces[k]) for k in sorted(wanted)]

    def _pieces_near_single_spaced(self, text: str, positions: list[int]) -> list[tuple[int, str]]:
        """``_pieces_near`` of a text whose pieces are its words between single spaces.

        Each piece is found from the spaces around a position (``str.rfind`` and ``find``),
        not by splitting the whole text: a dozen positions an article need some forty of its
        hundreds of pieces.
        """
        wanted: dict[int, str] = {}  # offset -> piece
        done: set[int] = set()  # pieces whose following pieces are already taken
        for position in positions:
            start = text.rfind(" ", 0, position) + 1  # the piece holding the position
            if start in done:
                continue
            done.add(start)
            if start:
                before = text.rfind(" ", 0, start - 1) + 1
                wanted[before] = text[before : start - 1]
            end = _piece_end(text, start)
            wanted[start] = text[start:end]
            while end < len(text):  # up to the piece where a word follows
                start = end + 1
                end = _piece_end(text, start)
                wanted[start] = piece = text[start:end]
                if any(not is_punct(token) for token in self._piece_tokens(piece)):
                    break
        return sorted(wanted.items())

    # -- one piece -----------------------------------------------------------------------

    def _piece_tokens(self, piece: str) -> list[str]:
        found = self.specials.get(piece) or self.cache.get(piece)
        if found is None:
            found = self._split(piece, with_specials=True)
            if len(self.cache) >= _MAX_CACHED_PIECES:
                self.cache.clear()
            self.cache[piece] = found
        return found

    def _split(self, string: str, with_specials: bool) -> list[str]:
        """Prefixes, the middle (special case, URL or infix-split), suffixes: spaCy's order."""
        prefixes, suffixes = [], []
        last = 0
        while string and len(string) != last:
            if with_specials and string in self.specials:
                break
            last = len(string)
            pre_len = _length(self.prefix.search(string))
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and with_specials and minus_pre in self.specials:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = _length(self.suffix.search(string[pre_len:]))
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and with_specials and minus_suf in self.specials:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        return [*prefixes, *self._middle(string, with_specials), *reversed(suffixes)]

    def _middle(self, string: str, with_specials: bool) -> list[str]:
        if not string:
            return []
        special = self.specials.get(string) if with_specials else None
        if special is not None:
            return special
        if self.url is not None and self.url.match(string):
            return [string]
        out: list[str] = []
        start = 0
        for match in self.infix.finditer(string):
            if match.start() == 0:
                continue  # an infix at the very start is not a split point
            if match.start() != start:
                out.append(string[start : match.start()])
            if match.start() != match.end():
                out.append(match.group())
            start = match.end()
        if string[start:]:
            out.append(string[start:])
        return out

    # -- special cases that the affix rules split (":)", "a.m." after a bracket ...) ------

    def _special_phrases(self) -> dict[tuple[str, ...], str]:
        phrases: dict[tuple[str, ...], str] = {}
        for string in self.specials:
            splits = self.prefix.search(string) or self.suffix.search(string)
            if splits or next(self.infix.finditer(string), None) is not None or " " in string:
                tokens = [t for piece, _ in _pieces(string) for t in self._split(piece, with_specials=False)]
                phrases.setdefault(tuple(tokens), string)
        return phrases

    def _apply_special_phrases(self, text: str, starts: list[int], ends: list[int]) -> None:
        """Retokenize token runs that spell a special case, longest first (in place)."""
        lengths = self._phrase_lengths
        orths = [text[a:b] for a, b in zip(starts, ends, strict=True)]
        matches = [
            (i, i + n)
            for i, orth in enumerate(orths)
            if orth in lengths
            for n in lengths[orth]
            if i + n <= len(orths) and tuple(orths[i : i + n]) in self.phrases
        ]
        if not matches:
            return
        kept = _longest_first(matches)
        new_starts: list[int] = []
        new_ends: list[int] = []
        i = 0
        while i < len(starts):
            end = kept.get(i)
            rule = self.specials.get(text[starts[i] : ends[end - 1]]) if end is not None else None
            if end is None or rule is None:
                new_starts.append(starts[i])
                new_ends.append(ends[i])
                i += 1
                continue
            position = starts[i]
            for token in rule:
                new_starts.append(position)
                position += len(token)
                new_ends.append(position)
            i = end
        starts[:], ends[:] = new_starts, new_ends

    @property
    def _phrase_lengths(self) -> dict[str, tuple[int, ...]]:
        """For each token that starts a special-case phrase, the lengths of those phrases."""
        memo = self._phrase_lengths_memo
        if memo is None:
            memo = self._phrase_lengths_memo = (self._compute_phrase_lengths(),)
        return memo[0]

    def _compute_phrase_lengths(self) -> dict[str, tuple[int, ...]]:
        lengths: dict[str, set[int]] = {}
        for phrase in self.phrases:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
        return {first: tuple(sorted(n)) for first, n in lengths.items()}

    # -- what the sentence splitter reads ----------------------------------------------------

    def sentence_final_positions(self, text: str) -> list[int]:
        """Offsets of the sentence-final characters of ``text``, in order.

        Each character the text holds is found with ``str.find`` (a C search for one
        character): a class of two or more is tried by sre at every character of the text.
        """
        if text.isascii():
            present = [c for c in self._ascii_punct_chars if c in text]
        else:
            present = list(self.punct_chars.intersection(text))
        found: list[int] = []
        for char in present:
            pos = text.find(char)
            while pos >= 0:
                found.append(pos)
                pos = text.find(char, pos + 1)
        return sorted(found) if len(present) > 1 else found

    @property
    def _ascii_punct_chars(self) -> frozenset[str]:
        memo = self._ascii_punct_chars_memo
        if memo is None:
            memo = self._ascii_punct_chars_memo = (frozenset(c for c in self.punct_chars if c.isascii()),)
        return memo[0]

    def is_sentence_final(self, token: str) -> bool:
        """Whether spaCy's sentencizer ends a sentence after this token ("." "!" "?" ...)."""
        return token in self.punct_chars


_RUNS = re.compile(r"\S+|\s+")  # \s is str.isspace(), as spaCy's loop uses
_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace other than ' '
_ASCII_OTHER_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"  # the ASCII ones (str.isspace)


def _has_other_space(string: str) -> bool:
    """Whether ``string`` holds whitespace other than ' ' (``_OTHER_SPACE.search``).

    In an ASCII text each of the nine is looked for in C; the class is tried by sre at every
    character.
    """
    if string.isascii():
        return any(space in string for space in _ASCII_OTHER_SPACES)
    return _OTHER_SPACE.search(string) is not None


def _pieces(string: str) -> Iterator[tuple[str, int]]:
    """(piece, offset) as spaCy splits a text: runs of space and of non-space characters.

    One ' ' after a piece belongs to that piece; any other whitespace is a piece of its own.
    """
    if not _has_other_space(string):
        yield from _space_pieces(string)  # str.split: the common case, ~10x faster
        return
    for run in _RUNS.finditer(string):
        start = run.start()
        if start and string[start] == " ":  # not at the very start: the previous piece's space
            if run.end() > start + 1:
                yield run.group()[1:], start + 1
        else:
            yield run.group(), start


def _is_single_spaced(string: str) -> bool:
    """Whether ``string`` is words between single spaces: its pieces are then ``split(" ")``'s parts."""
    single_spaced = "  " not in string and string[:1] != " " != string[-1:]
    return bool(string) and single_spaced and not _has_other_space(string)


def _piece_end(text: str, start: int) -> int:
    """Where the piece of a single-spaced text that starts at ``start`` ends (its space, or the end)."""
    end = text.find(" ", start)
    return len(text) if end < 0 else end


def _piece_table(string: str) -> tuple[list[str], list[int]]:
    """``_pieces`` as two lists (pieces, offsets).

    Words separated by single spaces, the usual text, are split and their offsets summed in
    C (``split`` and ``accumulate``): no Python step per word.
    """
    if _is_single_spaced(string):
        words = string.split(" ")
        # each word's offset: the previous one's plus its length and the one space
        offsets = list(accumulate(map(add, map(len, words[:-1]), repeat(1)), initial=0))
        return words, offsets
    pairs = list(_pieces(string))
    return [piece for piece, _ in pairs], [offset for _, offset in pairs]


def _space_pieces(string: str) -> Iterator[tuple[str, int]]:
    """``_pieces`` of a text whose only whitespace is ' '.

    k empty parts of ``split(" ")`` between two words are a run of k+1 spaces, the first
    belonging to the word before.
    """
    if not string:
        return
    offset = 0
    empties = 0
    seen_word = False
    for part in string.split(" "):
        if not part:
            empties += 1
        else:
            if empties:
                yield " " * empties, (offset - empties if seen_word else 0)
                empties = 0
            yield part, offset
            seen_word = True
        offset += len(part) + 1
    if empties > 1:  # trailing spaces (the last empty part follows the last space)
        yield " " * (empties - 1), len(string) - empties + 1


def _length(match: re.Match[str] | None) -> int:
    return match.end() - match.start() if match else 0


def _longest_first(matches: list[tuple[int, int]]) -> dict[int, int]:
    """Non-overlapping matches, longest (then latest-starting) first: spaCy's filter."""
    seen: set[int] = set()
    kept: dict[int, int] = {}
    for start, end in sorted(matches, key=lambda m: (m[1] - m[0], -m[0]), reverse=True):
        if start not in seen and end - 1 not in seen:
            kept[start] = end
        seen.update(range(start, end))
    return kept


@lru_cache(maxsize=1 << 14)
def is_punct(token: str) -> bool:
    """Whether every character is Unicode punctuation (spaCy's ``IS_PUNCT``)."""
    return all(unicodedata.category(char).startswith("P") for char in token)


@cache
def stop_words() -> frozenset[str]:
    """The English stop words of spaCy (copied with the tokenizer rules)."""
    words: list[str] = json.loads(RULES_FILE.read_text(encoding="utf-8"))["stop_words"]
    return frozenset(words)


@cache
def get_tokenizer() -> Tokenizer:
    """The process-wide tokenizer (rules loaded on first use)."""
    return Tokenizer.from_file()


def dump_rules(path: Path = RULES_FILE) -> None:
    """Copy the installed spaCy's English tokenizer rules into ``path`` (a developer step)."""
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.pipeline import Sentencizer

    nlp = spacy.blank("en")
    tok: Any = nlp.tokenizer  # a spacy.tokenizer.Tokenizer (typed as a callable by spaCy)
    orth = spacy.attrs.ORTH
    data = {
        "source": f"spaCy {spacy.about.__version__} English tokenizer rules and stop words "
        "(MIT licence, (c) ExplosionAI GmbH)",
        "specials": {key: [piece[orth] for piece in pieces] for key, pieces in sorted(tok.rules.items())},
        "prefix": tok.prefix_search.__self__.pattern,
        "suffix": tok.suffix_search.__self__.pattern,
        "infix": tok.infix_finditer.__self__.pattern,
        "url": tok.url_match.__self__.pattern if tok.url_match else None,
        "punct_chars": sorted(Sentencizer.default_punct_chars),
        "stop_words": sorted(STOP_WORDS),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    dump_rules()
    print(f"wrote {RULES_FILE}")
