"""Claims: run the claim rules over the kept text and record findings.

Rule types find raw hits; this stage applies what is common to every rule: scope (which
blocks a rule looks at), removed text (never checked), context (a negated claim is not
an overclaim; a hedged one may not be; a quoted one is levelled down), Vale's message
``%s`` filling, and ``limit``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from pipeline.checks.base import Check, Hit
from pipeline.document import BlockKind, Category, Document, Finding, Level
from pipeline.ruleset import Rule, RuleSet

# Scope name → block kinds it covers ("text" is everything, as in Vale).
_SCOPE_KINDS: dict[str, frozenset[BlockKind]] = {
    "text": frozenset(BlockKind),
    "sentence": frozenset({BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.QUOTE}),
    "paragraph": frozenset({BlockKind.PARAGRAPH}),
    "heading": frozenset({BlockKind.HEADING, BlockKind.TITLE}),
    "title": frozenset({BlockKind.TITLE}),
    "list": frozenset({BlockKind.LIST_ITEM}),
    "blockquote": frozenset({BlockKind.QUOTE}),
    "quotation": frozenset(BlockKind),  # further narrowed to text inside quotation marks
}
# Cues read in the words before a hit, inside its clause: why a claim is not asserted.
_NEGATION = re.compile(
    r"\b(?:not|no|never|without|neither|nor|cannot|none|unlikely|rather\s+than|instead\s+of|"
    r"far\s+from|lack(?:s|ed|ing)?(?:\s+of)?|\w+n't)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:may|might|could|possibly|potentially|perhaps|appears?\s+to|seems?\s+to|suggests?|"
    r"some|in\s+some|can\s+help|is\s+thought|are\s+thought|preliminary|early)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,;:()\u2014]|\s-\s|\b(?:but|although|though|whereas|while)\b", re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"\n]{1,400}\"|\u201c[^\u201d\n]{1,400}\u201d")
_WINDOW_WORDS = 6


@dataclass(frozen=True, slots=True)
class _Layout:
    """Sentence and block positions of a document, for mapping hits to their context."""

    sentence_starts: list[int]
    sentence_ends: list[int]
    sentence_kinds: list[BlockKind]
    quoted: list[tuple[int, int]]

    @classmethod
    def of(cls, doc: Document) -> _Layout:
        starts, ends, kinds = [], [], []
        for block in doc.blocks:
            for s in block.sentences:
                starts.append(s.start)
                ends.append(s.end)
                kinds.append(block.kind)
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(doc.text)]
        quoted += [(b.start, b.end) for b in doc.blocks if b.kind is BlockKind.QUOTE]
        return cls(starts, ends, kinds, quoted)

    def sentence_of(self, offset: int) -> int | None:
        i = bisect_right(self.sentence_starts, offset) - 1
        return i if i >= 0 and offset < self.sentence_ends[i] else None

    def in_quotes(self, start: int, end: int) -> bool:
        return any(lo <= start and end <= hi for lo, hi in self.quoted)


def check(doc: Document, ruleset: RuleSet) -> Document:
    """Findings of every claim rule (except summary-scoped ones) on the kept text."""
    layout = _Layout.of(doc)
    removed = sorted((r.start, r.end) for r in doc.removals)
    findings: list[Finding] = list(doc.findings)
    for rule, compiled in ruleset.by_category(Category.CLAIM):
        if rule.scope != ("summary",):
            findings.extend(_rule_findings(doc, rule, compiled, layout, removed))
    return replace(doc, findings=tuple(sorted(findings, key=lambda f: (f.start, f.rule))))


def check_summary(doc: Document, ruleset: RuleSet) -> Document:
    """Findings of summary-scoped rules, on the summary sentences' spans."""
    spans = [(s.start, s.end) for s in doc.summary]
    extra: list[Finding] = []
    layout = _Layout.of(doc)
    removed = sorted((r.start, r.end) for r in doc.removals)
    for rule, compiled in ruleset.by_category(Category.CLAIM):
        if "summary" in rule.scope:
            for finding in _rule_findings(doc, rule, compiled, layout, removed, summary_only=True):
                if any(lo <= finding.start and finding.end <= hi for lo, hi in spans):
                    extra.append(finding)
    return replace(doc, findings=tuple(sorted((*doc.findings, *extra), key=lambda f: (f.start, f.rule))))


def _rule_findings(
    doc: Document,
    rule: Rule,
    compiled: Check,
    layout: _Layout,
    removed: Sequence[tuple[int, int]],
    summary_only: bool = False,
) -> Iterator[Finding]:
    count = 0
    for hit in compiled.find(doc.text):
        index = layout.sentence_of(hit.start)
        if index is None or _overlaps(hit, removed):
            continue
        if not summary_only and not _in_scope(rule, layout, index, hit):
            continue
        level = _contextual_level(rule, doc.text, layout, index, hit)
        if level is None:
            continue
        yield _finding(rule, doc.text, hit, level)
        count += 1
        if rule.limit and count >= rule.limit:
            return


def _in_scope(rule: Rule, layout: _Layout, index: int, hit: Hit) -> bool:
    kind = layout.sentence_kinds[index]
    for scope in rule.scope:
        if scope in ("summary",):
            continue
        if kind in _SCOPE_KINDS[scope] and (scope != "quotation" or layout.in_quotes(hit.start, hit.end)):
            return True
    return False


def _overlaps(hit: Hit, removed: Sequence[tuple[int, int]]) -> bool:
    return any(lo < hit.end and hit.start < hi for lo, hi in removed)


def _contextual_level(rule: Rule, text: str, layout: _Layout, index: int, hit: Hit) -> Level | None:
    """The level after context: None when the claim is negated (or hedged, if the rule says so)."""
    context = rule.options.get("context") or {}
    before = _clause_before(text, layout.sentence_starts[index], hit.start)
    if context.get("negated", "skip") == "skip" and _NEGATION.search(before):
        return None
    if context.get("hedged", "keep") == "skip" and _HEDGE.search(before):
        return None
    if context.get("quoted", "lower") == "lower" and layout.in_quotes(hit.start, hit.end):
        return _lower(rule.level)
    return rule.level


def _clause_before(text: str, sentence_start: int, hit_start: int) -> str:
    """Up to ``_WINDOW_WORDS`` words before the hit, not crossing a clause break."""
    prefix = text[sentence_start:hit_start]
    parts = _CLAUSE_BREAK.split(prefix)
    clause = parts[-1] if parts else prefix
    return " ".join(clause.split()[-_WINDOW_WORDS:])


def _lower(level: Level) -> Level:
    return {Level.ERROR: Level.WARNING, Level.WARNING: Level.SUGGESTION}.get(level, Level.SUGGESTION)


def _finding(rule: Rule, text: str, hit: Hit, level: Level) -> Finding:
    matched = text[hit.start : hit.end]
    if hit.replacement is not None:
        message = fill_message(rule.message, [hit.replacement, matched])
        suggestion: str | None = hit.replacement
    else:
        message = fill_message(rule.message, [matched])
        suggestion = rule.suggestion
    return Finding(
        rule=rule.id,
        level=level,
        message=message,
        start=hit.start,
        end=hit.end,
        match=matched,
        category=rule.category,
        suggestion=suggestion,
        link=rule.link,
    )


def fill_message(message: str, values: Sequence[str]) -> str:
    """Vale's ``%s`` filling: each ``%s`` takes the next value; other ``%`` stay as they are."""
    pieces = message.split("%s")
    out = [pieces[0]]
    for i, piece in enumerate(pieces[1:]):
        out.append(values[min(i, len(values) - 1)] if values else "")
        out.append(piece)
    return "".join(out)
