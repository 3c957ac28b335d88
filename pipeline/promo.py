"""Promo: find spam links and off-topic promotion inside the article and record removals.

Evidence comes from promo rules (``category: promo``): phrase rules (calls to action, link
bait, template residue) and code signals (links, written-out domains, topic coherence,
commercial verticals, repeated and non-English phrases). Each clue carries its rule's
``weight``; evidence that adds up to 1.0 is promotion. One strong cue is enough; weak cues
must agree, so a genuine sentence with a single outbound link or a cited domain survives.
Within one rule only the strongest clue counts, so a rule cannot outvote the others by
matching twice.

A rule's ``unit`` says how much text its evidence removes:

- ``sentence`` (default): the whole sentence.
- ``clause``: from the match to the end of the sentence, when the words before it stand
  as a statement of their own, so a call to action glued to a real sentence goes and the
  sentence stays.
- ``span``: only the matched words (a keyword forced into a sentence, "as mentioned here").
  Span evidence is weighed on its own, together with the other clues that fall inside the
  span (the link on the keyword); it never removes the sentence around it unless nothing
  of substance is left.

Removals are data: each names its rule, kind, evidence and offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from pipeline.checks.base import TextView
from pipeline.checks.signal import SignalCheck
from pipeline.document import (
    BlockKind,
    Category,
    Document,
    Removal,
    Sentence,
    evolve,
    markdown_link_markup,
)
from pipeline.ruleset import Rule, RuleSet
from pipeline.topic import is_content_word

THRESHOLD = 1.0
# What a clause cut or span removal must leave behind for the sentence to stay: a few
# content words ("To learn more," is not a statement; "Patients recover quickly" is).
_MIN_KEPT_CONTENT_WORDS = 3
# Before a missed sentence start the head is a fragment of a real sentence anyway
# ("Other symptoms may include"): two content words are enough to keep it.
_MIN_HIDDEN_HEAD_WORDS = 2
# A purpose phrase that led in to a removed link ("To learn more about X,") is not a
# statement unless it is long enough to carry one.
_LEAD_IN = re.compile(
    r"(?:for|to)\s+(?:more|learn|find|read|see|get|further|additional|details|information|the\s+latest|check)\b",
    re.IGNORECASE,
)
_MIN_LEAD_IN_CONTENT_WORDS = 6
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
# A missed sentence start: lower-case word, digit, colon or abbreviation, then spaces (and at
# most one line break) and a capital. Found from the capital after a space: a pattern led by
# the character before the spaces, or a look-behind on it, is tried at almost every offset.
_CAPITAL_AFTER_SPACE = re.compile(r"\s(?=[A-Z][a-z]|I\s)")
_BEFORE_HIDDEN_START = frozenset("abcdefghijklmnopqrstuvwxyz0123456789:.)")
_SPAN_JOINERS = " \t,;:\u2014\u2013-"
_UNITS = ("sentence", "clause", "span")


class _Clue:
    """One rule's evidence at ``text[start:end]``.

    A plain class, not a frozen dataclass: one is made for every hit of every rule, and
    compiled, a dataclass's ``__init__`` stays Python (``object.__setattr__`` per field).
    """

    def __init__(self, rule: Rule, start: int, end: int, note: str, weight: float) -> None:
        self.rule = rule
        self.start = start
        self.end = end
        self.note = note
        self.weight = weight
        unit = rule.options.get("unit", "sentence")
        self.unit: str = unit if unit in _UNITS else "sentence"  # read on every test of the clue

    def inside(self, start: int, end: int) -> bool:
        return start <= self.start and self.end <= end


def _weight(rule: Rule) -> float:
    value = rule.options.get("weight", 1.0)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 1.0


def _total(clues: Iterable[_Clue]) -> float:
    """Evidence of several rules: the strongest clue of each rule, added up."""
    best: dict[str, float] = {}
    for clue in clues:
        best[clue.rule.id] = max(best.get(clue.rule.id, 0.0), clue.weight)
    return sum(best.values())


def _strongest(clues: Sequence[_Clue]) -> Rule:
    """The rule a removal is reported under: the heaviest clue's.

    On a tie a phrase rule's, which says what the text is ("link bait"), wins over a
    signal's ("names a site").
    """
    return max(clues, key=lambda c: (c.weight, c.rule.extends != "signal")).rule


def detect(doc: Document, ruleset: RuleSet) -> Document:
    """Return ``doc`` with the removals of every sentence, clause or span judged promotional."""
    sentences = doc.sentences()
    starts = [s.start for s in sentences]
    grouped: dict[int, list[_Clue]] = defaultdict(list)
    for clue in _clues(doc, ruleset):
        for index in _sentences_touched(sentences, starts, clue):
            grouped[index].append(clue)
    labels = _label_sentences(doc)
    removals = [
        removal
        for index, clues in sorted(grouped.items())
        for removal in _judge(doc, sentences[index], clues, sentences[index].start in labels)
    ]
    return evolve(doc, removals=tuple(sorted((*doc.removals, *removals), key=lambda r: r.start)))


def _sentences_touched(sentences: Sequence[Sentence], starts: list[int], clue: _Clue) -> Iterator[int]:
    """The sentence a clue starts in and, unless it is a span, every sentence it runs into.

    Template code such as ``<?php ... ?>`` is cut into several "sentences" by the
    sentencizer; the evidence belongs to all of them.
    """
    index = bisect_right(starts, clue.start) - 1
    if index < 0 or clue.start >= sentences[index].end:
        return
    yield index
    while clue.unit != "span" and index + 1 < len(sentences) and sentences[index + 1].start < clue.end:
        index += 1
        yield index


def _label_sentences(doc: Document) -> set[int]:
    """Starts of title and heading sentences: labels, judged without the leftover test."""
    return {
        s.start for b in doc.blocks if b.kind in (BlockKind.TITLE, BlockKind.HEADING) for s in b.sentences
    }


def _clues(doc: Document, ruleset: RuleSet) -> Iterator[_Clue]:
    # One view per document: the rules share its lower-cased text and word-start index.
    # Rules read the flowed text: a phrase wrapped over a line break is still the phrase.
    text = doc.flowed_text()
    view = TextView(text, tuple((s.start, s.end) for s in doc.sentences()))
    for rule, compiled in ruleset.by_category(Category.PROMO):
        # Read when the rule gives evidence (a few rules an article), not for all 50.
        if isinstance(compiled, SignalCheck):
            for clue in compiled.evidence(doc):
                yield _Clue(rule, clue.start, clue.end, clue.note, _weight(rule) * clue.strength)
            continue
        for hit in compiled.find_in(view) if hasattr(compiled, "find_in") else compiled.find(text):
            yield _Clue(rule, hit.start, hit.end, repr(text[hit.start : hit.end]), _weight(rule))


def _judge(doc: Document, sentence: Sentence, clues: list[_Clue], label: bool) -> list[Removal]:
    """The removals for one sentence: span removals first, then the sentence or its clause."""
    spans = _span_removals(doc, sentence, clues)
    rest = [c for c in clues if c.unit != "span" and not any(c.inside(s.start, s.end) for s, _ in spans)]
    if _total(rest) >= THRESHOLD:
        cut = _cut(doc, sentence, rest)
        kept_spans = [s for s, _ in spans if s.end <= cut.start]
        # The spans the cut takes in are part of its evidence (a "click here" inside a pitch).
        covered = [c for s, group in spans if s.end > cut.start for c in group]
        if covered:
            cut = _removal(cut.start, cut.end, [*rest, *covered])
        return [*kept_spans, cut]
    if spans and not label and not _has_substance(doc.text, sentence, [s for s, _ in spans]):
        used = [c for _, group in spans for c in group]
        return [_removal(sentence.start, sentence.end, used, "nothing of substance is left")]
    return [s for s, _ in spans]


def _span_removals(
    doc: Document, sentence: Sentence, clues: list[_Clue]
) -> list[tuple[Removal, list[_Clue]]]:
    """Spans whose own evidence (and the clues inside them) reaches the threshold."""
    out = []
    for lo, hi in _merged((c.start, c.end) for c in clues if c.unit == "span"):
        group = [c for c in clues if c.inside(lo, hi)]
        if _total(group) >= THRESHOLD:
            start, end = _tidy_span(doc, sentence, lo, hi)
            out.append((_removal(start, end, group), group))
    return out


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _cut(doc: Document, sentence: Sentence, clues: list[_Clue]) -> Removal:
    """The whole sentence, or its tail from the earliest clause-unit clue.

    A sentence the sentencizer failed to split (a list lead-in without a colon, "U.S."
    before a new sentence) starts again at a capitalised word after lower-case text; when
    all the evidence lies after such a start and a statement stands before it, only the
    tail goes.
    """
    clause_at = min((c.start for c in clues if c.unit == "clause"), default=None)
    hidden = _hidden_start(doc.text, sentence, min(c.start for c in clues))
    clause_at = hidden if clause_at is None else clause_at
    min_head = _MIN_HIDDEN_HEAD_WORDS if clause_at == hidden else _MIN_KEPT_CONTENT_WORDS
    start, end = sentence.start, sentence.end
    if clause_at is not None:
        head = doc.text[sentence.start : clause_at].rstrip(_SPAN_JOINERS + "\n")
        if _has_content_words(head, min_head):
            start = sentence.start + len(head)
            # Keep the sentence's full stop so the kept head still ends as a sentence.
            end = sentence.end - 1 if doc.text[sentence.end - 1] == "." and head[-1:] not in ".!?" else end
    return _removal(start, end, clues)


def _hidden_start(text: str, sentence: Sentence, first_clue: int) -> int | None:
    """The last missed sentence start before ``first_clue``, if any."""
    found = None
    for match in _CAPITAL_AFTER_SPACE.finditer(text, sentence.start, sentence.end):
        end = match.end()
        if end > first_clue:
            break
        start = end  # back over the spaces to the character before them
        while start > sentence.start and text[start - 1] in " \t\n":
            start -= 1
        if start > 0 and text[start - 1] in _BEFORE_HIDDEN_START and text.count("\n", start, end) <= 1:
            found = end
    return found


def _removal(start: int, end: int, clues: Sequence[_Clue], extra: str | None = None) -> Removal:
    rule = _strongest(clues)
    notes = [f"{c.rule.id}: {c.note}" for c in clues]
    return Removal(
        start=start,
        end=end,
        rule=rule.id,
        kind=str(rule.options.get("kind", "promotion")),
        message=rule.message,
        evidence=tuple([*notes, extra] if extra else notes),
        level=rule.level,
    )


def _has_content_words(text: str, count: int) -> bool:
    """Whether ``text`` holds ``count`` content words (read only as far as the last one needed)."""
    if count <= 0:
        return True
    for word in _WORD.finditer(text):
        if is_content_word(word.group()):
            count -= 1
            if not count:
                return True
    return False


# What is left after a sentence-initial link phrase, when it only says what the link is for:
# an infinitive ("to buy ...") or "for" + noun phrase ("for more tips"), no subject of its own.
_PURPOSE_TAIL = re.compile(r"^\W*(?:to|and|for|in\s+order\s+to)\s+\w", re.IGNORECASE)


def _has_substance(text: str, sentence: Sentence, spans: Sequence[Removal]) -> bool:
    """Whether the sentence still says something once the spans are gone."""
    pieces, cursor = [], sentence.start
    for span in sorted(spans, key=lambda s: s.start):
        pieces.append(text[cursor : span.start])
        cursor = max(cursor, span.end)
    pieces.append(text[cursor : sentence.end])
    rest = " ".join(pieces).strip()
    if _LEAD_IN.match(rest) and not _has_content_words(rest, _MIN_LEAD_IN_CONTENT_WORDS):
        return False  # "For more great health tips," only led in to the removed link
    if _PURPOSE_TAIL.match(rest) and spans[0].start <= sentence.start:
        return False  # "[Click here] to buy our gummies today.": the purpose of the removed link
    return _has_content_words(rest, _MIN_KEPT_CONTENT_WORDS)


def _tidy_span(doc: Document, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """Widen a span over its Markdown link markup and the separator that joined it in."""
    start, end = _markdown_link_markup(doc, start, end)
    text = doc.text
    if start <= sentence.start:
        # At the start of the sentence: take the separator after it ("Keyword: The ...").
        while end < sentence.end and text[end] in _SPAN_JOINERS:
            end += 1
        return start, end
    while start > sentence.start and text[start - 1] in _SPAN_JOINERS:
        start -= 1
    return start, end


def _markdown_link_markup(doc: Document, start: int, end: int) -> tuple[int, int]:
    """Take in ``[`` and ``](url)`` around a Markdown link whose anchor the span covers."""
    for link in doc.links:
        markup = markdown_link_markup(doc.text, link) if start <= link.start and link.end <= end else None
        if markup is not None:
            start, end = min(start, markup[0]), max(end, markup[1])
    return start, end
