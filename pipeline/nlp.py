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


def tokenize(text: str) -> Doc:
    """Tokenize ``text`` without running any pipeline component."""
    return get_nlp().make_doc(text)
