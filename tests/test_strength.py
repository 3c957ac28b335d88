"""Behavioural tests for the rule-based claim-strength classifier.

Every sentence here was written for these tests (none is taken from an evaluation set); they mix
abstract-style and press-release-style wording so that the rules are checked on both registers.
"""

from __future__ import annotations

import time

import pytest

from pipeline.strength import Strength, classify, classify_many, explain

DIRECT = Strength.DIRECT_CAUSAL
CONDITIONAL = Strength.CONDITIONAL_CAUSAL
CORRELATIONAL = Strength.CORRELATIONAL
NONE = Strength.NONE

DIRECT_CAUSAL_CASES = [
    "Drinking coffee lowers your risk of liver disease.",
    "Daily walking reduces blood pressure in older adults.",
    "The new drug improved survival in patients with advanced melanoma.",
    "Smoking causes lung cancer.",
    "Exposure to traffic noise increases the risk of heart attack.",
    "The vaccine is effective in preventing severe illness.",
    "High sugar intake led to weight gain in the mice.",
    "Aspirin cut the number of strokes by a third.",
    "The training programme resulted in fewer falls among residents.",
    "Vitamin D supplements did not prevent fractures in healthy adults.",
    "Mindfulness therapy was effective for reducing anxiety.",
    "Regular exercise helps prevent type 2 diabetes.",
    "Sleep deprivation impairs memory consolidation.",
    "The treatment significantly shortened hospital stays.",
    "Muscle strength was improved by the supplement.",
    "The researchers showed that the enzyme drives tumour growth.",
    "Eating oily fish protects against dementia, the study found.",
    "Air pollution contributes to asthma in children.",
    "Breastfeeding boosts the infant immune system.",
    "The intervention had a large effect on reading scores.",
]

CONDITIONAL_CAUSAL_CASES = [
    "Green tea may reduce the risk of stroke.",
    "The supplement might cause liver damage in some users.",
    "A daily nap could improve heart health.",
    "The drug appears to increase bone density.",
    "Eating more fibre may help prevent bowel cancer.",
    "Exercise seems to slow the progression of the disease.",
    "These results suggest that the diet may lower cholesterol.",
    "Vitamin C could potentially shorten the duration of colds.",
    "The therapy may be effective for treating chronic pain.",
    "Reducing screen time might improve sleep quality in teenagers.",
    "Loud music may damage hearing over time.",
    "The hormone is likely to play a role in appetite control.",
]

CORRELATIONAL_CASES = [
    "Higher coffee consumption was associated with lower mortality.",
    "Scientists found a link between red meat and colon cancer.",
    "Obesity is linked to an increased risk of several cancers.",
    "Vitamin D levels correlated with muscle strength.",
    "Poor sleep predicts later cognitive decline.",
    "Smoking is a major risk factor for heart disease.",
    "Depression was more common in people who lived alone.",
    "Patients with diabetes had higher rates of infection than those without.",
    "Women who walked daily were less likely to develop dementia.",
    "Blood pressure was higher among night-shift workers.",
    "People who ate nuts had a lower risk of heart disease.",
    "There was a strong relationship between income and life expectancy.",
    "Vitamin D levels were not associated with fracture risk.",
    "Green tea drinking may be associated with a lower risk of stroke.",
    "Children exposed to lead were at increased risk of learning problems.",
]

NONE_CASES = [
    "We recruited 120 adults from three hospitals.",
    "Participants completed a questionnaire about their diet.",
    "Further research is needed to confirm these findings.",
    "Doctors should discuss the risks with their patients.",
    "The study was funded by the National Institutes of Health.",
    "Trial registration: ClinicalTrials.gov identifier NCT01234567.",
    "The mean age of the cohort was 54 years.",
    "Larger randomised trials are warranted to test whether the drug reduces mortality.",
    "Most participants were women.",
    "Interventions to improve adherence are urgently needed.",
    "The aim of this study was to evaluate a new screening test.",
    "Obesity is common in this population.",
]


@pytest.mark.parametrize("sentence", DIRECT_CAUSAL_CASES)
def test_direct_causal(sentence: str) -> None:
    assert classify(sentence) is DIRECT


@pytest.mark.parametrize("sentence", CONDITIONAL_CAUSAL_CASES)
def test_conditional_causal(sentence: str) -> None:
    assert classify(sentence) is CONDITIONAL


@pytest.mark.parametrize("sentence", CORRELATIONAL_CASES)
def test_correlational(sentence: str) -> None:
    assert classify(sentence) is CORRELATIONAL


@pytest.mark.parametrize("sentence", NONE_CASES)
def test_none(sentence: str) -> None:
    assert classify(sentence) is NONE


# Participles after prepositions or "had" are adjectives, not causal verbs.
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Statins reduced cardiovascular deaths.", DIRECT),
        ("Statin use was associated with reduced cardiovascular deaths.", CORRELATIONAL),
        ("Patients with reduced kidney function had more complications than others.", CORRELATIONAL),
        ("Smokers had increased levels of inflammation.", CORRELATIONAL),
        ("Interventions are needed to reduce obesity.", NONE),
        ("The risk of dementia increases with age.", CORRELATIONAL),
        ("The increase in cases was modest.", CORRELATIONAL),
    ],
)
def test_verb_versus_adjective(sentence: str, expected: Strength) -> None:
    assert classify(sentence) is expected


# By default a negated claim keeps the type of language it uses ("did not reduce" is causal
# wording); with negated_as_none=True it is treated as making no claim.
@pytest.mark.parametrize(
    ("sentence", "default", "negation_policy"),
    [
        ("The drug did not reduce mortality.", DIRECT, NONE),
        ("Fish oil does not improve memory.", DIRECT, NONE),
        ("Coffee intake was not associated with cancer risk.", CORRELATIONAL, NONE),
        ("There was no association between diet and mood.", CORRELATIONAL, NONE),
        ("The supplement may not prevent colds.", CONDITIONAL, NONE),
        ("Exercise reduced pain.", DIRECT, DIRECT),
        ("Sleep was associated with mood.", CORRELATIONAL, CORRELATIONAL),
    ],
)
def test_negation(sentence: str, default: Strength, negation_policy: Strength) -> None:
    assert classify(sentence) is default
    assert classify(sentence, negated_as_none=True) is negation_policy


def test_negated_as_none_keeps_an_unnegated_claim_beside_it() -> None:
    sentence = "The drug did not reduce mortality but improved quality of life."
    assert classify(sentence) is DIRECT
    assert classify(sentence, negated_as_none=True) is DIRECT
    label, cues = explain("The drug did not reduce mortality.", negated_as_none=True)
    assert label is NONE
    assert cues and all(cue.startswith("negated") for cue in cues)


# Claims that are asked about, recommended or only named as a research topic are not asserted.
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The trial will test whether the drug prevents strokes.", NONE),
        ("It is unclear if screening improves survival.", NONE),
        ("We examined the effects of caffeine on sleep.", NONE),
        ("The team studied the impact of noise on learning.", NONE),
        ("Caffeine had a strong effect on sleep.", DIRECT),
        ("Future studies should test whether exercise lowers blood pressure.", NONE),
        ("Exercise lowered blood pressure, although further trials are needed.", DIRECT),
        ("To explore these associations, we linked two registries.", NONE),
        ("These associations persisted after adjustment.", CORRELATIONAL),
    ],
)
def test_unasserted_claims(sentence: str, expected: Strength) -> None:
    assert classify(sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("CONCLUSIONS: Statins reduced mortality in older adults.", DIRECT),
        ("TRIAL REGISTRATION: ISRCTN12345678.", NONE),
        ("The results were presented at the American Heart Association meeting.", NONE),
        ("(Funded by the Medical Research Council.)", NONE),
        ("\u00a9 2020 The Authors.", NONE),
    ],
)
def test_headers_and_boilerplate(sentence: str, expected: Strength) -> None:
    assert classify(sentence) is expected


# Evaluative wording: efficacy adjectives and "useful in reducing" claim that something works.
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The app may be useful in reducing stress.", CONDITIONAL),
        ("The programme was successful in lowering readmissions.", DIRECT),
        ("Olive oil is good for your heart.", DIRECT),
        ("Sugary drinks make children hyperactive.", DIRECT),
        ("The compound is a promising treatment for gout.", CONDITIONAL),
        ("The test is cost-effective.", DIRECT),
    ],
)
def test_evaluative_claims(sentence: str, expected: Strength) -> None:
    assert classify(sentence) is expected


def test_hedge_only_in_its_own_clause() -> None:
    # The modal belongs to the recommendation clause, not to the finding.
    sentence = "The drug lowered blood pressure; whether it prevents strokes remains to be seen."
    assert classify(sentence) is DIRECT
    assert classify("The drug may lower blood pressure.") is CONDITIONAL


def test_explain_reports_cues() -> None:
    label, cues = explain("Green tea may reduce the risk of stroke.")
    assert label is CONDITIONAL
    assert any("reduce" in cue for cue in cues)
    label, cues = explain("Participants were recruited online.")
    assert label is NONE
    assert cues == []


def test_classify_many_preserves_order() -> None:
    sentences = [
        "Smoking causes lung cancer.",
        "Smoking may cause lung cancer.",
        "Smoking is associated with lung cancer.",
        "Participants were asked about smoking.",
    ]
    assert classify_many(sentences) == [DIRECT, CONDITIONAL, CORRELATIONAL, NONE]
    assert classify_many(iter(sentences)) == classify_many(sentences)


def test_empty_and_odd_input() -> None:
    assert classify("") is NONE
    assert classify("   ") is NONE
    assert classify("!!!") is NONE
    assert classify("SMOKING CAUSES LUNG CANCER.") is DIRECT


def test_labels_are_strings() -> None:
    assert Strength("direct_causal") is DIRECT
    assert {s.value for s in Strength} == {
        "none",
        "correlational",
        "conditional_causal",
        "direct_causal",
    }


def test_fast_enough() -> None:
    sentence = (
        "In this cohort, higher intake of whole grains was associated with a lower risk of type 2"
        " diabetes, and the effect may be partly explained by improved insulin sensitivity."
    )
    n = 2000
    start = time.perf_counter()
    for _ in range(n):
        classify(sentence)
    per_sentence = (time.perf_counter() - start) / n
    # Generous bound so the test is not flaky on slow CI machines; the benchmark reports the
    # real figure.
    assert per_sentence < 500e-6
