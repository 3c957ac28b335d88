"""The literal-start prefilter is an optimisation only: it must find exactly what the regex finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.checks.base import Prefilter, Starts, StartTable, TextView, _ByStart
from pipeline.ruleset import load_ruleset

RULESET = load_ruleset()
PATTERNS = [
    (r.id, getattr(c, "pattern", None) or c.evidence)  # a strength rule prefilters its evidence cues
    for r, c in zip(RULESET.rules, RULESET.checks, strict=True)
    if getattr(c, "prefilter", None) is not None
] + [
    (f"{r.id}.exceptions", c.exceptions.pattern)  # exception phrases are looked up the same way
    for r, c in zip(RULESET.rules, RULESET.checks, strict=True)
    if getattr(getattr(c, "exceptions", None), "pattern", None) is not None
]
CORPUS = Path(__file__).resolve().parent.parent / "corpus"
EXAMPLES = [t for r in RULESET.rules for t in (*r.flag_examples, *r.pass_examples)]
TEXTS = EXAMPLES + [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.*"))]


def _spans(matches):
    return [(m.start(), m.end()) for m in matches if m.end() > m.start()]


@pytest.mark.parametrize(("rid", "pattern"), PATTERNS, ids=[rid for rid, _ in PATTERNS])
def test_prefiltered_matches_equal_a_full_scan(rid, pattern):
    prefilter = Prefilter.of(pattern)
    for text in TEXTS:
        view = TextView(text, ())
        assert _spans(prefilter.finditer(pattern, view)) == _spans(pattern.finditer(text)), (rid, text)


# The rule set's own prefilters find their starts through one table shared by every rule.
SHARED = [
    (r.id, getattr(c, "pattern", None) or c.evidence, c.prefilter)
    for r, c in zip(RULESET.rules, RULESET.checks, strict=True)
    if getattr(c, "prefilter", None) is not None
]


def test_the_rule_sets_prefilters_share_one_table() -> None:
    tables = {id(s.shared[0]) for _, _, f in SHARED for s in f.shareable_starts() if s.shared is not None}
    assert len(tables) == 1
    assert all(s.shared is not None for _, _, f in SHARED for s in f.shareable_starts())


@pytest.mark.parametrize(("rid", "pattern", "prefilter"), SHARED, ids=[rid for rid, _, _ in SHARED])
def test_shared_table_finds_what_a_full_scan_finds(rid, pattern, prefilter):
    for text in TEXTS:
        view = TextView(text, ())
        assert _spans(prefilter.finditer(pattern, view)) == _spans(pattern.finditer(text)), (rid, text)


WORDS = sorted({w for t in EXAMPLES for w in re.findall(r"\S+", t)})


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join))
def test_shared_table_agrees_on_shuffled_rule_examples(text):
    view = TextView(text, ())
    for _, pattern, prefilter in SHARED:
        assert _spans(prefilter.finditer(pattern, view)) == _spans(pattern.finditer(text))


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join))
def test_prefilter_agrees_on_shuffled_rule_examples(text):
    view = TextView(text, ())
    for _, pattern in PATTERNS:
        assert _spans(Prefilter.of(pattern).finditer(pattern, view)) == _spans(pattern.finditer(text))


@pytest.mark.parametrize(
    ("source", "prefixes"),
    [
        (r"\b(?:(?:remarkabl[ey])|(?:extraordinary))\b", {"remarkable", "remarkably", "extraordinary"}),
        # the parser factors "find|found" into "f" and "ind|ound": the start goes on past it, and past the words
        (r"\b(?:(?:find|found) it)\b", {"find it", "found it"}),
        # an optional word goes on into what follows too: "the " alone would start at every "the"
        (
            r"\b(?:(?:the )?(?:first|best)[- ]ever)\b",
            {"the first ", "the first-", "the best ", "the best-", "first ", "first-", "best ", "best-"},
        ),
        (r"\b(?:(?<!one of the )most \w+ ever)\b", {"most "}),
        (r"\b(?:\w+ly)\b", None),
        # a group of lookbehinds matches no character: the literal after it is the start
        (r"\b(?:(?:(?<=\bour\s)|(?<=\bmy\s))herbal tea)\b", {"herbal tea"}),
        (r"(?:(?<=\bis\s)|(?:(?<=\bare\s)))(?:fun|exciting)", {"fun", "exciting"}),
    ],
)
def test_prefixes_are_read_from_the_syntax_tree(source, prefixes):
    found = Prefilter.of(re.compile(source, re.IGNORECASE)).prefixes
    assert (set(found) if found is not None else None) == prefixes


@pytest.mark.parametrize(
    ("source", "required"),
    [
        (r"\w+\s+near\s+me", {"near"}),
        (r"\d+(?: percent)? lower risk", {" lower risk"}),
        (r"(?:[Ii]|[Ww]e)\s+(?:recommend|trust)\s+[A-Z]\w+", {"recommend", "trust"}),
        (r"\d+\s*(?:%|percent)", {"%", "percent"}),  # punctuation counts as rare: kept over a digit run
        (r"\w+ly", {"ly"}),
        (r"\w+\s+\d+", None),
        (r"(?:\d+|near)\s+me", {"me"}),  # a branch without a literal: that alternation offers nothing
    ],
)
def test_required_literals_are_read_from_the_syntax_tree(source, required):
    found = Prefilter.of(re.compile(source, re.IGNORECASE)).required
    assert (set(found) if found is not None else None) == required


def test_a_text_without_the_required_literal_is_never_scanned():
    pattern = re.compile(r"\b(?:\w+\s+near\s+me)\b", re.IGNORECASE)
    prefilter = Prefilter.of(pattern)
    assert prefilter.prefixes is None  # starts with \w+: no literal start to index
    assert not prefilter.may_match("clinics in the city centre")
    assert [m.group() for m in prefilter.finditer(pattern, TextView("Clinics NEAR me", ()))] == [
        "Clinics NEAR me"
    ]


SYNTHETIC = [
    r"\b(?:(?:\d+(?:\.\d+)? ?(?:%|percent) lower risk)|(?:halves the risk))\b",  # digit starts
    r"\b(?:(?:#\s*1|number one) (?:choice|brand))\b",  # a start that is not a word
    r"(?:(?:[Ll]orem\s+ipsum)|(?:\{\{[^{}\n]{1,80}\}\}))",  # no \b; a short start gated by "ipsum"
    r"\b(?:(?:\w+\s+near\s+me)|(?:cheap \w+))\b",  # an item with no literal start
    r"\b(?:(?:I (?:was )?(?:cured|healed))|(?:a \d+% drop))\b",  # a one-letter word, then a space
]
SYNTHETIC_TEXTS = [
    "Statins gave a 30% lower risk, and 12.5 percent lower risk; aspirin halves the risk.",
    "Our #1 choice and the number one brand.",
    "Lorem ipsum dolor; {{ page.title }} and lorem  ipsum; lollipops, lemons.",
    "Clinics near me: cheap dentists; no clinic is near.",
    "Nothing to see in this sentence at all.",
    "I was cured, and i healed: a 30% drop.",
    "",
]


@pytest.mark.parametrize("source", SYNTHETIC)
def test_each_alternative_is_looked_up_its_own_way_and_finds_what_a_full_scan_finds(source):
    pattern = re.compile(source, re.IGNORECASE)
    prefilter = Prefilter.of(pattern)
    for text in SYNTHETIC_TEXTS:
        view = TextView(text, ())
        assert _spans(prefilter.finditer(pattern, view)) == _spans(pattern.finditer(text)), text


def test_an_item_without_a_literal_start_scans_only_when_its_words_occur():
    pattern = re.compile(SYNTHETIC[3], re.IGNORECASE)
    prefilter = Prefilter.of(pattern)
    assert prefilter.candidates(TextView("cheap pills for cheap people", ())) == [0, 16]
    assert prefilter.candidates(TextView("cheap clinics near me", ())) is None  # "near": full scan


SEQUENCES = [(r.id, c) for r, c in zip(RULESET.rules, RULESET.checks, strict=True) if hasattr(c, "anchors")]


@pytest.mark.parametrize(("rid", "check"), SEQUENCES, ids=[rid for rid, _ in SEQUENCES])
def test_token_rules_find_on_anchored_sentences_what_the_matcher_finds_on_all(rid, check):
    from spacy.util import filter_spans

    from pipeline.nlp import get_nlp

    for text in TEXTS:
        doc = get_nlp()(text)
        view = TextView(text, tuple((s.start_char, s.end_char) for s in doc.sents))
        everywhere = filter_spans([s[a:b] for s in doc.sents for _, a, b in check.matcher(s)])
        expected = sorted((s.start_char, s.end_char) for s in everywhere)
        assert [(h.start, h.end) for h in check.find_in(view)] == expected, (rid, text)


DOMAIN_PIECES = [
    "visit",
    "example.com",
    "www.shop-now.net/x",
    "https://a.b.co.uk",
    "e.g.",
    "3.5",
    ".com",
    "x.comedy",
    "\n",
    " ",
    "\t",
    "\u00a0",
    "khusoko.com.",
    "Test.Org",
    "a..com",
    "ünï.de",
    "www.",
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(DOMAIN_PIECES), max_size=14).map("".join))
def test_written_out_domains_are_found_as_a_full_scan_finds_them(text):
    from pipeline.promo_signals import _DOMAIN, _domains

    assert [m.span() for m in _domains(text)] == [m.span() for m in _DOMAIN.finditer(text)]


def test_a_first_person_anecdote_is_found_after_the_one_letter_word():
    """Regression: the prefix "i " was looked up under the key "i ", which no word has."""
    rule_check = dict(zip((r.id for r in RULESET.rules), RULESET.checks, strict=True))["Evidence.Anecdote"]
    text = "After years of pain, I was completely cured by this oil."
    found = [
        text[m.start() : m.end()]
        for m in rule_check.prefilter.finditer(rule_check.pattern, TextView(text, ()))
    ]
    assert found == ["I was completely cured"]


def test_a_lookbehind_group_before_the_words_finds_what_a_full_scan_finds() -> None:
    pattern = re.compile(r"\b(?:(?:(?<=\bour\s)|(?<=\bmy\s))(?:herbal|natural)\s+tea)\b", re.IGNORECASE)
    text = "Our herbal tea is sold out. My natural tea too. Your herbal tea is fine. Herbal tea."
    view = TextView(text, ())
    assert Prefilter.of(pattern).candidates(view) is not None  # looked up, not scanned
    found = [m.span() for m in Prefilter.of(pattern).finditer(pattern, view)]
    assert found == [m.span() for m in pattern.finditer(text)] == [(4, 14), (31, 42)]


@pytest.mark.parametrize("automaton", [True, False])
def test_starts_that_go_past_a_common_word_are_found_at_each_of_its_offsets(automaton, monkeypatch) -> None:
    # "the answer" and "the only" belong to different rules; "the " (too short to be picked
    # by what follows the word) to a third: each finds its own offsets and no others, and
    # none inside a word ("bathe answers"). Found by the literal search's automaton, or
    # tested at each offset of "the" without it.
    from pipeline.checks import base

    if not automaton:
        monkeypatch.setattr(base, "ahocorasick", None)
    answer, only, bare = (Starts.of([p], boundary=True) for p in ("the answer", "the only", "the "))
    table = StartTable.share([answer, only, bare])
    assert table.literals.finds_tails is automaton
    text = "The answer is simple. The only way is the answer, then the rest. Bathe answers"
    index = TextView(text, ()).word_starts
    assert index is not None
    assert sorted(answer.positions(index)) == [0, 38]
    assert sorted(only.positions(index)) == [22]
    assert sorted(set(bare.positions(index))) == [0, 22, 38, 55]
    assert table.found(index) is table.found(index)  # computed once per text


def test_a_word_bounded_item_of_a_nonword_pattern_is_looked_up_in_the_word_index() -> None:
    # Template code ("{{", "<?") has no word boundary; a placeholder phrase in the same rule
    # does: its start is a word of the index, not a substring searched for in the text.
    pattern = re.compile(
        r"(?:(?:\{\{\w+\}\})|(?:\b(?i:insert\s+keyword\s+here))|(?:(?<![\w-])\b(?:TODO)\s*:))"
    )
    prefilter = Prefilter.of(pattern)
    assert prefilter.starts is not None
    # both are whole words: a space or a colon follows each in every match
    assert prefilter.starts.exact == {"insert", "todo"}
    assert prefilter.starts.scanned == {"{{"}
    text = "Reinsert keyword here. {{city}} Insert keyword here. TODO: fix; xTODO: no"
    assert _spans(prefilter.finditer(pattern, TextView(text, ()))) == _spans(pattern.finditer(text))
    assert [m.group() for m in prefilter.finditer(pattern, TextView(text, ()))] == [
        "{{city}}",
        "Insert keyword here",
        "TODO:",
    ]


def test_a_signals_exception_phrases_are_looked_up_through_the_shared_table() -> None:
    from pipeline.checks.signal import SignalCheck

    excepted = [
        c.options.exception_phrases.prefilter
        for c in RULESET.checks
        if isinstance(c, SignalCheck) and c.options.exceptions is not None
    ]
    assert excepted  # e.g. ForeignKeyword's loanwords, ContactDetails' helplines
    shared = {id(s.shared[0]) for f in excepted for s in f.shareable_starts() if s.shared is not None}
    assert shared == {id(s.shared[0]) for _, _, f in SHARED for s in f.shareable_starts() if s.shared}


def test_the_tables_literal_search_answers_as_a_substring_search_does() -> None:
    # The words conditional starts require are settled for a text in one pass when its
    # starts are found; each answer must be what a search for that word alone gives.
    table = next(s.shared[0] for _, _, f in SHARED for s in f.shareable_starts() if s.shared is not None)
    literals = table.literals.literals
    assert len(literals) > 100
    for text in TEXTS[:150]:
        index = TextView(text + " lose weight fast", ()).word_starts
        assert index is not None
        table.found(index)
        for literal in literals:
            assert index.holds(literal) == (literal in index.lowered), (literal, text)


def test_without_the_automaton_each_literal_is_searched_for_alone(monkeypatch) -> None:
    from pipeline.checks import base

    monkeypatch.setattr(base, "ahocorasick", None)
    starts = Starts.of(["lose"], boundary=True)
    table = StartTable.share([starts], literals=["weight", "pounds"])
    index = TextView("Lose weight, they said.", ()).word_starts
    assert index is not None
    assert table.found(index) == {0: [0]}
    assert index.holds("weight") and not index.holds("pounds")


@pytest.mark.parametrize(
    ("source", "exact", "indexed"),
    [
        # a space follows every match's first word: it is that whole word, not one it begins
        (r"\b(?:(?:[Ii]|[Ww]e)\s+love\s+\w+)\b", {"i", "we"}, set()),
        (r"\b(?:heals?\s+fast)\b", {"heal", "heals"}, set()),
        # a letter may follow "cure" ("cures"): a prefix, looked up in every word it begins
        (r"\b(?:cure[sd]?\s+it)\b", {"cure", "cures", "cured"}, set()),
        (r"\b(?:cure\w*)\b", set(), {"cure"}),
        # what follows the group is not read: "heal" may go on ("heal(?:s)?" inside it)
        (r"\b(?:(?:heal)s?)\b", set(), {"heal"}),
    ],
)
def test_a_start_a_space_or_sign_always_follows_is_a_whole_word(source, exact, indexed):
    pattern = re.compile(source, re.IGNORECASE)
    prefilter = Prefilter.of(pattern)
    every = [prefilter.starts, *(starts for _, starts in prefilter.conditional)]  # "i": when "love" occurs
    assert {w for s in every if s for w in s.exact} == exact
    assert {w for s in every if s for w in s.indexed} == indexed
    text = "In it we love Zen; i love tea. Is it Wendy? I cured it, heals fast, cures it, curedx it."
    assert _spans(prefilter.finditer(pattern, TextView(text, ()))) == _spans(pattern.finditer(text))


def test_whole_word_starts_skip_the_words_they_begin() -> None:
    pattern = re.compile(r"\b(?:(?:[Ii]|[Ww]e)\s+love\s+\w+)\b")
    prefilter = Prefilter.of(pattern)
    text = "In its winter, we love snow and I love rain."
    assert prefilter.candidates(TextView(text, ())) == [text.index("we"), text.index("I love")]


def test_a_start_with_too_many_ways_on_still_says_where_its_word_ends() -> None:
    # "cure" goes on into too many phrases to list; one step of each says "cure" is a whole
    # word there (a space follows) or goes on as "cures": never "cured" or "curry".
    verbs = "|".join(f"{w} {o}" for w in ("almost", "nearly", "just") for o in "abcdefg")
    pattern = re.compile(rf"\b(?:(?:cures?) (?:{verbs}) everything)\b", re.IGNORECASE)
    prefilter = Prefilter.of(pattern)
    assert prefilter.starts is not None
    assert prefilter.starts.indexed == {"cure a", "cure n", "cure j", "cures a", "cures n", "cures j"}
    text = "It cured nothing; curry cures almost a everything, and cure just g everything."
    assert prefilter.candidates(TextView(text, ())) == [text.index("cures"), text.index("cure just")]
    assert _spans(prefilter.finditer(pattern, TextView(text, ()))) == _spans(pattern.finditer(text))


CUT_SOURCES = [
    r"\b(?:(?:cure)|(?:cured)|(?:[Cc]ures?)|(?:care(?:s|d)?)|(?:\w+ cure)|(?:miracle))\b",
    r"(?:(?:a\|b)|(?:[|\]x])|(?:[^]|]y)|(?:\(c\)))",  # "|" escaped or in classes, "]" first in a class
    r"\b(?:(?:the best)|(?:(?:the )?best offer)|(?:best))\b",  # an earlier phrase wins at the same offset
    # leading groups whose branches are left out where they cannot begin (not an optional one)
    r"\b(?:(?:\b(?:cures?|cured|care+s|miracle) (?:it|all|the best))|(?:(?:best|the) offer)|(?:(?:my)? cure))\b",
    r"(?:(?:(?:Cures?|c{2}ure|\w+ured) all)|(?:(?:off|my)+er))",
]


@pytest.mark.parametrize("source", CUT_SOURCES)
@given(
    st.lists(
        st.sampled_from(
            [
                "cure",
                "cured",
                "Cures",
                "care",
                "cares",
                "my",
                "miracle",
                "the",
                "best",
                "offer",
                "a|b",
                "|",
                "]x",
                "Ay",
                "(c)",
                ",",
                ".",
                "it",
                "all",
                "caress",
                "ccure",
                "offer",
            ]
        ),
        max_size=20,
    ).map(" ".join)
)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_pattern_cut_by_its_starts_matches_as_the_whole_does(source, text):
    pattern = re.compile(source, re.IGNORECASE)
    prefilter = Prefilter.of(pattern)
    cut = _ByStart.of(pattern, prefilter.alternative_starts)
    assert cut is not None
    lowered = text.lower()
    for pos in range(len(text)):
        whole, part = pattern.match(text, pos), cut.pattern_for(lowered[pos : pos + 3]).match(text, pos)
        assert (whole and whole.span()) == (part and part.span()), (source, text, pos)


def test_a_pattern_with_groups_is_not_cut() -> None:
    # Substitution rules tell their keys apart by group number: a smaller pattern renumbers them.
    pattern = re.compile(r"\b(?:(cure)|(care))\b", re.IGNORECASE)
    assert _ByStart.of(pattern, Prefilter.of(pattern).alternative_starts) is None


def test_the_rule_sets_long_alternations_are_cut() -> None:
    cut = [rid for rid, pattern in PATTERNS if _ByStart.of(pattern, Prefilter.of(pattern).alternative_starts)]
    assert len(cut) >= 0.8 * len(PATTERNS)
