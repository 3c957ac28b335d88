"""`check --fix [--diff]`: deterministic removals and swaps in Markdown and text files."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import main
from pipeline.document import Block, BlockKind, Document, Finding, Level, Removal, Sentence, Source
from pipeline.fix import apply_edits, fix_document
from pipeline.ruleset import load_ruleset

SWAP = """extends: substitution
message: "Use '%s' instead of '%s'."
level: warning
swap:
  cures: treats
  proven: supported
"""
DROP = """extends: existence
message: "'%s' is hype."
level: warning
tokens: [amazing, incredible]
fix: ""
"""
RENAME = """extends: existence
message: "'%s' overstates."
level: warning
tokens: [wonder drug]
fix: medicine
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "styles" / "Test"
    folder.mkdir(parents=True)
    (folder / "Swap.yml").write_text(SWAP, encoding="utf-8")
    (folder / "Drop.yml").write_text(DROP, encoding="utf-8")
    (folder / "Rename.yml").write_text(RENAME, encoding="utf-8")
    return tmp_path / "styles"


def _fixed(text: str, findings=(), removals=()) -> str:
    block = Block(BlockKind.PARAGRAPH, 0, len(text), (Sentence(0, len(text)),))
    doc = Document(Source("a.md", "file", "markdown"), text, (block,), findings=findings, removals=removals)
    return fix_document(doc, load_ruleset(builtin=False)).fixed


def _removal(text: str, part: str) -> Removal:
    start = text.index(part)
    return Removal(start, start + len(part), "Promo.X", "cta", "promo")


@pytest.mark.parametrize(
    ("text", "part", "expected"),
    [
        ("Good point. Buy now!\nNext.\n", "Buy now!", "Good point.\nNext.\n"),
        ("Good. Buy now! More.\n", "Buy now! ", "Good. More.\n"),
        (
            "Intro.\n\n- one\n- Buy now at our shop.\n- two\n",
            "Buy now at our shop.",
            "Intro.\n\n- one\n- two\n",
        ),
        ("Intro.\n\nBuy now at our shop.\n\nEnd.\n", "Buy now at our shop.", "Intro.\n\nEnd.\n"),
        ("> Buy now at our shop.\n\nEnd.\n", "Buy now at our shop.", "End.\n"),
    ],
)
def test_removals_take_whitespace_and_empty_lines_with_them(text, part, expected):
    assert _fixed(text, removals=(_removal(text, part),)) == expected


def test_code_spans_are_never_edited():
    text = "Run `Buy now` here.\n"
    assert _fixed(text, removals=(_removal(text, "Buy now"),)) == text


def test_apply_edits_keeps_text_between():
    from pipeline.fix import Edit

    assert apply_edits("abcdef", [Edit(1, 2, "X", "r"), Edit(4, 6, "", "r")]) == "aXcd"


def _article(tmp_path: Path, text: str, name: str = "post.md") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _run(runner, pack, *args):
    return runner.invoke(main, ["check", *args, "--rules", str(pack), "--select", "Test", "--isolated"])


def test_fix_swaps_deletes_and_keeps_code_and_front_matter(runner, tmp_path, pack):
    head = "---\ntitle: It cures all, proven\n---\n\n"
    text = (
        head + "This diet cures gout, as proven by an amazing trial.\n"
        "The effect was amazing.\n"
        "They sold it as a wonder drug, see `cures` in code.\n"
    )
    post = _article(tmp_path, text)
    result = _run(runner, pack, str(post), "--fix")
    assert result.exit_code == 1, result.output  # the rewrite a person must do is still reported
    assert (
        post.read_text(encoding="utf-8")
        == (
            head + "This diet treats gout, as supported by a trial.\n"
            "The effect was amazing.\n"  # predicative: deleting it would leave "was ."
            "They sold it as a medicine, see `cures` in code.\n"
        )
    )
    assert "post.md:6:16: warning Test.Drop" in result.output and "applied 4 fixes" in result.output


def test_article_agreement_after_deletion(runner, tmp_path, pack):
    post = _article(tmp_path, "We saw an amazing drop and an incredible rise in a amazing year.\n")
    _run(runner, pack, str(post), "--fix")
    assert post.read_text(encoding="utf-8") == "We saw a drop and a rise in a year.\n"


def test_diff_prints_and_does_not_write(runner, tmp_path, pack):
    text = "It cures gout.\n"
    post = _article(tmp_path, text)
    result = _run(runner, pack, str(post), "--fix", "--diff")
    assert result.exit_code == 1
    assert f"--- a/{post}\n+++ b/{post}\n" in result.output
    assert "-It cures gout.\n+It treats gout.\n" in result.output
    assert post.read_text(encoding="utf-8") == text
    clean = _article(tmp_path, "Fine.\n", "clean.md")
    assert _run(runner, pack, str(clean), "--fix", "--diff").exit_code == 0


def test_fix_keeps_crlf_and_bom(runner, tmp_path, pack):
    post = tmp_path / "post.txt"
    post.write_bytes(b"\xef\xbb\xbfIt cures gout.\r\nIt is proven.\r\n")
    _run(runner, pack, str(post), "--fix")
    assert post.read_bytes() == b"\xef\xbb\xbfIt treats gout.\r\nIt is supported.\r\n"


def test_html_is_not_fixed(runner, tmp_path, pack):
    page = "<html><body><article><p>This diet cures gout in many of the people who tried it.</p></article></body></html>"
    path = _article(tmp_path, page, "page.html")
    result = _run(runner, pack, str(path), "--fix")
    assert "HTML is not fixed" in result.output
    assert path.read_text(encoding="utf-8") == page


def test_diff_needs_fix(runner, tmp_path, pack):
    post = _article(tmp_path, "Fine.\n")
    assert _run(runner, pack, str(post), "--diff").exit_code == 2


def test_unused_suppression_comment_is_deleted(runner, tmp_path, pack):
    post = _article(tmp_path, "Intro.\n\n<!-- healthvet: disable Test.Swap -->\n\nFine text.\n")
    result = _run(runner, pack, str(post), "--fix", "--report-unused-suppressions")
    assert result.exit_code == 0, result.output
    assert post.read_text(encoding="utf-8") == "Intro.\n\nFine text.\n"


def test_claim_findings_keep_their_level():
    text = "It cures gout.\n"
    finding = Finding("Test.Unknown", Level.WARNING, "m", 3, 8, "cures")
    assert _fixed(text, findings=(finding,)) == text  # a rule not loaded has no fix
