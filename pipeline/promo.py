"""Promo: find spam links and off-topic promotion inside the article and record removals.

Evidence comes from promo rules (``category: promo``): phrase rules (calls to action,
link bait) and code signals (external links, orphan anchors, link-only paragraphs,
written-out domains). Each carries a ``weight``; a sentence whose evidence adds up to 1.0
is promotion. One strong cue is enough; weak cues must agree, so a genuine sentence
with a single outbound link or a cited domain survives.

A rule with ``unit: clause`` whose match starts after genuine words cuts the sentence at
that clause instead, so a call to action glued to a real sentence goes and the sentence
stays. Removals are data: each names its rule, kind and evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from pipeline.checks.signal import SignalCheck
from pipeline.document import Category, Document, Removal, Sentence
from pipeline.ruleset import Rule, RuleSet

THRESHOLD = 1.0
# A clause cut keeps the sentence's head only if the head is a real statement of its own.
_MIN_HEAD_WORDS = 3
_CLAUSE_START = re.compile(r"[,;:\u2014\u2013]\s*|\s-\s|\.\s*|\s+")


@dataclass
class _Evidence:
    """What points at one sentence being promotion."""

    weights: dict[str, float] = field(default_factory=dict)  # rule ID → strongest weight
    notes: list[str] = field(default_factory=list)
    clause_at: int | None = None  # earliest clause-unit hit, if any
    rules: dict[str, Rule] = field(default_factory=dict)

    def add(self, rule: Rule, note: str, clause_at: int | None) -> None:
        weight = _weight(rule)
        self.weights[rule.id] = max(weight, self.weights.get(rule.id, 0.0))
        self.rules[rule.id] = rule
        self.notes.append(f"{rule.id}: {note}")
        if clause_at is not None:
            self.clause_at = clause_at if self.clause_at is None else min(self.clause_at, clause_at)

    @property
    def total(self) -> float:
        return sum(self.weights.values())

    def strongest(self) -> Rule:
        return self.rules[max(self.weights, key=lambda rid: self.weights[rid])]


def _weight(rule: Rule) -> float:
    value = rule.options.get("weight", 1.0)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 1.0


def detect(doc: Document, ruleset: RuleSet) -> Document:
    """Return ``doc`` with the removals of every sentence or clause judged promotional."""
    sentences = doc.sentences()
    starts = [s.start for s in sentences]
    evidence: dict[int, _Evidence] = defaultdict(_Evidence)
    for rule, compiled in ruleset.by_category(Category.PROMO):
        for offset, note, clause_at in _rule_evidence(doc, rule, compiled):
            index = bisect_right(starts, offset) - 1
            if index >= 0 and offset < sentences[index].end:
                evidence[index].add(rule, note, clause_at)
    removals = [r for i, ev in sorted(evidence.items()) if (r := _judge(doc, sentences[i], ev)) is not None]
    return replace(doc, removals=tuple(sorted((*doc.removals, *removals), key=lambda r: r.start)))


def _rule_evidence(doc: Document, rule: Rule, compiled: object) -> Iterator[tuple[int, str, int | None]]:
    if isinstance(compiled, SignalCheck):
        for offset, note in compiled.evidence(doc):
            yield offset, note, None
        return
    clause = rule.options.get("unit") == "clause"
    for hit in compiled.find(doc.text):  # type: ignore[attr-defined]
        yield hit.start, repr(doc.text[hit.start : hit.end]), hit.start if clause else None


def _judge(doc: Document, sentence: Sentence, evidence: _Evidence) -> Removal | None:
    if evidence.total < THRESHOLD:
        return None
    start = sentence.start
    if evidence.clause_at is not None:
        start = _clause_start(doc.text, sentence, evidence.clause_at)
    rule = evidence.strongest()
    return Removal(
        start=start,
        end=sentence.end,
        rule=rule.id,
        kind=str(rule.options.get("kind", "promotion")),
        message=rule.message,
        evidence=tuple(evidence.notes),
        level=rule.level,
    )


def _clause_start(text: str, sentence: Sentence, hit_start: int) -> int:
    """Where to cut: at the hit, if the words before it stand as a sentence of their own."""
    head = text[sentence.start : hit_start]
    if len(head.split()) < _MIN_HEAD_WORDS:
        return sentence.start
    # Back up over the separator so the kept head ends cleanly.
    stripped = head.rstrip(" ,;:\u2014\u2013-")
    return sentence.start + len(stripped)
