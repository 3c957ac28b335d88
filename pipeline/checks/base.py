"""What every rule type shares: a hit, the check protocol, and regex helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pipeline.ruleset import Rule

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class Hit:
    """A match of a rule in the document text; ``replacement`` is a suggested rewrite."""

    start: int
    end: int
    replacement: str | None = None


class Check(Protocol):
    """A compiled rule: finds its hits anywhere in a text; scopes are applied by the caller."""

    @property
    def rule(self) -> Rule:
        """The rule this check was compiled from (read-only: checks are frozen)."""
        ...

    def find(self, text: str) -> Iterator[Hit]:
        """Every hit in ``text``."""
        ...


@dataclass(frozen=True)
class TextView:
    """What a rule type may read beyond the raw text: sentence spans and (lazily) tokens.

    Built once per document by the claims stage, so token-based rule types share one
    tokenization; ``TextView.of`` builds one from a bare string (rule tests, ``find``).
    """

    text: str
    sentences: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str) -> TextView:
        """Segment ``text`` with the pipeline's sentencizer."""
        from pipeline.nlp import get_nlp

        doc = get_nlp()(text)
        return cls(text, tuple((s.start_char, s.end_char) for s in doc.sents))

    @cached_property
    def tokens(self) -> Doc:
        """The spaCy tokens of the whole text (tokenized on first use)."""
        from pipeline.nlp import tokenize

        return tokenize(self.text)


@runtime_checkable
class ViewCheck(Protocol):
    """A rule type that needs sentences or tokens: it reads a ``TextView`` instead of a string."""

    @property
    def rule(self) -> Rule:
        """The rule this check was compiled from."""
        ...

    def find_in(self, view: TextView) -> Iterator[Hit]:
        """Every hit in the view's text."""
        ...


def compile_regex(rule: Rule, key: str, source: str) -> re.Pattern[str]:
    """Compile a rule's regex, reporting a bad pattern at the key's line."""
    flags = re.IGNORECASE if rule.ignorecase else 0
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise rule.error(key, f"invalid regular expression: {exc}") from exc


def string_list(rule: Rule, key: str, required: bool = True) -> list[str]:
    """A list-of-strings field (a single string is accepted as a one-item list)."""
    value = rule.options.get(key)
    if value is None and not required:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise rule.error(key, f"'{key}' must be a non-empty list of strings")
    for i, item in enumerate(items, 1):
        if isinstance(item, dict):  # YAML read "a (?: b)" as a mapping: an unquoted ": "
            raise rule.error(key, f"'{key}' item {i} is a mapping; quote a regex that contains ': '")
        if not isinstance(item, str) or not item:
            raise rule.error(key, f"'{key}' item {i} must be a non-empty string")
    return items


def word_bounded(alternatives: Sequence[str], nonword: bool) -> str:
    r"""Vale's wrapping: ``\\b(?:a|b)\\b`` unless the rule is ``nonword``."""
    body = "|".join(f"(?:{a})" for a in alternatives)
    return f"(?:{body})" if nonword else rf"\b(?:{body})\b"


@dataclass(frozen=True)
class Exceptions:
    """Phrases that excuse a hit when one of their matches covers it."""

    pattern: re.Pattern[str] | None

    @classmethod
    def from_rule(cls, rule: Rule) -> Exceptions:
        """Compile the rule's ``exceptions`` list (may be empty)."""
        items = string_list(rule, "exceptions", required=False)
        if not items:
            return cls(None)
        return cls(compile_regex(rule, "exceptions", word_bounded(items, nonword=False)))

    def excuse(self, text: str, hits: Iterator[Hit]) -> Iterator[Hit]:
        """Drop hits that lie inside an exception match."""
        if self.pattern is None:
            yield from hits
            return
        covers = [(m.start(), m.end()) for m in self.pattern.finditer(text)]
        for hit in hits:
            if not any(lo <= hit.start and hit.end <= hi for lo, hi in covers):
                yield hit
