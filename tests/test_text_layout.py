"""Plain-text layout: blank-line paragraphs, headings, and paragraphs hard-wrapped at a width."""

from __future__ import annotations

from pipeline.document import BlockKind
from pipeline.ruleset import load_ruleset
from pipeline.run import Options, process_text

WRAPPED = """Asthma care

Most people with asthma use an inhaler to relieve
symptoms quickly. A preventer inhaler reduces
swelling in the airways over time.

Doctors diagnose asthma with breathing tests
and a review of symptoms, and children with
asthma often have fewer symptoms as they grow.
"""


def _blocks(text: str) -> list[tuple[BlockKind, str]]:
    doc = process_text(text, load_ruleset(builtin=False), options=Options(summary=False))
    return [(b.kind, " ".join(doc.text[b.start : b.end].split())) for b in doc.blocks]


def test_a_wrapped_paragraph_whose_first_line_looks_like_a_heading_stays_one_paragraph():
    # "Doctors diagnose asthma with breathing tests" alone would read as a heading.
    assert _blocks(WRAPPED) == [
        (BlockKind.TITLE, "Asthma care"),
        (
            BlockKind.PARAGRAPH,
            "Most people with asthma use an inhaler to relieve symptoms quickly. "
            "A preventer inhaler reduces swelling in the airways over time.",
        ),
        (
            BlockKind.PARAGRAPH,
            "Doctors diagnose asthma with breathing tests and a review of symptoms, "
            "and children with asthma often have fewer symptoms as they grow.",
        ),
    ]


def test_a_heading_line_before_a_new_sentence_stays_a_heading_in_wrapped_text():
    text = WRAPPED.replace(
        "Doctors diagnose asthma with breathing tests\n", "Diagnosis\nDoctors use breathing tests\n"
    )
    kinds = [kind for kind, _ in _blocks(text)]
    assert kinds == [BlockKind.TITLE, BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.PARAGRAPH]


def test_one_wrapped_paragraph_is_recognised_without_others_to_compare():
    text = (
        "Healthy eating\n\nEvery group of people has its own health concerns. Differences\n"
        "in health can come from genes, habits and where people live.\n"
    )
    assert [kind for kind, _ in _blocks(text)] == [BlockKind.TITLE, BlockKind.PARAGRAPH]
