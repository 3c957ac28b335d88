"""Output formats of `check`: text, json, sarif, github, junit, html, and -o/--output."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from cli import main
from pipeline.document import Block, BlockKind, Category, Document, Finding, Level, Removal, Sentence, Source
from pipeline.report import FORMATS, ReportContext, github, render, visible
from pipeline.report import text as text_report
from pipeline.ruleset import load_ruleset
from pipeline.suppress import UNUSED_RULE

ROOT = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
JSON_SCHEMA = ROOT / "docs" / "healthvet.schema.json"
TEXT = "A remarkable cure, 100% proven.\nBuy now at example.com, 50% off!\n"


def _doc(name: str = "dir/a file.md") -> Document:
    """A hand-made document with one finding per level, a removal and an unused suppression."""
    first, second = (0, 31), (32, len(TEXT) - 1)
    blocks = (
        Block(BlockKind.PARAGRAPH, *first, (Sentence(*first),)),
        Block(BlockKind.PARAGRAPH, *second, (Sentence(*second),)),
    )
    findings = (
        Finding(
            "Hype.Remarkable", Level.WARNING, "'remarkable' is hype.", 2, 12, "remarkable", suggestion="x"
        ),
        Finding("Hype.Cure", Level.ERROR, "'cure' overclaims.", 13, 17, "cure"),
        Finding("Hype.Promising", Level.SUGGESTION, "100%, really?", 19, 23, "100%"),
        Finding(UNUSED_RULE.id, Level.WARNING, "Unused suppression.", 0, 1, "A"),
    )
    removal = Removal(*second, "Promo.VisitCallToAction", "cta", "Call to action, remove.", ("cue",))
    return Document(Source(name, "file", "markdown"), TEXT, blocks, findings=findings, removals=(removal,))


@pytest.fixture(scope="module")
def rules():
    return load_ruleset().rules


def test_sarif_validates_against_the_2_1_0_schema(rules):
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    log = json.loads(render("sarif", [_doc(), _doc("b.txt")], ReportContext(rules=rules, version="1.2.3")))
    jsonschema.Draft7Validator(schema).validate(log)
    run = log["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert UNUSED_RULE.id in ids and "Hype.Remarkable" in ids
    assert all(run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])


def test_sarif_maps_levels_regions_and_rule_docs(rules):
    log = json.loads(render("sarif", [_doc()], ReportContext(rules=rules)))
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert results["Hype.Cure"]["level"] == "error"
    assert results["Hype.Remarkable"]["level"] == "warning"
    assert results["Hype.Promising"]["level"] == "note"
    promo = results["Promo.VisitCallToAction"]
    assert promo["properties"]["category"] == "promo"
    region = results["Hype.Remarkable"]["locations"][0]["physicalLocation"]["region"]
    assert region == {
        "startLine": 1,
        "startColumn": 3,
        "endLine": 1,
        "endColumn": 13,
        "charOffset": 2,
        "charLength": 10,
        "snippet": {"text": "remarkable"},
    }
    uri = results["Hype.Cure"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "dir/a%20file.md"
    rule = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "Hype.Remarkable")
    assert "Why it matters" in rule["help"]["markdown"] and rule["fullDescription"]["text"]
    assert rule["defaultConfiguration"]["level"] == "warning"


def test_github_annotations_escape_and_cap():
    doc = _doc("a,b:c.md")
    lines = github.render([doc]).splitlines()
    first = next(line for line in lines if "Hype.Cure" in line)
    assert first.startswith(
        "::error file=a%2Cb%3Ac.md,line=1,endLine=1,col=14,endColumn=18,title=Hype.Cure::"
    )
    assert "::notice " in next(line for line in lines if "Hype.Promising" in line)
    remarkable = next(line for line in lines if line.startswith("::warning") and "Remarkable" in line)
    assert "%0ASuggestion: x" in remarkable
    capped = github.render([doc] * 20, limit=50)
    annotations = [line for line in capped.splitlines() if line.startswith("::")]
    assert len(annotations) == 51  # 50 and the summary line
    assert "100 findings; 50 not shown" in annotations[-1]
    assert annotations[0].startswith("::error")  # errors first when capped


def test_junit_one_suite_per_document_one_failure_per_finding():
    clean = Document(Source("clean.md", "file", "markdown"), "Fine.\n")
    root = ET.fromstring(render("junit", [_doc(), clean]))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["dir/a file.md", "clean.md"]
    assert len(suites[0].findall("testcase/failure")) == 5 == int(suites[0].get("failures"))
    assert suites[1].get("failures") == "0" and len(suites[1].findall("testcase")) == 1
    assert root.get("failures") == "5"


def test_json_output_matches_its_documented_schema(rules, runner, tmp_path):
    schema = json.loads(JSON_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.Draft7Validator(schema).validate(json.loads(render("json", [_doc()])))
    article = tmp_path / "a.md"
    article.write_text("# Title\n\nA remarkable result. Click here to buy it now.\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(article), "--format", "json", "--isolated"])
    jsonschema.Draft7Validator(schema).validate(json.loads(result.output))


def test_text_colour_only_when_asked():
    plain = text_report.render([_doc()])
    assert "\x1b[" not in plain
    coloured = text_report.render([_doc()], color=True)
    assert "\x1b[1;31merror\x1b[0m" in coloured


def test_cli_text_is_plain_when_not_a_terminal_and_no_color_is_accepted(runner, tmp_path, monkeypatch):
    article = tmp_path / "a.txt"
    article.write_text("A remarkable result.\n", encoding="utf-8")
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(main, ["check", str(article), "--no-color", "--isolated"])
    assert "\x1b[" not in result.output and "Hype.Remarkable" in result.output


def test_html_escapes_everything_and_forbids_scripts():
    payload = "<script>alert(1)</script> <img src=x onerror=alert(1)>"
    text = f"{payload} is remarkable.\n"
    block = Block(BlockKind.PARAGRAPH, 0, len(text) - 1, (Sentence(0, len(text) - 1),))
    evil_rule = Finding('Hype."><b>', Level.WARNING, payload, 0, 8, "<script>", suggestion=payload)
    doc = Document(Source(payload, "file", "markdown"), text, (block,), title=payload, findings=(evil_rule,))
    page = render("html", [doc, doc])
    assert "<script" not in page and "<img" not in page and '"><b>' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)


def test_min_level_hides_but_fail_on_decides(runner, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("A remarkable result.\n", encoding="utf-8")
    hidden = runner.invoke(main, ["check", str(article), "--min-level", "error", "--isolated"])
    assert hidden.exit_code == 1 and "0 findings" in hidden.output
    shown = runner.invoke(main, ["check", str(article), "--fail-on", "never", "--isolated"])
    assert shown.exit_code == 0 and "Hype.Remarkable" in shown.output
    assert visible(_doc(), Level.ERROR).findings == (_doc().findings[1],)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_writes_to_output_file(runner, tmp_path, fmt):
    article = tmp_path / "a.md"
    article.write_text("# T\n\nA remarkable result.\n", encoding="utf-8")
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(main, ["check", str(article), "--format", fmt, "-o", str(out), "--isolated"])
    assert result.exit_code == 1, result.output
    assert result.output == ""
    assert "remarkable" in out.read_text(encoding="utf-8")


def test_unwritable_output_is_exit_2(runner, tmp_path):
    article = tmp_path / "a.md"
    article.write_text("Fine.\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(article), "-o", str(tmp_path / "no" / "r.txt"), "--isolated"])
    assert result.exit_code == 2 and "cannot write" in result.output


def test_promo_category_reported_in_every_structured_format():
    doc = _doc()
    assert any(f.category is Category.PROMO for f in doc.reported_findings())
    assert "Promo.VisitCallToAction" in render("junit", [doc])
    assert "Promo.VisitCallToAction" in render("html", [doc])


def test_readme_exit_code_table_matches_behaviour(runner, tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    assert [row.split("|")[1].strip() for row in table.splitlines() if row.startswith("| ")][2:] == [
        "0",
        "1",
        "2",
    ]
    clean = tmp_path / "clean.md"
    clean.write_text("Walking daily was linked to 10% fewer falls.\n", encoding="utf-8")
    flagged = tmp_path / "flagged.md"
    flagged.write_text("A remarkable result.\n", encoding="utf-8")
    cases = {
        0: [str(clean)],
        1: [str(flagged)],
        2: [str(tmp_path / "nothing-*.md")],  # a glob that matches nothing
    }
    for code, args in cases.items():
        result = runner.invoke(main, ["check", *args, "--isolated"])
        assert result.exit_code == code, (code, result.output)
    assert runner.invoke(main, ["check", str(flagged), "--fail-on", "never", "--isolated"]).exit_code == 0
    assert runner.invoke(main, ["check", str(tmp_path / "missing.md")]).exit_code == 2
