"""Sentence splitting: spaCy's sentencizer rule over spaCy-identical tokens, and the block rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.nlp import get_nlp
from pipeline.ruleset import load_ruleset
from pipeline.run import process_text
from pipeline.sentences import _sentencizer_starts
from pipeline.tokenizer import get_tokenizer

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TEXTS = [
    "Dr. Smith said so. It works!! Does it? Yes... maybe.",
    "Levels of vitamin D. Babies need it (see U.S. data). “Quoted.” Next one",
    "",
    "...",
    "Botox.Don't for get to visit this text to kb. Done",
    *(t for r in load_ruleset().rules for t in r.flag_examples),
    *(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.*"))),
]


@pytest.mark.parametrize("text", TEXTS)
def test_sentences_start_where_spacys_sentencizer_starts_them(text):
    tokens = get_tokenizer()(text)
    ours = [tokens.starts[i] for i in _sentencizer_starts(text, tokens)]
    assert ours == [s.start_char for s in get_nlp()(text).sents]


def test_sentences_split_at_a_name_letter_but_not_at_an_initial():
    doc = process_text("Take vitamin D. Babies need it. John A. Smith agrees.", load_ruleset())
    assert [doc.text[s.start : s.end] for s in doc.sentences()] == [
        "Take vitamin D.",
        "Babies need it.",
        "John A. Smith agrees.",
    ]
