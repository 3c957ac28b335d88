"""Sentence splitting: spaCy's sentencizer rule, read from token arrays, and the block rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.nlp import get_nlp, tokenize
from pipeline.ruleset import load_ruleset
from pipeline.run import process_text
from pipeline.sentences import _sentencizer_starts

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TEXTS = [
    "Dr. Smith said so. It works!! Does it? Yes... maybe.",
    "Levels of vitamin D. Babies need it (see U.S. data). “Quoted.” Next one",
    "",
    "...",
    *(t for r in load_ruleset().rules for t in r.flag_examples),
    *(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.*"))),
]


@pytest.mark.parametrize("text", TEXTS)
def test_array_sentencizer_starts_where_spacys_pipe_does(text):
    tokens = tokenize(text)
    rows = tokens.to_array(["IDX", "ORTH", "IS_PUNCT"]).tolist() if len(tokens) else []
    piped = get_nlp().get_pipe("sentencizer")(tokenize(text))
    assert _sentencizer_starts(rows) == [s.start for s in piped.sents]


def test_sentences_split_at_a_name_letter_but_not_at_an_initial():
    doc = process_text("Take vitamin D. Babies need it. John A. Smith agrees.", load_ruleset())
    assert [doc.text[s.start : s.end] for s in doc.sentences()] == [
        "Take vitamin D.",
        "Babies need it.",
        "John A. Smith agrees.",
    ]
