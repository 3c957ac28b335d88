"""Configuration: discovery upward, keys, overrides, levels, errors with file:line, `config show`."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import main
from pipeline.config import (
    CliSettings,
    Resolver,
    build_ruleset,
    find_config,
    glob_regex,
    level_for,
    load_config,
)
from pipeline.document import Level
from pipeline.errors import ConfigError

ARTICLE = "A remarkable result, and a promising one.\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_closest_config_wins_and_healthvet_toml_beats_pyproject(tmp_path):
    _write(tmp_path / "pyproject.toml", '[tool.healthvet]\nignore = ["Hype"]\n')
    _write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')  # no table: passed over
    _write(tmp_path / "deep" / "healthvet.toml", 'select = ["Hype"]\n')
    _write(tmp_path / "deep" / "pyproject.toml", '[tool.healthvet]\nignore = ["Promo"]\n')
    assert find_config(tmp_path / "sub" / "a.md") == (tmp_path / "pyproject.toml").resolve()
    assert find_config(tmp_path / "deep" / "a.md") == (tmp_path / "deep" / "healthvet.toml").resolve()


def test_keys_are_read_and_rule_folders_are_relative_to_the_file(tmp_path):
    config = _write(
        tmp_path / "pyproject.toml",
        "[tool.healthvet]\n"
        'select = ["Hype", "Promo"]\nignore = ["Hype.Promising"]\nrules = ["styles/"]\n'
        'fail-on = "error"\nmin-level = "warning"\nreport-unused-suppressions = true\n'
        '[tool.healthvet.levels]\n"Hype.Remarkable" = "error"\n',
    )
    settings = load_config(config)
    assert settings.select == ("Hype", "Promo") and settings.ignore == ("Hype.Promising",)
    assert settings.rule_dirs == (tmp_path.resolve() / "styles/",)
    assert (settings.fail_on, settings.min_level) == ("error", Level.WARNING)
    assert settings.report_unused_suppressions
    assert settings.levels == (("Hype.Remarkable", Level.ERROR),)
    assert settings.origin("fail_on") == str(config) and settings.origin("ignore") == str(config)


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('[tool.healthvet]\nselect = ["Hype"]\nfail-on = "sometimes"\n', 3, "fail-on"),
        ("[tool.healthvet]\n\nbogus = 1\n", 3, "unknown key 'bogus'"),
        ("[tool.healthvet]\nselect = [\n", 3, "invalid TOML"),
        ('[tool.healthvet]\nselect = "Hype"\n[tool.healthvet.levels]\n"Hype.X" = "loud"\n', 4, "Hype.X"),
        ('[tool.healthvet]\n[[tool.healthvet.overrides]]\nignore = ["Hype"]\n', 2, "files"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path, body, line, words):
    config = _write(tmp_path / "pyproject.toml", body)
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert f"{config}:{line}:" in str(caught.value) and words in str(caught.value)


def test_level_for_a_rule_that_does_not_exist_is_an_error(tmp_path):
    config = _write(tmp_path / "healthvet.toml", '[levels]\n"Hype.Remarkabel" = "error"\n')
    with pytest.raises(ConfigError, match=r"healthvet.toml:2: 'levels' names no known rule"):
        build_ruleset(load_config(config))


def test_levels_use_the_longest_prefix():
    levels = (("Hype", Level.SUGGESTION), ("Hype.Remarkable", Level.ERROR))
    assert level_for("Hype.Remarkable", Level.WARNING, levels) is Level.ERROR
    assert level_for("Hype.Promising", Level.WARNING, levels) is Level.SUGGESTION
    assert level_for("Promo.X", Level.WARNING, levels) is Level.WARNING


def test_glob_semantics():
    assert glob_regex("drafts/**").fullmatch("drafts/a/b.md")
    assert glob_regex("drafts/").fullmatch("drafts/b.md")
    assert not glob_regex("drafts/*.md").fullmatch("drafts/a/b.md")
    assert glob_regex("*.md").fullmatch("any/where/x.md")
    assert glob_regex("**/old-*.md").fullmatch("old-1.md")


def test_overrides_apply_to_matching_files_only(tmp_path):
    _write(
        tmp_path / "pyproject.toml",
        '[tool.healthvet]\n[[tool.healthvet.overrides]]\nfiles = ["drafts/**"]\nignore = ["Hype.Remarkable"]\n'
        '[tool.healthvet.overrides.levels]\n"Hype.Promising" = "error"\n',
    )
    resolver = Resolver()
    draft = resolver.settings_for(str(tmp_path / "drafts" / "a.md"), "file")
    final = resolver.settings_for(str(tmp_path / "posts" / "a.md"), "file")
    assert draft.ignore == ("Hype.Remarkable",) and draft.levels == (("Hype.Promising", Level.ERROR),)
    assert final.ignore == () and final.levels == ()
    assert draft.origin("ignore").startswith("override drafts/**")


def test_cli_options_win_over_the_file(tmp_path):
    _write(tmp_path / "healthvet.toml", 'select = ["Promo"]\nignore = ["Promo.X"]\nfail-on = "never"\n')
    cli = CliSettings(select=("Hype",), ignore=("Hype.Cure",), fail_on="error")
    settings = Resolver(cli).settings_for(str(tmp_path / "a.md"), "file")
    assert settings.select == ("Hype",) and settings.ignore == ("Promo.X", "Hype.Cure")
    assert settings.fail_on == "error" and settings.origin("fail_on") == "command line"


def test_check_reads_config_per_file(runner, tmp_path):
    _write(
        tmp_path / "pyproject.toml",
        '[tool.healthvet]\n[tool.healthvet.levels]\n"Hype.Remarkable" = "error"\n',
    )
    _write(tmp_path / "drafts" / "healthvet.toml", 'ignore = ["Hype"]\n')
    post = _write(tmp_path / "post.md", ARTICLE)
    draft = _write(tmp_path / "drafts" / "draft.md", ARTICLE)
    result = runner.invoke(main, ["check", str(post), str(draft)])
    assert f"{post}:1:3: error Hype.Remarkable" in result.output
    assert str(draft) not in result.output
    assert result.exit_code == 1
    isolated = runner.invoke(main, ["check", str(post), str(draft), "--isolated"])
    assert f"{draft}:1:3: warning Hype.Remarkable" in isolated.output
    chosen = runner.invoke(
        main, ["check", str(post), "--config", str(tmp_path / "drafts" / "healthvet.toml")]
    )
    assert "Hype.Remarkable" not in chosen.output


def test_fail_on_and_min_level_from_config(runner, tmp_path):
    _write(tmp_path / "healthvet.toml", 'fail-on = "never"\nmin-level = "error"\n')
    post = _write(tmp_path / "post.md", ARTICLE)
    result = runner.invoke(main, ["check", str(post)])
    assert result.exit_code == 0 and "0 findings" in result.output
    overridden = runner.invoke(
        main, ["check", str(post), "--fail-on", "warning", "--min-level", "suggestion"]
    )
    assert overridden.exit_code == 1 and "Hype.Remarkable" in overridden.output


def test_broken_config_is_exit_2_with_file_and_line(runner, tmp_path):
    _write(tmp_path / "healthvet.toml", 'select = ["Hype"]\nmin-level = 3\n')
    post = _write(tmp_path / "post.md", ARTICLE)
    result = runner.invoke(main, ["check", str(post)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'healthvet.toml'}:2:" in result.output and "Traceback" not in result.output


def test_config_and_isolated_exclude_each_other(runner, tmp_path):
    config = _write(tmp_path / "healthvet.toml", "")
    post = _write(tmp_path / "post.md", ARTICLE)
    result = runner.invoke(main, ["check", str(post), "--config", str(config), "--isolated"])
    assert result.exit_code == 2


def test_config_show_prints_effective_settings_and_origins(runner, tmp_path):
    config = _write(
        tmp_path / "pyproject.toml",
        '[tool.healthvet]\nignore = ["Hype.Cure"]\n[[tool.healthvet.overrides]]\nfiles = ["drafts/**"]\n'
        'ignore = ["Hype"]\n',
    )
    post = _write(tmp_path / "drafts" / "p.md", ARTICLE)
    result = runner.invoke(main, ["config", "show", str(post)])
    assert result.exit_code == 0
    assert f"# config file: {config}" in result.output
    assert 'ignore = ["Hype.Cure", "Hype"]  # from override drafts/**' in result.output
    assert 'fail-on = "warning"  # from default' in result.output
    folder = runner.invoke(main, ["config", "show", str(tmp_path), "--isolated"])
    assert "none (built-in defaults)" in folder.output
