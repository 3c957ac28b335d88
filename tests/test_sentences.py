"""Sentence splitting: spaCy's sentencizer rule over spaCy-identical tokens, and the block rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cleaning import cleaned_text
from pipeline.nlp import get_nlp
from pipeline.ruleset import load_ruleset
from pipeline.run import process_text
from pipeline.sentences import _sentencizer_starts, sentence_spans, sentence_starts
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


def _starts_from_every_token(text: str) -> list[int]:
    from pipeline.sentences import _LINE_BREAKS, _letter_period_starts

    text = text.translate(_LINE_BREAKS)
    tokens = get_tokenizer()(text)
    found = {tokens.starts[i] for i in _sentencizer_starts(text, tokens)}
    found |= {tokens.starts[i] for i in _letter_period_starts(text, tokens)}
    return sorted(found)


PIECES = [
    "Dr.",
    "U.S.",
    "e.g.",
    ":)",
    "(",
    ")",
    '"',
    ".",
    "!",
    "?",
    "...",
    "D.",
    "Babies",
    "vitamin",
    'end."',
    "ok?!",
    "3.5",
    "here).",
    "\u201c",
    "\u201d",
    "A.",
    "x",
    "\u00a0",
    ".)",
    "!!",
    "\u3002",
]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(["", " ", "  ", "\n"])), max_size=14))
def test_reading_only_the_pieces_around_sentence_ends_finds_the_same_starts(parts):
    text = "".join(piece + gap for piece, gap in parts)
    assert sentence_starts(text) == _starts_from_every_token(text)


@pytest.mark.parametrize("text", TEXTS)
def test_reading_only_around_sentence_ends_finds_the_corpus_starts(text):
    assert sentence_starts(text) == _starts_from_every_token(text)


def test_a_sentence_glued_to_an_acronym_or_a_number_is_split_but_initials_are_not() -> None:
    def split(text: str) -> list[str]:
        return [text[a:b] for a, b in sentence_spans(text)]

    assert split("No one knows what causes CFS.Grab yours today at shop-example.com.") == [
        "No one knows what causes CFS.",
        "Grab yours today at shop-example.com.",
    ]
    assert split("Cases rose in 2019.The rate fell in 2020.") == [
        "Cases rose in 2019.",
        "The rate fell in 2020.",
    ]
    assert split("The U.S.Army runs its own clinics.") == ["The U.S.Army runs its own clinics."]
    assert split("Take 2.5 mg daily.") == ["Take 2.5 mg daily."]


def test_a_call_to_action_glued_to_an_acronym_goes_and_the_sentence_before_it_stays() -> None:
    text = (
        "Chronic fatigue syndrome\n\nCFS is a long illness that makes people very tired. "
        "No one knows what causes CFS.Grab yours today at vitalstore-example.com while stocks last! "
        "It is most common in women in their 40s and 50s.\n"
    )
    cleaned = cleaned_text(process_text(text, load_ruleset()))
    assert "No one knows what causes CFS." in cleaned
    assert "vitalstore" not in cleaned


def test_sentence_final_positions_are_where_the_final_characters_stand() -> None:
    from pipeline.tokenizer import get_tokenizer

    tokenizer = get_tokenizer()
    for text in ["Done. Really? Yes! No", "Ende. Fin. ¿Qué? 終わり。はい", "", "no marks here", "a.b.c?d!"]:
        assert tokenizer.sentence_final_positions(text) == [
            i for i, char in enumerate(text) if tokenizer.is_sentence_final(char)
        ], text
