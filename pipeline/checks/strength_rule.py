r"""``extends: strength`` — flag sentences by their claim strength (pipeline/strength.py).

``labels`` lists the strengths that fire (``none``, ``correlational``,
``conditional_causal``, ``direct_causal``). ``evidence`` optionally restricts the rule
to sentences that cite a kind of evidence: regexes, word-bounded (case per ``ignorecase``),
e.g. ``[cohort, observational, surveys?, associat\w+]``. The Causal pack uses both to flag
causal wording ("coffee cuts cancer risk") in sentences that report correlational studies.
A negated claim ("did not reduce") counts as ``none`` unless ``context.negated`` is ``keep``.
The hit is the sentence, trimmed of surrounding whitespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.checks.base import Hit, TextView, compile_regex, string_list, word_bounded
from pipeline.ruleset import Rule

LABELS = ("none", "correlational", "conditional_causal", "direct_causal")


@dataclass(frozen=True)
class StrengthCheck:
    """Sentences whose strength label is in ``labels`` (and, optionally, that cite ``evidence``)."""

    rule: Rule
    labels: frozenset[str]
    evidence: re.Pattern[str] | None
    negated_as_none: bool

    @classmethod
    def from_rule(cls, rule: Rule) -> StrengthCheck:
        """Validate ``labels`` and ``evidence``."""
        labels = string_list(rule, "labels")
        unknown = sorted(set(labels) - set(LABELS))
        if unknown:
            raise rule.error("labels", f"unknown strength label {unknown[0]!r}; use {', '.join(LABELS)}")
        cues = string_list(rule, "evidence", required=False)
        evidence = compile_regex(rule, "evidence", word_bounded(cues, False)) if cues else None
        negated_as_none = rule.context.get("negated") != "keep"
        return cls(rule, frozenset(labels), evidence, negated_as_none)

    def find(self, text: str) -> Iterator[Hit]:
        """Hits in a bare string, segmented with the pipeline's sentencizer."""
        return self.find_in(TextView.of(text))

    def find_in(self, view: TextView) -> Iterator[Hit]:
        """One hit per qualifying sentence."""
        from pipeline.strength import classify

        for start, end in view.sentences:
            sentence = view.text[start:end]
            if self.evidence is not None and not self.evidence.search(sentence):
                continue  # cheap cue test first: most sentences cite no evidence
            if classify(sentence, negated_as_none=self.negated_as_none).value in self.labels:
                lead = len(sentence) - len(sentence.lstrip())
                yield Hit(start + lead, start + len(sentence.rstrip()))
