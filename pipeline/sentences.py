"""Sentences: split every block into sentences with offsets into the document text.

The whole document is tokenized once; block starts are forced to be sentence starts
before spaCy's sentencizer fills in the rest, so a sentence never crosses a block. The
tokenizer splits "Botox.Don't" at the period, which separates glued sentences.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import TYPE_CHECKING

from pipeline.document import Block, Document, Sentence
from pipeline.nlp import get_nlp

if TYPE_CHECKING:
    from spacy.tokens import Doc


def segment(doc: Document, tokens: Doc) -> Document:
    """Return ``doc`` with the sentences of every block filled in."""
    nlp = get_nlp()
    block_starts = {b.start for b in doc.blocks}
    for token in tokens:
        if token.idx in block_starts:
            token.is_sent_start = True
    _split_after_letter_periods(tokens)
    nlp.get_pipe("sentencizer")(tokens)
    starts = sorted({s.start_char for s in tokens.sents} | block_starts)
    return replace(doc, blocks=tuple(_split_block(b, starts, doc.text) for b in doc.blocks))


def _split_after_letter_periods(tokens: Doc) -> None:
    """End a sentence at "vitamin D." when a capitalised word follows.

    spaCy keeps a capital letter and its period together as one token (an initial, as in
    "John A. Smith"), so the sentencizer never splits there. After a lower-case word the
    letter is a name of its own ("vitamin D", "hepatitis B"), not an initial.
    """
    for i in range(1, len(tokens) - 1):
        token = tokens[i]
        is_letter_period = len(token.text) == 2 and token.text[0].isupper() and token.text[1] == "."
        if is_letter_period and tokens[i - 1].is_lower and tokens[i + 1].is_title and token.whitespace_:
            tokens[i + 1].is_sent_start = True


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
