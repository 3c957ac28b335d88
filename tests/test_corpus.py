"""Golden results for the bundled sample articles in corpus/ (the README demo).

Refresh after an intended change with ``HEALTHVET_UPDATE_GOLDEN=1 pytest tests/test_corpus.py``
and review the diff of corpus/expected/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
EXPECTED = CORPUS / "expected"
SAMPLES = sorted(p for p in CORPUS.iterdir() if p.is_file())


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("command", ["check", "clean", "summarize"])
def test_sample_matches_expected(runner, sample: Path, command: str, monkeypatch):
    monkeypatch.chdir(CORPUS.parent)
    result = runner.invoke(main, [command, str(sample.relative_to(CORPUS.parent))])
    assert result.exit_code in (0, 1), result.output
    golden = EXPECTED / f"{sample.name}.{command}.txt"
    if os.environ.get("HEALTHVET_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(result.output, encoding="utf-8")
    assert golden.exists(), f"missing {golden}; run with HEALTHVET_UPDATE_GOLDEN=1"
    assert result.output == golden.read_text(encoding="utf-8")
