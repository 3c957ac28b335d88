"""``extends: signal`` — promotion evidence computed in code (links, domains), weighted in YAML."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.checks.base import Hit
from pipeline.document import Document
from pipeline.promo_signals import SIGNALS
from pipeline.ruleset import Rule


@dataclass(frozen=True)
class SignalCheck:
    """Names one of ``pipeline.promo_signals.SIGNALS``; it reads links, so it needs the document."""

    rule: Rule
    signal: str

    @classmethod
    def from_rule(cls, rule: Rule) -> SignalCheck:
        """Validate that ``signal`` names a known signal."""
        name = rule.options.get("signal")
        if name not in SIGNALS:
            raise rule.error("signal", f"'signal' must be one of {', '.join(sorted(SIGNALS))}")
        return cls(rule, str(name))

    def find(self, text: str) -> Iterator[Hit]:
        """Signals need links, not just text: see ``evidence``."""
        return iter(())

    def evidence(self, doc: Document) -> Iterator[tuple[int, str]]:
        """(offset, note) pairs from the named signal."""
        return SIGNALS[self.signal](doc)
