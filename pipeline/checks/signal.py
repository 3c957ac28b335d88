"""``extends: signal`` — promotion evidence computed in code, weighted and configured in YAML.

The rule names one of ``pipeline.promo_signals.SIGNALS``; ``tokens`` (a word list, matched
whole and word-bounded), ``exceptions`` (phrases that excuse a clue), ``threshold`` and
``max`` configure it where the signal takes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.checks.base import Hit, Prefilter, compile_regex, string_list, word_bounded
from pipeline.document import Document, Record
from pipeline.promo_signals import SIGNALS, Clue, SignalOptions
from pipeline.ruleset import Rule


@dataclass(frozen=True)
class SignalCheck(Record):
    """Names one of ``pipeline.promo_signals.SIGNALS``; it reads links, so it needs the document."""

    rule: Rule
    signal: str
    options: SignalOptions

    @classmethod
    def from_rule(cls, rule: Rule) -> SignalCheck:
        """Validate that ``signal`` names a known signal and compile its options."""
        name = rule.options.get("signal")
        if name not in SIGNALS:
            raise rule.error("signal", f"'signal' must be one of {', '.join(sorted(SIGNALS))}")
        return cls(rule, str(name), _options(rule))

    def prefilters(self) -> list[Prefilter]:
        """The word pattern's and the exception phrases' prefilters, for the rule set's shared table."""
        own = [self.options.prefilter] if self.options.prefilter is not None else []
        return [*own, *self.options.exception_phrases.prefilters()]

    def find(self, text: str) -> Iterator[Hit]:
        """Signals need links, not just text: see ``evidence``."""
        return iter(())

    def evidence(self, doc: Document) -> Iterator[Clue]:
        """The clues of the named signal."""
        return SIGNALS[self.signal](doc, self.options)


def _options(rule: Rule) -> SignalOptions:
    tokens = string_list(rule, "tokens", required=False)
    exceptions = string_list(rule, "exceptions", required=False)
    return SignalOptions(
        pattern=compile_regex(rule, "tokens", word_bounded(tokens, rule.nonword)) if tokens else None,
        exceptions=compile_regex(rule, "exceptions", word_bounded(exceptions, False)) if exceptions else None,
        threshold=_number(rule, "threshold"),
        max=_number(rule, "max"),
    )


def _number(rule: Rule, key: str) -> float | None:
    value = rule.options.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise rule.error(key, f"'{key}' must be a number")
    return float(value)
