"""``document.evolve``: the stages' copy-with-changes of a record, exactly ``dataclasses.replace``."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.document import Block, BlockKind, Document, Sentence, Source, evolve
from pipeline.ruleset import load_ruleset
from pipeline.run import process_text

SEED = process_text("Botox is a remarkable cure. Visit example.com for more tips today!", load_ruleset())


def test_evolve_makes_what_replace_makes() -> None:
    changed = evolve(SEED, removals=(), summary=())
    assert changed == dataclasses.replace(SEED, removals=(), summary=())
    assert changed.text == SEED.text and changed.removals == () and SEED.removals  # the original is untouched


def test_evolve_copies_a_block_with_new_sentences() -> None:
    block = Block(BlockKind.PARAGRAPH, 0, 10)
    assert evolve(block, sentences=(Sentence(0, 10),)) == Block(
        BlockKind.PARAGRAPH, 0, 10, (Sentence(0, 10),)
    )


def test_evolve_refuses_a_field_the_record_does_not_have() -> None:
    with pytest.raises(TypeError, match="removal"):
        evolve(Document(Source("x", "inline", "text"), "text"), removal=())
