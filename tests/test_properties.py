"""Properties of the text path that must hold for any input (hypothesis).

Offsets of findings and removals lie within the text and slice back to what they report;
``clean`` never adds text; cleaning the cleaned text again changes nothing.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.cleaning import cleaned_text
from pipeline.ruleset import load_ruleset
from pipeline.run import process_text

RULESET = load_ruleset()
WORDS = [
    "Botox",
    "migraine",
    "remarkable",
    "cure",
    "cures",
    "not",
    "no",
    "promising",
    "may",
    "help",
    "patients",
    "study",
    "shows",
    "click",
    "here",
    "visit",
    "this",
    "link",
    "read",
    "more",
    "articles",
    "from",
    "the",
    "source",
    "of",
    "example.com",
    "Don't",
    "forget",
    "to",
    "100%",
    "safe",
    "always",
    "never",
    "causes",
    "linked",
    "associated",
    "with",
    "risk",
    '"',
    "(",
    ")",
    ",",
    ".",
    "!",
    "?",
    ":",
    ";",
    "-",
    "\n",
    "\n\n",
    "# ",
    "- ",
    "`code`",
    "[a](https://x.org)",
]
# Derandomized: the suite must give the same verdict on every run (CI gates on it); the
# open-ended search for new failing inputs is bench/fuzz.py's job.
SETTINGS = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

texts = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join),
    st.text(max_size=400),
)


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@SETTINGS
@given(texts, st.sampled_from(["text", "markdown", "html"]))
def test_spans_lie_in_the_text_and_slice_back(text, media_type):
    doc = process_text(text, RULESET, media_type=media_type)
    assert not doc.errors, doc.errors
    for finding in doc.findings:
        assert 0 <= finding.start <= finding.end <= len(doc.text)
        assert doc.text[finding.start : finding.end] == finding.match
    for removal in doc.removals:
        assert 0 <= removal.start < removal.end <= len(doc.text)
    for block in doc.blocks:
        for sentence in block.sentences:
            assert block.start <= sentence.start < sentence.end <= block.end


@SETTINGS
@given(texts)
def test_clean_never_adds_words(text):
    doc = process_text(text, RULESET)
    source = _tokens(doc.text)
    for token in set(_tokens(cleaned_text(doc))):
        assert _tokens(cleaned_text(doc)).count(token) <= source.count(token)


@SETTINGS
@given(texts)
@example("Botox \n migraine \n migraine")  # a wrapped paragraph hypothesis once found
def test_clean_is_idempotent(text):
    once = cleaned_text(process_text(text, RULESET))
    twice = cleaned_text(process_text(once, RULESET))
    assert twice == once


@pytest.mark.parametrize(
    "text",
    [
        "Patients improved.Don't forget to visit this link for deals\n",
        "You can read more health articles like this from the source of cheap-news.com\n\nSleep matters.\n",
    ],
)
def test_known_injections_are_idempotent(text):
    once = cleaned_text(process_text(text, RULESET))
    assert cleaned_text(process_text(once, RULESET)) == once
