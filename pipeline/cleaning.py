"""The cleaned view of a document: its blocks with removed spans cut out.

Removal is a view, never a mutation: ``Document.text`` keeps everything and the removals
say what to leave out, so the text, JSON, HTML and --fix outputs agree by construction.
The *marked* view (``healthvet clean --keep-marked``) keeps removed text in place between
``[-removed Rule.ID: ...-]`` markers, so an editor can review every cut in context.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.document import Block, BlockKind, Document, Record, Removal

_LINE_BREAK = re.compile(r"[ \t]*\n\s*")
_SEAM_PUNCTUATION = frozenset(",.;:!?)")
_BLANKS = " \t\n"  # a line break at a seam is a wrapped line's: a blank like the others
MARK_OPEN = "[-removed "
MARK_CLOSE = "-]"


@dataclass(frozen=True, slots=True)
class CleanBlock(Record):
    """A block's kind and its text after removals (never empty)."""

    kind: BlockKind
    text: str
    start: int
    end: int


def merged_ranges(doc: Document) -> list[tuple[int, int]]:
    """Removal spans sorted and merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((r.start, r.end) for r in doc.removals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def kept_text(text: str, start: int, end: int, removed: Sequence[tuple[int, int]]) -> str:
    """``text[start:end]`` without the removed ranges, with the seams tidied."""
    pieces: list[str] = []
    cursor = start
    for lo, hi in removed:
        if hi <= cursor or lo >= end:
            continue
        pieces.append(text[cursor : max(lo, cursor)])
        cursor = min(hi, end)
    pieces.append(text[cursor:end])
    return join_seams(pieces).strip()


def join_seams(pieces: Sequence[str]) -> str:
    """Pieces of text left around cuts, joined: one space at each seam, none before punctuation.

    Only the seams are tidied. Spacing the writer typed elsewhere ("management. .") is
    the writer's, and stays: the cleaned text differs from the source only where text
    was removed.
    """
    joined = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        left, right = joined.rstrip(_BLANKS), piece.lstrip(_BLANKS)
        gap = (len(left) < len(joined) or len(right) < len(piece)) and right[:1] not in _SEAM_PUNCTUATION
        if not right:  # nothing but blanks: carry the gap to the next seam
            joined = left + " " * gap
            continue
        joined = left + " " * (gap and bool(left)) + right
    return joined


def marked_text(text: str, start: int, end: int, removals: Sequence[Removal]) -> str:
    """``text[start:end]`` with each removed range kept between markers naming its rules."""
    pieces: list[str] = []
    cursor = start
    for r_start, r_end, rules in _marked_ranges(removals):
        if r_end <= cursor or r_start >= end:
            continue
        lo, hi = max(r_start, cursor), min(r_end, end)
        pieces.append(text[cursor:lo])
        cut = text[lo:hi]
        inner = cut.strip()
        lead, trail = cut[: len(cut) - len(cut.lstrip())], cut[len(cut.rstrip()) :]
        pieces.append(f"{lead}{MARK_OPEN}{', '.join(rules)}: {inner}{MARK_CLOSE}{trail}")
        cursor = hi
    pieces.append(text[cursor:end])
    return "".join(pieces).strip()


def _marked_ranges(removals: Sequence[Removal]) -> list[tuple[int, int, list[str]]]:
    """Removal spans merged where they overlap, with the rule IDs of each."""
    merged: list[tuple[int, int, list[str]]] = []
    for removal in sorted(removals, key=lambda r: (r.start, r.end)):
        if merged and removal.start < merged[-1][1]:
            lo, hi, rules = merged[-1]
            merged[-1] = (lo, max(hi, removal.end), rules + [removal.rule] * (removal.rule not in rules))
        else:
            merged.append((removal.start, removal.end, [removal.rule]))
    return merged


def cleaned_blocks(doc: Document, marked: bool = False) -> list[CleanBlock]:
    """Every block that keeps some text, in order (with ``marked``, removed text stays marked)."""
    removed = merged_ranges(doc)
    out = []
    for block in doc.blocks:
        if marked:
            text = marked_text(doc.text, block.start, block.end, doc.removals)
        else:
            text = kept_text(doc.text, block.start, block.end, removed)
        if _has_words(text):
            out.append(CleanBlock(block.kind, text, block.start, block.end))
    return out


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def one_line(text: str) -> str:
    """``text`` with each line break (and the blanks around it) read as one space.

    What ``_LINE_BREAK.sub(" ", text)`` gives, found from each line break outwards: the
    pattern, led by optional blanks, was tried at every character of the text.
    """
    pos = text.find("\n")
    if pos < 0:
        return text
    pieces: list[str] = []
    cursor = 0
    while pos >= 0:
        start = pos
        while start > cursor and text[start - 1] in " \t":
            start -= 1  # the blanks before the break
        end = pos + 1
        while end < len(text) and text[end].isspace():
            end += 1  # every space after it (``\s``), further breaks included
        pieces += [text[cursor:start], " "]
        cursor = end
        pos = text.find("\n", cursor)
    pieces.append(text[cursor:])
    return "".join(pieces)


def cleaned_text(doc: Document, marked: bool = False) -> str:
    """The cleaned article as plain text: headings kept, paragraphs separated by blank lines.

    With ``marked``, removed text is shown between ``[-removed Rule.ID: ...-]`` markers.
    """
    lines: list[str] = []
    previous: Block | CleanBlock | None = None
    for block in cleaned_blocks(doc, marked):
        # A hard-wrapped paragraph is printed on one line: the output's block boundaries are
        # then exactly its blank lines, so cleaning the cleaned text changes nothing.
        body = one_line(block.text)
        if block.kind is BlockKind.LIST_ITEM:
            joiner = "\n" if previous is not None and previous.kind is BlockKind.LIST_ITEM else "\n\n"
            lines.append(joiner + "- " + body)
        else:
            lines.append("\n\n" + body)
        previous = block
    return "".join(lines).lstrip("\n") + ("\n" if lines else "")
