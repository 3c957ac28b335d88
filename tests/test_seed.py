"""The motivating example, end to end: what a new user sees on the Botox article."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cli import main

SPAM_LINE = "You can also read more Health realted articles"
GLUED_SPAM = "Don't for get to visit this text to kb"


def _norm(text: str) -> str:
    return " ".join(text.split())


def test_check_flags_every_hype_word_with_line_and_column(runner, seed_path):
    result = runner.invoke(main, ["check", str(seed_path)])
    assert result.exit_code == 1
    hype = [line for line in result.output.splitlines() if " Hype." in line]
    by_word: dict[str, list[tuple[int, int]]] = {}
    text_lines = seed_path.read_text(encoding="utf-8").split("\n")
    for line in hype:
        m = re.match(r".*:(\d+):(\d+): warning (Hype\.\w+): '(\w+)'", line)
        if m:
            row, col, word = int(m.group(1)), int(m.group(2)), m.group(4)
            assert text_lines[row - 1][col - 1 : col - 1 + len(word)] == word
            by_word.setdefault(word.lower(), []).append((row, col))
    assert len(by_word["transformative"]) == 2
    assert len(by_word["remarkable"]) == 2
    assert len(by_word["promising"]) == 3


def test_check_json_has_the_same_findings_with_offsets(runner, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    result = runner.invoke(main, ["check", "--format", "json", str(seed_path)])
    assert result.exit_code == 1
    doc = json.loads(result.output)["documents"][0]
    hype = [f for f in doc["findings"] if f["rule"].startswith("Hype.")]
    words = sorted(
        f["match"].lower()
        for f in hype
        if f["match"].lower() in {"transformative", "remarkable", "promising"}
    )
    assert words == ["promising"] * 3 + ["remarkable"] * 2 + ["transformative"] * 2
    for finding in hype:
        assert text[finding["start"] : finding["end"]] == finding["match"]


def test_no_finding_on_literal_words(runner, seed_path):
    result = runner.invoke(main, ["check", "--format", "json", str(seed_path)])
    matches = [f["match"].lower() for f in json.loads(result.output)["documents"][0]["findings"]]
    assert not any(m in {"attacks", "drug", "administration", "remains", "significant"} for m in matches)


def test_clean_removes_both_injections_and_keeps_genuine_sentences(runner, seed_path):
    result = runner.invoke(main, ["clean", str(seed_path)])
    assert result.exit_code == 0
    out = _norm(result.output)
    assert "You can also read more" not in out
    assert "Don't for get to visit" not in out
    assert "respond optimally to Botox." in out
    assert "management. ." in out  # the writer's stray period, away from any cut, is not glued on
    words = " " + " ".join(re.findall(r"\w+", out)) + " "
    for line in seed_path.read_text(encoding="utf-8").splitlines():
        if line.strip() and SPAM_LINE not in line:
            # The Dutch SEO keyword forced into three sentences and a heading goes; the rest stays.
            genuine = re.sub(r'"?botox voor en na"?:?', " ", line.replace(GLUED_SPAM, ""), flags=re.I)
            assert " " + " ".join(re.findall(r"\w+", genuine)) + " " in words, line


def test_foreign_keyword_is_reported_and_removed(runner, seed_path):
    result = runner.invoke(main, ["check", str(seed_path)])
    assert result.output.count("Promo.ForeignKeyword") == 4
    cleaned = runner.invoke(main, ["clean", str(seed_path)]).output
    assert "voor en na" not in cleaned
    assert "The term refers to Botox treatment" in cleaned


def test_summarize_prints_three_sentences_without_spam(runner, seed_path):
    result = runner.invoke(main, ["summarize", str(seed_path)])
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 3
    assert not any("khusoko" in line or "for get" in line for line in lines)


CHROME = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Botox for migraines | HealthSite</title></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About us</a></nav>
<div class="share">Share this: <a href="#">Facebook</a> <a href="#">Twitter</a></div>
<article>{body}</article>
<section class="comments"><h3>Comments</h3><p>Nice post! Buy cheap followers at <a href="https://followers-cheap.example.net">followers-cheap.example.net</a></p></section>
<footer>Copyright 2024 HealthSite. Terms of use. Privacy policy.</footer></body></html>"""


def seed_as_html(text: str) -> str:
    """The seed as a web page: headings, paragraphs, and the spam lines as links."""
    parts = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if SPAM_LINE in line:
            line = line.replace("khusoko.com", '<a href="https://khusoko.com/anaemia">khusoko.com</a>')
        elif GLUED_SPAM in line:
            line = line.replace(GLUED_SPAM, f'<a href="https://spam.example.org/kb">{GLUED_SPAM}</a>')
        words = line.split()
        is_heading = len(words) <= 9 and not line.rstrip().endswith((".", ":"))
        parts.append(f"<h2>{line}</h2>" if is_heading else f"<p>{line}</p>")
    return CHROME.format(body="\n".join(parts))


def test_html_version_is_cleaned_of_chrome_and_spam_links(runner, seed_path, tmp_path: Path):
    page = tmp_path / "botox.html"
    page.write_text(seed_as_html(seed_path.read_text(encoding="utf-8")), encoding="utf-8")
    result = runner.invoke(main, ["clean", str(page)])
    assert result.exit_code == 0, result.output
    out = _norm(result.output)
    for chrome in (
        "About us",
        "Share this",
        "Nice post",
        "followers-cheap",
        "Copyright 2024",
        "Privacy policy",
    ):
        assert chrome not in out
    for spam in ("You can also read more", "khusoko", "for get to visit", "spam.example.org"):
        assert spam not in out
    assert "respond optimally to Botox." in out
    assert "Neuromodulation Devices: Non-invasive neuromodulation devices" in out
    check = runner.invoke(main, ["check", str(page)])
    assert check.exit_code == 1
    assert check.output.count("Hype.Promising") == 3
