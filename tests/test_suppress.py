"""Inline suppression comments, protected Markdown spans, unused suppressions, and the baseline."""

from __future__ import annotations

import json

from cli import main
from pipeline.document import LineIndex
from pipeline.ruleset import load_ruleset
from pipeline.run import Options, process_text
from pipeline.suppress import load_baseline, protected_spans

RULESET = None


def _check(text: str, media: str = "markdown", unused: bool = False) -> list[tuple[str, str]]:
    global RULESET  # noqa: PLW0603 - load the packs once for this module's tests
    RULESET = RULESET or load_ruleset(select=["Hype.Remarkable", "Hype.Promising", "Promo.ClickHere"])
    doc = process_text(text, RULESET, media, Options(report_unused_suppressions=unused))
    assert not doc.errors, doc.errors
    return [(f.rule, text[f.start : f.end] if media != "html" else f.match) for f in doc.reported_findings()]


def test_disable_enable_region_and_prefixes():
    text = (
        "A remarkable start.\n\n<!-- healthvet: disable Hype.Remarkable -->\n\n"
        "A remarkable middle, a promising one.\n\n<!-- healthvet: enable Hype.Remarkable -->\n\n"
        "A remarkable end.\n"
    )
    found = _check(text)
    assert [r for r, _ in found].count("Hype.Remarkable") == 2
    assert ("Hype.Promising", "promising") in found
    by_prefix = _check(
        text.replace("disable Hype.Remarkable", "disable Hype").replace("enable Hype.Remarkable", "enable")
    )
    assert ("Hype.Promising", "promising") not in by_prefix


def test_disable_next_line_and_inside_a_paragraph():
    text = (
        "<!-- healthvet: disable-next-line Hype.Remarkable -->\nA remarkable line.\nA remarkable next line.\n\n"
        "A remarkable claim <!-- healthvet: disable --> and a promising one.\n"
    )
    _check(text)
    doc = process_text(text, RULESET, "markdown")
    lines = [LineIndex(text).line_col(f.start) for f in doc.reported_findings()]
    assert [f.rule for f in doc.reported_findings()] == ["Hype.Remarkable", "Hype.Remarkable"]
    assert lines == [(3, 3), (5, 3)]


def test_bare_disable_covers_removals_and_keeps_their_text_for_claims():
    text = "A fine start.\n\n<!-- healthvet: disable -->\n\nClick here to buy it, a remarkable deal.\n"
    assert _check(text) == []


def test_unused_suppressions_are_reported_only_when_asked():
    text = "<!-- healthvet: disable-next-line Hype.Promising -->\nA remarkable line.\n"
    assert _check(text) == [("Hype.Remarkable", "remarkable")]
    found = _check(text, unused=True)
    assert ("Healthvet.UnusedSuppression", "<!-- healthvet: disable-next-line Hype.Promising -->") in found


def test_inline_code_and_comments_are_never_checked():
    text = "Use `remarkable` and ``a `promising` cure`` here. <!-- a remarkable note -->\n"
    assert _check(text) == []
    assert len(protected_spans(text)) == 3
    assert _check("Plain `remarkable` text.\n", media="text") == [("Hype.Remarkable", "remarkable")]


def test_directives_in_code_or_front_matter_do_nothing():
    text = (
        "---\nnote: <!-- healthvet: disable -->\n---\n\n```\n<!-- healthvet: disable -->\n```\n\n"
        "Inline `<!-- healthvet: disable -->` code. A remarkable finding.\n"
    )
    assert _check(text) == [("Hype.Remarkable", "remarkable")]


def test_html_comments_are_placed_by_the_text_that_follows():
    page = (
        "<html><head><title>Sleep</title></head><body><article><h1>Sleep study</h1>"
        "<p>The first paragraph reports a remarkable drop in waking at night for most adults.</p>"
        "<!-- healthvet: disable-next-line Hype.Remarkable -->"
        "<p>The second paragraph also reports a remarkable change in how long people slept.</p>"
        "<p>The third paragraph: a <!-- healthvet: disable Hype.Promising -->promising trial "
        "that was remarkable in size and promising in design.</p>"
        "<!-- healthvet: disable Hype.Cure --><p>Nothing to suppress in this closing paragraph.</p>"
        "</article></body></html>"
    )
    found = _check(page, media="html", unused=True)
    rules = [r for r, _ in found]
    assert rules.count("Hype.Remarkable") == 2  # first and third paragraphs only
    assert "Hype.Promising" not in rules
    assert rules.count("Healthvet.UnusedSuppression") == 1


def _article(tmp_path, text):
    path = tmp_path / "post.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_baseline_reports_only_new_findings_and_ignores_line_shifts(runner, tmp_path):
    post = _article(tmp_path, "# Post\n\nA remarkable result.\n\nA remarkable result.\n")
    baseline = tmp_path / "baseline.json"
    wrote = runner.invoke(
        main, ["check", str(post), "--baseline", str(baseline), "--write-baseline", "--isolated"]
    )
    assert wrote.exit_code == 0
    data = json.loads(baseline.read_text(encoding="utf-8"))
    (entries,) = data["files"].values()
    assert list(data["files"]) == ["post.md"] and sum(e["count"] for e in entries.values()) == 2
    post.write_text(
        "# Post\n\nIntro added.\n\nA remarkable result.\n\nA remarkable result.\n", encoding="utf-8"
    )
    same = runner.invoke(main, ["check", str(post), "--baseline", str(baseline), "--isolated"])
    assert same.exit_code == 0 and "0 findings" in same.output
    post.write_text(
        "A remarkable result.\n\nA remarkable result.\n\nA remarkable result.\n", encoding="utf-8"
    )
    third = runner.invoke(main, ["check", str(post), "--baseline", str(baseline), "--isolated"])
    assert third.exit_code == 1 and "1 finding in 1 document" in third.output


def test_baseline_errors_are_exit_2(runner, tmp_path):
    post = _article(tmp_path, "Fine.\n")
    missing = runner.invoke(main, ["check", str(post), "--baseline", str(tmp_path / "none.json")])
    assert missing.exit_code == 2 and "--write-baseline" in missing.output
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert runner.invoke(main, ["check", str(post), "--baseline", str(bad)]).exit_code == 2
    alone = runner.invoke(main, ["check", str(post), "--write-baseline"])
    assert alone.exit_code == 2


def test_baseline_counts_are_loaded(tmp_path):
    path = tmp_path / "b.json"
    path.write_text(
        json.dumps({"healthvet_baseline": 1, "files": {"a.md": {"x": {"count": 3}}}}), encoding="utf-8"
    )
    assert load_baseline(path).counts == {"a.md": {"x": 3}}
