"""The README's bad-input table, row by row: a result or a one-line error, never a traceback.

Each case runs the real CLI in-process; the exit code is the documented one, and in a
batch the other documents still finish.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli import main

MB = 1024 * 1024


def _one_line_error(output: str) -> bool:
    errors = [line for line in output.splitlines() if line.startswith("healthvet: error:")]
    return len(errors) >= 1 and "Traceback" not in output


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)  # no disk blocks: the size check must refuse it before reading
    return path


CASES = {
    "empty file": ("empty.txt", b"", 0),
    "whitespace only": ("blank.txt", b"  \n\n\t \n", 0),
    "binary file": ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, 2),
    "invalid UTF-8, undeclared Latin-1": (
        "latin.txt",
        "Caf\xe9 cr\xe8me is a remarkable cure.\n".encode("latin-1"),
        1,
    ),
    "declared charset (Shift JIS HTML)": (
        "sjis.html",
        '<html><head><meta charset="shift_jis"></head><body><p>日本語の記事です。 A miracle cure.</p></body></html>'.encode(
            "shift_jis"
        ),
        1,
    ),
    "UTF-16 with BOM": ("wide.txt", "A remarkable cure for colds.\n".encode("utf-16"), 1),
    "HTML with no body": ("nobody.html", b"<html><head><title>Only a title</title></head></html>", 0),
    "a page that is all links": (
        "links.html",
        (
            "<html><body>"
            + "".join(f'<a href="https://x{i}.example">link {i}</a> ' for i in range(300))
            + "</body></html>"
        ).encode(),
        0,
    ),
    "malformed HTML": (
        "broken.html",
        b"<html><body><p>Unclosed <b>bold <i>remarkable</p></div></span><p>cure",
        1,
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_file_gives_a_result_or_one_line_error(runner, tmp_path, case):
    name, data, expected_exit = CASES[case]
    path = tmp_path / name
    path.write_bytes(data)
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == expected_exit, result.output
    assert "Traceback" not in result.output
    if expected_exit == 2:
        assert _one_line_error(result.output)


def test_deeply_nested_html_gives_a_result(runner, tmp_path):
    page = tmp_path / "deep.html"
    page.write_text(
        "<html><body>"
        + "<div>" * 10_000
        + "<p>A remarkable result.</p>"
        + "</div>" * 10_000
        + "</body></html>"
    )
    result = runner.invoke(main, ["check", str(page)])
    assert result.exit_code == 1, result.output
    assert "Hype.Remarkable" in result.output


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_100_mb_input_is_refused_with_the_limit(runner, tmp_path, suffix):
    path = _sparse(tmp_path / f"huge{suffix}", 100 * MB)
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert _one_line_error(result.output)
    assert "limit" in result.output and "--max-bytes" in result.output


def test_non_existent_path_exits_2(runner, tmp_path):
    result = runner.invoke(main, ["check", str(tmp_path / "missing.md")])
    assert result.exit_code == 2 and _one_line_error(result.output)


def test_symlink_loop_exits_2(runner, tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    result = runner.invoke(main, ["check", str(loop)])
    assert result.exit_code == 2 and _one_line_error(result.output)


def test_symlink_loop_inside_a_folder_is_skipped(runner, tmp_path):
    (tmp_path / "a.txt").write_text("A remarkable cure.\n")
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    (tmp_path / "again").symlink_to(tmp_path)  # a folder that contains itself
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert "1 document" in result.output


def test_unreadable_file_in_a_folder_does_not_stop_the_others(runner, tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text("A remarkable cure.\n")
    (tmp_path / "locked.txt").write_text("Never read.\n")
    real_open = Path.open

    def guarded_open(self, *args, **kwargs):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    result = runner.invoke(main, ["check", "--jobs", "1", str(tmp_path)])
    assert result.exit_code == 2  # one input failed
    assert "locked.txt: Permission denied" in result.output
    assert "good.txt:1:3: warning Hype.Remarkable" in result.output


def test_closed_stdin_exits_2():
    import shutil
    import subprocess
    import sys

    script = Path(sys.executable).with_name("healthvet")
    shell = shutil.which("bash") or "/bin/sh"
    out = subprocess.run([shell, "-c", f"'{script}' check - <&-"], capture_output=True, text=True)
    assert out.returncode == 2
    assert "standard input is closed" in out.stderr and "Traceback" not in out.stderr


def test_catastrophic_regex_in_a_rule_file_is_refused_before_any_document(runner, tmp_path):
    pack = tmp_path / "styles" / "Mine"
    pack.mkdir(parents=True)
    (pack / "Slow.yml").write_text(
        "extends: existence\nmessage: slow\nlevel: warning\ntokens:\n  - '(a+)+$'\n", encoding="utf-8"
    )
    page = tmp_path / "a.txt"
    page.write_text("a" * 40 + "!\n")
    result = runner.invoke(main, ["check", "--rules", str(tmp_path / "styles"), str(page)])
    assert result.exit_code == 2
    assert re.search(r"Slow\.yml:4: .*repeat", result.output)  # the line of `tokens`


def test_a_batch_finishes_the_good_documents(runner, tmp_path):
    (tmp_path / "ok.txt").write_text("A remarkable cure.\n")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "ok.txt:1:3: warning Hype.Remarkable" in result.output
    assert "bad.txt: looks like a binary file" in result.output
