"""Claims stage: context awareness, scopes, rule types, Vale compatibility and rule-file errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli import main
from pipeline import claims as claims_module
from pipeline.checks.sequence import inflections
from pipeline.document import Level
from pipeline.errors import RuleError
from pipeline.ruleset import load_ruleset
from pipeline.run import process_text

VALE = Path(__file__).parent / "fixtures" / "vale"


@pytest.fixture(scope="module")
def builtin():
    return load_ruleset()


def findings(text: str, ruleset, rule: str | None = None):
    doc = process_text(text, ruleset)
    return [f for f in doc.findings if rule is None or f.rule == rule]


def pack(tmp_path: Path, files: dict[str, str], name: str = "Test") -> Path:
    """Write rule files into <tmp>/rules/<name>/ and return the rules folder."""
    folder = tmp_path / "rules" / name
    folder.mkdir(parents=True, exist_ok=True)
    for stem, body in files.items():
        (folder / f"{stem}.yml").write_text(textwrap.dedent(body), encoding="utf-8")
    return tmp_path / "rules"


def user_ruleset(tmp_path: Path, files: dict[str, str]):
    return load_ruleset([pack(tmp_path, files)], builtin=False)


# --- context ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Botox is not a cure for migraine.",
        "There is no evidence that it cures anything.",
        "There is no specific treatment, cure, or vaccine for the virus.",
        "A cure that works for everyone has not been found.",
        "Kidney failure\n\nIs dialysis a cure for kidney failure? No.",
        "To protect yourself, recognize red flags such as:\n\n- Miracle cure\n- Quick fix\n",
    ],
)
def test_negated_asked_and_mentioned_claims_are_not_findings(text, builtin):
    assert [f.rule for f in findings(text, builtin) if f.level.rank >= Level.WARNING.rank] == []


@pytest.mark.parametrize("media_type", ["text", "markdown"])
def test_a_claim_wrapped_over_a_line_break_is_found_as_on_one_line(builtin, media_type):
    one_line = (
        "Title\n\nMany readers ask, and several studies have shown that this pill is not a cure for pain.\n"
    )
    wrapped = one_line.replace("studies have shown", "studies have\nshown").replace(
        "not a cure", "not a\ncure"
    )
    found = process_text(wrapped, builtin, media_type).findings
    assert [(f.rule, f.start, f.end) for f in found] == [
        (f.rule, f.start, f.end) for f in process_text(one_line, builtin, media_type).findings
    ]
    studies = next(f for f in found if f.rule == "Evidence.StudiesShow")
    assert studies.match == "studies have\nshown"  # exactly the source's characters
    assert "studies have shown" in studies.message  # read as one phrase
    assert all(f.rule != "Cure.CureClaim" for f in found)  # "not a\ncure" is still negated


def test_hedged_cure_is_only_a_suggestion(builtin):
    hedged = findings("Antibiotics can often cure the infection.", builtin, "Cure.CureClaim")
    bare = findings("This tea cures diabetes.", builtin, "Cure.CureClaim")
    assert [f.level for f in hedged] == [Level.SUGGESTION]
    assert [f.level for f in bare] == [Level.ERROR]


def test_hedged_help_is_not_an_overclaim(builtin):
    assert findings("The drug may help some patients.", builtin) == []


def test_quoted_and_attributed_claims_are_levelled_down(builtin):
    plain = findings("The results were remarkable.", builtin, "Hype.Remarkable")
    quoted = findings('"The results were remarkable," said Dr Lee.', builtin, "Hype.Remarkable")
    reported = findings("According to the company, the results were remarkable.", builtin, "Hype.Remarkable")
    assert [f.level for f in plain] == [Level.WARNING]
    assert [f.level for f in quoted] == [Level.SUGGESTION]
    assert [f.level for f in reported] == [Level.SUGGESTION]


def test_a_reported_claim_refuted_in_its_sentence_is_only_a_suggestion(builtin):
    refuted = findings(
        "Marketers claim the berry extract cures diabetes, but the evidence does not support it.", builtin
    )
    endorsed = findings("The berry extract cures diabetes.", builtin)
    relayed = findings("Doctors are calling the new injection a remarkable breakthrough.", builtin)
    assert refuted and all(f.level is Level.SUGGESTION for f in refuted)
    assert any(f.level.rank >= Level.WARNING.rank for f in endorsed)
    assert any(f.level.rank >= Level.WARNING.rank for f in relayed)  # no refutation: still the article's


def test_one_persons_story_made_a_rule_for_everyone_is_flagged(builtin):
    story = "My grandfather smoked every day and lived to 95, which shows smoking is not that dangerous."
    told = "My grandfather smoked every day and lived to 95, but most smokers die years earlier."
    assert "Evidence.AnecdoteGeneralised" in {f.rule for f in findings(story, builtin)}
    assert "Evidence.AnecdoteGeneralised" not in {f.rule for f in findings(told, builtin)}


def test_cited_proof_is_not_flagged(builtin):
    bare = "This clinically proven formula boosts immunity."
    cited = "The formula was clinically tested in 120 adults (Lee et al., 2021)."
    assert findings(bare, builtin, "Evidence.ClinicallyProven")
    assert not findings(cited, builtin, "Evidence.ClinicallyProven")


def test_words_used_literally_never_fire(tmp_path):
    """A crude profanity-style rule: names and medical senses are excused by context and exceptions."""
    rules = user_ruleset(
        tmp_path,
        {
            "Drug": """\
                extends: existence
                message: "'%s'"
                ignorecase: true
                tokens:
                  - drugs?
                  - attacks?
                  - remains
                exceptions:
                  - (?:migraine|panic|heart|asthma) attacks?
                  - remains (?:a|an|the|one|unclear|common)
            """
        },
    )
    text = (
        "The U.S. Food and Drug Administration approved it. Migraine attacks can be severe. "
        "Anaemia remains a major health challenge. Police found the drug in his car."
    )
    assert [f.match for f in findings(text, rules)] == ["drug"]


def test_title_case_headline_is_not_taken_for_a_name(builtin):
    assert findings("# Miracle Cure Found For Diabetes\n\nText follows here.\n", builtin, "Cure.MiracleCure")


def test_context_can_be_configured_per_rule(tmp_path):
    rules = user_ruleset(
        tmp_path,
        {
            "Keep": """\
                extends: existence
                message: "'%s'"
                tokens: [wonderful]
                context: {negated: keep, hedged: error}
            """
        },
    )
    assert [f.level for f in findings("It is not wonderful.", rules)] == [Level.WARNING]
    assert [f.level for f in findings("It may be wonderful.", rules)] == [Level.ERROR]


def test_unless_excuses_a_sentence(builtin):
    rule = "Evidence.RelativeRiskOnly"
    assert findings("Aspirin cuts the risk of stroke by 40%.", builtin, rule)
    assert not findings("Aspirin cuts the risk of stroke by 40%, from 5 in 100 to 3 in 100.", builtin, rule)


# --- scopes -------------------------------------------------------------------------------


SCOPED = '# Amazing Title\n\n## Amazing heading\n\nAn amazing sentence and an "amazing quote".\n'


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("title", [1]),
        ("heading", [1, 3]),
        ("sentence", [5, 5]),
        ("quotation", [5]),
        ("text", [1, 3, 5, 5]),
    ],
)
def test_scopes(tmp_path, scope, expected):
    rules = user_ruleset(
        tmp_path,
        {"Amazing": f"extends: existence\nmessage: x\nignorecase: true\nscope: {scope}\ntokens: [amazing]\n"},
    )
    doc = process_text(SCOPED, rules, media_type="markdown")
    assert [doc.text.count("\n", 0, f.start) + 1 for f in doc.findings] == expected


def test_summary_scope_checks_only_summary_sentences(tmp_path):
    rules = user_ruleset(
        tmp_path,
        {"Summ": "extends: existence\nmessage: x\nignorecase: true\nscope: summary\ntokens: [amazing]\n"},
    )
    doc = process_text("An amazing result was seen. " + "Plain sentence here. " * 8, rules)
    summary_spans = [(s.start, s.end) for s in doc.summary]
    assert all(any(lo <= f.start < hi for lo, hi in summary_spans) for f in doc.findings)


# --- rule types ---------------------------------------------------------------------------


def test_vale_existence_and_substitution_rules_load_unchanged_and_fire():
    rules = load_ruleset([VALE], builtin=False)
    assert {r.id for r in rules.rules} == {"proselint.Oxymorons", "proselint.AnimalLabels"}
    found = findings("That was an exact estimate. The hawk-like bird flew.", rules)
    assert [(f.rule, f.match, f.level) for f in found] == [
        ("proselint.Oxymorons", "exact estimate", Level.ERROR),
        ("proselint.AnimalLabels", "hawk-like", Level.ERROR),
    ]
    assert found[0].message == "'exact estimate' is an oxymoron."
    assert found[1].message == "Consider using 'accipitrine' instead of 'hawk-like'."


def test_vale_rules_run_from_the_cli(runner, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("An exact estimate.\n", encoding="utf-8")
    result = runner.invoke(main, ["check", "--rules", str(VALE), "--select", "proselint", str(page)])
    assert result.exit_code == 1
    assert "page.txt:1:4: error proselint.Oxymorons: 'exact estimate' is an oxymoron." in result.output


def test_vale_semantics_case_sensitive_by_default_and_raw(tmp_path):
    rules = user_ruleset(
        tmp_path,
        {
            "Case": "extends: existence\nmessage: x\ntokens: [Cure]\n",
            "Raw": "extends: existence\nmessage: x\nraw: ['\\d+', ' ?%']\n",
        },
    )
    found = findings("Cure, cure and 40 % more.", rules)
    assert [(f.rule, f.match) for f in found] == [("Test.Case", "Cure"), ("Test.Raw", "40 %")]


def test_sequence_rule_matches_lemma_inflections(tmp_path):
    rules = user_ruleset(
        tmp_path,
        {
            "Seq": """\
                extends: sequence
                message: "'%s'"
                patterns:
                  - [{LOWER: always}, {LEMMA: {IN: [cure, study]}}]
                  - [{IS_DIGIT: true}, {LOWER: miracles}]
            """
        },
    )
    found = findings("It always cures. It always studied. 3 miracles. It cures always.", rules)
    assert [f.match for f in found] == ["always cures", "always studied", "3 miracles"]


def test_inflections_cover_regular_and_irregular_forms():
    assert {"cures", "cured", "curing"} <= set(inflections("cure"))
    assert {"studies", "studied"} <= set(inflections("study"))
    assert {"stopped", "stopping"} <= set(inflections("stop"))
    assert "shown" in inflections("show")


def test_strength_rule_needs_observational_evidence(builtin):
    rule = "Causal.CausalFromObservational"
    assert findings("A cohort study found that coffee prevents liver cancer.", builtin, rule)
    assert not findings("A randomised trial found that the drug prevents strokes.", builtin, rule)
    assert not findings("In a cohort study, coffee was associated with less liver cancer.", builtin, rule)


def test_strengths_are_labelled_per_kept_sentence(builtin):
    doc = process_text("Coffee reduces cancer risk. Coffee was associated with lower risk.", builtin)
    assert [label for _, label in doc.strengths] == ["direct_causal", "correlational"]


def test_strength_command_labels_each_line(runner):
    text = "Coffee reduces cancer risk.\n\nCoffee was associated with lower risk.\n"
    result = runner.invoke(main, ["strength", "-"], input=text)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "direct_causal\tCoffee reduces cancer risk.",
        "",
        "correlational\tCoffee was associated with lower risk.",
    ]


def test_strength_command_rejects_binary_input(runner):
    result = runner.invoke(main, ["strength"], input=b"\xff\xfe\x00")
    assert result.exit_code == 2
    assert "not UTF-8" in result.output


# --- rule-file errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("extends: existence\nmessage: x\ntokens: [a\n", 4, "invalid YAML"),
        ("extends: existance\nmessage: x\ntokens: [a]\n", 1, "unknown rule type"),
        ("extends: existence\nmessage: x\nlevel: 3\ntokens: [a]\n", 3, "level must be"),
        ("extends: existence\nmessage: x\ntokens: 5\n", 3, "'tokens'"),
        ("extends: existence\nmessage: x\nignorecase: yes please\ntokens: [a]\n", 3, "true or false"),
        ("extends: existence\nmessage: x\n\ntokens: ['(unclosed']\n", 4, "invalid regular expression"),
        # found by Python only when compiling: rules are compiled on first use, checked at load
        ("extends: existence\nmessage: x\n\ntokens: ['(?<=a+)b']\n", 4, "fixed-width"),
        ("extends: existence\nmessage: x\ntokens: [a]\nexceptions: ['(?<!x|yy)a']\n", 4, "fixed-width"),
        ("extends: existence\nmessage: x\ntokens:\n  - a (?: b)\n", 3, "quote a regex"),
        ("extends: existence\nmessage: x\ntokens: [a]\ncontext: {sarcastic: skip}\n", 4, "unknown context"),
        ("extends: sequence\nmessage: x\npatterns: [[{POS: VERB}]]\n", 3, "trained pipeline"),
        ("extends: sequence\nmessage: x\npatterns: [[{LOWER: {BAD: 1}}]]\n", 3, "invalid token pattern"),
        ("extends: strength\nmessage: x\nlabels: [causal]\n", 3, "unknown strength label"),
        ("extends: existence\nmessage: x\ntokens: [a]\nbogus: 1\n", 4, "unknown key"),
        ("extends: existence\nmessage: x\ntokens: [a]\nwhen: 5\n", 4, "'when' must be a non-empty list"),
        ("extends: existence\nmessage: x\ntokens: [a]\nwhen: ['(a']\n", 4, "invalid regular expression"),
        (
            "extends: existence\nmessage: x\ntokens:\n  - most [a-z]+(?: [a-z]+)? (?:ever|x)\n",
            4,
            "quote a value",
        ),
    ],
)
def test_broken_rule_files_name_path_and_line(tmp_path, body, line, words):
    folder = pack(tmp_path, {"Broken": body})
    with pytest.raises(RuleError) as info:
        load_ruleset([folder], builtin=False)
    assert f"Broken.yml:{line}:" in str(info.value)
    assert words in str(info.value)


def test_broken_rule_file_exits_2_from_the_cli(runner, tmp_path):
    folder = pack(tmp_path, {"Broken": "extends: nothing\nmessage: x\n"})
    page = tmp_path / "page.txt"
    page.write_text("Text.\n", encoding="utf-8")
    result = runner.invoke(main, ["check", "--rules", str(folder), str(page)])
    assert result.exit_code == 2
    assert "Broken.yml:1: unknown rule type 'nothing'" in result.output


# --- the seed article ---------------------------------------------------------------------


def test_seed_literal_words_and_statistics_are_not_flagged(runner, seed_path):
    result = runner.invoke(main, ["check", str(seed_path)])
    assert result.exit_code == 1
    claims = [line for line in result.output.splitlines() if " Promo." not in line]
    text = seed_path.read_text(encoding="utf-8")
    for phrase in ("attacks", "Drug Administration", "significant reduction"):
        start = text.index(phrase)
        line, col = text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
        assert not any(f":{line}:{col}:" in c for c in claims), phrase
    hype = [c.split("'")[1].lower() for c in claims if " Hype." in c]
    assert sorted(hype) == sorted(
        ["transformative"] * 2 + ["remarkable"] * 2 + ["promising"] * 3 + ["innovative"]
    )


# --- quality gate: a small labelled set written for these tests -----------------------------

CLEAN = [
    "There is no cure for type 1 diabetes, but insulin lets people live full lives.",
    "Antibiotics usually cure strep throat within ten days.",
    "Always check with your pharmacist before taking two medicines together.",
    "Never give aspirin to children with a fever.",
    "Everyone needs vitamin D, and most people get enough from sunlight.",
    "Migraine attacks can last from four hours to three days.",
    "The Food and Drug Administration approved the vaccine for adults over 65.",
    "Smoking is one of the most common causes of lung cancer.",
    "Most people have no side effects from the flu shot; some have a sore arm.",
    "In a randomised trial, the drug lowered blood pressure more than placebo did.",
    "People with asthma are more likely to get pneumonia after the flu.",
    "The infection remains a leading cause of death in young children.",
    "Treatment can help control symptoms, but it does not cure the disease.",
    "A cure for Alzheimer's disease has not been found.",
    "The drug was tested in 2,000 adults (Lee et al., 2020).",
    "Is surgery a cure for sleep apnoea? Not always.",
    "Be wary of products promising a miracle cure.",
    "Keep quick-fix foods such as juice nearby if your blood sugar drops.",
    "Wait until the wound is completely healed before swimming.",
    "Researchers hope to test the treatment in a larger trial.",
]
HYPE = [
    "This ancient remedy is a miracle for joint pain.",
    "The new pill cures diabetes without diet or exercise.",
    "Turmeric is completely safe and has zero side effects.",
    "Our clinically proven formula melts belly fat.",
    "A breakthrough drug offers new hope to millions of cancer sufferers.",
    "The results of the trial were truly remarkable.",
    "This detox tea works for everyone.",
    "The supplement never fails to boost energy.",
    "My neighbour tried the drops and her eyesight came back.",
    "Eating walnuts cuts the risk of heart disease by 50%.",
    "A survey of 3,000 adults shows that daily yoga prevents depression.",
    "Because it's natural, the remedy is gentle and safe.",
    "Guaranteed results in just 14 days.",
    "The device permanently eliminates back pain.",
    "It's the most effective treatment ever developed for arthritis.",
    "The gene therapy was a game changer for patients.",
    "Doctors were amazed by the transformative results.",
    "This berry extract treats a wide range of diseases.",
    "The therapy dramatically improves memory.",
    "Researchers call the drug a promising treatment for obesity.",
]
CLEAN_FLOOR = 0.95  # share of clean sentences without a warning or error (pinned: 20/20 today)
HYPE_FLOOR = 0.95  # share of hype sentences with a warning or error (pinned: 20/20 today)


def _flagged(text: str, ruleset) -> bool:
    return any(f.level.rank >= Level.WARNING.rank for f in findings(text, ruleset))


def test_quality_gate_clean_sentences(builtin):
    flagged = [s for s in CLEAN if _flagged(s, builtin)]
    assert 1 - len(flagged) / len(CLEAN) >= CLEAN_FLOOR, flagged


def test_quality_gate_hype_sentences(builtin):
    missed = [s for s in HYPE if not _flagged(s, builtin)]
    assert 1 - len(missed) / len(HYPE) >= HYPE_FLOOR, missed


def test_rules_commands(runner, tmp_path):
    listed = runner.invoke(main, ["rules", "list", "--select", "Cure"])
    assert listed.exit_code == 0
    assert "Cure.CureClaim" in listed.output and "Hype." not in listed.output
    shown = runner.invoke(main, ["rules", "show", "Safety.NoSideEffects"])
    assert "## Why it matters" in shown.output and "## Does not flag" in shown.output
    missing = runner.invoke(main, ["rules", "test", str(VALE)])
    assert missing.exit_code == 1
    assert "proselint.Oxymorons: needs at least one 'flag' and one 'pass' example" in missing.output


def test_summary_rules_fire_in_text_reports_and_json_reports_keep_summary_and_strengths(runner, tmp_path):
    """`check` skips the summary and strength stages for text output, but not what needs them."""
    import json

    from cli import main

    (tmp_path / "Pack").mkdir()
    (tmp_path / "Pack" / "Summ.yml").write_text(
        "extends: existence\nmessage: hype in the summary\nignorecase: true\nscope: summary\ntokens: [amazing]\n"
    )
    article = tmp_path / "a.txt"
    article.write_text("An amazing result was seen in the trial. " + "Plain sentence here. " * 8)
    text = runner.invoke(main, ["check", str(article), "--rules", str(tmp_path / "Pack")])
    assert "Pack.Summ" in text.output
    report = runner.invoke(main, ["check", str(article), "--format", "json"])
    doc = json.loads(report.output)["documents"][0]
    assert doc["summary"] and doc["strength"]


@pytest.mark.parametrize(
    "token",
    [
        {"LOWER": "cure"},
        {"LOWER": {"IN": ["cure", "heal"]}, "OP": "?"},
        {"ORTH": {"REGEX": "^[A-Z]"}},
        {"LENGTH": {">=": 3}},
        {"LENGTH": 4},
        {"IS_PUNCT": True},
        {"LIKE_NUM": True, "OP": "{1,3}"},
        {"NORM": {"NOT_IN": ["x"]}},
        {"TEXT": {"FUZZY": "remarkable"}},
        {"LOWER": {"BAD": 1}},
        {"FOO": "x"},
        {"LOWER": "x", "OP": "x"},
        {"LOWER": 1},
        {"LENGTH": "x"},
        {"IS_PUNCT": "yes"},
        {"LOWER": {"REGEX": "("}},
        {"LENGTH": {"IN": ["a"]}},
        {"OP": "{2,}"},
    ],
)
def test_token_patterns_are_refused_at_load_exactly_when_spacys_matcher_refuses_them(token):
    """Patterns are checked without importing spaCy; the verdict must be the Matcher's."""
    from spacy.matcher import Matcher

    from pipeline.checks.sequence import pattern_problem
    from pipeline.nlp import get_nlp

    try:
        Matcher(get_nlp().vocab, validate=True).add("x", [[token]])
        spacy_ok = True
    except Exception:
        spacy_ok = False
    assert (pattern_problem(token) is None) == spacy_ok


def test_when_reports_a_hit_only_in_a_sentence_that_matches(tmp_path):
    rules = user_ruleset(
        tmp_path,
        {
            "Leap": """\
                extends: existence
                message: "'%s' is a leap."
                level: warning
                tokens: [so it works]
                when: [people who]
            """
        },
    )
    text = "People who try it feel better, so it works.\n\nThe tablet dissolves fast, so it works.\n"
    found = findings(text, rules, "Test.Leap")
    assert len(found) == 1
    assert found[0].start < text.index("The tablet")


# The context cues skip their regex when a sentence lacks every literal it needs: an
# optimisation only, so each must answer exactly as its regex does.
_CUES = [(name, cue) for name, cue in vars(claims_module).items() if isinstance(cue, claims_module._Cue)]
_CUE_TEXTS = [t for r in load_ruleset().rules for t in (*r.flag_examples, *r.pass_examples)] + [
    "Dr Lee said the cure works, according to the company.",
    "A cure has not been found (Lee et al., 2021), published in BMJ.",
    "Red flags such as 'miracle cure' are warning signs; but it was debunked.",
    "It is not a cure; they don't know, though it may help some.",
    "SAID IN CAPITALS: NO EVIDENCE. Ca't; won't; isn't.",
]


@pytest.mark.parametrize(("name", "cue"), _CUES, ids=[name for name, _ in _CUES])
def test_a_context_cue_finds_what_its_regex_finds(name, cue):
    assert len(_CUES) >= 8
    for text in _CUE_TEXTS:
        for piece in (text, text[: len(text) // 2], text[len(text) // 2 :]):
            expected = cue.pattern.search(piece)
            found = cue.search(piece)
            assert (found and found.span()) == (expected and expected.span()), (name, piece)
            expected = cue.pattern.match(piece)
            found = cue.match(piece)
            assert (found and found.span()) == (expected and expected.span()), (name, piece)


def test_clauses_split_where_the_strong_break_pattern_splits():
    for text in _CUE_TEXTS:
        assert claims_module._clauses(text) == claims_module._STRONG_BREAK.split(text), text


@given(st.text(alphabet=st.sampled_from(list("ab -\t\n\u00a0\u2014;")), max_size=30))
@settings(max_examples=300, deadline=None)
def test_clauses_split_at_a_spaced_dash_only_where_the_pattern_does(text):
    # "real-world" holds a dash but no break; " - " and a dash between other spaces do.
    assert claims_module._clauses(text) == claims_module._STRONG_BREAK.split(text)


# --- context gates: a cheap test first, the same answers as the regex alone ------------------

_GATE_WORDS = [
    "not", "no", "nor", "none", "cannot", "can't", "won\u2019t", "dont", "isnt", "rather", "than",
    "instead", "of", "far", "from", "lacking", "unlikely", "know", "note", "Normal", "The", "Botox",
    "Clinic", "and", "the", "for", "on", "&", "Mayo", "promising", "remarkable", "a", "-", "(", "\u00e9t\u00e9",
    "O'Neil", "x_y", "NEVER", "Without", "farther", "slack",
]  # fmt: skip
_GATE_TEXT = st.lists(st.sampled_from(_GATE_WORDS), max_size=12).map(" ".join)


@given(_GATE_TEXT)
@settings(max_examples=400, deadline=None)
def test_the_negation_gate_answers_as_the_negation_pattern(window: str) -> None:
    assert claims_module._has_negation(window) == bool(claims_module._NEGATION.search(window))


@given(_GATE_TEXT, st.integers(min_value=0, max_value=80))
@settings(max_examples=400, deadline=None)
def test_the_name_gate_never_rules_out_an_offset_inside_a_name(sentence: str, lo: int) -> None:
    lo = min(lo, len(sentence))
    inside = any(m.start() <= lo < m.end() for m in claims_module._NAME.finditer(sentence))
    if inside:
        assert claims_module._may_be_in_name(sentence, lo)


def test_a_hype_word_in_a_clinics_name_is_skipped_and_one_in_prose_is_flagged(builtin) -> None:
    text = "We visited the Remarkable Health Clinic in town. It reported a remarkable result in the trial."
    hits = [f.start for f in findings(text, builtin) if f.rule == "Hype.Remarkable"]
    assert hits == [text.index("remarkable result")]
