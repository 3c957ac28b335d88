"""``extends: sequence`` — token patterns in spaCy Matcher form.

``patterns`` is a list of patterns; each pattern is a list of token dicts over the
attributes ``spacy.blank("en")`` really sets: ``LOWER``, ``ORTH``/``TEXT``, ``LENGTH``,
``IS_*``, ``LIKE_*``, ``SHAPE``, ``PREFIX``/``SUFFIX``, with ``OP`` and the usual
``IN``/``NOT_IN``/``REGEX`` value forms. ``LEMMA`` is accepted too.

Why ``LEMMA`` is expanded here instead of using ``spacy-lookups-data``: the blank pipeline
has no lemmatizer, and the lookup tables are a large download for a handful of verbs and
nouns in rule files. A rule's lemma is instead expanded into its regular inflections
(cure → cure, cures, cured, curing; study → studies, studied) plus a small table of
irregular forms, and matched on ``LOWER``. Over-generating a form that is not a word is
harmless: it never matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pipeline.checks.base import Exceptions, Hit, TextView
from pipeline.document import Record
from pipeline.ruleset import Rule

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Span

# Attributes a blank pipeline never sets: a pattern using them could never match.
_NEEDS_MODEL = frozenset({"POS", "TAG", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "MORPH", "SENT_START"})
_IRREGULAR: Mapping[str, tuple[str, ...]] = {
    "be": ("am", "is", "are", "was", "were", "been", "being", "'s", "'re"),
    "have": ("has", "had", "having", "'ve"),
    "do": ("does", "did", "done", "doing"),
    "find": ("found",),
    "give": ("gave", "given"),
    "go": ("went", "gone"),
    "make": ("made",),
    "prove": ("proven",),
    "show": ("shown",),
    "take": ("took", "taken"),
    "lose": ("lost",),
    "feel": ("felt",),
    "say": ("said",),
    "tell": ("told",),
    "think": ("thought",),
    "grow": ("grew", "grown"),
    "child": ("children",),
    "person": ("people",),
    "man": ("men",),
    "woman": ("women",),
}
_VOWELS = frozenset("aeiou")


def inflections(lemma: str) -> tuple[str, ...]:
    """The lemma and its regular (and known irregular) noun and verb forms, lowercase."""
    word = lemma.lower()
    forms = {word, *_IRREGULAR.get(word, ())}
    if word.endswith("e"):
        forms |= {word + "s", word + "d", word[:-1] + "ing"}
    elif word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {word + "es", word + "ed", word + "ing"}
    else:
        forms |= {word + "s", word + "ed", word + "ing"}
    if _doubles_final_consonant(word):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return tuple(sorted(forms))


def _doubles_final_consonant(word: str) -> bool:
    """Short consonant-vowel-consonant words double the consonant (stop → stopped)."""
    return (
        len(word) >= 3
        and word[-1] not in _VOWELS | {"w", "x", "y"}
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
        and sum(ch in _VOWELS for ch in word) == 1
    )


def _expand_lemma(rule: Rule, token: dict[str, Any]) -> dict[str, Any]:
    """Rewrite a token's ``LEMMA`` constraint as a ``LOWER`` constraint over its inflections."""
    if "LEMMA" not in token:
        return token
    if "LOWER" in token:
        raise rule.error("patterns", "a token cannot constrain both LEMMA and LOWER")
    value = token["LEMMA"]
    out = {k: v for k, v in token.items() if k != "LEMMA"}
    if isinstance(value, str):
        out["LOWER"] = {"IN": list(inflections(value))}
    elif isinstance(value, dict) and set(value) <= {"IN", "NOT_IN"}:
        out["LOWER"] = {
            op: sorted({f for lemma in _strings(rule, lemmas) for f in inflections(lemma)})
            for op, lemmas in value.items()
        }
    else:
        raise rule.error("patterns", "LEMMA takes a string or {IN: [...]} / {NOT_IN: [...]}")
    return out


def _strings(rule: Rule, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise rule.error("patterns", "IN / NOT_IN take a list of strings")
    return value


def _token(rule: Rule, token: Any) -> dict[str, Any]:
    """Validate one token dict: a mapping over attributes a blank pipeline sets."""
    if not isinstance(token, dict):
        raise rule.error("patterns", "each token in a pattern must be a mapping, e.g. {LOWER: cure}")
    keys = {str(k).upper() for k in token}
    needs_model = sorted(keys & _NEEDS_MODEL)
    if needs_model:
        raise rule.error(
            "patterns", f"{needs_model[0]} needs a trained pipeline; healthvet runs on blank('en')"
        )
    expanded = _expand_lemma(rule, {str(k).upper(): v for k, v in token.items()})
    problem = pattern_problem(expanded)
    if problem:
        raise rule.error("patterns", f"invalid token pattern: {problem}")
    return expanded


def compile_patterns(rule: Rule) -> list[list[dict[str, Any]]]:
    """The rule's ``patterns`` validated and with lemmas expanded."""
    patterns = rule.options.get("patterns")
    if not isinstance(patterns, list) or not patterns or not all(isinstance(p, list) and p for p in patterns):
        raise rule.error("patterns", "'patterns' must be a non-empty list of token lists")
    return [[_token(rule, t) for t in pattern] for pattern in patterns]


def _matcher(rule: Rule, patterns: list[list[dict[str, Any]]]) -> Matcher:
    from spacy.errors import MatchPatternError
    from spacy.matcher import Matcher

    from pipeline.nlp import get_nlp

    matcher = Matcher(get_nlp().vocab, validate=True)
    try:
        matcher.add(rule.id, patterns, greedy="LONGEST")
    except (MatchPatternError, ValueError, TypeError) as exc:
        first = str(exc).strip().splitlines()
        raise rule.error("patterns", f"invalid token pattern: {' '.join(first[:3])}") from exc
    return matcher


# What spaCy's Matcher accepts (spacy.schemas.TokenPattern), checked when the rule loads so
# that a broken pattern is reported at its line without importing spaCy; the Matcher itself
# is built the first time a sentence could match.
_STRING_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "SHAPE", "ENT_ID", "ENT_KB_ID"})
_NUMBER_ATTRS = frozenset({"LENGTH"})
_FLAG_ATTRS = frozenset(
    "IS_ALPHA IS_ASCII IS_DIGIT IS_LOWER IS_UPPER IS_TITLE IS_PUNCT IS_SPACE IS_BRACKET IS_QUOTE "
    "IS_LEFT_PUNCT IS_RIGHT_PUNCT IS_CURRENCY IS_STOP SPACY LIKE_NUM LIKE_URL LIKE_EMAIL".split()
)
_SET_KEYS = frozenset({"IN", "NOT_IN", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS"})
_FUZZY_KEYS = frozenset({"FUZZY", *(f"FUZZY{n}" for n in range(1, 10))})
_COMPARE_KEYS = frozenset({"==", "!=", ">=", "<=", ">", "<"})
_OP = re.compile(r"^(?:[+*?!]|\{\d+\}|\{\d+,\d*\}|\{\d*,\d+\})$")


def pattern_problem(token: Mapping[str, Any]) -> str | None:
    """Why spaCy's Matcher would refuse this token dict, or None when it is valid."""
    for key, value in token.items():
        if key == "OP":
            ok = isinstance(value, str) and _OP.match(value) is not None
        elif key == "_":
            ok = isinstance(value, dict)
        elif key in _STRING_ATTRS:
            ok = _string_value(value)
        elif key in _NUMBER_ATTRS:
            ok = _number_value(value)
        elif key in _FLAG_ATTRS:
            ok = isinstance(value, bool)
        else:
            return f"unknown attribute {key}"
        if not ok:
            return f"{key}: {value!r} is not a valid value"
    return None


def _string_value(value: Any) -> bool:
    if isinstance(value, str):
        return True
    if not isinstance(value, dict) or not value:
        return False
    for key, item in value.items():
        if key in _SET_KEYS:
            ok = isinstance(item, list) and all(isinstance(v, str) for v in item)
        elif key == "REGEX" or key in _FUZZY_KEYS:
            ok = _regex(item) if key == "REGEX" and isinstance(item, str) else _string_value(item)
        else:
            return False
        if not ok:
            return False
    return True


def _number_value(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if not isinstance(value, dict) or not value:
        return False
    for key, item in value.items():
        if key in _SET_KEYS:
            ok = isinstance(item, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in item)
        elif key in _COMPARE_KEYS:
            ok = isinstance(item, int | float) and not isinstance(item, bool)
        elif key == "REGEX":
            ok = isinstance(item, str) and _regex(item)
        else:
            return False
        if not ok:
            return False
    return True


def _regex(source: str) -> bool:
    try:
        re.compile(source)
    except re.error:
        return False
    return True


_REQUIRED_OPS = frozenset({None, "+", "1"})
_LITERAL_KEYS = ("LOWER", "ORTH", "TEXT")
_WORDS = re.compile(r"\w+|[^\w\s]")


# Running spaCy's Matcher costs ~1 ms per rule over a 300-word article, almost all of it
# spent visiting tokens that cannot start a match. A pattern can only match a sentence
# that contains one word of each of its required literal tokens, so the Matcher runs on
# those sentences only; they are found through the view's word -> sentences index.


@dataclass(frozen=True, slots=True)
class Anchor(Record):
    """Words one of which must be in a sentence: plain words by set lookup, others by substring."""

    words: frozenset[str]
    phrases: tuple[str, ...]  # "100%", "per cent": not single tokens of the word regex

    @classmethod
    def of(cls, values: frozenset[str]) -> Anchor:
        """Split a token's literal values into plain words and other strings."""
        plain = frozenset(v for v in values if v.isalnum())
        return cls(plain, tuple(sorted(values - plain)))

    def occurs(self, view: TextView) -> bool:
        """Whether the view's text may meet the anchor at all (a set test, then substrings)."""
        index = view.word_starts
        # A few anchor words looked up in the index: no set of the text's words is built.
        if index is None or any(word in index.words for word in self.words):
            return True
        return any(p in view.lowered for p in self.phrases)

    def sentences(self, view: TextView) -> set[int]:
        """Indices of the view's sentences that meet the anchor."""
        index = view.word_starts
        # Most anchor words are absent from most texts: a look-up each in the word index
        # rules them out before any word's sentences are looked up.
        words = self.words if index is None else [word for word in self.words if word in index.words]
        found = {i for word in words for i in view.sentences_with_word(word)}
        if self.phrases and any(p in view.lowered for p in self.phrases):  # most texts hold none
            lowered = view.lowered
            found.update(
                i
                for i, (start, end) in enumerate(view.sentences)
                if any(p in lowered[start:end] for p in self.phrases)
            )
        return found


Anchors = tuple[Anchor, ...]  # one per required literal token: all must be met


def _literal_words(token: dict[str, Any]) -> frozenset[str] | None:
    for key in _LITERAL_KEYS:
        value = token.get(key)
        if isinstance(value, str) and value:
            return frozenset({value.lower()})
        if isinstance(value, dict) and set(value) == {"IN"}:
            words = value["IN"]
            if words and all(isinstance(w, str) and w for w in words):
                return frozenset(w.lower() for w in words)
    return None


def pattern_anchors(pattern: list[dict[str, Any]]) -> Anchors:
    """The anchors a sentence must all meet for ``pattern`` to match in it."""
    return tuple(
        Anchor.of(words)
        for token in pattern
        if token.get("OP") in _REQUIRED_OPS and (words := _literal_words(token)) is not None
    )


def sentence_words(lowered: str) -> frozenset[str]:
    """The word and punctuation tokens of a lower-cased sentence, for anchor lookups."""
    return frozenset(_WORDS.findall(lowered))


@dataclass(frozen=True)
class SequenceCheck(Record):
    """Every match of one of the token patterns (longest first, no overlaps) is a hit."""

    rule: Rule
    patterns: list[list[dict[str, Any]]]
    exceptions: Exceptions
    anchors: tuple[Anchors, ...]  # per pattern; an empty Anchors means "may match anywhere"
    # Memos of the properties below (see ``Record._remember``).
    _matcher_memo: tuple[Matcher] | None = field(default=None, kw_only=True, repr=False, compare=False)

    @classmethod
    def from_rule(cls, rule: Rule) -> SequenceCheck:
        """Validate ``patterns``; the Matcher is built when a sentence first could match."""
        patterns = compile_patterns(rule)
        anchors = tuple(pattern_anchors(p) for p in patterns)
        return cls(rule, patterns, Exceptions.from_rule(rule), anchors)

    @property
    def matcher(self) -> Matcher:
        """The patterns' spaCy Matcher, on the shared blank vocabulary (imports spaCy)."""
        memo = self._matcher_memo
        if memo is None:
            return self._remember("_matcher_memo", _matcher(self.rule, self.patterns))
        return memo[0]

    def find(self, text: str) -> Iterator[Hit]:
        """Hits in a bare string."""
        return self.find_in(TextView(text, ()))

    def find_in(self, view: TextView) -> Iterator[Hit]:
        """Hits over the tokens of sentences that can match, not excused by an exception."""
        if not view.sentences:
            view = TextView(view.text, ((0, len(view.text)),), view.given_tokens)
        candidates = sorted(self._candidate_sentences(view))
        if not candidates:
            return iter(())  # most texts: spaCy is never needed
        from spacy.util import filter_spans

        found: list[Span] = []
        matcher = self.matcher  # a local: mypyc would call the property as a method
        for index in candidates:
            start, end = view.sentences[index]
            span = view.tokens.char_span(start, end, alignment_mode="expand")
            if span is not None:
                found.extend(span[a:b] for _, a, b in matcher(span))
        spans = filter_spans(found)
        hits = (Hit(s.start_char, s.end_char) for s in sorted(spans, key=lambda s: s.start))
        return self.exceptions.excuse(view.text, hits)

    def _candidate_sentences(self, view: TextView) -> set[int]:
        """Sentences that meet every anchor of at least one pattern (looked up by word)."""
        found: set[int] = set()
        for anchors in self.anchors:
            if not anchors:
                return set(range(len(view.sentences)))  # a pattern with no literal: every sentence
            if not all(anchor.occurs(view) for anchor in anchors):
                continue  # a word it needs is nowhere in the text: no sentence to look up
            met = anchors[0].sentences(view)
            for anchor in anchors[1:]:
                if not met:
                    break
                met &= anchor.sentences(view)
            found |= met
        return found
