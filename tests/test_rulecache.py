"""The rule cache: unchanged rules load from it, any change is seen, a foreign file is never read."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import pipeline.checks
from pipeline import rulecache
from pipeline.errors import RuleError
from pipeline.ruleset import load_ruleset
from pipeline.run import process_text

RULE = """\
extends: existence
message: "'%s' is {word}."
level: warning
tokens: [miracle]
examples:
  flag: [A miracle drug.]
  pass: [A drug.]
"""


def _pack(root: Path, word: str) -> Path:
    folder = root / "rules" / "Test"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Miracle.yml").write_text(textwrap.dedent(RULE.format(word=word)), encoding="utf-8")
    return root / "rules"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("HEALTHVET_CACHE_DIR", str(folder))
    monkeypatch.delenv("HEALTHVET_NO_CACHE", raising=False)
    return folder


def _message(ruleset) -> str:
    return process_text("A miracle drug.\n", ruleset).findings[0].message


def test_unchanged_rules_load_from_the_cache_without_compiling(tmp_path, cache, monkeypatch):
    folder = _pack(tmp_path, "hype")
    first = load_ruleset([folder], builtin=False)
    assert list(cache.glob("rules-*.pickle"))

    def refuse(rule):
        raise AssertionError(f"compiled {rule.id} again")

    monkeypatch.setattr(pipeline.checks, "compile_rule", refuse)
    second = load_ruleset([folder], builtin=False)
    assert [r.id for r in second.rules] == [r.id for r in first.rules]
    assert _message(second) == _message(first) == "'miracle' is hype."


def test_an_edited_rule_file_is_loaded_anew(tmp_path, cache):
    folder = _pack(tmp_path, "hype")
    assert _message(load_ruleset([folder], builtin=False)) == "'miracle' is hype."
    _pack(tmp_path, "an overstatement")
    assert _message(load_ruleset([folder], builtin=False)) == "'miracle' is an overstatement."


def test_a_cache_file_others_may_write_or_a_broken_one_is_never_used(tmp_path, cache):
    folder = _pack(tmp_path, "hype")
    load_ruleset([folder], builtin=False)
    (entry,) = cache.glob("rules-*.pickle")
    entry.chmod(0o666)
    key = entry.name.removeprefix("rules-").removesuffix(".pickle")
    assert rulecache.read(key) is None
    entry.chmod(0o600)
    entry.write_bytes(b"not a pickle")
    assert rulecache.read(key) is None
    assert _message(load_ruleset([folder], builtin=False)) == "'miracle' is hype."


def test_the_cache_can_be_turned_off(tmp_path, cache, monkeypatch):
    monkeypatch.setenv("HEALTHVET_NO_CACHE", "1")
    load_ruleset([_pack(tmp_path, "hype")], builtin=False)
    assert not cache.exists()


def test_a_broken_rule_file_is_reported_every_time(tmp_path, cache):
    folder = _pack(tmp_path, "hype")
    (folder / "Test" / "Broken.yml").write_text("extends: nothing\nmessage: x\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleError) as info:
            load_ruleset([folder], builtin=False)
        assert "Broken.yml:1:" in str(info.value)
