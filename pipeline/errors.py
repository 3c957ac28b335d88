"""Error catalogue: every error the tool reports has a code and says what to do next.

Exit codes follow ruff: 1 means "content problems were found", 2 means "the tool could
not run" (usage, configuration, rule file or input errors). These exceptions are the
second kind; ``cli.py`` is the one place that turns them into messages and exit codes.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Stable error codes (spaCy's ``[E002]`` style)."""

    INPUT_NOT_FOUND = "E001"
    INPUT_UNREADABLE = "E002"
    INPUT_BINARY = "E003"
    INPUT_TOO_LARGE = "E004"
    INPUT_EMPTY = "E005"
    NO_INPUTS = "E006"
    FETCH_FAILED = "E010"
    FETCH_REFUSED = "E011"
    RULE_FILE = "E020"
    RULE_UNKNOWN = "E021"
    CONFIG = "E030"
    STAGE_FAILED = "E040"


_HINTS: dict[Code, str] = {
    Code.INPUT_NOT_FOUND: "check the path or quote the glob so the shell does not expand it",
    Code.INPUT_UNREADABLE: "check the file's permissions and encoding",
    Code.INPUT_BINARY: "pass an HTML, text or Markdown file",
    Code.INPUT_TOO_LARGE: "raise the limit with --max-bytes if the input is genuine",
    Code.INPUT_EMPTY: "pass a file that contains an article",
    Code.NO_INPUTS: "pass a file, a directory, a glob, a URL or - for stdin",
    Code.FETCH_FAILED: "check the URL and your connection, or save the page and pass the file",
    Code.FETCH_REFUSED: "pass --allow-private to fetch from private or loopback addresses",
    Code.RULE_FILE: "fix the rule file; `healthvet rules test PATH` validates a pack",
    Code.RULE_UNKNOWN: "`healthvet rules list` shows the rule IDs",
    Code.CONFIG: "fix the configuration; `healthvet config show` prints what was read",
    Code.STAGE_FAILED: "please report this with the input that caused it",
}


class HealthvetError(Exception):
    """An error the user can act on; ``str()`` gives the one-line message."""

    def __init__(self, code: Code, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message} ({_HINTS[self.code]})"


class InputError(HealthvetError):
    """A source could not be found, read or decoded."""


class FetchError(HealthvetError):
    """A URL could not or must not be fetched."""


class RuleError(HealthvetError):
    """A rule file is invalid; the message starts with ``path:line:``."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(Code.RULE_FILE, f"{path}:{line}: {message}")
        self.path = path
        self.line = line


class ConfigError(HealthvetError):
    """The configuration is invalid."""
