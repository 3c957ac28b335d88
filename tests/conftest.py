"""Shared fixtures: the seed article (from ../shared, beside the checkout) and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "botox_article.txt"
CORPUS = ROOT / "corpus"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("the seed article ../shared/seed/botox_article.txt is not beside this checkout")
    return SEED
