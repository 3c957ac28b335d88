"""Sentences: split every block into sentences with offsets into the document text.

The whole document is tokenized once (spaCy's English rules, pipeline/tokenizer.py);
spaCy's sentencizer rule finds sentence ends, and every block start is a sentence start
too, so a sentence never crosses a block. The tokenizer splits "Botox.Don't" at the
period, which separates glued sentences; a sentence glued to an acronym or a number
("causes CFS.Grab yours") is split here.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right

from pipeline.document import Block, Document, Sentence, evolve
from pipeline.tokenizer import Tokens, get_tokenizer, is_punct


def segment(doc: Document) -> Document:
    """Return ``doc`` with the sentences of every block filled in."""
    starts = sorted(set(sentence_starts(doc.text)) | {b.start for b in doc.blocks})
    return evolve(doc, blocks=tuple(_split_block(b, starts, doc.text) for b in doc.blocks))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a bare text, whitespace trimmed."""
    cuts = [*sentence_starts(text), len(text)]
    spans = (_strip(text, lo, hi) for lo, hi in itertools.pairwise(cuts))
    return [(s.start, s.end) for s in spans if s is not None]


def sentence_starts(text: str) -> list[int]:
    """Offsets where sentences start: the sentencizer's rule, and after "vitamin D." before a capital."""
    # Line breaks read as spaces (same offsets): the tokenizer's fast path; blocks end there anyway.
    text = text.translate(_LINE_BREAKS)
    finals = _final_positions(text)
    tokens = get_tokenizer().tokens_near(text, finals)
    found = {0} if text else set()
    found |= {tokens.starts[i] for i in _sentencizer_starts(text, tokens, finals)[1:]}
    found |= {tokens.starts[i] for i in _letter_period_starts(text, tokens)}
    found |= set(_glued_after_acronym(text))
    return sorted(found)


# The word before a glued period: an acronym of two or more capitals, or a number.
_ACRONYM_OR_NUMBER = re.compile(r"(?:[A-Z]{2,}|\d+)")


def _glued_after_acronym(text: str) -> list[int]:
    """Starts of sentences glued to one ending in an acronym or a number: "causes CFS.Grab yours".

    spaCy splits a period only after a lower-case letter ("Botox.Don't"); a single capital
    ("U.S.Army") stays an initial, and so does anything after another period ("3.11.The").
    """
    found = []
    period = text.find(".", 1)
    while 0 <= period < len(text) - 2:  # every ".": a few dozen per text, found in C
        after = period + 1
        if text[after].isupper() and text[after + 1].islower():
            word_start = period
            while word_start > 0 and (text[word_start - 1].isalnum()):
                word_start -= 1
            word = text[word_start:period]
            if _ACRONYM_OR_NUMBER.fullmatch(word) and (word_start == 0 or text[word_start - 1] != "."):
                found.append(after)
        period = text.find(".", period + 1)
    return found


def _final_positions(text: str) -> list[int]:
    """Offsets of the sentence-final characters ("." "!" "?" ...): sentences end only there."""
    return get_tokenizer().sentence_final_positions(text)


def _sentencizer_starts(text: str, tokens: Tokens, finals: list[int] | None = None) -> list[int]:
    """Token indices where spaCy's rule-based sentencizer starts a sentence.

    The same rule as ``spacy.pipeline.Sentencizer``: after a sentence-final character, the
    next token that is not punctuation starts a sentence. Only the few tokens that are a
    sentence-final character are visited (found by one scan of the text for those
    characters), then the tokens after each up to the next word.
    """
    tokenizer = get_tokenizer()
    starts, ends = tokens.starts, tokens.ends
    found = [0] if starts else []
    resume = 0  # tokens before this were read while looking for a sentence start
    for final in _final_positions(text) if finals is None else finals:  # one character each
        i = bisect_left(starts, final)
        if i < resume or i == len(starts) or starts[i] != final or ends[i] != final + 1:
            continue  # inside a longer token ("3.5", "U.S."), or already passed
        j = i + 1
        while j < len(starts):
            token = text[starts[j] : ends[j]]
            if not tokenizer.is_sentence_final(token) and not is_punct(token):
                found.append(j)
                break
            j += 1
        resume = j + 1
    return found


_LINE_BREAKS = str.maketrans("\n\r\t\f\v\u2028\u2029\x85", " " * 8)


def _letter_period_starts(text: str, tokens: Tokens) -> list[int]:
    """Token indices after "vitamin D." where a capitalised word starts a sentence.

    spaCy keeps a capital letter and its period together as one token (an initial, as in
    "John A. Smith"), so the sentencizer never splits there. After a lower-case word the
    letter is a name of its own ("vitamin D", "hepatitis B"), not an initial.
    """
    starts, ends = tokens.starts, tokens.ends
    found = []
    period = text.find(". ", 1)
    while period >= 0:  # every ". ": few per text, found in C
        i = bisect_left(starts, period - 1)
        if 0 < i < len(starts) - 1 and starts[i] == period - 1 and ends[i] == period + 1:
            letter = text[period - 1]
            before, after = text[starts[i - 1] : ends[i - 1]], text[starts[i + 1] : ends[i + 1]]
            # a capital letter and its period as one token ("D."), after a lower-case word
            if letter.isalpha() and letter.isupper() and before.islower() and after.istitle():
                found.append(i + 1)
        period = text.find(". ", period + 1)
    return found


def _split_block(block: Block, starts: list[int], text: str) -> Block:
    inner = starts[bisect_right(starts, block.start) : bisect_left(starts, block.end)]
    cuts = [block.start, *inner, block.end]
    sentences = []
    for lo, hi in itertools.pairwise(cuts):
        span = _strip(text, lo, hi)
        if span is not None:
            sentences.append(span)
    return evolve(block, sentences=tuple(sentences))


def _strip(text: str, start: int, end: int) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end) if end > start else None
