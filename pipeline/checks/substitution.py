"""``extends: substitution`` — suggest a replacement for each ``swap`` key (Vale semantics)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.checks.base import Exceptions, Hit, Prefilter, TextView, compile_regex, word_bounded
from pipeline.document import Record
from pipeline.ruleset import Rule


@dataclass(frozen=True)
class SubstitutionCheck(Record):
    """A hit for each match of a swap key; the hit carries the key's replacement."""

    rule: Rule
    pattern: re.Pattern[str]
    replacements: tuple[str, ...]
    exceptions: Exceptions
    prefilter: Prefilter

    @classmethod
    def from_rule(cls, rule: Rule) -> SubstitutionCheck:
        """Validate ``swap`` and compile one capturing group per key."""
        swap = rule.options.get("swap")
        if not isinstance(swap, dict) or not swap:
            raise rule.error("swap", "'swap' must be a non-empty mapping of pattern to replacement")
        keys, values = [], []
        for key, value in swap.items():
            if not isinstance(key, str) or not isinstance(value, str | None):
                raise rule.error("swap", "'swap' keys and values must be strings")
            compile_regex(rule, "swap", key)  # report a bad key on its own
            keys.append(f"({_no_groups(key)})")
            values.append(value or "")
        pattern = compile_regex(rule, "swap", word_bounded(keys, rule.nonword))
        return cls(rule, pattern, tuple(values), Exceptions.from_rule(rule), Prefilter.of(pattern))

    def prefilters(self) -> list[Prefilter]:
        """Its prefilters (the pattern's and the exceptions'), for the rule set's shared table."""
        return [self.prefilter, *self.exceptions.prefilters()]

    def find(self, text: str) -> Iterator[Hit]:
        """Hits carrying the replacement of the swap key that matched."""
        return self.find_in(TextView(text, ()))

    def find_in(self, view: TextView) -> Iterator[Hit]:
        """Hits in the view's text, trying only offsets where a match can start."""
        hits = (
            Hit(m.start(), m.end(), self.replacements[(m.lastindex or 1) - 1])
            for m in self.prefilter.finditer(self.pattern, view)
            if m.end() > m.start()
        )
        return self.exceptions.excuse(view.text, hits)


def _no_groups(pattern: str) -> str:
    """Make a key's own groups non-capturing so group numbers identify the key."""
    return re.sub(r"(?<!\\)\((?!\?)", "(?:", pattern)
