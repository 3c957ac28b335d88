"""Sentences: split every block into sentences with offsets into the document text.

The whole document is tokenized once; spaCy's sentencizer rule finds sentence ends, and
every block start is a sentence start too, so a sentence never crosses a block. The
tokenizer splits "Botox.Don't" at the period, which separates glued sentences.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from pipeline.document import Block, Document, Sentence
from pipeline.nlp import get_nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc


def segment(doc: Document, tokens: Doc) -> Document:
    """Return ``doc`` with the sentences of every block filled in (``tokens`` is not changed)."""
    # Token attributes as one array: walking Token objects costs ~0.5 ms per 700 words.
    rows: list[list[int]] = tokens.to_array(["IDX", "ORTH", "IS_PUNCT"]).tolist()
    offsets = [row[0] for row in rows]
    starts = {offsets[i] for i in _sentencizer_starts(rows)}
    starts |= {offsets[i] for i in _letter_period_starts(doc.text, tokens, offsets)}
    starts |= {b.start for b in doc.blocks}
    ordered = sorted(starts)
    return replace(doc, blocks=tuple(_split_block(b, ordered, doc.text) for b in doc.blocks))


@cache
def _punct_ids() -> frozenset[int]:
    """String ids of the characters that end a sentence (spaCy's sentencizer's list)."""
    nlp = get_nlp()
    chars: set[str] = getattr(nlp.get_pipe("sentencizer"), "punct_chars")  # noqa: B009 (untyped pipe)
    return frozenset(nlp.vocab.strings.add(c) for c in chars)


def _sentencizer_starts(rows: list[list[int]]) -> list[int]:
    """Token indices where spaCy's rule-based sentencizer starts a sentence.

    The same rule as ``spacy.pipeline.Sentencizer``: after a sentence-final character, the
    next token that is not punctuation starts a sentence. Read from arrays, it costs a
    tenth of running the pipe, and the shared token Doc is left unannotated.
    """
    punct = _punct_ids()
    found = [0] if rows else []
    seen_period = False
    for i, (_, orth, is_punct) in enumerate(rows):
        ends = orth in punct
        if seen_period and not is_punct and not ends:
            found.append(i)
            seen_period = False
        elif ends:
            seen_period = True
    return found


# A letter and its period, not after another letter: spaCy keeps "D." as one token.
_LETTER_PERIOD = re.compile(r"(?<![^\W\d_])[^\W\d_]\.(?= )")


def _letter_period_starts(text: str, tokens: Doc, offsets: list[int]) -> list[int]:
    """Token indices after "vitamin D." where a capitalised word starts a sentence.

    spaCy keeps a capital letter and its period together as one token (an initial, as in
    "John A. Smith"), so the sentencizer never splits there. After a lower-case word the
    letter is a name of its own ("vitamin D", "hepatitis B"), not an initial.
    """
    found = []
    for match in _LETTER_PERIOD.finditer(text):
        i = bisect_left(offsets, match.start())
        if not 0 < i < len(offsets) - 1 or offsets[i] != match.start() or not match.group()[0].isupper():
            continue
        token = tokens[i]
        if len(token.text) == 2 and tokens[i - 1].is_lower and tokens[i + 1].is_title and token.whitespace_:
            found.append(i + 1)
    return found


def _split_block(block: Block, starts: list[int], text: str) -> Block:
    cuts = [block.start, *(s for s in starts if block.start < s < block.end), block.end]
    sentences = []
    for lo, hi in itertools.pairwise(cuts):
        span = _strip(text, lo, hi)
        if span is not None:
            sentences.append(span)
    return replace(block, sentences=tuple(sentences))


def _strip(text: str, start: int, end: int) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end) if end > start else None
