"""The command line as a user meets it: help, exit codes, error messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_help_does_not_import_spacy():
    code = (
        "import sys\nfrom cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('spacy' in sys.modules, 'trafilatura' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip().endswith("False False")


def _check_stdin_imports_spacy(article: str) -> tuple[str, bool]:
    code = (
        "import sys\nfrom cli import main\n"
        "try:\n    main(['check', '-'])\nexcept SystemExit:\n    pass\nprint('spacy' in sys.modules)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], input=article, capture_output=True, text=True, cwd=ROOT
    )
    report, _, imported = run.stdout.strip().rpartition("\n")
    return report, imported == "True"


def test_checking_an_article_imports_spacy_only_for_a_token_pattern_match():
    """spaCy's 0.6 s import is paid only when a token-pattern rule has a sentence to match."""
    report, imported = _check_stdin_imports_spacy("The trial showed a remarkable drop in migraine days.")
    assert "Hype.Remarkable" in report and not imported
    report, imported = _check_stdin_imports_spacy("This balm always works on cold sores.")
    assert "Absolutes.AlwaysWorks" in report and imported


def test_every_command_has_help_with_an_example(runner):
    for name, command in main.commands.items():
        assert command.help and "Example:" in command.help, name
        sub = getattr(command, "commands", {})
        for subname, subcommand in sub.items():
            assert subcommand.help and "Example:" in subcommand.help, f"{name} {subname}"


def test_missing_file_exits_2_with_one_line_message(runner, tmp_path):
    result = runner.invoke(main, ["check", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "no such file" in result.output
    assert "Traceback" not in result.output


def test_glob_matching_nothing_exits_2(runner, tmp_path):
    result = runner.invoke(main, ["check", str(tmp_path / "*.md")])
    assert result.exit_code == 2
    assert "matches no files" in result.output


def test_clean_article_exits_0(runner, tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Iron tablets are usually taken for three months.\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 0
    assert "0 findings" in result.output


def test_fail_on_controls_exit_code(runner, tmp_path):
    path = tmp_path / "hype.txt"
    path.write_text("This innovative clinic offers laser therapy.\n", encoding="utf-8")
    assert runner.invoke(main, ["check", str(path)]).exit_code == 0  # a suggestion is below "warning"
    assert runner.invoke(main, ["check", "--fail-on", "suggestion", str(path)]).exit_code == 1


def test_stdin_is_a_source(runner):
    result = runner.invoke(main, ["check", "-"], input="The results were remarkable.\n")
    assert result.exit_code == 1
    assert "-:1:18: warning Hype.Remarkable" in result.output


def test_binary_input_is_refused_cleanly(runner, tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert "binary" in result.output


def test_directory_is_searched_recursively(runner, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.md").write_text("# One\n\nA remarkable result.\n", encoding="utf-8")
    (tmp_path / "two.txt").write_text("Nothing to see.\n", encoding="utf-8")
    (tmp_path / "skip.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert "one.md:3:3: warning Hype.Remarkable" in result.output
    assert "2 documents" in result.output


def test_installed_console_script_runs_outside_the_checkout(tmp_path):
    script = Path(sys.executable).with_name("healthvet")
    page = tmp_path / "note.txt"
    page.write_text("A miracle cure for back pain.\n", encoding="utf-8")
    out = subprocess.run([str(script), "check", str(page)], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 1
    assert "Cure.MiracleCure" in out.stdout


def test_a_letter_name_ends_a_sentence(runner):
    result = runner.invoke(
        main,
        ["summarize", "-n", "5", "-"],
        input="Many adults are low in vitamin D. Babies who are breastfed may need drops of it every day.\n",
    )
    assert "Many adults are low in vitamin D.\n" in result.output


def test_many_files_on_several_workers_match_one_worker(runner, tmp_path):
    for i in range(60):
        body = "A remarkable cure for migraine." if i % 3 == 0 else "Sleep helps recovery after surgery."
        (tmp_path / f"a{i:02d}.txt").write_text(f"Note {i}\n\n{body}\n", encoding="utf-8")
    serial = runner.invoke(main, ["check", "--jobs", "1", "--format", "json", str(tmp_path)])
    pooled = runner.invoke(main, ["check", "--jobs", "2", "--format", "json", str(tmp_path)])
    assert serial.exit_code == pooled.exit_code == 1
    assert _without_timings(serial.output) == _without_timings(pooled.output)


def _without_timings(output: str) -> list:
    import json

    docs = json.loads(output)["documents"]
    for doc in docs:
        doc["stats"].pop("timings_ms", None)
    return docs
