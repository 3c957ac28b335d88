"""Configuration: ``[tool.healthvet]`` in pyproject.toml, or a ``healthvet.toml``.

Found upward from each checked file, closest first (ruff's rule): in one folder
``healthvet.toml`` wins over ``pyproject.toml``, and a pyproject.toml without a
``[tool.healthvet]`` table is passed over. ``--config FILE`` names one file for every
input; ``--isolated`` reads none. Command-line options win over the file: ``--select``
replaces the file's ``select``, ``--ignore`` and ``--rules`` add to it.

Keys (kebab-case, as ruff's): ``select``, ``ignore`` (rule ID prefixes), ``levels``
(rule ID or prefix → level; the longest prefix wins), ``rules`` (extra rule folders,
relative to the config file), ``fail-on``, ``min-level``,
``report-unused-suppressions`` and ``[[overrides]]`` with ``files`` globs (relative to the
config file) and their own ``select``/``ignore``/``levels``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.document import Level
from pipeline.errors import Code, ConfigError
from pipeline.ruleset import RuleSet, load_ruleset, matches_prefix

CONFIG_NAMES = ("healthvet.toml", "pyproject.toml")
FAIL_ON_CHOICES = (*(lv.value for lv in Level), "never")
_TOP_KEYS = frozenset(
    {"select", "ignore", "levels", "rules", "fail-on", "min-level", "report-unused-suppressions", "overrides"}
)
_OVERRIDE_KEYS = frozenset({"files", "select", "ignore", "levels"})
_TOML_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True, slots=True)
class Override:
    """Settings for files matching ``files`` (globs relative to ``root``)."""

    files: tuple[str, ...]
    root: Path
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    levels: tuple[tuple[str, Level], ...] = ()

    def matches(self, path: Path) -> bool:
        """True when ``path`` matches one of the globs."""
        try:
            relative = path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return False
        return any(glob_regex(pattern).fullmatch(relative) for pattern in self.files)


@dataclass(frozen=True, slots=True)
class Settings:
    """The effective settings for one input; ``origins`` says where each key came from."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    levels: tuple[tuple[str, Level], ...] = ()
    rule_dirs: tuple[Path, ...] = ()
    fail_on: str = "warning"
    min_level: Level = Level.SUGGESTION
    report_unused_suppressions: bool = False
    overrides: tuple[Override, ...] = ()
    path: Path | None = None  # the config file, if any
    origins: tuple[tuple[str, str], ...] = ()

    def origin(self, key: str) -> str:
        """Where ``key`` was set: a config file, the command line, an override or the default."""
        return dict(self.origins).get(key, "default")

    def ruleset_key(self) -> tuple[Any, ...]:
        """What the loaded rule set depends on (inputs that share it share one rule set)."""
        return (self.rule_dirs, self.select, self.ignore, self.levels)


@dataclass(frozen=True, slots=True)
class CliSettings:
    """What the command line says; ``None`` means "not given"."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rule_dirs: tuple[Path, ...] = ()
    fail_on: str | None = None
    min_level: str | None = None
    report_unused_suppressions: bool = False
    config: Path | None = None
    isolated: bool = False


# --- reading a file -----------------------------------------------------------------------


def load_config(path: Path) -> Settings:
    """Read one config file (healthvet.toml or pyproject.toml) into Settings."""
    table, text = _read_table(path)
    if table is None:
        raise ConfigError(Code.CONFIG, f"{path}:1: no [tool.healthvet] table in this file")
    return _settings_from_table(table, text, path)


def _read_table(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The healthvet table of a config file (None when a pyproject.toml has none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Code.CONFIG, f"{path}:1: cannot read the config file: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        at_end = "end of document" in str(exc)
        line = found.group(1) if found else str(text.count("\n") + 1) if at_end else "1"
        raise ConfigError(Code.CONFIG, f"{path}:{line}: invalid TOML: {exc}") from exc
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("healthvet")
        return (table if isinstance(table, dict) else None), text
    return data, text


def _settings_from_table(table: Mapping[str, Any], text: str, path: Path) -> Settings:
    def err(key: str, message: str) -> ConfigError:
        return ConfigError(Code.CONFIG, f"{path}:{line_of(text, key)}: {message}")

    unknown = sorted(set(table) - _TOP_KEYS)
    if unknown:
        raise err(unknown[0], f"unknown key {unknown[0]!r}; known keys: {', '.join(sorted(_TOP_KEYS))}")
    root = path.resolve().parent
    settings = Settings(path=path)
    values: dict[str, Any] = {}
    if "select" in table:
        values["select"] = _prefixes(table["select"], "select", err)
    if "ignore" in table:
        values["ignore"] = _prefixes(table["ignore"], "ignore", err)
    if "levels" in table:
        values["levels"] = _levels(table["levels"], err)
    if "rules" in table:
        values["rule_dirs"] = tuple(root / d for d in _prefixes(table["rules"], "rules", err))
    if "fail-on" in table:
        values["fail_on"] = _choice(table["fail-on"], "fail-on", FAIL_ON_CHOICES, err)
    if "min-level" in table:
        values["min_level"] = Level(_choice(table["min-level"], "min-level", tuple(Level), err))
    if "report-unused-suppressions" in table:
        values["report_unused_suppressions"] = _flag(table["report-unused-suppressions"], err)
    if "overrides" in table:
        values["overrides"] = _overrides(table["overrides"], root, text, path)
    origins = tuple((key, str(path)) for key in values)
    return replace(settings, **values, origins=origins)


def line_of(text: str, key: str) -> int:
    """The first line that assigns ``key`` (or opens a table named so); 1 when not found."""
    # [ \t]*, not \s*: a pattern anchored with re.M must not run over blank lines.
    pattern = re.compile(
        rf"""^[ \t]*(?:\[+[ \t]*(?:[\w.-]+\.)?)?["']?{re.escape(key)}["']?[ \t]*(?:=|\]|\.)""", re.M
    )
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _prefixes(value: Any, key: str, err: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(x, str) and x for x in items):
        raise err(key, f"'{key}' must be a list of strings")
    return tuple(items)


def _levels(value: Any, err: Any) -> tuple[tuple[str, Level], ...]:
    if not isinstance(value, dict):
        raise err("levels", "'levels' must be a table of rule ID = level")
    out = []
    for rid, level in value.items():
        out.append((rid, Level(_choice(level, rid, tuple(Level), err))))
    return tuple(out)


def _choice(value: Any, key: str, choices: Sequence[str], err: Any) -> str:
    if value not in choices:
        raise err(key, f"'{key}' must be one of {', '.join(choices)}, not {value!r}")
    return str(value)


def _flag(value: Any, err: Any) -> bool:
    if not isinstance(value, bool):
        raise err("report-unused-suppressions", "'report-unused-suppressions' must be true or false")
    return value


def _overrides(value: Any, root: Path, text: str, path: Path) -> tuple[Override, ...]:
    def err(key: str, message: str) -> ConfigError:
        return ConfigError(Code.CONFIG, f"{path}:{line_of(text, key)}: {message}")

    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise err("overrides", "'overrides' must be an array of tables: [[tool.healthvet.overrides]]")
    out = []
    for item in value:
        unknown = sorted(set(item) - _OVERRIDE_KEYS)
        if unknown:
            raise err(unknown[0], f"unknown override key {unknown[0]!r}; use files, select, ignore, levels")
        if "files" not in item:
            raise err("overrides", "each override needs 'files', a list of globs")
        out.append(
            Override(
                files=_prefixes(item["files"], "files", err),
                root=root,
                select=_prefixes(item["select"], "select", err) if "select" in item else None,
                ignore=_prefixes(item.get("ignore", []), "ignore", err),
                levels=_levels(item.get("levels", {}), err),
            )
        )
    return tuple(out)


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regex over POSIX relative paths: ``**`` spans folders, ``*`` does not.

    A pattern without a slash matches the file name in any folder (as .gitignore does),
    and a pattern ending in ``/`` or ``/**`` matches everything below that folder.
    """
    pattern = pattern.removeprefix("./")
    if pattern.endswith("/"):
        pattern += "**"
    if "/" not in pattern:
        pattern = "**/" + pattern
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            ch = pattern[i]
            out.append("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch))
            i += 1
    return re.compile("".join(out))


# --- finding and combining -----------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """The closest config file at or above ``start`` (a folder or a file)."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate_dir in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = candidate_dir / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_table(candidate)):
                return candidate
    return None


def _has_table(pyproject: Path) -> bool:
    table, _ = _read_table(pyproject)
    return table is not None


def with_cli(settings: Settings, cli: CliSettings) -> Settings:
    """Apply command-line options over a file's settings."""
    values: dict[str, Any] = {}
    if cli.select:
        values["select"] = cli.select
    if cli.ignore:
        values["ignore"] = (*settings.ignore, *cli.ignore)
    if cli.rule_dirs:
        values["rule_dirs"] = (*settings.rule_dirs, *cli.rule_dirs)
    if cli.fail_on is not None:
        values["fail_on"] = cli.fail_on
    if cli.min_level is not None:
        values["min_level"] = Level(cli.min_level)
    if cli.report_unused_suppressions:
        values["report_unused_suppressions"] = True
    origins = (*settings.origins, *((key, "command line") for key in values))
    return replace(settings, **values, origins=origins)


def for_path(settings: Settings, path: Path | None) -> Settings:
    """Apply the overrides whose globs match ``path`` (a file input; None for stdin and URLs)."""
    if path is None:
        return settings
    for override in settings.overrides:
        if override.matches(path):
            settings = _apply_override(settings, override)
    return settings


def _apply_override(settings: Settings, override: Override) -> Settings:
    values: dict[str, Any] = {
        "ignore": (*settings.ignore, *override.ignore),
        "levels": (*settings.levels, *override.levels),
    }
    if override.select is not None:
        values["select"] = override.select
    where = f"override {', '.join(override.files)}"
    changed = ["ignore"] * bool(override.ignore) + ["levels"] * bool(override.levels)
    changed += ["select"] * (override.select is not None)
    return replace(settings, **values, origins=(*settings.origins, *((k, where) for k in changed)))


@dataclass
class Resolver:
    """Settings per input, reading each config file once per run."""

    cli: CliSettings = field(default_factory=CliSettings)
    _by_file: dict[Path | None, Settings] = field(default_factory=dict)
    _by_dir: dict[Path, Path | None] = field(default_factory=dict)

    def settings_for(self, name: str, kind: str) -> Settings:
        """Effective settings for an input (kind file, url or stdin) or a folder (kind folder)."""
        path = Path(name) if kind in ("file", "folder") else None
        start = path if kind == "folder" else path.parent if path is not None else Path.cwd()
        config = self._config_path(start or Path.cwd())
        if config not in self._by_file:
            self._by_file[config] = load_config(config) if config is not None else Settings()
        return for_path(with_cli(self._by_file[config], self.cli), path if kind == "file" else None)

    def _config_path(self, folder: Path) -> Path | None:
        if self.cli.isolated:
            return None
        if self.cli.config is not None:
            return self.cli.config
        folder = folder.resolve()
        if folder not in self._by_dir:
            self._by_dir[folder] = find_config(folder)
        return self._by_dir[folder]


# --- rule sets -----------------------------------------------------------------------------


@dataclass
class RuleSets:
    """One loaded rule set per distinct (folders, select, ignore, levels), built on demand."""

    _cache: dict[tuple[Any, ...], RuleSet] = field(default_factory=dict)

    def get(self, settings: Settings) -> RuleSet:
        """The rule set for these settings, with per-rule levels applied."""
        key = settings.ruleset_key()
        if key not in self._cache:
            self._cache[key] = build_ruleset(settings)
        return self._cache[key]

    def all_rules(self) -> list[Any]:
        """Every rule of every rule set built so far, one per ID."""
        seen: dict[str, Any] = {}
        for ruleset in self._cache.values():
            for rule in ruleset.rules:
                seen.setdefault(rule.id, rule)
        return list(seen.values())


def build_ruleset(settings: Settings) -> RuleSet:
    """Load the rules the settings select and set their levels."""
    ruleset = load_ruleset(settings.rule_dirs, settings.select, settings.ignore)
    _check_level_keys(settings, ruleset)
    if not settings.levels:
        return ruleset
    rules = tuple(
        replace(rule, level=level_for(rule.id, rule.level, settings.levels)) for rule in ruleset.rules
    )
    return RuleSet(rules, ruleset.checks)


def level_for(rid: str, default: Level, levels: Sequence[tuple[str, Level]]) -> Level:
    """The level the longest matching prefix in ``levels`` gives ``rid`` (later entries win ties)."""
    best: tuple[int, Level] | None = None
    for prefix, level in levels:
        if matches_prefix(rid, [prefix]) and (best is None or len(prefix) >= best[0]):
            best = (len(prefix), level)
    return best[1] if best else default


def _check_level_keys(settings: Settings, ruleset: RuleSet) -> None:
    """A level for a rule that does not exist is a typo: say so instead of ignoring it."""
    known = load_ruleset(settings.rule_dirs).rules if settings.select or settings.ignore else ruleset.rules
    for prefix, _ in settings.levels:
        if not any(matches_prefix(r.id, [prefix]) for r in known):
            where = settings.path or "the command line"
            line = line_of(settings.path.read_text(encoding="utf-8"), prefix) if settings.path else 1
            raise ConfigError(Code.CONFIG, f"{where}:{line}: 'levels' names no known rule: {prefix!r}")


# --- showing -------------------------------------------------------------------------------


def describe(settings: Settings) -> Iterator[str]:
    """``healthvet config show``: the effective settings as TOML, each with its origin."""
    yield f"# config file: {settings.path or 'none (built-in defaults)'}"
    rows: list[tuple[str, str, str]] = [
        ("select", _toml_list(settings.select) if settings.select else "[]  # all rules", "select"),
        ("ignore", _toml_list(settings.ignore), "ignore"),
        ("rules", _toml_list(str(d) for d in settings.rule_dirs), "rule_dirs"),
        ("fail-on", f'"{settings.fail_on}"', "fail_on"),
        ("min-level", f'"{settings.min_level}"', "min_level"),
        (
            "report-unused-suppressions",
            str(settings.report_unused_suppressions).lower(),
            "report_unused_suppressions",
        ),
    ]
    for key, value, attr in rows:
        yield f"{key} = {value}  # from {settings.origin(attr)}"
    pairs = ", ".join(f'"{rid}" = "{level}"' for rid, level in settings.levels)
    yield f"levels = {{ {pairs} }}  # from {settings.origin('levels')}"
    for override in settings.overrides:
        yield f"# override for files {_toml_list(override.files)} (relative to {override.root}):"
        if override.select is not None:
            yield f"#   select = {_toml_list(override.select)}"
        if override.ignore:
            yield f"#   ignore = {_toml_list(override.ignore)}"
        for rid, level in override.levels:
            yield f'#   levels."{rid}" = "{level}"'


def _toml_list(items: Any) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"
