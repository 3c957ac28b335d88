"""The pure-Python tokenizer must tokenize exactly as spaCy's English tokenizer does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.nlp import get_nlp
from pipeline.ruleset import load_ruleset
from pipeline.tokenizer import RULES_FILE, Tokenizer, dump_rules

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TOKENIZER = Tokenizer.from_file()
TEXTS = [
    "Dr. Smith (U.S.) said: \"it's 10a.m. now\" -- e.g. at 3.5% or $10; don't!",
    "Visit https://example.com/a?b=1 or mail me@example.org :) <3 co-op o'clock naïve …",
    "Botox.Don't for get  to visit\tthis text\u00a0to kb.\n\nNew block",
    *(t for r in load_ruleset().rules for t in (*r.flag_examples, *r.pass_examples)),
    *(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.*"))),
]
PIECES = [
    "Dr.",
    "U.S.",
    "e.g.",
    "don't",
    "I'm",
    "a.m.",
    "10am",
    ":)",
    ":-)",
    "o'clock",
    "(",
    ")",
    '"',
    "'",
    ".",
    ",",
    "!",
    "?",
    "...",
    "\u2014",
    "-",
    "http://x.com/a?b=1",
    "www.example.com",
    "3.5",
    "5%",
    "$10",
    "co-op",
    "Botox.Don't",
    "D.",
    "\u201cquoted\u201d",
    "'s",
    "\u2019s",
    "n't",
    "St.",
    "etc.",
    "vs.",
    "#1",
    "C++",
    "x/y",
    "a:b",
    "na\u00efve",
    "\u2026",
    "``",
    'end."',
    "ok?!",
    "\u00a0",
    "  ",
]


def _spacy(text: str) -> list[tuple[int, int]]:
    return [(t.idx, t.idx + len(t.text)) for t in get_nlp().tokenizer(text)]


def _ours(text: str) -> list[tuple[int, int]]:
    tokens = TOKENIZER(text)
    return list(zip(tokens.starts, tokens.ends, strict=True))


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_equal_spacys(text):
    assert _ours(text) == _spacy(text)


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(["", " ", "  ", "\n"])), max_size=14))
def test_tokens_equal_spacys_on_mixed_special_cases(parts):
    text = "".join(piece + gap for piece, gap in parts)
    assert _ours(text) == _spacy(text)


def test_the_copied_rules_are_the_installed_spacys(tmp_path):
    """Upgrading spaCy must come with `python -m pipeline.tokenizer` (the copy is regenerated)."""
    fresh = tmp_path / "rules.json"
    dump_rules(fresh)
    assert json.loads(fresh.read_text(encoding="utf-8")) == json.loads(RULES_FILE.read_text(encoding="utf-8"))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from([p for p in PIECES if p.strip() == p and " " not in p]), min_size=1, max_size=16)
)
def test_pieces_near_sentence_ends_are_read_from_the_spaces_as_from_the_whole_table(words):
    # Words between single spaces: the pieces around each sentence-final character, found
    # from the spaces beside it, are those the whole piece table gives.
    text = " ".join(words)
    finals = TOKENIZER.sentence_final_positions(text)
    assert TOKENIZER._pieces_near_single_spaced(text, finals) == TOKENIZER._pieces_near(text, finals)
    tokens = TOKENIZER.tokens_near(text, finals)
    assert set(zip(tokens.starts, tokens.ends, strict=True)) <= set(_ours(text))
