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
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.checks.base import Hit, Prefilter, TextView, compile_regex, string_list, word_bounded
from pipeline.document import Record
from pipeline.ruleset import Rule

LABELS = ("none", "correlational", "conditional_causal", "direct_causal")


@dataclass(frozen=True)
class StrengthCheck(Record):
    """Sentences whose strength label is in ``labels`` (and, optionally, that cite ``evidence``)."""

    rule: Rule
    labels: frozenset[str]
    evidence: re.Pattern[str] | None
    negated_as_none: bool
    prefilter: Prefilter | None = None  # the evidence cues' literal starts

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
        prefilter = Prefilter.of(evidence) if evidence is not None else None
        return cls(rule, frozenset(labels), evidence, negated_as_none, prefilter)

    def prefilters(self) -> list[Prefilter]:
        """The evidence cues' prefilter, for the rule set's shared table."""
        return [self.prefilter] if self.prefilter is not None else []

    def find(self, text: str) -> Iterator[Hit]:
        """Hits in a bare string, segmented with the pipeline's sentencizer."""
        return self.find_in(TextView.of(text))

    def find_in(self, view: TextView) -> Iterator[Hit]:
        """One hit per qualifying sentence."""
        from pipeline.strength import classify

        for start, end in self._citing(view):
            sentence = view.text[start:end]
            if classify(sentence, negated_as_none=self.negated_as_none).value in self.labels:
                lead = len(sentence) - len(sentence.lstrip())
                yield Hit(start + lead, start + len(sentence.rstrip()))

    def _citing(self, view: TextView) -> list[tuple[int, int]]:
        """The sentences that cite the evidence (every sentence when the rule names none).

        The cues are found in one prefiltered pass over the text (most articles cite no
        study, so the pattern rarely runs at all); a sentence a cue was seen in is then
        confirmed on its own text, as the rule reads one sentence at a time.
        """
        if self.evidence is None or self.prefilter is None:
            return list(view.sentences)
        starts = [start for start, _ in view.sentences]
        seen: set[int] = set()
        for match in self.prefilter.finditer(self.evidence, view):
            index = bisect_right(starts, match.start()) - 1
            seen.update(range(max(0, index), bisect_right(starts, match.end() - 1)))
        citing = [view.sentences[i] for i in sorted(seen)]
        return [(start, end) for start, end in citing if self.evidence.search(view.text[start:end])]
