"""``healthvet check --fix [--diff]``: apply the deterministic edits to Markdown and text files.

Edits, as ruff's safe fixes, only where the result is decided by the rule:
- a promo removal deletes its text (a line left with only list or quote markup goes too);
- a substitution rule's finding swaps in its replacement (capitalised like the match);
- an existence rule with a ``fix`` value swaps in that value; an empty ``fix`` deletes the
  word, but only where a sentence still reads afterwards: not before punctuation or at a
  sentence start, and "a"/"an" is corrected for the next word;
- an unused ``healthvet:`` suppression comment is deleted.
Code spans, comments (other than unused suppressions) and front matter are never edited;
overlapping edits keep the first. HTML is never fixed: its positions index the extracted
article, not the page. Line endings and a UTF-8 byte-order mark are kept.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.document import Category, Document, Finding
from pipeline.errors import Code, InputError
from pipeline.ruleset import RuleSet
from pipeline.sources import decode
from pipeline.suppress import UNUSED_RULE, protected_spans

FIXABLE_MEDIA = frozenset({"markdown", "text"})
_MARKUP_ONLY = re.compile(r"[ \t]*(?:(?:[-*+]|\d{1,9}[.)]|>|#{1,6})[ \t]*)*")
_ARTICLE_BEFORE = re.compile(r"\b(a|an)([ \t]+)$", re.IGNORECASE)
_SENTENCE_END = ".!?:\n"
_NOT_BEFORE = ".,;:!?)]\u2019\"'\n"
# "a"/"an" by spelling, with the usual exceptions where the sound differs from the letter.
_AN_EXCEPTIONS = re.compile(r"^(?:hour|honest|honou?r|heir)", re.IGNORECASE)
_A_EXCEPTIONS = re.compile(r"^(?:uni|use|usu|uti|eu|one|once)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``; ``rule`` says why."""

    start: int
    end: int
    replacement: str
    rule: str


@dataclass(frozen=True, slots=True)
class FixResult:
    """One file's original and fixed text and the edits applied."""

    name: str
    original: str
    fixed: str
    edits: tuple[Edit, ...]


def fixable(doc: Document) -> bool:
    """Only Markdown and text files are fixed: their offsets are offsets into the file."""
    return doc.source.kind == "file" and doc.source.media_type in FIXABLE_MEDIA


def why_not(doc: Document) -> str:
    """Why ``doc`` is not fixed."""
    if doc.source.media_type == "html":
        return "HTML is not fixed (only Markdown and text files are); edit the page by hand"
    return "only files are fixed, not stdin or URLs"


def fix_document(doc: Document, ruleset: RuleSet) -> FixResult:
    """The fixed text of ``doc`` and the edits that made it."""
    protected = protected_spans(doc.text, markdown=doc.source.media_type == "markdown")
    chosen: list[Edit] = []
    for edit in sorted(edits_for(doc, ruleset), key=lambda e: (e.start, e.end)):
        touches_code = edit.rule != UNUSED_RULE.id and any(
            lo < edit.end and edit.start < hi for lo, hi in protected
        )
        overlaps = bool(chosen) and edit.start < chosen[-1].end
        if not touches_code and not overlaps:
            chosen.append(edit)
    return FixResult(doc.source.name, doc.text, apply_edits(doc.text, chosen), tuple(chosen))


def edits_for(doc: Document, ruleset: RuleSet) -> Iterator[Edit]:
    """Every edit the findings and removals of ``doc`` allow."""
    for removal in doc.removals:
        yield _line_aware_deletion(doc.text, removal.start, removal.end, removal.rule)
    for finding in doc.findings:
        edit = _finding_edit(doc.text, finding, ruleset)
        if edit is not None:
            yield edit


def _finding_edit(text: str, finding: Finding, ruleset: RuleSet) -> Edit | None:
    if finding.rule == UNUSED_RULE.id:
        return _line_aware_deletion(text, finding.start, finding.end, finding.rule)
    rule = ruleset.get(finding.rule)
    if rule is None or finding.category is not Category.CLAIM:
        return None
    if rule.extends == "substitution" and finding.suggestion is not None:
        replacement: object = finding.suggestion
    else:
        replacement = rule.options.get("fix")
    if not isinstance(replacement, str):
        return None
    if not replacement:
        return _word_deletion(text, finding.start, finding.end, finding.rule)
    return Edit(finding.start, finding.end, _same_case(finding.match, replacement), finding.rule)


def _same_case(match: str, replacement: str) -> str:
    if match[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def _line_aware_deletion(text: str, start: int, end: int, rule: str) -> Edit:
    """Delete ``text[start:end]``; take the whole line when only markup would be left."""
    end = _skip_spaces(text, end)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if end < line_end:
        return Edit(start, end, "", rule)
    if not _MARKUP_ONLY.fullmatch(text[line_start:start]):
        while start > line_start and text[start - 1] in " \t":
            start -= 1  # keep the head of the line without trailing spaces
        return Edit(start, end, "", rule)
    stop = min(line_end + 1, len(text))
    blank_before = line_start == 0 or text[max(0, line_start - 2) : line_start] == "\n\n"
    if blank_before and text[stop : stop + 1] == "\n":
        stop += 1  # the paragraph goes with one of the blank lines around it
    return Edit(line_start, stop, "", rule)


def _skip_spaces(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t":
        at += 1
    return at


def _word_deletion(text: str, start: int, end: int, rule: str) -> Edit | None:
    """Delete a word where the sentence still reads without it, else nothing."""
    following = text[end : end + 1]
    before = text[:start].rstrip(" \t")
    if not following or following in _NOT_BEFORE or not before or before[-1] in _SENTENCE_END:
        return None  # "were remarkable." or "Remarkable results": a person must rewrite it
    stop = _skip_spaces(text, end)
    article = _ARTICLE_BEFORE.search(text, 0, start)
    if article is None:
        return Edit(start, stop, "", rule)
    next_word = re.match(r"[\w-]+", text[stop:])
    chosen = _article_for(next_word.group(0) if next_word else "", article.group(1))
    return Edit(article.start(1), stop, chosen + article.group(2), rule)


def _article_for(word: str, current: str) -> str:
    vowel = word[:1].lower() in "aeiou"
    an = (vowel and not _A_EXCEPTIONS.match(word)) or bool(_AN_EXCEPTIONS.match(word))
    chosen = "an" if an else "a"
    return chosen.capitalize() if current[:1].isupper() else chosen


def apply_edits(text: str, edits: list[Edit]) -> str:
    """``text`` with non-overlapping, sorted ``edits`` applied."""
    pieces, cursor = [], 0
    for edit in edits:
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def unified_diff(result: FixResult) -> str:
    """The change as a unified diff (``--diff``)."""
    lines = difflib.unified_diff(
        _diff_lines(result.original),
        _diff_lines(result.fixed),
        fromfile=f"a/{result.name}",
        tofile=f"b/{result.name}",
    )
    return "".join(lines)


def _diff_lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def write(result: FixResult) -> None:
    """Write the fixed text back, keeping the file's line endings and byte-order mark."""
    path = Path(result.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Code.INPUT_UNREADABLE, f"{path}: cannot read it back to fix it: {exc}") from exc
    if decode(data, result.name) != result.original:
        raise InputError(Code.INPUT_UNREADABLE, f"{path}: changed while healthvet ran; not fixed")
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            Code.INPUT_UNREADABLE, f"{path}: not UTF-8; --fix keeps encodings, so not fixed"
        ) from exc
    fixed = result.fixed.replace("\n", "\r\n") if b"\r\n" in data else result.fixed
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    path.write_bytes(bom + fixed.encode("utf-8"))
