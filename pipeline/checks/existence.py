"""``extends: existence`` — flag any of a list of tokens (Vale semantics)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.checks.base import (
    Exceptions,
    Hit,
    Prefilter,
    TextView,
    compile_regex,
    string_list,
    word_bounded,
)
from pipeline.document import Record
from pipeline.ruleset import Rule


@dataclass(frozen=True)
class ExistenceCheck(Record):
    """Every occurrence of one of ``tokens`` (regexes) is a hit."""

    rule: Rule
    pattern: re.Pattern[str]
    exceptions: Exceptions
    prefilter: Prefilter

    @classmethod
    def from_rule(cls, rule: Rule) -> ExistenceCheck:
        """Validate ``tokens`` / ``raw`` and compile them into one pattern."""
        key = "tokens" if "tokens" in rule.options else "raw"
        pattern = compile_regex(rule, key, existence_source(rule))
        return cls(rule, pattern, Exceptions.from_rule(rule), Prefilter.of(pattern))

    def prefilters(self) -> list[Prefilter]:
        """Its prefilters (the pattern's and the exceptions'), for the rule set's shared table."""
        return [self.prefilter, *self.exceptions.prefilters()]

    def find(self, text: str) -> Iterator[Hit]:
        """Hits of the token alternation not excused by an exception."""
        return self.find_in(TextView(text, ()))

    def find_in(self, view: TextView) -> Iterator[Hit]:
        """Hits in the view's text, trying only offsets where a match can start."""
        positions = self.prefilter.candidates(view)
        if positions is not None and not positions:
            return iter(())  # none of its literal starts occurs: most rules in most texts
        matches = self.prefilter.matches_at(self.pattern, view, positions)
        if not matches:
            return iter(())  # tried at a few offsets, matched at none: no exception to read
        hits = [Hit(m.start(), m.end()) for m in matches if m.end() > m.start()]
        return self.exceptions.excuse(view.text, iter(hits))


def existence_source(rule: Rule) -> str:
    """Vale's pattern: word-bounded ``tokens`` and the ``raw`` pieces concatenated.

    With both keys, Vale puts ``raw`` before the tokens, or after them when ``append: true``.
    """
    has_tokens, has_raw = "tokens" in rule.options, "raw" in rule.options
    if not has_tokens and not has_raw:
        raise rule.error("extends", "an existence rule needs 'tokens' or 'raw'")
    raw = "".join(string_list(rule, "raw")) if has_raw else ""
    if not has_tokens:
        return raw
    tokens = word_bounded(string_list(rule, "tokens"), rule.nonword)
    return tokens + raw if rule.options.get("append") is True else raw + tokens
