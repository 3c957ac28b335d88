"""A content repository as users keep one: pyproject config, its own rules, a suppression, a
baseline. Every format's output is compared with the golden file beside it.

Refresh the golden files after an intended change with ``HEALTHVET_UPDATE_GOLDEN=1 pytest
tests/test_content_repo.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from cli import main
from pipeline.report import FORMATS

REPO = Path(__file__).resolve().parent / "fixtures" / "content_repo"
GOLDEN = REPO / "expected"
ARGS = ["check", "posts", "drafts", "pages", "--baseline", ".healthvet-baseline.json"]
UPDATE = os.environ.get("HEALTHVET_UPDATE_GOLDEN") == "1"
EXPECTED_FINDINGS = [
    ("posts/sleep.md", 7, "Repo.Miracle", "error"),  # level from [tool.healthvet.levels]
    ("posts/sleep.md", 7, "Repo.OrderNow", "warning"),  # promo removal
    ("posts/sleep.md", 15, "Healthvet.UnusedSuppression", "warning"),
    ("posts/sleep.md", 18, "Repo.Proven", "suggestion"),  # line 9's is in the baseline
    ("drafts/walk.md", 3, "Repo.Proven", "suggestion"),  # Repo.Miracle ignored for drafts/**
    ("pages/coffee.html", 7, "Repo.Miracle", "error"),  # line 5's is suppressed in the HTML
    ("pages/coffee.html", 7, "Repo.OrderNow", "warning"),
]


# Not this test's subject: the summarizer and the strength classifier have golden tests of
# their own, so a better summary must not mean refreshing these files.
_OTHER_STAGES = ("summary", "strength")
_HTML_SUMMARY = re.compile(r'<h3>Summary</h3><ol class="summary">.*?</ol>', re.S)


def _normalise(fmt: str, output: str) -> str:
    """Take out what legitimately changes between runs: timings, the version, other stages."""
    from importlib.metadata import version

    output = output.replace(version("healthvet"), "VERSION")
    if fmt == "json":
        data = json.loads(output)
        for doc in data["documents"]:
            doc["stats"].pop("timings_ms", None)
            for key in _OTHER_STAGES:
                doc.pop(key, None)
        output = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        output = _HTML_SUMMARY.sub("", output)
    return re.sub(r"[ \t]+\n", "\n", output)


@pytest.fixture(scope="module")
def outputs() -> dict[str, tuple[int, str]]:
    from click.testing import CliRunner

    runner = CliRunner()
    here = Path.cwd()
    os.chdir(REPO)  # relative paths in every report, as in a real repository
    try:
        results = {fmt: runner.invoke(main, [*ARGS, "--format", fmt]) for fmt in FORMATS}
    finally:
        os.chdir(here)
    return {fmt: (r.exit_code, _normalise(fmt, r.output)) for fmt, r in results.items()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_matches_its_golden_file(outputs, fmt):
    code, output = outputs[fmt]
    assert code == 1, output
    golden = GOLDEN / f"check.{fmt}"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8"), f"refresh with HEALTHVET_UPDATE_GOLDEN=1: {golden}"


def test_exactly_the_expected_findings(outputs):
    data = json.loads(outputs["json"][1])
    found = [
        (doc["source"]["name"], item["line"], item["rule"], item["level"])
        for doc in data["documents"]
        for item in [*doc["findings"], *doc["removals"]]
    ]
    order = {name: i for i, name in enumerate(["posts/sleep.md", "drafts/walk.md", "pages/coffee.html"])}
    assert sorted(found, key=lambda f: (order[f[0]], f[1], f[2])) == EXPECTED_FINDINGS
    sarif = json.loads(outputs["sarif"][1])
    assert len(sarif["runs"][0]["results"]) == len(EXPECTED_FINDINGS)
