"""Non-English phrases inside English text: the exact-match SEO keyword forced into a sentence.

A word is *foreign* when it is in the rule's lexicon (search-query vocabulary of other
languages: "buy", "cheap", "price", "reviews", "clinic", "before and after" ...) or is a
lower-case word spelt with letters English does not use (ü, ß, ł ...). Short function words
of other languages ("en", "na", "de") are *glue*: they join foreign words into one phrase but
never start one, since many are also English words or name particles. The phrase then takes
in the article's own subject words next to it ("<subject> kaufen"), and, when it sits alone
inside brackets or quotation marks, the brackets too.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from pipeline.document import Record
from pipeline.topic import is_content_word
from pipeline.words import blanked, byte_table

# Whole words only: letters glued to digits ("0ß", "5 mg") are symbols, not words.
_WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:['\u2019-][^\W\d_]+)*(?!\w)")
# Greek letters name things in medicine (alpha-synuclein), and so does the micro sign (µmol);
# they are not another language here.
_GREEK = re.compile(r"[\u00b5\u0370-\u03ff]")
_MIN_SPELLING_LETTERS = 3
_ENGLISH_LETTERS = re.compile(r"^[A-Za-z'\u2019-]+$")
# Short function words of other languages; also English or name particles, so never a start.
GLUE_WORDS = frozenset(
    "en na de het een van te op aan bij met und der die das den dem zu im am von et le la les des du au aux "
    "el los las del y e da do dos das em com per il lo gli di na po".split()
)
# Words of a subject phrase that may sit beside the foreign words ("kidney stones kliniek").
_MAX_SUBJECT_WORDS = 3
_OPEN_CLOSE = {"(": ")", "[": "]", '"': '"', "“": "”", "„": "“", "«": "»", "\u2018": "\u2019", "'": "'"}
_BRACKET_MAX_WORDS = 7
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_READ_MARGIN = 160  # characters read on each side of a hinted word: a phrase grows a few words


class Word:
    """A word of the text with its offsets.

    A plain class, not a dataclass: every word of a line is made, and compiled, its own
    ``__init__`` costs a tenth of the one ``dataclass`` writes in Python.
    """

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text


@dataclass(frozen=True, slots=True)
class Phrase(Record):
    """A foreign phrase: ``text[start:end]``, brackets included when it fills them."""

    start: int
    end: int


# The characters of an ASCII text a word's run can hold: letters, digits, "_" and the joiners.
_ASCII_RUN = byte_table(lambda c: c.isalnum() or c in "_'-")


def _words_between(text: str, start: int, end: int) -> list[Word]:
    """``_WORD``'s words in ``text[start:end]``.

    An ASCII stretch is cut into runs of letters, digits, "_" and joiners first (in C): a run
    of letters alone is a word, since what borders it is no word character; only the few
    other runs (with a digit or a joiner: "don't", "COVID-19") are read by the regex, which
    finds in a run alone what it finds there in the text.
    """
    stretch = text[start:end]
    glued = start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_")  # starts inside a word
    if glued or not stretch.isascii():
        return [Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]
    found: list[Word] = []
    pos = start
    for run in blanked(stretch, _ASCII_RUN).split(" "):
        size = len(run)
        if size:
            if run.isalpha():
                found.append(Word(pos, pos + size, run))
            else:
                found.extend(Word(pos + m.start(), pos + m.end(), m.group()) for m in _WORD.finditer(run))
        pos += size + 1
    return found


def is_foreign(word: str, lexicon: Callable[[str], bool]) -> bool:
    """In the foreign lexicon, or a lower-case word with letters outside English's alphabet.

    Capitalised words with accents are names ("Ménière", "Sjögren") and stay English.
    """
    if lexicon(word):
        return True
    return (
        len(word) >= _MIN_SPELLING_LETTERS
        and word.islower()  # "ßhCG", "apoAÎ": a symbol or mis-decoded text, not a word of a language
        and _ENGLISH_LETTERS.match(word) is None
        and _GREEK.search(word) is None
    )


def _adjacent(text: str, left: Word, right: Word) -> bool:
    """Only spaces or a hyphen between two words (no punctuation, no line break)."""
    gap = text[left.end : right.start]
    return len(gap) <= 3 and gap.strip(" -") == "" and "\n" not in gap


def foreign_phrases(
    text: str,
    lexicon: Callable[[str], bool],
    subject: Callable[[str], bool],
    hints: Sequence[tuple[int, int]] | None = None,
) -> Iterator[Phrase]:
    """Each run of foreign words (with glue and subject words beside them) in ``text``.

    ``hints``: spans that hold every lexicon word of the text (the lexicon pattern's
    matches), so only the words inside them, and words with non-ASCII letters, are asked
    whether they are foreign; None asks every word. A phrase never crosses a line break,
    so only the lines holding such words are read.
    """
    if hints is not None and not hints and text.isascii():
        return  # no lexicon word, and nothing spelt outside English's alphabet
    for line_start, line_end in _lines_to_read(text, hints):
        ws = _words_between(text, line_start, line_end)
        kinds = _Kinds(ws, lexicon, subject)
        hi = -1
        for i in _foreign_indices(text, ws, lexicon, hints):
            if i <= hi:
                continue  # already inside the previous phrase
            lo, hi = _grow(text, ws, kinds, i)
            if _is_phrase(ws, kinds, lexicon, lo, hi):
                yield _bracketed(text, ws[lo].start, ws[hi].end)


def _is_phrase(ws: list[Word], kinds: _Kinds, lexicon: Callable[[str], bool], lo: int, hi: int) -> bool:
    """Whether ``ws[lo..hi]`` holds a lexicon word or two foreign words, outside a name.

    One word spelt with a foreign letter, alone, is far more often a loanword or a
    mis-decoded one ("naïve", "ofâ") than a keyword.
    """
    if _inside_name(ws, lo, hi):
        return False  # "the Grand Prix de Penn National": a name, not a keyword
    foreign = [ws[j].text for j in range(lo, hi + 1) if kinds[j] == "foreign"]
    return len(foreign) >= 2 or any(map(lexicon, foreign))


def _inside_name(ws: list[Word], lo: int, hi: int) -> bool:
    """Capitalised words on both sides of a capitalised phrase: part of a proper name."""
    if lo == 0 or hi + 1 >= len(ws):
        return False
    return all(ws[j].text[:1].isupper() for j in (lo - 1, lo, hi + 1))


def _lines_to_read(text: str, hints: Sequence[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """(start, end) of each stretch of a line that may hold a foreign word, in order.

    Without hints, every line. With hints, the words within ``_READ_MARGIN`` characters of
    each hint (and of each non-ASCII letter), never past its line: a phrase grows only a
    few words beyond its foreign words, and a paragraph kept on one line can be long.
    """
    if hints is None:
        starts = (m.start() for m in re.finditer(r"^", text, re.MULTILINE))
        return sorted({(pos, _line_end(text, pos)) for pos in starts})
    spots = [*hints, *((m.start(), m.end()) for m in _non_ascii(text))]
    stretches: list[tuple[int, int]] = []
    for lo, hi in sorted(spots):
        line_start, line_end = text.rfind("\n", 0, lo) + 1, _line_end(text, hi)
        start = max(line_start, text.rfind(" ", line_start, max(line_start, lo - _READ_MARGIN)) + 1)
        end = text.find(" ", min(line_end, hi + _READ_MARGIN), line_end)
        end = line_end if end < 0 else end
        if stretches and start <= stretches[-1][1]:  # overlaps the last one
            stretches[-1] = (stretches[-1][0], max(end, stretches[-1][1]))
        else:
            stretches.append((start, end))
    return stretches


def _non_ascii(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """The non-ASCII characters of ``text[start:end]``; none at once for an ASCII text (most)."""
    if text.isascii():  # one C pass, where the pattern's scan tries every offset
        return iter(())
    return _NON_ASCII.finditer(text, start, len(text) if end is None else end)


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _foreign_indices(
    text: str, ws: list[Word], lexicon: Callable[[str], bool], hints: Sequence[tuple[int, int]] | None
) -> list[int]:
    """Indices of the foreign words of one line's words ``ws``, in order."""
    if hints is None:
        candidates: Iterable[int] = range(len(ws))
    elif ws:
        starts = [w.start for w in ws]
        ends = [w.end for w in ws]
        found: set[int] = set()
        for lo, hi in hints:  # every word overlapping a lexicon match
            found.update(range(bisect_right(ends, lo), bisect_left(starts, hi)))
        for match in _non_ascii(text, ws[0].start, ws[-1].end):  # words spelt with non-ASCII
            index = bisect_right(starts, match.start()) - 1
            if index >= 0 and match.start() < ends[index]:
                found.add(index)
        candidates = found
    else:
        return []
    return sorted(i for i in candidates if is_foreign(ws[i].text, lexicon))


@dataclass
class _Kinds:
    """The kind of each word ("foreign", "glue", "subject", "content", "stop"), on demand.

    Only the words beside a foreign word are ever asked, so most words are never classified.
    """

    ws: list[Word]
    lexicon: Callable[[str], bool]
    subject: Callable[[str], bool]
    known: dict[int, str] = field(default_factory=dict)

    def __getitem__(self, index: int) -> str:
        kind = self.known.get(index)
        if kind is None:
            kind = self.known[index] = _kind(self.ws[index].text, self.lexicon, self.subject)
        return kind


def _kind(word: str, lexicon: Callable[[str], bool], subject: Callable[[str], bool]) -> str:
    if is_foreign(word, lexicon):
        return "foreign"
    if word.lower() in GLUE_WORDS:
        return "glue"
    if subject(word):
        return "subject"
    return "content" if is_content_word(word) else "stop"


def _grow(text: str, ws: list[Word], kinds: _Kinds, i: int) -> tuple[int, int]:
    """Widen a foreign word to its phrase: foreign and glue words, then subject words."""
    lo = hi = i
    while hi + 1 < len(ws) and kinds[hi + 1] in ("foreign", "glue") and _adjacent(text, ws[hi], ws[hi + 1]):
        hi += 1
    while lo > 0 and kinds[lo - 1] in ("foreign", "glue") and _adjacent(text, ws[lo - 1], ws[lo]):
        lo -= 1
    hi = _extend(text, ws, kinds, hi, +1)
    lo = _extend(text, ws, kinds, lo, -1)
    return lo, hi


def _extend(text: str, ws: list[Word], kinds: _Kinds, edge: int, step: int) -> int:
    """Take in up to three content words beside the phrase, ending on a subject or foreign word.

    Other content words only join on the way to a subject word ("asthma inhalator kopen":
    "inhalator" joins because "asthma" is the article's subject); a stop word ends the phrase.
    """
    taken = 0
    best = edge
    j, last = edge + step, edge
    while 0 <= j < len(ws) and taken < _MAX_SUBJECT_WORDS:
        a, b = (ws[last], ws[j]) if step > 0 else (ws[j], ws[last])
        if not _adjacent(text, a, b) or kinds[j] == "stop":
            break
        taken += kinds[j] in ("subject", "content")
        if kinds[j] != "content":
            best = j
        last, j = j, j + step
    return best


def _bracketed(text: str, start: int, end: int) -> Phrase:
    """The phrase with its brackets or quotes when they hold a short aside around it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    best = Phrase(start, end)
    for opener, closer in _OPEN_CLOSE.items():
        pos = text.rfind(opener, line_start, start)
        if pos < 0 or (opener != closer and closer in text[pos + 1 : start]):
            continue
        if opener == closer and text.count(opener, line_start, pos) % 2:
            continue  # that quote mark closes an earlier quotation
        close = text.find(closer, end, line_end)
        if close >= 0 and len(text[pos + 1 : close].split()) <= _BRACKET_MAX_WORDS and pos < best.start:
            best = Phrase(pos, close + 1)
    return best
