"""The one data object that flows through the pipeline.

Every span (block, sentence, link, removal, finding, summary sentence) holds character
offsets into ``Document.text``: the article text after extraction. For text and Markdown
input that *is* the input file (newlines normalised), so line:col point into the file the
user opened; for HTML it is the extracted article, one block per paragraph.

Stages never mutate a document: they return a new one with ``dataclasses.replace``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import lru_cache
from typing import Any, TypeVar

SCHEMA_VERSION = 1
# A line at least this long that stops mid-sentence was cut by a hard wrap (plain text and
# Markdown wrapped at 60-100 columns); list lead-ins and list items are shorter.
WRAPPED_LINE_MIN = 40


class Level(StrEnum):
    """Severity of a finding, in Vale's vocabulary."""

    SUGGESTION = "suggestion"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Order for comparisons: suggestion < warning < error."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.SUGGESTION: 1, Level.WARNING: 2, Level.ERROR: 3}


class BlockKind(StrEnum):
    """The structural role of a block of text."""

    TITLE = "title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"


class Category(StrEnum):
    """What a finding is about: promotion/spam or an overstated claim."""

    PROMO = "promo"
    CLAIM = "claim"


_T = TypeVar("_T")


class Record:
    """Base of frozen records that pickle alike whether or not their module is compiled.

    The installed build compiles the hot modules with mypyc (see setup.py): their classes
    become C types without a ``__dict__``, and pickle would restore one through the frozen
    dataclass's ``__setattr__``, which refuses. The rule cache pickles whole rule sets,
    so the records restore their fields with ``object.__setattr__`` instead.
    """

    __slots__ = ()

    def _remember(self, memo: str, value: _T) -> _T:
        """Keep ``value`` in the field ``memo`` (as ``(value,)``: None may be a value) and return it.

        What ``functools.cached_property`` would do, which mypyc does not compile. Each memo
        is a keyword-only field defaulting to None (``field(default=None, kw_only=True,
        compare=False, repr=False)``): mypyc leaves ``init=False`` fields unset.
        """
        object.__setattr__(self, memo, (value,))
        return value

    def __getstate__(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)


def evolve(record: _T, **changes: Any) -> _T:
    """``dataclasses.replace`` for this package's frozen records, at half its cost.

    ``replace`` collects every field and calls the class, whose ``__init__`` (written in
    Python by ``dataclasses``, also in a compiled module) sets each field through
    ``object.__setattr__``; this sets them on a new instance directly. Every field of
    these records is an ``__init__`` field and none has a ``__post_init__``.
    """
    cls = type(record)
    names, known = _fields_of(cls)
    if not known.issuperset(changes):
        raise TypeError(f"{cls.__name__} has no field {sorted(set(changes) - known)[0]!r}")
    new = cls.__new__(cls)
    for name in names:
        object.__setattr__(new, name, changes[name] if name in changes else getattr(record, name))
    return new


_FIELDS: dict[type, tuple[tuple[str, ...], frozenset[str]]] = {}  # per record class, read once


def _fields_of(cls: type) -> tuple[tuple[str, ...], frozenset[str]]:
    found = _FIELDS.get(cls)
    if found is None:
        names = tuple(f.name for f in fields(cls))
        found = _FIELDS[cls] = (names, frozenset(names))
    return found


def _pickled_by_fields(cls: type[_T]) -> type[_T]:
    """Pickle instances as ``cls(*field values)``.

    Half the cost of the state protocol frozen slots dataclasses get, which matters when
    every document travels back from a worker process.
    """
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    def __reduce__(self: _T) -> tuple[type[_T], tuple[Any, ...]]:  # noqa: N807
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: ``text[start:end]``."""

    start: int
    end: int


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph, list item or quote; ``start``/``end`` exclude markup prefixes."""

    kind: BlockKind
    start: int
    end: int
    sentences: tuple[Sentence, ...] = ()


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink whose anchor text is ``text[start:end]``."""

    start: int
    end: int
    href: str
    rel: tuple[str, ...] = ()


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Removal:
    """Text the promo stage takes out of the article, with the evidence for it."""

    start: int
    end: int
    rule: str
    kind: str
    message: str
    evidence: tuple[str, ...] = ()
    level: Level = Level.WARNING


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Finding:
    """A rule match: ``text[start:end]`` is the matched text."""

    rule: str
    level: Level
    message: str
    start: int
    end: int
    match: str
    category: Category = Category.CLAIM
    suggestion: str | None = None
    link: str | None = None


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Rewrite:
    """A ``--neutral`` edit in a summary sentence: ``text[start:end]`` became ``replacement``."""

    rule: str
    start: int
    end: int
    original: str
    replacement: str


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One summary sentence: the source span, its cleaned text and any neutral rewrites in it."""

    start: int
    end: int
    text: str
    rewrites: tuple[Rewrite, ...] = ()


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class StageError:
    """A stage that failed on this document; the run records it and goes on."""

    stage: str
    code: str
    message: str


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Source:
    """Where a document came from."""

    name: str
    kind: str  # "file" | "url" | "stdin" | "inline"
    media_type: str  # "html" | "text" | "markdown"
    status: int | None = None  # HTTP status for URLs


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Document:
    """An article and everything the pipeline learnt about it."""

    source: Source
    text: str
    blocks: tuple[Block, ...] = ()
    links: tuple[Link, ...] = ()
    title: str | None = None
    language: str = "en"
    removals: tuple[Removal, ...] = ()
    findings: tuple[Finding, ...] = ()
    summary: tuple[SummarySentence, ...] = ()
    strengths: tuple[tuple[int, str], ...] = ()  # (sentence start, claim-strength label)
    errors: tuple[StageError, ...] = ()
    timings: tuple[tuple[str, float], ...] = ()

    def sentences(self) -> list[Sentence]:
        """All sentences in document order."""
        return [s for b in self.blocks for s in b.sentences]

    def flowed_text(self) -> str:
        r"""``text`` with each line break inside a block read as a space (same offsets).

        Markdown shows a line break inside a paragraph as a space, and hard-wrapped text
        breaks lines wherever the width ran out, so rules read "studies have\nshown" as
        "studies have shown". Breaks between blocks stay: no match runs from one to the next.
        In Markdown, a link's markup reads as spaces too: "visit our [Shop](https://x.com)
        page" is "visit our  Shop                   page", as it renders.
        """
        # The stages ask for it a dozen times a document, each time of a record that shares
        # the text, blocks and links of the last one: those (immutable) objects say it is
        # the same text.
        last = _LAST_FLOWED[0] if _LAST_FLOWED else None
        if (
            last is not None
            and last[0] is self.text
            and last[1] is self.blocks
            and last[2] is self.links
            and last[3] == self.source.media_type
        ):
            return last[4]
        markup = _link_markup(self.text, self.links) if self.source.media_type == "markdown" else ()
        flowed = _flowed(self.text, tuple((b.start, b.end) for b in self.blocks), markup)
        _LAST_FLOWED[:] = [(self.text, self.blocks, self.links, self.source.media_type, flowed)]
        return flowed

    def reported_findings(self) -> list[Finding]:
        """Claim findings plus every removal as a promo finding, in text order."""
        promo = [
            Finding(
                rule=r.rule,
                level=r.level,
                message=r.message,
                start=r.start,
                end=r.end,
                match=self.text[r.start : r.end],
                category=Category.PROMO,
            )
            for r in self.removals
        ]
        return sorted((*self.findings, *promo), key=lambda f: (f.start, f.rule))


def markdown_link_markup(text: str, link: Link) -> tuple[int, int] | None:
    """(offset of the ``[``, end of the ``](url)``) around a Markdown link's text; None otherwise."""
    if link.start > 0 and text[link.start - 1] == "[" and text.startswith("](", link.end):
        close = text.find(")", link.end + 2)
        if close >= 0:
            return link.start - 1, close + 1
    return None


def _link_markup(text: str, links: tuple[Link, ...]) -> tuple[tuple[int, int], ...]:
    """The ``[`` before each Markdown link's text and the ``](url)`` after it."""
    spans: list[tuple[int, int]] = []
    for link in links:
        markup = markdown_link_markup(text, link)
        if markup is not None:
            spans += [(markup[0], link.start), (link.end, markup[1])]
    return tuple(spans)


# The last document's flowed text, with the objects it was read from (``flowed_text``).
_LAST_FLOWED: list[tuple[str, tuple[Block, ...], tuple[Link, ...], str, str]] = []


@lru_cache(maxsize=8)  # the promo and claim stages and the signals read the same text
def _flowed(text: str, blocks: tuple[tuple[int, int], ...], markup: tuple[tuple[int, int], ...] = ()) -> str:
    if "\n" not in text and not markup:
        return text
    pieces, cursor = [], 0
    for start, end in blocks:
        if start < cursor:
            continue  # blocks do not overlap; a malformed one is left as it is
        pieces += [text[cursor:start], text[start:end].replace("\n", " ")]
        cursor = end
    pieces.append(text[cursor:])
    flowed = "".join(pieces)
    if not markup:
        return flowed
    chars = list(flowed)
    for start, end in markup:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


@dataclass(frozen=True)
class LineIndex:
    """Turns offsets into 1-based line:column, computed once per text."""

    text: str
    _starts: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = [0]
        found = self.text.find("\n")
        while found >= 0:  # str.find, not a walk over every character: ~40x faster
            starts.append(found + 1)
            found = self.text.find("\n", found + 1)
        object.__setattr__(self, "_starts", starts)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``; columns count characters."""
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
