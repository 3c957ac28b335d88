"""Shared fixtures: the seed article (from ../shared, beside the checkout) and a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "botox_article.txt"
CORPUS = ROOT / "corpus"


@pytest.fixture(autouse=True, scope="session")
def _private_rule_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compiled rule sets go to a folder of this test run, not the user's cache."""
    os.environ["HEALTHVET_CACHE_DIR"] = str(tmp_path_factory.mktemp("rule-cache"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("the seed article ../shared/seed/botox_article.txt is not beside this checkout")
    return SEED
