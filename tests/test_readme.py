"""The README is part of the product: its commands must be the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)


def test_readme_starts_with_the_two_fresh_machine_commands():
    blocks = _shell_blocks()
    assert "healthvet" in blocks[0] and "corpus/" in blocks[0]
    assert blocks[1].endswith("pytest")


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _shell_blocks()[1] in ci.splitlines()


def test_every_command_is_in_the_readme():
    from cli import main

    for name, command in main.commands.items():
        assert f"healthvet {name}" in README, name
        for sub in getattr(command, "commands", {}):
            assert f"{name} {sub}" in README, f"{name} {sub}"
