"""Cut text is joined at its seams only: elsewhere the cleaned text is the writer's."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cleaning import kept_text


def _cut(text: str, *removed: str) -> str:
    """``text`` without each of the ``removed`` substrings (found by position in the text)."""
    ranges = sorted((text.index(r), text.index(r) + len(r)) for r in removed)
    return kept_text(text, 0, len(text), ranges)


@pytest.mark.parametrize(
    ("text", "removed", "expected"),
    [
        # one space where the cut was, whatever spacing the cut left on each side
        ("Botox helps BUY NOW  with migraine.", ["BUY NOW"], "Botox helps with migraine."),
        # no space before punctuation that follows a cut
        ("Botox helps with migraine visit kb.com .", ["visit kb.com"], "Botox helps with migraine."),
        ("Results vary botox voor en na , by patient.", ["botox voor en na"], "Results vary, by patient."),
        # two cuts in a row leave one seam
        (
            "Rest well. Click here. Visit us. Sleep more.",
            ["Click here.", "Visit us."],
            "Rest well. Sleep more.",
        ),
        # a wrapped line's break at a seam is a blank like any other
        ("Rest well, as explained in\nBUY NOW.", ["BUY NOW"], "Rest well, as explained in."),
        ("Rest well\nBUY NOW and sleep.", ["BUY NOW"], "Rest well and sleep."),
        # the writer's own spacing away from any cut is kept as typed
        ("Keep  calm. BUY NOW Manage migraine. .", ["BUY NOW "], "Keep  calm. Manage migraine. ."),
    ],
)
def test_seams_are_tidied_and_nothing_else(text, removed, expected):
    assert _cut(text, *removed) == expected


def test_text_without_cuts_is_returned_as_written():
    text = "Stray  spacing , and a period . stay."
    assert kept_text(text, 0, len(text), []) == text


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(st.text(alphabet=list("ab. \t\n\r\x0b\x0c\u00a0\u2028\x85\x1cé"), max_size=40))
def test_one_line_reads_line_breaks_as_the_line_break_pattern_does(text):
    # one_line walks out from each break instead of trying the pattern at every character
    from pipeline.cleaning import _LINE_BREAK, one_line

    assert one_line(text) == _LINE_BREAK.sub(" ", text)
