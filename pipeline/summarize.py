"""Summary: pick the most central genuine sentences, in document order.

Scores come from the article's own content-word statistics (no model): a sentence scores
the mean document frequency of its content words, with a small bonus for early position.
Removed text never appears (sentences are read through the cleaned view) and sentences
carrying claim findings are demoted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from pipeline.cleaning import kept_text, merged_ranges
from pipeline.document import BlockKind, Category, Document, SummarySentence

_WORD = re.compile(r"[a-z][a-z'-]+")
_STOP = frozenset(
    """
    a an the and or but if of to in on at by for with from as is are was were be been being it
    its this that these those there their they them he she his her we our you your i not no
    can could may might will would should do does did has have had than then so such also into
    about which who whom what when where why how all any each more most other some many much
    very
    """.split()
)
_MIN_WORDS = 6
_HYPE_PENALTY = 0.5


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    text: str
    score: float


def summarize(doc: Document, sentences: int = 3) -> Document:
    """Return ``doc`` with ``summary`` set to up to ``sentences`` sentences."""
    candidates = _candidates(doc)
    best = sorted(candidates, key=lambda c: -c.score)[: max(0, sentences)]
    chosen = sorted(best, key=lambda c: c.start)
    return replace(doc, summary=tuple(SummarySentence(c.start, c.end, c.text) for c in chosen))


def _candidates(doc: Document) -> list[_Candidate]:
    removed = merged_ranges(doc)
    flagged = {f.start for f in doc.findings if f.category is Category.CLAIM}
    texts = []
    for block in doc.blocks:
        if block.kind in (BlockKind.TITLE, BlockKind.HEADING):
            continue
        for s in block.sentences:
            text = kept_text(doc.text, s.start, s.end, removed)
            if len(text.split()) >= _MIN_WORDS:
                texts.append((s.start, s.end, text))
    freq = Counter(w for _, _, t in texts for w in _content_words(t))
    out = []
    for rank, (start, end, text) in enumerate(texts):
        words = _content_words(text)
        score = sum(freq[w] for w in words) / (len(words) or 1)
        score *= 1.0 + 0.3 / (1 + rank)  # lead sentences state the topic
        if any(start <= f < end for f in flagged):
            score *= _HYPE_PENALTY
        out.append(_Candidate(start, end, text, score))
    return out


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]
