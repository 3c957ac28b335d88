"""``extends: existence`` — flag any of a list of tokens (Vale semantics)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.checks.base import Exceptions, Hit, compile_regex, string_list, word_bounded
from pipeline.ruleset import Rule


@dataclass(frozen=True)
class ExistenceCheck:
    """Every occurrence of one of ``tokens`` (regexes) is a hit."""

    rule: Rule
    pattern: re.Pattern[str]
    exceptions: Exceptions

    @classmethod
    def from_rule(cls, rule: Rule) -> ExistenceCheck:
        """Validate ``tokens`` and compile them into one alternation."""
        tokens = string_list(rule, "tokens")
        pattern = compile_regex(rule, "tokens", word_bounded(tokens, rule.nonword))
        return cls(rule, pattern, Exceptions.from_rule(rule))

    def find(self, text: str) -> Iterator[Hit]:
        """Hits of the token alternation not excused by an exception."""
        hits = (Hit(m.start(), m.end()) for m in self.pattern.finditer(text) if m.end() > m.start())
        return self.exceptions.excuse(text, hits)
