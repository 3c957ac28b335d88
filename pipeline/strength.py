"""Rule-based classifier for the strength of the causal claim in one sentence.

Labels follow the four-way scheme used for science-communication studies of causal language:

* ``none`` - no relationship claim (methods, descriptions, recommendations, boilerplate);
* ``correlational`` - an association claim ("X was associated with Y", "X predicts Y");
* ``conditional_causal`` - a hedged causal claim ("X may reduce Y", "X appears to improve Y");
* ``direct_causal`` - an unhedged causal claim ("X reduces Y", "X led to Y", "X is effective").

The method is deliberately transparent: hand-written cue lexicons plus a few token patterns that
tell a causal *verb* ("statins reduced mortality") from the same word used as an adjective
("associated with reduced mortality") or inside a purpose clause ("needed to reduce mortality").
Everything is compiled once at import; classification is a handful of regex scans and one pass
over the tokens, so it is cheap enough to run on every sentence of every document.

Negated claims keep their type by default ("did not reduce" is still causal *language*, "was not
associated with" is still correlational language), which is how the reference annotation treats
them; pass ``negated_as_none=True`` to map any negated claim to ``none`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Strength(StrEnum):
    """Strength of the causal claim a sentence makes, weakest first."""

    NONE = "none"
    CORRELATIONAL = "correlational"
    CONDITIONAL_CAUSAL = "conditional_causal"
    DIRECT_CAUSAL = "direct_causal"


# --------------------------------------------------------------------------------------------
# Lexicons
# --------------------------------------------------------------------------------------------

# Word boundaries that also treat hyphens as word-internal, so "pregnancy-related" is not the
# association cue "related" and "cost-effective" is not the efficacy cue "effective".
_START = r"(?<![\w-])"
_END = r"(?![\w-])"

# Verbs whose transitive use asserts that the subject brings about a change in the object.
_CAUSAL_LEMMAS: tuple[str, ...] = (
    "reduce", "increase", "improve", "lower", "decrease", "prevent", "cause", "attenuate",
    "enhance", "promote", "protect", "prolong", "delay", "shorten", "alleviate", "relieve",
    "ameliorate", "boost", "raise", "induce", "trigger", "worsen", "exacerbate", "affect",
    "influence", "inhibit", "suppress", "block", "reverse", "restore", "eliminate", "halve",
    "double", "triple", "slow", "accelerate", "mitigate", "diminish", "minimize", "minimise",
    "modify", "modulate", "alter", "stimulate", "activate", "facilitate", "impair", "damage",
    "harm", "weaken", "strengthen", "extend", "cure", "heal", "ease", "curb", "cut", "lessen",
    "shrink", "elevate", "benefit", "stop", "kill", "spur", "fuel", "drive", "confer",
    "counteract", "offset", "hinder", "impede", "disrupt", "deplete", "fight", "combat",
    "normalize", "normalise", "optimize", "optimise", "maximize", "maximise", "avert", "avoid",
    "treat", "relax", "stabilize", "stabilise", "regulate", "increase", "decline", "aggravate",
    "intensify", "amplify", "compromise", "jeopardize", "undermine", "destroy", "repair",
    "rescue", "resolve", "abolish", "abrogate", "blunt", "dampen", "deter", "elicit", "evoke",
    "generate", "hasten", "impact", "interfere", "lengthen", "outweigh", "precipitate",
    "predispose", "provoke", "retard", "sensitize", "sensitise", "shift", "speed", "spark",
    "strip", "sustain", "thwart", "upregulate", "downregulate", "ward", "lift", "drop", "help", "produce", "mediate", "halt", "slash",
    "save", "worsen", "reverse",
)

# Multi-word causal constructions; matched on the space-joined lowercase tokens.
_CAUSAL_PHRASES: re.Pattern[str] = re.compile(
    _START + r"(?:"
    r"(?:lead|leads|led|leading) to"
    r"|(?<!the )(?<!these )(?<!our )(?<!their )(?:result|results|resulted|resulting) in"
    r"|(?:contribute|contributes|contributed|contributing) (?:\w+ )?to"
    r"|(?:translate|translates|translated) (?:into|to)"
    r"|responsible for"
    r"|(?:due|attributable|attributed|owing) to"
    r"|because of"
    r"|(?:caused|induced|mediated|driven|triggered) by"
    r"|causal(?:ly)?|causation"
    r"|(?:play|plays|played|playing) (?:a|an|no) (?:\w+ )?(?:\w+ )?role"
    r"|(?:have|has|had|having|exert|exerts|exerted|with|showed|shows) (?:a|an|no|any|little|"
    r"some|the|significant|positive|negative|beneficial|protective|favourable|favorable|"
    r"adverse|detrimental|greater|strong|modest|small|large|major|important|additional|"
    r"clinically|similar)(?: \w+)? (?:effect|effects|impact|impacts|influence|benefit|benefits|"
    r"role|harm)"
    r"|(?:beneficial|protective|preventive|therapeutic|harmful|detrimental|deleterious|"
    r"causal|adverse|positive|negative|favorable|favourable|additive|synergistic|"
    r"anti-\w+|\w+-lowering|\w+-sparing) (?:effect|effects|impact|role|benefit|benefits)"
    r"|(?:effect|effects|impact|impacts|influence) (?:on|upon)"
    r"|(?:effect|effects|impact|impacts|influence|benefit|benefits) of (?:\S+ ){1,8}?on"
    r"|(?:benefit|benefits|benefited|benefitted) from"
    r"|protect(?:s|ed)? against"
    r"|(?:effective|efficacious|beneficial|helpful|"
    r"protective(?! factors?)|detrimental|harmful|curative|cost-effective|causative)"
    # An evaluative adjective with a causal purpose ("useful in reducing", "a promising
    # therapy for") claims the thing works.
    r"|(?:useful|promising|valuable|helpful|important|viable|successful|good) "
    r"(?:\w+ )?(?:in|for|at|to) (?:\w+ )?(?:reduc|improv|prevent|treat|lower|decreas|increas|"
    r"protect|enhanc|promot|alleviat|reliev|delay|slow|restor|revers|limit|control|manag)\w*"
    r"|promising (?:\w+ )?(?:treatment|therapy|therapeutic|agent|drug|intervention|approach)"
    # Evaluative causal idioms common in health news ("is good for your heart").
    r"|(?:good|bad|better|worse|best|worst|healthy|healthier|unhealthy) for"
    r"|(?:make|makes|made|making) (?:you|people|them|us|children|kids|patients|adults|women|men)"

    r")" + _END
)

# Association vocabulary: the claim is that two things co-vary, not that one drives the other.
_ASSOCIATION: re.Pattern[str] = re.compile(
    _START + r"(?:"
    r"associated with|associated to|associations?|associate with|correlat\w*|relationships?|relations?|related|unrelated|link|links|linked|"
    r"linking|predict\w*|risk factors?|protective factors?|determinants?|markers?|biomarkers?|indicators?|odds|"
    r"hazards?|more likely|less likely|as likely|likelihood|coincid\w*|connected|connection|"
    r"tied|concordan\w*|dependent on|independent of|in relation to|interrelat\w*|"
    r"covar\w*|co-occur\w*|prognostic|explained by|accounted for|account for|accounts for|"
    r"trend|gradient|dose-response|dose-dependent|inversely|"
    r"in parallel|paralleled|mirrored|varied|vary|varies|"
    r"(?:live|lives|lived|survive|survives|survived) longer|"
    r"(?:at|an|a) (?:\w+ )?(?:increased|higher|greater|high|lower|reduced|elevated|low) risk|"
    r"(?:increased|higher|greater|lower|reduced|decreased|elevated|excess) (?:\w+ )?risks?"
    r")" + _END
)

# Modal and evidential hedges that soften a causal claim into a conditional one.
_HEDGE_WORDS: frozenset[str] = frozenset(
    {
        "may", "might", "could", "would", "possibly", "possible", "potentially", "potential",
        "perhaps", "probably", "probable", "presumably", "plausibly", "plausible", "likely",
        "unlikely", "appear", "appears", "appeared", "seem", "seems", "seemed", "conceivably",
        "putative", "putatively", "hypothesize", "hypothesise", "hypothesized", "speculate",
        "promising", "tend", "tends", "suggestive",
    }
)

# Sentences that recommend, call for more work, or are publication boilerplate make no claim.
_RECOMMENDATION: re.Pattern[str] = re.compile(
    _START + r"(?:"
    r"should|must|ought|needs? to|needed|(?:is|are|urgent|clear|growing) needs?|warrant\w*|"
    r"required|requires|recommend|recommends|(?:be|is|are) recommended|"
    r"advocat\w*|(?:be|is|are) encouraged|necessary|essential(?! role)|crucial(?! role)|"
    r"imperative|urgent|"
    r"further (?:\w+ )?(?:studies|study|research|investigation|investigations|trials|work|"
    r"evaluation|analyses)|future (?:\w+ )?(?:studies|study|research|work|trials)|"
    r"remains? (?:to be|unclear|unknown)|is unclear|are unclear|to determine|to assess|"
    r"to evaluate|to explore|to investigate|to confirm|to clarify|to elucidate|"
    r"be considered|consideration|(?:pay|paid|special|particular|more) attention"
    r")" + _END
)

_BOILERPLATE: re.Pattern[str] = re.compile(
    r"(?:\bregist(?:ration|ered|ry)\b|\bclinicaltrials\b|\bnct ?\d|\bfunded by\b|"
    r"\blevel of evidence\b|\bcopyright\b|\u00a9|\babbreviations\b|\bcite this article\b|"
    r"\bdoi\b|\bisrctn\b|\bprospero\b|\bclinical question\b|\bclinical relevance\b|"
    r"^\W*(?:trial|study) (?:registration|number)\b)"
)

# Comparisons between groups or over time, and reported changes: correlational when no causal
# verb is present ("X was higher in Y", "an increase in Z was observed").  These words are
# unambiguous enough to fire on their own.
_COMPARATIVE: frozenset[str] = frozenset(
    {
        "higher", "lower", "greater", "worse", "poorer", "elevated", "increased", "decreased",
        "reduced", "diminished", "highest", "lowest", "greatest", "worst", "compared",
        "versus", "vs", "differ", "differs", "differed", "difference", "differences",
        "differential", "increase", "increases", "decrease", "decreases", "reduction",
        "reductions", "improvement", "improvements", "rise", "decline", "declines", "susceptible",
        "susceptibility", "excess", "twofold", "threefold", "fold",
    }
)
# Weaker comparatives ("more", "better") count only in an explicit "... than ..." frame, and not
# as a bare quantity ("more than half of patients").
_WEAK_COMPARATIVE: frozenset[str] = frozenset(
    {"more", "less", "fewer", "better", "larger", "smaller", "faster", "slower", "longer",
     "shorter", "stronger", "weaker", "earlier", "later", "younger", "older"}
)

# "more common in", "less frequent among": the frame that makes a weak comparative a comparison.
_COMPARISON_FRAME: frozenset[str] = frozenset({"in", "among", "than", "compared", "versus"})

_NEGATORS: frozenset[str] = frozenset(
    {"not", "no", "never", "neither", "nor", "without", "cannot", "n't", "none", "nothing",
     "lack", "lacked", "absence", "failed", "fail", "fails"}
)

# Closed-class words that show the next word is used as a noun/adjective, not a finite verb.
_DETERMINERS: frozenset[str] = frozenset(
    {"a", "an", "the", "this", "these", "those", "its", "their", "his", "her", "our",
     "any", "no", "some", "each", "every", "such", "greater", "further", "significant",
     "significantly", "marked", "modest", "small", "large", "major", "overall", "mean",
     "median", "slight", "substantial", "clinically", "relative", "absolute", "net", "total",
     "early", "late", "similar"}
)
_PREPOSITIONS: frozenset[str] = frozenset(
    {"of", "in", "with", "for", "to", "from", "by", "on", "at", "as", "into", "among", "between",
     "than", "about", "against", "via", "per", "under", "over", "without", "within", "despite",
     "and", "or", "but", "nor", "because", "including", "like", "toward", "towards"}
)
_BE: frozenset[str] = frozenset(
    {"is", "are", "was", "were", "be", "been", "being", "am", "'s", "become", "became",
     "becomes", "remain", "remained", "remains", "get", "got", "gets"}
)
# Words before a causal form that show it is a verb: modals, do-support, hedges, "help".
_VERB_GOVERNORS: frozenset[str] = frozenset(
    {"do", "does", "did", "can", "will", "shall", "cannot", "may", "might", "could", "would",
     "help", "helps", "helped", "appear", "appears", "seem", "seems", "likely"}
)
_RECOMMEND_MODALS: frozenset[str] = frozenset({"should", "must", "ought"})
# A causal form right after these is not a finite verb with its own subject.
_NON_SUBJECT: frozenset[str] = (_PREPOSITIONS - {"and", "or", "but"}) | _DETERMINERS | _RECOMMEND_MODALS
# A following "in/of/on" makes "increase", "benefit", "impact" nouns.
_NOUN_FOLLOWERS: frozenset[str] = frozenset({"in", "of", "on", "for"})
# Verb forms that are far more often comparative adjectives or nouns than bare verbs.
_ADJECTIVE_LIKE_BASE: frozenset[str] = frozenset(
    {"lower", "double", "triple", "slow", "drop", "cut", "cure", "harm", "damage", "shift",
     "lift", "effect", "decline"}
)
# Participles after these describe a state ("had increased risk", "showed reduced levels").
_ADJECTIVE_LICENSERS: frozenset[str] = frozenset(
    {"has", "have", "had", "having", "show", "shows", "showed", "shown", "exhibit", "exhibits",
     "exhibited", "display", "displays", "displayed", "demonstrate", "demonstrates",
     "demonstrated", "reveal", "reveals", "revealed", "experience", "experienced",
     "experiences", "present", "presented", "presents", "observed", "found", "noted"}
)
_TO_LICENSERS: frozenset[str] = frozenset(
    {"shown", "found", "proven", "proved", "demonstrated", "observed", "reported", "known",
     "able", "help", "helps", "helped", "serve", "serves", "served", "act", "acts", "acted",
     "appear", "appears", "appeared", "seem", "seems", "seemed", "likely", "unlikely",
     "tend", "tends", "tended", "continue", "continues", "continued", "going", "expected",
     "thought", "believed", "predicted", "estimated", "set", "failed", "fail", "fails",
     "sufficient", "enough", "unable", "insufficient"}
)
# After an intransitive use ("costs increased after surgery") the verb reports a change, not
# a cause; a following preposition or clause end reveals it.
_INTRANSITIVE_FOLLOWERS: frozenset[str] = frozenset(
    {"after", "over", "during", "from", "in", "at", "by", "with", "to", "when", "while", "as",
     "between", "among", "following", "until", "since", "before", "throughout", "across",
     "compared", "relative", "than", "and", "or", "but", ",", ";", ":", ".", ")", "(", "",
     "slightly", "significantly", "markedly", "substantially", "steadily", "gradually",
     "over", "overall", "only", "more", "less", "further", "each", "per", "annually",
     "whereas"}
)
_CLAUSE_BREAKS: frozenset[str] = frozenset({";", ":", "whereas", "while", "although", "but",
                                            "however", "though"})


def _inflections(lemma: str) -> tuple[str, str, str, str]:
    """Return (base, third-person, past, gerund) forms for a regular English verb."""
    irregular = {
        "lead": ("lead", "leads", "led", "leading"),
        "drive": ("drive", "drives", "driven", "driving"),
        "cut": ("cut", "cuts", "cut", "cutting"),
        "stop": ("stop", "stops", "stopped", "stopping"),
        "spur": ("spur", "spurs", "spurred", "spurring"),
        "fuel": ("fuel", "fuels", "fuelled", "fueling"),
        "shrink": ("shrink", "shrinks", "shrank", "shrinking"),
        "drop": ("drop", "drops", "dropped", "dropping"),
        "combat": ("combat", "combats", "combated", "combating"),
        "offset": ("offset", "offsets", "offset", "offsetting"),
        "upregulate": ("upregulate", "upregulates", "upregulated", "upregulating"),
        "benefit": ("benefit", "benefits", "benefited", "benefiting"),
        "ward": ("ward", "wards", "warded", "warding"),
    }
    if lemma in irregular:
        return irregular[lemma]
    if lemma.endswith("e"):
        return lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"
    if lemma.endswith(("sh", "ch", "ss", "x")):
        return lemma, lemma + "es", lemma + "ed", lemma + "ing"
    return lemma, lemma + "s", lemma + "ed", lemma + "ing"


def _build_forms() -> dict[str, str]:
    """Map each inflected causal verb form to its grammatical form tag."""
    forms: dict[str, str] = {}
    for lemma in _CAUSAL_LEMMAS:
        base, third, past, gerund = _inflections(lemma)
        forms.setdefault(base, "base")
        forms.setdefault(third, "3sg")
        forms.setdefault(past, "past")
        forms.setdefault(gerund, "ing")
    # Extra irregular past forms that differ from the past participle.
    # Forms shared by base and past ("cut", "offset") are analysed as past: the past-tense
    # rules also accept them after modals, and the base-form noun readings are rarer.
    for lemma in ("cut", "offset"):
        forms[lemma] = "past"
    forms.setdefault("drove", "past")
    forms.setdefault("shrunk", "past")
    forms.setdefault("benefitted", "past")
    forms.setdefault("fueled", "past")
    return forms


_CAUSAL_FORMS: dict[str, str] = _build_forms()

_TOKEN_RE: re.Pattern[str] = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*|[,;:()]")
# "down-regulates" and "up-regulated" are the verbs "regulate" with a direction prefix.
_PREFIX_RE: re.Pattern[str] = re.compile(r"\b(?:down|up|co)-(?=[a-z])")


# --------------------------------------------------------------------------------------------
# Cue detection
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cue:
    """One matched cue: its kind, surface text and token position."""

    kind: str
    text: str
    index: int


def _tokenize(sentence: str) -> list[str]:
    """Lowercase word and clause-punctuation tokens."""
    return _TOKEN_RE.findall(_PREFIX_RE.sub("", sentence.lower().replace("\u2019", "'")))


def _previous(tokens: list[str], i: int) -> tuple[str, int]:
    """Return the nearest preceding token that is not an adverb or negator, with its index."""
    j = i - 1
    while j >= 0 and (tokens[j].endswith("ly") or tokens[j] in _NEGATORS
                      or tokens[j] in {"also", "further", "still", "even", "both", "then"}):
        j -= 1
    return (tokens[j], j) if j >= 0 else ("", -1)


def _next(tokens: list[str], i: int) -> str:
    """Return the nearest following token that is not an adverb."""
    j = i + 1
    while j < len(tokens) and tokens[j].endswith("ly") and tokens[j] not in {"only"}:
        j += 1
    return tokens[j] if j < len(tokens) else ""


def _is_causal_verb(tokens: list[str], i: int, form: str) -> bool:
    """Decide whether the causal word at ``i`` is used as a finite causal verb."""
    prev, j = _previous(tokens, i)
    if form == "ing":
        # Gerunds name an activity ("reducing salt ..."); only the progressive is a verb.
        return prev in _BE and prev not in {"being"}
    nxt = _next(tokens, i)
    if form == "past":
        return _is_causal_past(tokens, i, prev, nxt)
    if prev in _DETERMINERS or nxt in _NOUN_FOLLOWERS or nxt in _INTRANSITIVE_FOLLOWERS:
        return False  # "the increase in", "a benefit of", "risk increases with age"
    if prev == "to":
        return _previous(tokens, j)[0] in _TO_LICENSERS  # else a purpose clause
    if prev in _VERB_GOVERNORS:
        return True
    if tokens[i] in _ADJECTIVE_LIKE_BASE:
        return False  # "lower levels": only a verb after a modal or auxiliary
    return prev not in _NON_SUBJECT and prev != ""


def _is_causal_past(tokens: list[str], i: int, prev: str, nxt: str) -> bool:
    """Decide whether a past-tense causal form is a verb, not an adjective or passive state."""
    if prev in _BE:
        # Passive: causal only with an agent ("was improved by vitamin D").
        return "by" in tokens[i + 1 : i + 5]
    if prev in _ADJECTIVE_LICENSERS or prev in _NON_SUBJECT or prev == "":
        return False  # "had increased risk", "with reduced mortality", "an elevated level"
    return nxt not in _INTRANSITIVE_FOLLOWERS


def _token_index(text: str, pos: int) -> int:
    """Token index of a character offset in the space-joined token string."""
    return text.count(" ", 0, pos)


def _causal_cues(tokens: list[str], text: str) -> list[_Cue]:
    """Find causal verbs used finitely plus multi-word causal constructions."""
    cues = [
        _Cue("causal", tok, i)
        for i, tok in enumerate(tokens)
        if (form := _CAUSAL_FORMS.get(tok)) is not None and _is_causal_verb(tokens, i, form)
    ]
    cues.extend(
        _Cue("causal", m.group(0), _token_index(text, m.start()))
        for m in _CAUSAL_PHRASES.finditer(text)
    )
    return cues


def _is_hedged(tokens: list[str], index: int) -> bool:
    """Return True when a hedge governs the cue at ``index`` within its clause."""
    j = index - 1
    while j >= 0 and index - j <= 10 and tokens[j] not in _CLAUSE_BREAKS:
        if tokens[j] in _HEDGE_WORDS:
            return True
        j -= 1
    return False


def _same_clause(tokens: list[str], a: int, b: int) -> bool:
    """Return True when no clause boundary separates token positions ``a`` and ``b``."""
    lo, hi = min(a, b), max(a, b)
    return not any(t in _CLAUSE_BREAKS or t == "," for t in tokens[lo:hi])


def _outside_clauses_of(tokens: list[str], cues: list[_Cue], blockers: list[_Cue]) -> list[_Cue]:
    """Keep the cues that share a clause with none of ``blockers``."""
    return [c for c in cues if not any(_same_clause(tokens, c.index, b.index) for b in blockers)]


def _is_negated(tokens: list[str], index: int) -> bool:
    """Return True when a negator precedes the cue closely within its clause."""
    j = index - 1
    while j >= 0 and index - j <= 4 and tokens[j] not in _CLAUSE_BREAKS:
        if tokens[j] in _NEGATORS:
            return True
        j -= 1
    return False


def _comparison_cues(tokens: list[str]) -> list[_Cue]:
    """Find a group comparison or reported change ("higher in X", "more ... than ...")."""
    for i, tok in enumerate(tokens):
        if tok in _COMPARATIVE:
            return [_Cue("comparative", tok, i)]
        if (
            tok in _WEAK_COMPARATIVE
            and tokens[i + 1 : i + 2] != ["than"]
            and ("than" in tokens[i + 2 : i + 10] or _COMPARISON_FRAME & set(tokens[i + 2 : i + 4]))
        ):
            return [_Cue("comparative", tok, i)]
    return []


def _regex_cues(kind: str, pattern: re.Pattern[str], text: str) -> list[_Cue]:
    """Return a cue for each regex match in the token string."""
    return [_Cue(kind, m.group(0), _token_index(text, m.start())) for m in pattern.finditer(text)]


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def explain(sentence: str, *, negated_as_none: bool = False) -> tuple[Strength, list[str]]:
    """Classify ``sentence`` and return the label with the cues that decided it.

    Precedence, strongest evidence first:

    1. publication boilerplate (trial registration, funding, citation lines) -> ``none``;
    2. a causal cue: hedged in its clause -> ``conditional_causal``, else ``direct_causal``;
       association vocabulary before the causal cue wins, because "associated with reduced
       risk" describes a correlation even though "reduced" is a causal word;
    3. association vocabulary -> ``correlational``;
    4. a recommendation or call for research -> ``none``;
    5. a group comparison ("higher in X than in Y") -> ``correlational``;
    6. otherwise ``none``.
    """
    tokens = _tokenize(sentence)
    text = " ".join(tokens)
    if _BOILERPLATE.search(text):
        return Strength.NONE, ["boilerplate"]
    causal = _causal_cues(tokens, text)
    association = _regex_cues("association", _ASSOCIATION, text)
    recommendation = _regex_cues("recommendation", _RECOMMENDATION, text)
    label, decisive = _decide(tokens, causal, association, recommendation)
    if label is Strength.NONE and not decisive:
        decisive = _comparison_cues(tokens)
        if decisive:
            label = Strength.CORRELATIONAL
    if negated_as_none and label is not Strength.NONE and any(
        _is_negated(tokens, cue.index) for cue in decisive
    ):
        return Strength.NONE, [f"negated {cue.kind}: {cue.text}" for cue in decisive]
    return label, [f"{cue.kind}: {cue.text}" for cue in decisive]


def _decide(
    tokens: list[str],
    causal: list[_Cue],
    association: list[_Cue],
    recommendation: list[_Cue],
) -> tuple[Strength, list[_Cue]]:
    """Apply the precedence documented in :func:`explain` to the detected cues."""
    if recommendation:
        # A sentence that opens with a recommendation or call for research is framed by it
        # ("further studies are needed; X may reduce Y").  Otherwise the recommendation voids
        # only the claims in its own clause ("X reduced Y; whether it prevents Z is unclear").
        first_claim = min((c.index for c in causal + association), default=len(tokens))
        causal = _outside_clauses_of(tokens, causal, recommendation)
        association = _outside_clauses_of(tokens, association, recommendation)
        if recommendation[0].index < first_claim or not (causal or association):
            return Strength.NONE, recommendation
    if causal:
        first = min(causal, key=lambda c: c.index)
        if association and min(c.index for c in association) < first.index:
            return Strength.CORRELATIONAL, association
        hedged = [c for c in causal if _is_hedged(tokens, c.index)]
        if hedged:
            return Strength.CONDITIONAL_CAUSAL, hedged
        return Strength.DIRECT_CAUSAL, causal
    if association:
        return Strength.CORRELATIONAL, association
    return Strength.NONE, []


def classify(sentence: str, *, negated_as_none: bool = False) -> Strength:
    """Return the strength of the causal claim made by one English sentence."""
    return explain(sentence, negated_as_none=negated_as_none)[0]


def classify_many(sentences: Iterable[str], *, negated_as_none: bool = False) -> list[Strength]:
    """Classify each sentence independently, preserving order."""
    return [classify(s, negated_as_none=negated_as_none) for s in sentences]
