"""The install compiles the hot modules with mypyc (setup.py): both builds must behave alike."""

from __future__ import annotations

import ast
import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMPILED = sorted((ROOT / "pipeline").rglob("*.so"))
SAMPLES = sorted(str(p) for p in (ROOT / "corpus").iterdir() if p.is_file())
SEED = ROOT.parent / "shared" / "seed" / "botox_article.txt"  # as in conftest.py: used when present


def _python(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python *args`` in ``project`` with that folder first on the import path."""
    env = {**os.environ, "PYTHONPATH": str(project), "HEALTHVET_NO_CACHE": "1"}
    return subprocess.run(
        [sys.executable, *args], cwd=project, env=env, capture_output=True, text=True, check=False
    )


def _source_copy(project: Path) -> Path:
    """The pipeline package copied into ``project`` without its compiled modules."""
    package = project / "pipeline"
    shutil.copytree(ROOT / "pipeline", package, ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    return package


def _built_long_ago(package: Path) -> None:
    """A compiled ``promo`` that predates every source of ``package``."""
    built = package / "promo.cpython-311-x86_64-linux-gnu.so"
    built.write_bytes(b"")
    os.utime(built, (1_000_000_000, 1_000_000_000))


def _report(project: Path, *inputs: str) -> dict[str, object]:
    result = _python(project, "-m", "cli", "check", "--format", "json", *inputs)
    assert result.returncode in (0, 1), result.stderr
    report: dict[str, object] = json.loads(result.stdout)
    for document in report["documents"]:  # type: ignore[attr-defined]
        del document["stats"]["timings_ms"]  # the one field that differs from run to run
    return report


def _listed_modules() -> list[str]:
    """The module names of setup.py's ``COMPILED`` list (read, not run: setup.py builds on import)."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    listed = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "COMPILED" for t in node.targets)
    )
    assert isinstance(listed, ast.List)
    return [str(ast.literal_eval(item)).removesuffix(".py").replace("/", ".") for item in listed.elts]


@pytest.mark.skipif(
    not os.environ.get("HEALTHVET_REQUIRE_COMPILED"), reason="only where the install must compile (.ci/run)"
)
def test_every_listed_module_runs_compiled() -> None:
    """Where a C compiler is known to exist, a build that fell back to pure Python fails here.

    The fallback only warns during ``pip install``; the suite passes on both builds, so
    without this a broken build would land as a 2x slower one.
    """
    modules = _listed_modules()
    assert len(modules) >= 20
    pure = [
        name for name in modules if not str(importlib.import_module(name).__file__).endswith((".so", ".pyd"))
    ]
    assert pure == []


@pytest.mark.skipif(not COMPILED, reason="installed as pure Python: nothing compiled to compare")
def test_compiled_and_pure_builds_report_the_same(tmp_path: Path) -> None:
    pure = tmp_path / "pure"
    _source_copy(pure)
    shutil.copytree(ROOT / "rules", pure / "rules")
    shutil.copy(ROOT / "cli.py", pure / "cli.py")
    where = _python(pure, "-c", "import pipeline.promo as m; print(m.__file__)").stdout
    assert where.strip().endswith(".py")  # the copy really runs the source
    inputs = [*SAMPLES, *([str(SEED)] if SEED.exists() else [])]
    assert _report(ROOT, *inputs) == _report(pure, *inputs)


def test_an_edit_after_the_build_is_reported(tmp_path: Path) -> None:
    _built_long_ago(_source_copy(tmp_path))
    shutil.copy(ROOT / "setup.py", tmp_path / "setup.py")  # a source checkout, as `pip install -e .` leaves
    result = _python(tmp_path, "-c", "import pipeline")
    assert "pipeline/promo.py changed after the compiled build" in result.stderr


def test_an_installed_package_is_not_asked(tmp_path: Path) -> None:
    # A wheel install writes each source just after its compiled module: no false alarm.
    _built_long_ago(_source_copy(tmp_path))
    result = _python(tmp_path, "-c", "import pipeline")
    assert result.returncode == 0
    assert "changed after the compiled build" not in result.stderr
