"""Rule types: one module per ``extends`` value, and the one table that names them.

A new rule type is one module with a class offering ``from_rule(rule)`` and
``find(text)``, plus one line in ``CHECK_TYPES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from pipeline.checks.base import Check, Hit, Prefilter, Starts, StartTable, TextView, ViewCheck
from pipeline.checks.existence import ExistenceCheck
from pipeline.checks.sequence import SequenceCheck
from pipeline.checks.signal import SignalCheck
from pipeline.checks.strength_rule import StrengthCheck
from pipeline.checks.substitution import SubstitutionCheck
from pipeline.ruleset import Rule

CHECK_TYPES: Mapping[str, Callable[[Rule], Check]] = {
    "existence": ExistenceCheck.from_rule,
    "substitution": SubstitutionCheck.from_rule,
    "signal": SignalCheck.from_rule,
    "sequence": SequenceCheck.from_rule,  # spaCy Matcher token patterns
    "strength": StrengthCheck.from_rule,  # sentences by claim strength (pipeline/strength.py)
}


def share_starts(checks: Iterable[Check]) -> StartTable:
    """Put the literal starts of every check's prefilters in one table (``StartTable``).

    A check type with prefilters lists them with ``prefilters()``; one without (token
    patterns, link signals) is left as it is.
    """
    starts: list[Starts] = []
    literals: set[str] = set()
    for check in checks:
        prefilters: Callable[[], list[Prefilter]] | None = getattr(check, "prefilters", None)
        if prefilters is not None:
            for prefilter in prefilters():
                starts.extend(prefilter.shareable_starts())
                literals.update(prefilter.asked_literals())
    return StartTable.share(starts, literals)


def compile_rule(rule: Rule) -> Check:
    """Compile a rule with its type's module; an unknown ``extends`` is a rule error."""
    factory = CHECK_TYPES.get(rule.extends)
    if factory is None:
        known = ", ".join(sorted(CHECK_TYPES))
        raise rule.error("extends", f"unknown rule type {rule.extends!r}; known types: {known}")
    return factory(rule)


__all__ = ["CHECK_TYPES", "Check", "Hit", "TextView", "ViewCheck", "compile_rule", "share_starts"]
