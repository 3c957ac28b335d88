"""Rule files: load YAML packs safely, validate them, select and ignore by ID prefix.

A rule is one YAML file ``<dir>/<Pack>/<Rule>.yml`` and its ID is ``Pack.Rule`` (Vale).
The common fields are validated here; each rule *type* (``extends``) validates and
compiles its own fields in ``pipeline/checks``. Every error names ``path:line``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from pipeline import rulecache
from pipeline.document import Category, Level
from pipeline.errors import RuleError

# Keys Vale defines for any rule type: accepted so that Vale rules load unchanged, even
# where healthvet has no use for them (``action``, ``vocab``, ``code`` ...).
VALE_KEYS = frozenset(
    {
        "extends",
        "message",
        "level",
        "scope",
        "link",
        "limit",
        "description",
        "ignorecase",
        "nonword",
        "tokens",
        "swap",
        "exceptions",
        "action",
        "vocab",
        "code",
        "raw",
        "append",
        "min",
        "max",
        "first",
        "second",
        "either",
        "capitalize",
        "match",
        "style",
        "indicators",
        "metric",
        "condition",
        "grade",
        "dictionaries",
        "filters",
        "ignore",
        "sequence",
        "custom",
        "threshold",
        "pos",
    }
)
HEALTHVET_KEYS = frozenset(
    {
        "category",
        "suggestion",
        "doc",
        "references",
        "examples",
        "context",
        "patterns",
        "kind",
        "unit",
        "weight",
        "labels",
        "quoted_level",
        "signal",
        "fix",
        "evidence",
        "unless",
        "when",
    }
)
SCOPES = frozenset(
    {"text", "sentence", "paragraph", "heading", "title", "list", "quotation", "summary", "blockquote"}
)
_RULE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
# Context in which a claim is not asserted as the writer's own (see pipeline/claims.py), and
# what a rule does there by default: skip the hit, keep it, lower it one level, or set a level.
CONTEXT_DEFAULTS: Mapping[str, str] = {
    "negated": "skip",  # "is not a cure", "no evidence that it cures"
    "asked": "skip",  # "Is dialysis a cure for kidney failure?" in running text
    "hedged": "keep",  # "may help some patients"
    "quoted": "lower",  # inside quotation marks or a blockquote
    "attributed": "lower",  # reported speech: "..., said Dr X", "according to"
    "disputed": "suggestion",  # reported or quoted, then refuted: "Sellers claim X cures Y, but no trial ..."
    "mentioned": "skip",  # the words are talked about: "red flags such as 'miracle cure'"
    "named": "skip",  # inside a proper name: "Food and Drug Administration"
    "cited": "keep",  # the sentence names its source: "(Smith et al., 2020)"
}
CONTEXT_ACTIONS = frozenset({"skip", "keep", "lower", *(lv.value for lv in Level)})


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """ruff-style rule documentation: what it flags, why, an example, a better wording."""

    flags: str = ""
    why: str = ""
    example: str = ""
    better: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """Where a rule comes from (provenance)."""

    title: str
    url: str = ""


@dataclass(frozen=True)
class Rule:
    """One validated rule file; ``options`` keeps the type-specific fields."""

    id: str
    extends: str
    message: str
    level: Level
    path: str
    category: Category = Category.CLAIM
    scope: tuple[str, ...] = ("text",)
    ignorecase: bool = True
    nonword: bool = False
    link: str | None = None
    description: str = ""
    suggestion: str | None = None
    limit: int | None = None
    doc: RuleDoc = field(default_factory=RuleDoc)
    references: tuple[Reference, ...] = ()
    flag_examples: tuple[str, ...] = ()
    pass_examples: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    lines: Mapping[str, int] = field(default_factory=dict)
    context: Mapping[str, str] = field(default_factory=lambda: dict(CONTEXT_DEFAULTS))
    unless: re.Pattern[str] | None = None  # a hit whose sentence matches this is not reported
    when: re.Pattern[str] | None = None  # a hit is reported only when its sentence matches this

    @property
    def pack(self) -> str:
        """The pack name: the part of the ID before the dot."""
        return self.id.split(".", 1)[0]

    def line_of(self, key: str) -> int:
        """The line a top-level key is on (1 when unknown)."""
        return self.lines.get(key, 1)

    def error(self, key: str, message: str) -> RuleError:
        """A RuleError pointing at ``key`` in this rule's file."""
        return RuleError(self.path, self.line_of(key), message)


def builtin_rules_dir() -> Path:
    """The rules/ folder shipped with healthvet."""
    return Path(__file__).resolve().parent.parent / "rules"


def discover(dirs: Sequence[Path]) -> list[Path]:
    """Rule files under each directory: ``<dir>/<Pack>/<Rule>.yml``, or a single pack folder."""
    files: list[Path] = []
    for folder in dirs:
        if not folder.is_dir():
            raise RuleError(str(folder), 1, "rule folder does not exist")
        direct = sorted(p for p in folder.glob("*.y*ml") if p.is_file())
        nested = sorted(p for p in folder.glob("*/*.y*ml") if p.is_file())
        files.extend(nested or direct)
    return files


def rule_id(path: Path) -> str:
    """``Pack.Rule`` from the folder and file name."""
    return f"{path.parent.name}.{path.stem}"


def load_rule(path: Path) -> Rule:
    """Parse and validate the common fields of one rule file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(str(path), 1, f"cannot read rule file: {exc}") from exc
    data, lines = _parse_yaml(text, str(path))
    return _build_rule(rule_id(path), str(path), data, lines)


def _parse_yaml(text: str, path: str) -> tuple[dict[str, Any], dict[str, int]]:
    """Safe-load a YAML mapping and record the line of each top-level key."""
    # One parse: compose the node tree (for key lines), then construct the data from it.
    # libyaml's CSafeLoader when PyYAML was built with it: 5x faster start-up for 60 files.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        if "(?: " in source_line or (source_line.lstrip().startswith("- ") and ": " in source_line):
            problem += "; quote a value that contains ': ', e.g. a regex with '(?: '"
        raise RuleError(path, line, f"invalid YAML: {problem}") from exc
    finally:
        loader.dispose()
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        raise RuleError(path, 1, "a rule file must be a YAML mapping of keys to values")
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return data, lines


def _build_rule(rid: str, path: str, data: dict[str, Any], lines: dict[str, int]) -> Rule:
    def err(key: str, message: str) -> RuleError:
        return RuleError(path, lines.get(key, 1), message)

    if not _RULE_NAME.match(rid.split(".", 1)[1]):
        raise RuleError(path, 1, f"rule name {rid!r} must be letters, digits, '-' or '_'")
    unknown = sorted(k for k in data if k not in VALE_KEYS | HEALTHVET_KEYS)
    if unknown:
        raise err(unknown[0], f"unknown key {unknown[0]!r}")
    extends = _require_str(data, "extends", err)
    message = _require_str(data, "message", err)
    level_text = str(data.get("level", "warning"))
    if level_text not in {lv.value for lv in Level}:
        raise err("level", f"level must be error, warning or suggestion, not {level_text!r}")
    category = str(data.get("category", "claim"))
    if category not in {c.value for c in Category}:
        raise err("category", f"category must be claim or promo, not {category!r}")
    flag_examples, pass_examples = _examples(data.get("examples"), err)
    return Rule(
        id=rid,
        extends=extends,
        message=message,
        level=Level(level_text),
        path=path,
        category=Category(category),
        scope=_scope(data.get("scope", "text"), err),
        # Vale's default: case-sensitive unless the rule says ``ignorecase: true``.
        ignorecase=_bool(data, "ignorecase", default=False, err=err),
        nonword=_bool(data, "nonword", default=False, err=err),
        link=_optional_str(data, "link", err),
        description=_optional_str(data, "description", err) or "",
        suggestion=_optional_str(data, "suggestion", err),
        limit=_optional_int(data, "limit", err),
        doc=_doc(data.get("doc"), err),
        references=_references(data.get("references"), err),
        flag_examples=flag_examples,
        pass_examples=pass_examples,
        options=data,
        lines=lines,
        context=_context(data.get("context"), err),
        unless=_sentence_patterns("unless", data.get("unless"), err),
        when=_sentence_patterns("when", data.get("when"), err),
    )


def _require_str(data: Mapping[str, Any], key: str, err: Any) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise err(key, f"'{key}' is required and must be a non-empty string")
    return value


def _optional_str(data: Mapping[str, Any], key: str, err: Any) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise err(key, f"'{key}' must be a string")
    return value


def _optional_int(data: Mapping[str, Any], key: str, err: Any) -> int | None:
    value = data.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise err(key, f"'{key}' must be a non-negative integer")
    return value


def _bool(data: Mapping[str, Any], key: str, default: bool, err: Any) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise err(key, f"'{key}' must be true or false")
    return value


def _scope(value: Any, err: Any) -> tuple[str, ...]:
    scopes = [value] if isinstance(value, str) else value
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise err("scope", "'scope' must be a string or a list of strings")
    # Vale's "heading.h2" and friends narrow a heading scope; healthvet treats them as heading,
    # and Vale's "raw" (the unparsed file) as the whole text.
    normalised = tuple("text" if s == "raw" else s.split(".", 1)[0] for s in scopes)
    bad = [s for s in normalised if s not in SCOPES]
    if bad:
        raise err("scope", f"unknown scope {bad[0]!r}; use one of {', '.join(sorted(SCOPES))}")
    return normalised


def _context(value: Any, err: Any) -> dict[str, str]:
    """The rule's context actions over the defaults; unknown keys or actions are errors."""
    if value is None:
        return dict(CONTEXT_DEFAULTS)
    if not isinstance(value, dict):
        raise err("context", "'context' must map a context (negated, hedged, ...) to an action")
    for key, action in value.items():
        if key not in CONTEXT_DEFAULTS:
            raise err("context", f"unknown context {key!r}; use one of {', '.join(CONTEXT_DEFAULTS)}")
        if action not in CONTEXT_ACTIONS:
            raise err("context", f"context action must be one of {', '.join(sorted(CONTEXT_ACTIONS))}")
    return {**CONTEXT_DEFAULTS, **value}


def _sentence_patterns(key: str, value: Any, err: Any) -> re.Pattern[str] | None:
    """``unless`` / ``when``: regexes a hit's sentence is tested against (either one matching).

    ``unless`` excuses a hit whose sentence matches; ``when`` reports a hit only when its
    sentence matches (a causal conclusion counts only after an association is stated).
    """
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(x, str) and x for x in items):
        raise err(key, f"'{key}' must be a non-empty list of regular expressions")
    try:
        return re.compile("|".join(rf"\b(?:{x})" for x in items), re.IGNORECASE)
    except re.error as exc:
        raise err(key, f"invalid regular expression: {exc}") from exc


def _doc(value: Any, err: Any) -> RuleDoc:
    if value is None:
        return RuleDoc()
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise err("doc", "'doc' must map flags/why/example/better to strings")
    extra = set(value) - {"flags", "why", "example", "better"}
    if extra:
        raise err("doc", f"'doc' has unknown section {sorted(extra)[0]!r}")
    return RuleDoc(**{k: v.strip() for k, v in value.items()})


def _references(value: Any, err: Any) -> tuple[Reference, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise err("references", "'references' must be a list")
    refs = []
    for item in value:
        if isinstance(item, str):
            refs.append(Reference(item))
        elif isinstance(item, dict) and isinstance(item.get("title"), str):
            refs.append(Reference(item["title"], str(item.get("url", ""))))
        else:
            raise err("references", "each reference needs a 'title' (and optionally a 'url')")
    return tuple(refs)


def _examples(value: Any, err: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    if not isinstance(value, dict) or set(value) - {"flag", "pass"}:
        raise err("examples", "'examples' must have the keys 'flag' and/or 'pass'")
    lists = []
    for key in ("flag", "pass"):
        items = value.get(key) or []
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise err("examples", f"'examples.{key}' must be a list of strings")
        lists.append(tuple(items))
    return lists[0], lists[1]


def matches_prefix(rid: str, prefixes: Iterable[str]) -> bool:
    """True when ``rid`` is one of ``prefixes`` or sits under one (``Hype`` covers ``Hype.X``)."""
    return any(rid == p or rid.startswith(p.rstrip(".") + ".") for p in prefixes)


def select_rules(rules: Iterable[Rule], select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
    """Keep rules under ``select`` (all when empty), minus those under ``ignore``."""
    return [
        r for r in rules if (not select or matches_prefix(r.id, select)) and not matches_prefix(r.id, ignore)
    ]


@dataclass(frozen=True)
class RuleSet:
    """Validated, compiled rules ready to run; built once per run."""

    rules: tuple[Rule, ...]
    checks: tuple[Any, ...]  # pipeline.checks.Check, parallel to ``rules``

    def by_category(self, category: Category) -> tuple[tuple[Rule, Any], ...]:
        """(rule, check) pairs of one category (grouped once: every document asks)."""
        return self._by_category.get(category, ())

    @cached_property
    def _by_category(self) -> dict[Category, tuple[tuple[Rule, Any], ...]]:
        groups: dict[Category, list[tuple[Rule, Any]]] = {}
        for rule, check in zip(self.rules, self.checks, strict=True):
            groups.setdefault(rule.category, []).append((rule, check))
        return {category: tuple(pairs) for category, pairs in groups.items()}

    def get(self, rid: str) -> Rule | None:
        """The rule with this ID, if loaded."""
        return next((r for r in self.rules if r.id == rid), None)

    @cached_property
    def checks_summary(self) -> bool:
        """Whether a rule reads the summary (``scope: summary``), so it must be written."""
        return any("summary" in r.scope for r in self.rules)


def load_ruleset(
    extra_dirs: Sequence[Path] = (),
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    builtin: bool = True,
) -> RuleSet:
    """Load, validate and compile the built-in packs plus ``extra_dirs``; errors name path:line."""
    from pipeline.checks import compile_rule, share_starts  # the type table imports this module

    dirs = ([builtin_rules_dir()] if builtin else []) + list(extra_dirs)
    files = discover(dirs)
    key = _cache_key(files, select, ignore)
    cached = rulecache.read(key) if key else None
    if cached is not None:
        return cached  # the same files loaded and validated before: no error to report
    rules: dict[str, Rule] = {}
    for path in files:
        rule = load_rule(path)
        rules[rule.id] = rule  # a user's pack may override a built-in rule of the same ID
    chosen = select_rules(rules.values(), select, ignore)
    checks = tuple(compile_rule(r) for r in chosen)
    share_starts(checks)  # one pass over a text's words finds every rule's starts
    ruleset = RuleSet(tuple(chosen), checks)
    if key:
        rulecache.write(key, ruleset)
    return ruleset


def _cache_key(files: Sequence[Path], select: Sequence[str], ignore: Sequence[str]) -> str:
    """The rule cache's key for these files and selection ("" when a file cannot be read)."""
    try:
        return rulecache.cache_key(files, ["select", *select, "ignore", *ignore])
    except OSError:
        return ""  # load_rule reports the unreadable file
