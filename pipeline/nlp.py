"""The one place that loads spaCy: lazily, once per process.

A blank English pipeline (tokenizer + rule-based sentencizer) is all the pipeline needs:
no model is downloaded anywhere, so the tool works offline and starts quickly.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@cache
def get_nlp() -> Language:
    """The process-wide blank English pipeline with a sentencizer (built on first use)."""
    import spacy  # imported here so that `healthvet --help` never pays for it

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


# Line breaks become spaces of the same length, so every offset is unchanged (sentences never
# cross a block, and blocks end at line breaks anyway) and a text splits into the same
# pieces as ``str.split``.
_LINE_BREAKS = str.maketrans("\n\r\t\f\v\u2028\u2029\x85", " " * 8)
# Pieces remembered per process before the memory is cleared (spaCy keeps its own cache).
_MAX_SEEN_PIECES = 500_000


class _Tokenizer:
    """spaCy's tokenizer, with its cache of pieces actually filled.

    spaCy caches how each space-separated piece splits, but stops saving to the cache for
    the rest of a text once any special case occurs in it (a line break, a double space,
    "'s"): in most articles that is within the first lines, so nearly every piece was
    re-split by the prefix/suffix/infix regexes on every call (3.9 ms for the 700-word
    seed). Tokenizing each piece not seen before on its own fills the cache; the text is
    then tokenized as usual, with the same tokens, at cache speed (0.15 ms).
    """

    def __init__(self, nlp: Language) -> None:
        self.tokenizer = nlp.tokenizer
        self.seen: set[str] = set()

    def __call__(self, text: str) -> Doc:
        text = text.translate(_LINE_BREAKS)
        new = set(text.split()) - self.seen
        if new:
            if len(self.seen) + len(new) > _MAX_SEEN_PIECES:
                self.seen.clear()
            for piece in new:
                self.tokenizer(piece)
            self.seen |= new
        doc: Doc = self.tokenizer(text)
        return doc


@cache
def _tokenizer() -> _Tokenizer:
    return _Tokenizer(get_nlp())


def tokenize(text: str) -> Doc:
    """Tokenize ``text`` (line breaks read as spaces) without running any pipeline component."""
    return _tokenizer()(text)
