"""Claims: run the claim rules over the kept text and record findings.

Rule types find raw hits; this stage applies what is common to every rule: scope (which
blocks a rule looks at), removed text (never checked), ``unless`` (a sentence pattern that
excuses a hit), context, Vale's message ``%s`` filling, and ``limit``.

Context is where a claim is not the writer's own assertion. Each context has a detector
here and an action in the rule (``context:`` in YAML, defaults in
``pipeline.ruleset.CONTEXT_DEFAULTS``): skip the hit, keep it, lower it one level, or set a
level. When several contexts apply, the lowest resulting level wins.

- negated: "is not a cure", "no evidence that it cures", "no treatment, cure, or vaccine",
  "a cure has not been found"
- asked: a question in running text, "Is dialysis a cure for kidney failure?"
- hedged: "may help some patients", "antibiotics can often cure it"
- quoted: inside quotation marks or a blockquote
- attributed: reported speech, "..., said Dr Lee", "according to the company"
- mentioned: the words are discussed, not used: "red flags such as 'miracle cure'"
- named: part of a proper name: "Food and Drug Administration", "Cure Research Trust"
- cited: the sentence gives its source: "(Lee et al., 2021)", a link, "published in"
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pipeline.checks.base import Check, Hit, Prefilter, TextView
from pipeline.document import BlockKind, Category, Document, Finding, Level, Record, evolve
from pipeline.ruleset import Rule, RuleSet
from pipeline.words import has_spaced

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc


@dataclass(frozen=True)
class _Cue(Record):
    """A context pattern that runs only on text holding one of the literals it needs.

    Most sentences hold none of a cue's words ("said", "et al", "red flags"): the literal
    test (``checks.base.Prefilter``) costs a fifth of the search it spares, which tried the
    whole alternation at every offset of the sentence.
    """

    pattern: re.Pattern[str]
    # Memos of the properties below (see ``Record._remember``).
    _gate_memo: tuple[Prefilter] | None = field(default=None, kw_only=True, repr=False, compare=False)

    @classmethod
    def of(cls, source: str, flags: int = 0) -> _Cue:
        """Compile ``source`` into a gated cue."""
        return cls(re.compile(source, flags))

    @property
    def _gate(self) -> Prefilter:
        memo = self._gate_memo
        if memo is None:  # read from the pattern on first use, not on import
            return self._remember("_gate_memo", Prefilter.of(self.pattern))
        return memo[0]

    def search(self, text: str) -> re.Match[str] | None:
        """``pattern.search(text)``, or None at once when ``text`` lacks every literal it needs."""
        return self.pattern.search(text) if self._gate.may_match(text.lower()) else None

    def match(self, text: str) -> re.Match[str] | None:
        """``pattern.match(text)``, or None at once when ``text`` lacks every literal it needs."""
        return self.pattern.match(text) if self._gate.may_match(text.lower()) else None


# Scope name → block kinds it covers ("text" is everything, as in Vale).
_SCOPE_KINDS: dict[str, frozenset[BlockKind]] = {
    "text": frozenset(BlockKind),
    "sentence": frozenset({BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.QUOTE}),
    "paragraph": frozenset({BlockKind.PARAGRAPH}),
    "heading": frozenset({BlockKind.HEADING, BlockKind.TITLE}),
    "title": frozenset({BlockKind.TITLE}),
    "list": frozenset({BlockKind.LIST_ITEM}),
    "blockquote": frozenset({BlockKind.QUOTE}),
    "quotation": frozenset(BlockKind),  # further narrowed to text inside quotation marks
}
# Cues read in the words before a hit, inside its clause: why a claim is not asserted.
_NEGATION = re.compile(
    r"\b(?:not|no|never|nothing|without|neither|nor|cannot|none|unlikely|rather\s+than|instead\s+of|"
    r"far\s+from|lack(?:s|ed|ing)?(?:\s+of)?|\w+n['\u2019]t|(?:do|does|did|is|are|ca|wo)nt)\b",
    re.IGNORECASE,
)
_HEDGE = _Cue.of(
    r"\b(?:may|might|could|can|possibly|potentially|perhaps|likely|probably|appears?\s+to|seems?\s+to|"
    r"suggests?|some|often|usually|sometimes|most|many|in\s+some|is\s+thought|are\s+thought|preliminary)\b",
    re.IGNORECASE,
)
_ATTRIBUTION = _Cue.of(
    r"\b(?:said|says|told|stated|explained|added|insisted|according\s+to|claims?|claimed)\b", re.IGNORECASE
)
# Reporting a claim in order to refute it ("Marketers insist ...", "calling the inhaler a
# breakthrough ..."): wider than attribution, and read only beside a refutation.
_REPORTED = _Cue.of(
    r"\b(?:said|says|told|stated|states|insist(?:s|ed)?|according\s+to|claims?|claimed|asserts?|asserted|touts?|touted|"
    r"advertised\s+as|advertis(?:es|ed|ing)\s+that|market(?:s|ed)\s+(?:as|it)|call(?:s|ed|ing)?\s+(?:it|them|the\s+\w+)|"
    r"describ(?:e|es|ed|ing)\s+(?:it|them|the\s+\w+)\s+as)\b",
    re.IGNORECASE,
)
# The sentence refutes what it reports: "..., but the evidence does not support it".
_REFUTED = _Cue.of(
    r"\b(?:no\s+(?:good\s+|strong\s+|reliable\s+|clinical\s+|scientific\s+)?(?:evidence|proof|trial|study|studies)|"
    r"(?:does|do|did|has|have)\s+not\s+(?:support|back|bear|been\s+(?:shown|proven|proved|found))|"
    r"not\s+(?:supported|backed|borne\s+out|true|proven)|untrue|false(?:ly)?|myths?|misleading|unfounded|"
    r"baseless|debunked|disagree|no\s+better\s+than\s+placebo|drew\s+a\s+warning|warn(?:s|ed|ing)?|"
    r"wrong|ignor(?:es|ed|ing)|overlook(?:s|ed)?|exaggerat\w*|overstat\w*|suspicio(?:n|us)|unproven|unsupported|"
    r"no\s+(?:scientific\s+)?backing|bogus|dubious|scam|reject(?:s|ed)?|dismiss(?:es|ed)?|sceptical|skeptical|"
    r"found\s+no|no\s+such\s+(?:effect|benefit|thing)|fact-?checkers?|fallac(?:y|ies))\b",
    re.IGNORECASE,
)
# After a reported claim, a turn to what contradicts it: "Sellers insist it is safe, though ...".
_CONTRAST = _Cue.of(r"(?:^|[,;]\s*|\s)(?:but|though|although|yet|however|whereas)\b", re.IGNORECASE)
_MENTION = _Cue.of(
    r"\b(?:red\s+flags?|warning\s+signs?|tip-?offs?|beware(?:\s+of)?|watch\s+(?:out\s+)?for|look\s+out\s+for|"
    r"be\s+(?:wary|suspicious|skeptical|sceptical)\s+of|(?:claims?|words?|terms?|phrases?|promises?|labels?)"
    r"\s+(?:like|such\s+as))\b",
    re.IGNORECASE,
)
_CITATION = _Cue.of(
    r"\(\s*[A-Z][\w'-]+(?:\s+et\s+al\.?|\s+and\s+[A-Z][\w'-]+)?,?\s+(?:19|20)\d\d[a-z]?\s*\)"
    r"|\bet\s+al\b|\[\d+(?:\s*[,\u2013-]\s*\d+)*\]|\bpublished\s+(?:in|by)\b|\bdoi:|\bhttps?://",
)
# A proper name: two or more capitalised words, maybe joined by "and", "of", "for" ...
_NAME = re.compile(r"\b[A-Z][a-z][\w'\u2019-]*(?:\s+(?:(?:and|of|for|the|on|&)\s+)*[A-Z][a-z][\w'\u2019-]*)+")
_NAME_JOINERS = ("and", "of", "for", "the", "on", "&")  # the words ``_NAME`` takes between capitals
_NAME_WORD_TAIL = "_'\u2019-"  # what goes on a capitalised word of ``_NAME`` besides letters and digits
_STRONG_BREAK = re.compile(r"[;:()\u2014]|\s-\s|\b(?:but|although|though|whereas|while)\b", re.IGNORECASE)
# What every strong break holds: most clauses hold none of these, and need no split.
_STRONG_MARKS = (";", ":", "(", ")", "\u2014")
_STRONG_WORDS = ("but", "though", "whereas", "while")
_NEGATED_SUBJECT = re.compile(r"(?:no|none|neither|nothing)\b", re.IGNORECASE)  # at the clause start
# Denying that the thing exists, right after it: "a cure ... has not been found".
_NOT_FOUND = _Cue.of(
    r"[^.;]*?\b(?:(?:has|have|had)\s+(?:not|never|yet\s+to)\s+been\s+(?:found|shown|proven|proved|developed)|"
    r"(?:is|are|was|were)\s+not\s+(?:\w+\s+)?(?:available|known|possible)|(?:does|do)\s+not\s+exist)\b",
    re.IGNORECASE,
)
# What every ``_NEGATION`` match holds, lower-cased ("no" is in "not", "nor", "none", "cannot"):
# most windows hold none of them, and need no search of the alternation at each offset.
_NEGATION_LITERALS = (
    "no", "never", "without", "neither", "unlikely", "rather", "instead", "far", "lack", "n'", "n\u2019",
    "dont", "doesnt", "didnt", "isnt", "arent", "cant", "wont",
)  # fmt: skip
_DENIAL_WORDS = ("not", "never", "yet")  # one of them is in every ``_NOT_FOUND`` match, lower-cased
_LIST_NEGATION = _Cue.of(r"\b(?:no|not|without|neither|nor)\b", re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"\n]{1,400}\"|\u201c[^\u201d\n]{1,400}\u201d")
# Each half alone: a pattern led by one literal is searched for in C; the pair is tried at
# every character. A text with only one kind of quotation mark needs only its half.
_STRAIGHT_QUOTED = re.compile(r"\"[^\"\n]{1,400}\"")
_CURLY_QUOTED = re.compile(r"\u201c[^\u201d\n]{1,400}\u201d")
_WINDOW_WORDS = 6  # a cue further back than this rarely governs the hit
_LIST_ITEM_WORDS = 3  # comma-separated pieces this short continue a list ("no X, Y, or Z")
_LIST_LOOKBACK = 30  # list items to walk back over to find the sentence introducing the list
_CONTENT_WORD = 4  # a lowercase word this long means the sentence is not in Title Case


@dataclass(frozen=True, slots=True)
class _Layout(Record):
    """Sentence and block positions of a document, for mapping hits to their context."""

    sentence_starts: list[int]
    sentence_ends: list[int]
    sentence_kinds: list[BlockKind]
    quoted: list[tuple[int, int]]
    links: list[tuple[int, int]]

    @classmethod
    def of(cls, doc: Document) -> _Layout:
        starts, ends, kinds = [], [], []
        for block in doc.blocks:
            for s in block.sentences:
                starts.append(s.start)
                ends.append(s.end)
                kinds.append(block.kind)
        quoted = [(m.start(), m.end()) for m in _quotations(doc.flowed_text())]
        quoted += [(b.start, b.end) for b in doc.blocks if b.kind is BlockKind.QUOTE]
        return cls(starts, ends, kinds, quoted, [(link.start, link.end) for link in doc.links])

    def sentence_of(self, offset: int) -> int | None:
        i = bisect_right(self.sentence_starts, offset) - 1
        return i if i >= 0 and offset < self.sentence_ends[i] else None

    def in_quotes(self, start: int, end: int) -> bool:
        return any(lo <= start and end <= hi for lo, hi in self.quoted)


def _quotations(text: str) -> Iterator[re.Match[str]]:
    """``_QUOTED.finditer(text)``: one half of the pattern when the text has one kind of mark."""
    if "\u201c" not in text:
        return _STRAIGHT_QUOTED.finditer(text)
    if '"' not in text:
        return _CURLY_QUOTED.finditer(text)
    return _QUOTED.finditer(text)


class _Site:
    """One hit with the sentence it sits in: everything a context detector reads.

    A plain class, not a frozen dataclass: one is made for every hit (see ``promo._Clue``).
    """

    def __init__(self, text: str, layout: _Layout, index: int, hit: Hit) -> None:
        self.text = text
        self.layout = layout
        self.index = index
        self.hit = hit

    @property
    def start(self) -> int:
        return self.layout.sentence_starts[self.index]

    @property
    def sentence(self) -> str:
        return self.text[self.start : self.layout.sentence_ends[self.index]]

    @property
    def before(self) -> str:
        return self.text[self.start : self.hit.start]


def check(doc: Document, ruleset: RuleSet, tokens: SpacyDoc | None = None) -> Document:
    """Findings of every claim rule (except summary-scoped ones) on the kept text.

    ``tokens``: the spaCy Doc of ``doc.text`` when the caller already has one.
    """
    layout = _Layout.of(doc)
    view = _view(doc, layout, tokens)
    removed = sorted((r.start, r.end) for r in doc.removals)
    findings: list[Finding] = list(doc.findings)
    for rule, compiled in ruleset.by_category(Category.CLAIM):
        if rule.scope != ("summary",):
            findings.extend(_rule_findings(view, rule, compiled, layout, removed, doc.text))
    return evolve(doc, findings=tuple(sorted(findings, key=lambda f: (f.start, f.rule))))


def check_summary(doc: Document, ruleset: RuleSet, tokens: SpacyDoc | None = None) -> Document:
    """Findings of summary-scoped rules, on the summary sentences' spans."""
    rules = [
        (rule, compiled) for rule, compiled in ruleset.by_category(Category.CLAIM) if "summary" in rule.scope
    ]
    if not rules:
        return doc  # most rule sets have none
    spans = [(s.start, s.end) for s in doc.summary]
    extra: list[Finding] = []
    layout = _Layout.of(doc)
    view = _view(doc, layout, tokens)
    removed = sorted((r.start, r.end) for r in doc.removals)
    for rule, compiled in rules:
        for finding in _rule_findings(view, rule, compiled, layout, removed, doc.text, summary_only=True):
            if any(lo <= finding.start and finding.end <= hi for lo, hi in spans):
                extra.append(finding)
    return replace(doc, findings=tuple(sorted((*doc.findings, *extra), key=lambda f: (f.start, f.rule))))


def label_strengths(doc: Document) -> Document:
    """``Document.strengths``: the claim-strength label of every sentence not removed as promo."""
    from pipeline.strength import classify  # the classifier compiles its lexicons on import

    removed = [(r.start, r.end) for r in doc.removals]
    labels = tuple(
        (s.start, classify(doc.text[s.start : s.end]).value)
        for s in doc.sentences()
        if not _overlaps(Hit(s.start, s.end), removed)
    )
    return replace(doc, strengths=labels)


def label_lines(lines: Iterable[str]) -> Iterator[str]:
    """``label<TAB>sentence`` for each line (``healthvet strength``); blank lines stay blank."""
    from pipeline.strength import classify

    for line in lines:
        sentence = line.strip()
        yield f"{classify(sentence).value}\t{sentence}" if sentence else ""


def _view(doc: Document, layout: _Layout, tokens: SpacyDoc | None) -> TextView:
    """The text and sentence spans rule types read (tokens reused, or computed once on demand)."""
    spans = tuple(zip(layout.sentence_starts, layout.sentence_ends, strict=True))
    return TextView(doc.flowed_text(), spans, tokens)  # a claim wrapped over a line break is one claim


def _hits(compiled: Check, view: TextView) -> Iterator[Hit]:
    """A rule type's hits: token and sentence types read the view, regex types the text."""
    # hasattr, not isinstance on the runtime-checkable Protocol: that costs ~10 us per call.
    return compiled.find_in(view) if hasattr(compiled, "find_in") else compiled.find(view.text)


def _rule_findings(
    view: TextView,
    rule: Rule,
    compiled: Check,
    layout: _Layout,
    removed: Sequence[tuple[int, int]],
    source: str,
    summary_only: bool = False,
) -> list[Finding]:
    """The findings of one rule's hits, in order (a list: most rules have no hit at all)."""
    found: list[Finding] = []
    for hit in _hits(compiled, view):
        index = layout.sentence_of(hit.start)
        if index is None or _overlaps(hit, removed):
            continue
        if not summary_only and not _in_scope(rule, layout, index, hit):
            continue
        site = _Site(view.text, layout, index, hit)
        if rule.unless is not None and rule.unless.search(site.sentence):
            continue
        if rule.when is not None and not rule.when.search(site.sentence):
            continue
        level = contextual_level(rule, site)
        if level is None:
            continue
        found.append(_finding(rule, view.text, hit, level, source))
        if rule.limit and len(found) >= rule.limit:
            break
    return found


def _in_scope(rule: Rule, layout: _Layout, index: int, hit: Hit) -> bool:
    kind = layout.sentence_kinds[index]
    for scope in rule.scope:
        if scope == "summary":
            continue
        if kind in _SCOPE_KINDS[scope] and (scope != "quotation" or layout.in_quotes(hit.start, hit.end)):
            return True
    return False


def _overlaps(hit: Hit, removed: Sequence[tuple[int, int]]) -> bool:
    return any(lo < hit.end and hit.start < hi for lo, hi in removed)


# --- context ------------------------------------------------------------------------------


def _negated(site: _Site) -> bool:
    """Negation before the hit in its clause, before a list it continues, or denying it exists.

    "is not a cure"; "no treatment, cure, or vaccine"; "No single diet works for everyone";
    "a cure that works for everyone has not been found".
    """
    clause = _clauses(site.before)[-1]
    items = clause.split(",")
    if _has_negation(_last_words(items[-1])) or _NEGATED_SUBJECT.match(clause.lstrip()):
        return True
    after = _clauses(site.text[site.hit.end : site.layout.sentence_ends[site.index]])[0]
    # Every denial says "not", "never" or "yet to": its words "found", "shown" are common alone.
    if any(word in after.lower() for word in _DENIAL_WORDS) and _NOT_FOUND.match(after):
        return True
    i = len(items) - 1
    while i > 0 and len(items[i].split()) <= _LIST_ITEM_WORDS:
        i -= 1  # walk back over short list items to the clause that opens the list
    return i < len(items) - 1 and bool(_LIST_NEGATION.search(_last_words(items[i])))


def _has_negation(window: str) -> bool:
    """Whether ``_NEGATION`` matches in ``window`` (searched only when a literal it needs occurs)."""
    lowered = window.lower()
    return any(literal in lowered for literal in _NEGATION_LITERALS) and bool(_NEGATION.search(window))


def _hedged(site: _Site) -> bool:
    """A hedge in the hit's clause, fronted adverbials included ("In some cases, X cures Y")."""
    return bool(_HEDGE.search(_last_words(_clauses(site.before)[-1])))


def _asked(site: _Site) -> bool:
    """A question in running text ("Is dialysis a cure?"); a question headline still counts."""
    if site.layout.sentence_kinds[site.index] in (BlockKind.HEADING, BlockKind.TITLE):
        return False
    return site.sentence.rstrip().rstrip("\"'\u201d)").endswith("?")


def _quoted(site: _Site) -> bool:
    return site.layout.in_quotes(site.hit.start, site.hit.end)


def _attributed(site: _Site) -> bool:
    return bool(_ATTRIBUTION.search(site.sentence))


def _disputed(site: _Site) -> bool:
    """Reported or quoted, and refuted in the same sentence: the article does not make the claim."""
    if not (_quoted(site) or _REPORTED.search(site.sentence)):
        return False
    after = site.text[site.hit.end : site.layout.sentence_ends[site.index]]
    return bool(_REFUTED.search(site.sentence) or _CONTRAST.search(after))


def _mentioned(site: _Site) -> bool:
    """A mention cue before the hit, or in the line that introduces the hit's list."""
    if _MENTION.search(site.before):
        return True
    kinds, i = site.layout.sentence_kinds, site.index
    if kinds[i] is not BlockKind.LIST_ITEM:
        return False
    while i > 0 and kinds[i] is BlockKind.LIST_ITEM and site.index - i < _LIST_LOOKBACK:
        i -= 1  # back over the list to the sentence that introduces it
    intro = site.text[site.layout.sentence_starts[i] : site.layout.sentence_ends[i]].rstrip()
    return intro.endswith(":") and bool(_MENTION.search(intro))


def _cited(site: _Site) -> bool:
    lo, hi = site.start, site.layout.sentence_ends[site.index]
    return bool(_CITATION.search(site.sentence)) or any(s < hi and lo < e for s, e in site.layout.links)


def _named(site: _Site) -> bool:
    """Inside a proper name: two or more capitalised words, not counting the sentence's first."""
    sentence = site.sentence
    lo, hi = site.hit.start - site.start, site.hit.end - site.start
    if not _may_be_in_name(sentence, lo):
        return False
    words = sentence.split()
    if not any(len(w) >= _CONTENT_WORD and w[0].islower() for w in words[1:]):
        return False  # a headline in Title Case: capitals say nothing about names
    first = len(sentence) - len(sentence.lstrip()) + len(words[0])
    return any(m.start() <= lo and hi <= m.end() for m in _NAME.finditer(sentence, first))


def _may_be_in_name(sentence: str, lo: int) -> bool:
    """False when no ``_NAME`` match can hold offset ``lo``, read from the characters there.

    A lower-case character after a space ("a promising drug") starts no capitalised word
    and goes on none; only a joining word ("of", "the") could hold it. Most hits are such
    words, and need no scan of their sentence for names.
    """
    char = sentence[lo : lo + 1]
    before = sentence[lo - 1] if lo > 0 else " "
    if not char.islower() or before.isalnum() or before in _NAME_WORD_TAIL:
        return True
    return sentence.startswith(_NAME_JOINERS, lo)


_DETECTORS: Mapping[str, Callable[[_Site], bool]] = {
    "negated": _negated,
    "asked": _asked,
    "hedged": _hedged,
    "quoted": _quoted,
    "attributed": _attributed,
    "disputed": _disputed,
    "mentioned": _mentioned,
    "named": _named,
    "cited": _cited,
}


def contextual_level(rule: Rule, site: _Site) -> Level | None:
    """The hit's level after context: None when a context that applies says ``skip``.

    Each context that applies proposes a level (one below the rule's for ``lower``, or the
    level it names); the lowest proposal wins, and with none the rule's level stands.
    """
    levels = []
    for name, detector in _DETECTORS.items():
        action = rule.context.get(name, "keep")
        if action == "keep" or not detector(site):
            continue
        if action == "skip":
            return None
        levels.append(_lower(rule.level) if action == "lower" else Level(action))
    return min(levels, key=lambda lv: lv.rank) if levels else rule.level


def _clauses(text: str) -> list[str]:
    """``text`` split at its strong clause breaks (a semicolon, a dash, "but" ...)."""
    if not any(mark in text for mark in _STRONG_MARKS) and not has_spaced(text, ("-",)):
        lowered = text.lower()
        if not any(word in lowered for word in _STRONG_WORDS):
            return [text]  # no break can be in it: the split's regex would try every offset
    return _STRONG_BREAK.split(text)


def _last_words(clause: str) -> str:
    """The last ``_WINDOW_WORDS`` words of a clause."""
    return " ".join(clause.split()[-_WINDOW_WORDS:])


def _lower(level: Level) -> Level:
    return {Level.ERROR: Level.WARNING, Level.WARNING: Level.SUGGESTION}.get(level, Level.SUGGESTION)


def _finding(rule: Rule, text: str, hit: Hit, level: Level, source: str) -> Finding:
    """The finding of one hit.

    The message quotes the match as read (``text``, flowed over line breaks); ``match`` is
    exactly the source's characters at its offsets.
    """
    matched = text[hit.start : hit.end]
    if hit.replacement is not None:
        message = fill_message(rule.message, [hit.replacement, matched])
        suggestion: str | None = hit.replacement
    else:
        message = fill_message(rule.message, [matched])
        suggestion = rule.suggestion
    return Finding(
        rule=rule.id,
        level=level,
        message=message,
        start=hit.start,
        end=hit.end,
        match=source[hit.start : hit.end],
        category=rule.category,
        suggestion=suggestion,
        link=rule.link,
    )


def fill_message(message: str, values: Sequence[str]) -> str:
    """Vale's ``%s`` filling: each ``%s`` takes the next value; other ``%`` stay as they are."""
    pieces = message.split("%s")
    out = [pieces[0]]
    for i, piece in enumerate(pieces[1:]):
        out.append(values[min(i, len(values) - 1)] if values else "")
        out.append(piece)
    return "".join(out)
