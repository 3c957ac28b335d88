"""Foreign phrases: looking up only the words the lexicon pattern points at changes nothing."""

from __future__ import annotations

import pytest

from pipeline.language import foreign_phrases
from pipeline.ruleset import load_ruleset

RULESET = load_ruleset()
RULE = RULESET.get("Promo.ForeignKeyword")
CHECK = dict(zip((r.id for r in RULESET.rules), RULESET.checks, strict=True))["Promo.ForeignKeyword"]
OPTS = CHECK.options
TWO_LINES = "Botox voor en na: results vary.\nMany patients (botox kopen) report fewer headaches."
TEXTS = [
    *RULE.flag_examples,
    *RULE.pass_examples,
    TWO_LINES,
    "Kidney stones kliniek Amsterdam offers the treatment.\nSjögren and Ménière are names, not keywords.",
    "The straße leading to the clinic is closed; prijzen zonder recept vary by pharmacy.",
    "An article with no keyword at all, in plain English.",
    "",
]


def _subject(word: str) -> bool:
    return word.lower() in {"botox", "kidney", "stones"}


@pytest.mark.parametrize("text", TEXTS)
def test_hinted_lookup_finds_what_looking_at_every_word_finds(text):
    hints = [(m.start(), m.end()) for m in OPTS.finditer(text)]
    assert list(foreign_phrases(text, OPTS.matches, _subject, hints)) == list(
        foreign_phrases(text, OPTS.matches, _subject, None)
    )


def test_phrases_are_found_on_every_line_that_holds_one():
    hints = [(m.start(), m.end()) for m in OPTS.finditer(TWO_LINES)]
    found = [TWO_LINES[p.start : p.end] for p in foreign_phrases(TWO_LINES, OPTS.matches, _subject, hints)]
    assert found == ["Botox voor en na", "(botox kopen)"]


def test_loanwords_units_and_mis_decoded_text_are_no_foreign_phrase():
    text = "Treatment-naïve patients had 5 µmol/L of free ßhCG; the patientsÂ column was mis-decoded."
    hints = [(m.start(), m.end()) for m in OPTS.finditer(text)]
    assert list(foreign_phrases(text, OPTS.matches, _subject, hints)) == []


def test_two_words_spelt_with_foreign_letters_are_a_phrase():
    text = "Our clinic sells günstige präparate at fair rates."
    found = [text[p.start : p.end] for p in foreign_phrases(text, OPTS.matches, _subject, None)]
    assert found == ["günstige präparate"]
