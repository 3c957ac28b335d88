"""Summary: the most central genuine sentences of the cleaned article, in document order.

No model: a sentence scores the summed centroid weight (term frequency x in-document
inverse sentence frequency over lightly stemmed content words) of its distinct terms,
adjusted by cues that hold for any article — heading words weigh more, the closing
sentence often concludes, statistics-dense sentences read badly, questions and lead-ins
("include the following:") are not statements. Selection is greedy maximal marginal
relevance under a budget (sentences, words or a share of the article). A sentence opening
with an unresolved reference ("This", "However", "They") only enters with the sentence
before it. Removed text never appears: sentences are read through the cleaned view.
Sentences carrying claim findings are demoted; with ``fixes`` (``--neutral``) the rules'
fixes are applied where the sentence still reads, and recorded as ``Rewrite``s.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, replace

from pipeline.cleaning import join_seams, kept_text, merged_ranges, one_line
from pipeline.document import BlockKind, Category, Document, Finding, Record, Rewrite, SummarySentence, evolve
from pipeline.ruleset import Rule
from pipeline.words import byte_table, remember, runs, tally, word_count

# A word: lower-case ASCII letters, with apostrophes and hyphens inside it.
_WORD_CHARACTERS = byte_table(lambda c: c in "abcdefghijklmnopqrstuvwxyz'-")
_STOP = frozenset(
    """
    a an the and or but if of to in on at by for with from as is are was were be been being it
    its this that these those there their they them he she his her we our you your i not no
    can could may might will would should do does did has have had than then so such also into
    about which who whom what when where why how all any each more most other some many much
    very one two three four five six seven eight nine ten between both after before during over
    under per vs versus while whether however only same than up out
    """.split()
)
# Light stemming: enough to merge "trial"/"trials", "treated"/"treating"; a 3-letter stem floor
# keeps short words ("has", "was") intact.
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ness", "ments", "ment", "edly", "ed", "es", "s")
_DIGIT = re.compile(r"\d")
_DANGLING = re.compile(
    r"^(?:this|these|that|those|it|its|they|their|them|such|he|she|his|her|however|therefore|"
    r"thus|hence|moreover|furthermore|also|but|and|yet|nevertheless|nonetheless|consequently|"
    r"likewise|similarly|instead|otherwise|both|another|here|in\s+addition|in\s+contrast|"
    r"on\s+the\s+other\s+hand|as\s+a\s+result|the\s+(?:latter|former|above|same))\b",
    re.IGNORECASE,
)
# "It is important to ..." / "It was shown that ...": expletive "it" refers to nothing before.
_EXPLETIVE_IT = re.compile(
    r"^it\s+(?:is|was|has\s+been|may\s+be|can\s+be|seems|appears)\b[^.]{0,60}?\b(?:to|that|whether)\b", re.I
)

# Calls to action ("order your supply today", "visit our page", "see X for more detail"): the
# promo stage removes what it is sure of; a summary also steers clear of selling and signposts.
_SALES_VOICE = re.compile(
    r"\b(?:(?:visit|order|buy|shop|click|subscribe|sign\s+up|call|contact)\s+(?:our|us|now|today|online|here)|"
    r"(?:order|buy|get)\s+(?:yours?|your\s+\w+)\s+(?:now|today|online)|(?:today|now)!|"
    r"(?:discount|coupon|promo)\s+code|free\s+(?:shipping|trial)|without\s+(?:a\s+)?prescription|"
    r"(?:see|read|visit)\b.{0,80}\bfor\s+more(?:\s+(?:detail|details|information|info))?)\b",
    re.IGNORECASE,
)
# The words _SALES_VOICE needs: a cheap set test spares the regex on almost every sentence.
_SALES_WORDS = frozenset(
    "visit order buy shop click subscribe sign call contact get today now discount coupon promo free "
    "prescription see read".split()
)
_MIN_WORDS = 6  # shorter "sentences" are fragments, captions or labels
_MAX_CANDIDATES = 300  # MMR costs O(selected x candidates): cap it for very long pages
_LENGTH_DAMPING = 0.25  # score / distinct_terms**0.25: long sentences carry more, but not linearly
_HEADING_BOOST = 1.5  # a word of the title or a heading names the topic
_LEAD_BONUS = 0.2  # a news lede states the topic (only the first sentence: later ones are detail)
_CLOSING_BONUS = 0.3  # the last sentence often states the conclusion (x1.3, decaying before it)
_STATS_PENALTY = 0.8  # a sentence that is 10%+ digits (CIs, odds ratios) loses 80%: hard to read
_QUESTION_PENALTY = 0.3  # a question is not a statement of the article's content
_HYPE_PENALTY = 0.5  # overstated sentences are the last thing a summary should repeat
_UNFIXABLE_PENALTY = 0.1  # with --neutral, hype we cannot rewrite cleanly almost never enters
_SALES_PENALTY = 0.2
_CUT_PENALTY = 0.7  # a sentence with text cut out of it may no longer read as it was written
# Keyword stuffing: one 2-4 word phrase repeated 3+ times that fills 40%+ of the sentence
# ("the X guide: X tips, X facts"). Prose repeats terms ("risk of bias" x3 in 40 words) far less densely.
_STUFFED_REPEATS = 3
_STUFFED_LENGTHS = (2, 3, 4)  # words in the phrase
_STUFFED_SHARE = 0.4
_MMR_LAMBDA = 0.7  # relevance vs novelty: 0.7 keeps the top sentence and drops near-repeats


@dataclass(frozen=True, slots=True)
class Length(Record):
    """How long a summary is: ``words`` or ``ratio`` (of the article's words) override ``sentences``."""

    sentences: int = 3
    words: int | None = None
    ratio: float | None = None


class _Candidate:
    """A body sentence that could enter the summary, with what scoring needs precomputed.

    A plain class, not a dataclass: one is made for every sentence, and compiled, its own
    ``__init__`` costs a fraction of the one ``dataclass`` writes in Python.
    """

    def __init__(
        self,
        *,
        start: int,
        end: int,
        text: str,
        counts: dict[str, int],
        n_words: int,
        dangling: bool,
        antecedent: int | None,  # index of the previous candidate when it directly precedes this one
        flagged: bool,
        cut: bool,  # the promo stage removed part of it
        sales: bool,  # sounds like a call to buy
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.terms = frozenset(counts)
        self.counts = counts
        self.n_words = n_words
        self.dangling = dangling
        self.antecedent = antecedent
        self.flagged = flagged
        self.cut = cut
        self.sales = sales


def summarize(
    doc: Document,
    length: Length | int = 3,
    fixes: Mapping[str, str | None] | None = None,
) -> Document:
    """Return ``doc`` with ``summary`` set; ``fixes`` (rule ID → fix) turns on neutral rewrites."""
    if isinstance(length, int):
        length = Length(sentences=length)
    candidates = _candidates(doc)
    if not candidates:
        return replace(doc, summary=())
    rewrites = {i: _rewrites(doc, c, fixes) for i, c in enumerate(candidates)} if fixes else {}
    scores = _scores(doc, candidates, rewrites)
    blocked = {i for i, r in rewrites.items() if r is None}  # unfixable hype under --neutral
    chosen = _select(candidates, scores, _budget(length, candidates), blocked)
    removed = merged_ranges(doc)
    summary = tuple(_summary_sentence(doc, candidates[i], rewrites.get(i), removed) for i in chosen)
    return evolve(doc, summary=summary)


def rule_fixes(rules: Iterable[Rule]) -> dict[str, str | None]:
    """Rule ID → its ``fix`` ("" deletes the match); substitution rules map to None (use the swap)."""
    fixes: dict[str, str | None] = {}
    for rule in rules:
        fix = rule.options.get("fix")
        if isinstance(fix, str):
            fixes[rule.id] = fix
        elif rule.extends == "substitution":
            fixes[rule.id] = None
    return fixes


# --- candidates -----------------------------------------------------------------------------


def _candidates(doc: Document) -> list[_Candidate]:
    removed = merged_ranges(doc)
    flagged = sorted(f.start for f in doc.findings if f.category is Category.CLAIM)
    out: list[_Candidate] = []
    previous_end: int | None = None  # end of the previous body sentence, kept or not
    for block in doc.blocks:
        if block.kind in (BlockKind.TITLE, BlockKind.HEADING):
            previous_end = None  # a heading breaks the chain of reference
            continue
        for s in block.sentences:
            text = kept_text(doc.text, s.start, s.end, removed)
            follows = previous_end is not None and out and out[-1].end == previous_end
            previous_end = s.end
            words = _words(text)
            n_words = word_count(text)
            if not _is_statement(text, words, n_words):
                continue  # no need to count the terms of a sentence that cannot enter
            counts = _term_counts(words)
            out.append(
                _Candidate(
                    start=s.start,
                    end=s.end,
                    text=text,
                    counts=counts,
                    n_words=n_words,
                    dangling=_is_dangling(text),
                    antecedent=len(out) - 1 if follows else None,
                    flagged=_has_finding(flagged, s.start, s.end),
                    cut=len(text) < len(doc.text[s.start : s.end].strip()),
                    sales=not _SALES_WORDS.isdisjoint(words) and bool(_SALES_VOICE.search(text)),
                )
            )
    return out


def _words(text: str) -> list[str]:
    """The lower-case words of ``text`` (``[a-z][a-z'-]*[a-z]|[a-z]`` on the lower-cased text)."""
    lowered = text.lower()
    found = runs(lowered, _WORD_CHARACTERS)
    if "'" not in lowered and "-" not in lowered:
        return found  # runs of letters alone: nothing to strip (most sentences)
    return [word for run in found if (word := run.strip("'-"))]


def _is_statement(text: str, words: Sequence[str], n_words: int) -> bool:
    """Long enough (``n_words``) to say something, not a lead-in to a list, not a stuffed keyword."""
    return n_words >= _MIN_WORDS and not text.endswith(":") and not _is_stuffed(words)


def _is_stuffed(words: Sequence[str]) -> bool:
    # A phrase of n words repeated c >= 3 times covering 40% repeats at least a quarter of the words.
    if len(words) - len(set(words)) < max(4, len(words) // 4):
        return False
    need = _STUFFED_SHARE * len(words)
    for n in _STUFFED_LENGTHS:
        count = max(tally(zip(*(words[i:] for i in range(n)), strict=False)).values(), default=0)
        if count >= _STUFFED_REPEATS and count * n >= need:
            return True
        if n == 2 and (count < _STUFFED_REPEATS or count * _STUFFED_LENGTHS[-1] < need):
            # A longer phrase occurs no more often than the pair it starts with: none can pass.
            return False
    return False


def _is_dangling(text: str) -> bool:
    """True when the sentence opens with a reference to something said before it."""
    return bool(_DANGLING.match(text)) and not _EXPLETIVE_IT.match(text)


def _has_finding(starts: Sequence[int], start: int, end: int) -> bool:
    i = bisect_left(starts, start)
    return i < len(starts) and starts[i] < end


_TERMS: dict[str, str] = {}  # _term's answers so far (see ``words.remember``)


def _term(word: str) -> str:
    """The term a lower-case word counts as: its stem, or "" for a stop word."""
    term = _TERMS.get(word)
    return term if term is not None else remember(_TERMS, word, "" if word in _STOP else _stem(word))


def _term_counts(words: Sequence[str]) -> dict[str, int]:
    """How often each term occurs among ``words`` (stop words left out)."""
    counts: dict[str, int] = {}
    for word in words:
        term = _term(word)
        if term:
            counts[term] = counts.get(term, 0) + 1
    return counts


def _stem(word: str) -> str:
    """Strip one common inflectional suffix."""
    word = word.strip("'-")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
    return word


# --- scoring --------------------------------------------------------------------------------


def _scores(
    doc: Document, candidates: Sequence[_Candidate], rewrites: Mapping[int, list[Rewrite] | None]
) -> list[float]:
    weights = _term_weights(doc, candidates)
    last = len(candidates) - 1
    scores = []
    for i, c in enumerate(candidates):
        score = sum(map(weights.__getitem__, c.terms)) / max(len(c.terms), 1) ** _LENGTH_DAMPING
        score *= 1.0 + _CLOSING_BONUS / (1 + last - i) + (_LEAD_BONUS if i == 0 else 0.0)
        score *= 1.0 - _STATS_PENALTY * min(1.0, 10 * _digits(c.text) / len(c.text))
        if c.text.endswith("?"):
            score *= _QUESTION_PENALTY
        if c.sales:
            score *= _SALES_PENALTY
        if c.cut:
            score *= _CUT_PENALTY
        if c.flagged:
            score *= _UNFIXABLE_PENALTY if rewrites and rewrites.get(i) is None else _HYPE_PENALTY
        scores.append(score)
    return scores


_NOT_DIGITS = bytes(code for code in range(128) if not chr(code).isdigit())


def _digits(text: str) -> int:
    """How many digits ``text`` holds (as the regex counts them; an ASCII text is counted in C)."""
    if text.isascii():
        return len(text.encode("ascii").translate(None, _NOT_DIGITS))
    return len(_DIGIT.findall(text))


def _term_weights(doc: Document, candidates: Sequence[_Candidate]) -> dict[str, float]:
    """Centroid weights: tf x log(1 + n/df) over the candidates, heading terms boosted."""
    counted: dict[str, list[int]] = {}  # term -> [tf, df]: one look-up a term, not four
    for c in candidates:
        for term, count in c.counts.items():
            found = counted.get(term)
            if found is None:
                counted[term] = [count, 1]
            else:
                found[0] += count
                found[1] += 1
    n = len(candidates)
    heading = _heading_terms(doc)
    # A few small document frequencies: each log once.
    idf = {k: math.log(1 + n / k) for k in {df for _, df in counted.values()}}
    weights = {t: tf * idf[df] for t, (tf, df) in counted.items()}
    for t in heading.intersection(weights):
        weights[t] *= _HEADING_BOOST
    return weights


def _heading_terms(doc: Document) -> set[str]:
    terms: set[str] = set()
    for block in doc.blocks:
        if block.kind in (BlockKind.TITLE, BlockKind.HEADING):
            words = _words(doc.text[block.start : block.end])
            terms.update(map(_term, words))
    terms.discard("")
    return terms


# --- selection ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Budget(Record):
    """At most ``sentences`` sentences, or at most ``words`` words when set."""

    sentences: int
    words: int | None

    def fits(self, count: int, words: int) -> bool:
        """Whether a summary of ``count`` sentences and ``words`` words is within budget."""
        return count <= self.sentences if self.words is None else words <= self.words

    def full(self, count: int, words: int, shortest: int) -> bool:
        """True when not even the ``shortest`` remaining sentence can enter (ends the loop early)."""
        return not self.fits(count + 1, words + shortest)


def _budget(length: Length, candidates: Sequence[_Candidate]) -> _Budget:
    if length.words is not None:
        return _Budget(len(candidates), max(1, length.words))
    if length.ratio is not None:
        total = sum(c.n_words for c in candidates)
        return _Budget(len(candidates), max(1, round(length.ratio * total)))
    return _Budget(max(0, length.sentences), None)


@dataclass(slots=True)
class _Selection:
    """The greedy MMR state: chosen sentences, their word count, each candidate's redundancy.

    A candidate's redundancy (its highest overlap with a chosen sentence) is brought up to
    date when it is asked for, not at each choice: the overlaps of sentences that leave the
    pool, and those the last choice would add, are never computed.
    """

    candidates: Sequence[_Candidate]
    chosen: list[int]
    words: int
    redundancy: dict[int, float]  # max overlap with the first ``folded[j]`` chosen sentences
    folded: dict[int, int]

    def add(self, i: int) -> None:
        self.chosen.append(i)
        self.words += self.candidates[i].n_words

    def redundancy_of(self, j: int) -> float:
        """Candidate ``j``'s highest overlap with any chosen sentence (0 before the first)."""
        seen = self.redundancy.get(j, 0.0)
        done = self.folded.get(j, 0)
        if done < len(self.chosen):
            terms = self.candidates[j].terms
            for i in self.chosen[done:]:  # in the order chosen, as the maxima were taken
                seen = max(seen, _overlap(self.candidates[i].terms, terms))
            self.redundancy[j] = seen
            self.folded[j] = len(self.chosen)
        return seen


def _select(
    candidates: Sequence[_Candidate], scores: Sequence[float], budget: _Budget, blocked: Set[int]
) -> list[int]:
    """Greedy MMR; a dangling sentence enters only with its antecedent, never a ``blocked`` one."""
    pool = set(sorted(range(len(candidates)), key=lambda i: -scores[i])[:_MAX_CANDIDATES])
    top = max(scores) or 1.0
    state = _Selection(candidates, [], 0, dict.fromkeys(pool, 0.0), {})
    shortest = min(candidates[i].n_words for i in pool)
    while pool and not budget.full(len(state.chosen), state.words, shortest):
        best = max(pool, key=lambda i: _mmr(_relevance(i, state.chosen, candidates, scores) / top, state, i))
        pool.discard(best)
        unit = [i for i in _unit(best, state.chosen, candidates) if i not in state.chosen]
        if not unit or (len(unit) > 1 and unit[0] in blocked):
            continue
        extra = sum(candidates[i].n_words for i in unit)
        if budget.fits(len(state.chosen) + len(unit), state.words + extra):
            for i in unit:
                state.add(i)
                pool.discard(i)
    chosen = state.chosen
    if not chosen and budget.sentences > 0:
        chosen = _fallback(candidates, scores)
    return sorted(chosen)


def _relevance(
    i: int, chosen: Sequence[int], candidates: Sequence[_Candidate], scores: Sequence[float]
) -> float:
    """A dangling sentence that needs its antecedent is worth the pair's mean: it costs two slots."""
    a = candidates[i].antecedent
    if candidates[i].dangling and a is not None and a not in chosen:
        return (scores[i] + scores[a]) / 2
    return scores[i]


def _mmr(relevance: float, state: _Selection, i: int) -> float:
    return _MMR_LAMBDA * relevance - (1 - _MMR_LAMBDA) * state.redundancy_of(i)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def _unit(i: int, chosen: Sequence[int], candidates: Sequence[_Candidate]) -> list[int]:
    """The sentences that must enter with ``i``: itself, plus its antecedent when it dangles."""
    c = candidates[i]
    if not c.dangling or (c.antecedent is not None and c.antecedent in chosen):
        return [i]
    a = c.antecedent
    if a is None or (candidates[a].dangling and candidates[a].antecedent not in chosen):
        return []  # the reference cannot be resolved within the summary
    return [a, i]


def _fallback(candidates: Sequence[_Candidate], scores: Sequence[float]) -> list[int]:
    """Nothing fitted the word budget: the best self-contained sentence alone."""
    standalone = [i for i, c in enumerate(candidates) if not c.dangling]
    return [max(standalone, key=lambda i: scores[i])] if standalone else []


# --- neutral rewrites -----------------------------------------------------------------------

_ARTICLE = re.compile(r"\b(an?)\s+$", re.IGNORECASE)
_INTENSIFIER = re.compile(
    r"\b(?:very|truly|really|quite|so|most|more|highly|particularly|extremely|absolutely|"
    r"genuinely|simply|nothing\s+short\s+of)\s+$",
    re.IGNORECASE,
)
_COORDINATION = re.compile(r"(?:,|\s+and|\s+or)\s+$")
_PREV_WORD = re.compile(r"([A-Za-z'-]+)\s+$")
_NEXT_TOKEN = re.compile(r"\s+([A-Za-z0-9][\w%'-]*)")
_AUXILIARY = frozenset("is are was were be been being am has have had will would can could may might".split())
# Words after which a deleted noun or verb was a modifier: "a breakthrough study", "the cured patients".
_MODIFIER_CONTEXT = frozenset(
    """
    a an the this that these those its their our his her your my some any many several such
    another other new first no every each all of in for with as by on at from into about
    """.split()
)
_ADJECTIVE_SHAPE = re.compile(r"(?:ing|ive|able|ible|ary|ous|al|ic|ful|ly)$|-", re.IGNORECASE)


def _rewrites(doc: Document, c: _Candidate, fixes: Mapping[str, str | None] | None) -> list[Rewrite] | None:
    """The neutral edits of a flagged sentence; None when some hype cannot be fixed cleanly."""
    if not fixes or not c.flagged:
        return []
    out: list[Rewrite] = []
    cursor = c.start
    for f in doc.findings:
        if f.category is not Category.CLAIM or not (c.start <= f.start < c.end) or f.start < cursor:
            continue
        rewrite = _rewrite(doc.text, c, f, fixes)
        if rewrite is None:
            return None
        out.append(rewrite)
        cursor = rewrite.end
    return out


def _rewrite(text: str, c: _Candidate, f: Finding, fixes: Mapping[str, str | None]) -> Rewrite | None:
    if f.rule not in fixes:
        return None
    fix = fixes[f.rule]
    replacement = (f.suggestion or "").split("|")[0] if fix is None else fix
    if replacement:
        return Rewrite(f.rule, f.start, f.end, f.match, _match_case(f.match, replacement))
    return _deletion(text, c, f)


def _match_case(original: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if original[:1].isupper() else replacement


def _deletion(text: str, c: _Candidate, f: Finding) -> Rewrite | None:
    """Delete a modifier with its intensifier ("a truly remarkable 40% drop" → "a 40% drop")."""
    after = _NEXT_TOKEN.match(text, f.end, c.end)
    if after is None or after.group(1).lower() in _STOP:
        return None  # predicative or followed by a preposition: deleting leaves a broken clause
    before = text[c.start : f.start]
    prev = _PREV_WORD.search(before)
    prev_word = prev.group(1).lower() if prev else ""
    if not _is_modifier(f.match, prev_word):
        return None
    start = f.start - len(m.group(0)) if (m := _INTENSIFIER.search(before)) else f.start
    replacement = ""
    if (m := _COORDINATION.search(text[c.start : start])) and prev_word not in _MODIFIER_CONTEXT:
        start -= len(m.group(0))  # "safe and remarkable drug" → "safe drug"
        replacement = " "
    end = after.start(1)
    if article := _ARTICLE.search(text[c.start : start]):
        start -= len(article.group(0))
        replacement = _article_for(article.group(1), after.group(1)) + " "
    return Rewrite(f.rule, start, end, text[start:end], replacement)


def _is_modifier(match: str, prev_word: str) -> bool:
    """Whether the flagged words modify what follows (not a verb or a clause's head)."""
    if prev_word in _AUXILIARY:
        return not match.lower().endswith(("ing", "ed"))  # "is curing patients" is a verb
    return bool(_ADJECTIVE_SHAPE.search(match)) or prev_word in _MODIFIER_CONTEXT or not prev_word


def _article_for(article: str, next_word: str) -> str:
    chosen = "an" if next_word[:1].lower() in "aeiou" else "a"
    return chosen.capitalize() if article[:1].isupper() else chosen


def _summary_sentence(
    doc: Document, c: _Candidate, rewrites: list[Rewrite] | None, removed: Sequence[tuple[int, int]]
) -> SummarySentence:
    edits = [(lo, hi, "") for lo, hi in removed if lo < c.end and hi > c.start]
    applied = tuple(r for r in rewrites or () if not _overlaps(r, edits))
    # A summary sentence is printed on one line: a hard-wrapped source's line breaks go.
    if not applied:
        return SummarySentence(c.start, c.end, one_line(c.text))
    rewritten = _render(doc.text, c, [*edits, *_edits(applied)])
    return SummarySentence(c.start, c.end, one_line(rewritten), applied)


def _edits(rewrites: Sequence[Rewrite]) -> list[tuple[int, int, str]]:
    return [(r.start, r.end, r.replacement) for r in rewrites]


def _render(text: str, c: _Candidate, edits: Sequence[tuple[int, int, str]]) -> str:
    """The sentence with every edit (removals as "", rewrites) applied, seams tidied."""
    pieces, cursor = [], c.start
    for lo, hi, replacement in sorted(edits):
        pieces += [text[cursor : max(lo, cursor)], replacement]
        cursor = max(cursor, min(hi, c.end))
    pieces.append(text[cursor : c.end])
    joined = join_seams(pieces).strip()
    if text[c.start].isupper():  # the sentence's first word was deleted: keep the capital
        joined = joined[:1].upper() + joined[1:]
    return joined


def _overlaps(r: Rewrite, edits: Sequence[tuple[int, int, str]]) -> bool:
    return any(lo < r.end and r.start < hi for lo, hi, _ in edits)
