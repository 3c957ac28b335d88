"""Shared fixtures: the seed article (from ../shared, beside the checkout) and a CLI runner."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "botox_article.txt"
CORPUS = ROOT / "corpus"


_RULE_CACHE = tempfile.TemporaryDirectory(prefix="healthvet-test-rule-cache-")


def pytest_configure(config: pytest.Config) -> None:
    """Compiled rule sets go to a folder of this test run, not the user's cache.

    Set before collection: test modules load rule sets when they are imported.
    """
    os.environ["HEALTHVET_CACHE_DIR"] = _RULE_CACHE.name


def pytest_unconfigure(config: pytest.Config) -> None:
    _RULE_CACHE.cleanup()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("the seed article ../shared/seed/botox_article.txt is not beside this checkout")
    return SEED
