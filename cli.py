"""healthvet command line: wiring only; all logic lives in pipeline/.

This is the one place that turns pipeline errors into messages and exit codes:
0 = no findings at or above --fail-on, 1 = findings, 2 = usage, configuration, rule or
input error. Heavy libraries (spaCy, trafilatura) are imported inside commands only, so
``healthvet --help`` starts instantly.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from pipeline.document import Level
from pipeline.errors import HealthvetError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
LEVELS = [lv.value for lv in Level]


def _fail(message: str) -> None:
    click.echo(f"healthvet: error: {message}", err=True)


def guarded(fn: Callable[..., int | None]) -> Callable[..., None]:
    """Run a command body; turn HealthvetError into a one-line message and exit 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = fn(*args, **kwargs)
        except HealthvetError as exc:
            _fail(str(exc))
            sys.exit(EXIT_ERROR)
        except BrokenPipeError:
            sys.exit(EXIT_CLEAN)  # output piped into `head`: not an error
        sys.exit(code or EXIT_CLEAN)

    return wrapper


def rule_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--rules / --select / --ignore, shared by every command that runs rules."""
    fn = click.option("--ignore", multiple=True, metavar="PREFIX", help="Skip rules under this ID prefix.")(
        fn
    )
    fn = click.option(
        "--select", multiple=True, metavar="PREFIX", help="Run only rules under this ID prefix."
    )(fn)
    return click.option(
        "--rules",
        "rule_dirs",
        multiple=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="Add a folder of rule packs (<dir>/<Pack>/<Rule>.yml).",
    )(fn)


def input_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--max-bytes / --allow-private, shared by every command that reads sources."""
    fn = click.option(
        "--allow-private", is_flag=True, help="Allow fetching URLs on private or loopback addresses."
    )(fn)
    return click.option(
        "--max-bytes",
        type=click.IntRange(1),
        default=20 * 1024 * 1024,
        show_default=True,
        help="Size cap per input.",
    )(fn)


def _ruleset(rule_dirs: Sequence[Path], select: Sequence[str], ignore: Sequence[str]) -> Any:
    from pipeline.ruleset import load_ruleset

    return load_ruleset(rule_dirs, select, ignore)


def _process_all(sources: Sequence[str], ruleset: Any, options: Any) -> tuple[list[Any], int]:
    """Process every source; input errors are reported and the rest still run."""
    from pipeline.run import process_ref
    from pipeline.sources import expand

    docs, failures = [], 0
    for ref in expand(sources):
        try:
            docs.append(process_ref(ref, ruleset, options))
        except HealthvetError as exc:
            _fail(str(exc))
            failures += 1
    return docs, failures


def _options(max_bytes: int, allow_private: bool, sentences: int = 3, **summary: Any) -> Any:
    from pipeline.run import Options

    return Options(
        summary_sentences=sentences, max_bytes=max_bytes, allow_private=allow_private, **summary
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="healthvet")
def main() -> None:
    """Vet health articles: strip spam and promotion, flag overstated claims, summarise.

    Example: healthvet check article.html
    """


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice([*LEVELS, "never"]),
    default="warning",
    show_default=True,
    help="Exit 1 when a finding is at or above this level.",
)
@click.option(
    "--min-level",
    type=click.Choice(LEVELS),
    default="suggestion",
    show_default=True,
    help="Show findings at or above this level.",
)
@rule_options
@input_options
@guarded
def check(
    sources: tuple[str, ...],
    fmt: str,
    fail_on: str,
    min_level: str,
    rule_dirs: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    max_bytes: int,
    allow_private: bool,
) -> int:
    """Report promotion and overstated claims: path:line:col: level Rule.ID: message.

    Example: healthvet check article.txt --format json
    """
    ruleset = _ruleset(rule_dirs, select, ignore)
    docs, failures = _process_all(sources, ruleset, _options(max_bytes, allow_private))
    if fmt == "json":
        from pipeline.report import json_report

        click.echo(json_report.render(docs), nl=False)
    else:
        from pipeline.report import text

        click.echo(text.render(docs, Level(min_level)), nl=False)
    if failures:
        return EXIT_ERROR
    threshold = None if fail_on == "never" else Level(fail_on)
    found = (
        any(f.level.rank >= threshold.rank for d in docs for f in d.reported_findings())
        if threshold
        else False
    )
    return EXIT_FINDINGS if found else EXIT_CLEAN


@main.command()
@click.argument("sources", nargs=-1, required=True)
@rule_options
@input_options
@guarded
def clean(
    sources: tuple[str, ...],
    rule_dirs: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    max_bytes: int,
    allow_private: bool,
) -> int:
    """Print the cleaned article: chrome, spam and promotion removed, headings kept.

    Example: healthvet clean article.html > article.txt
    """
    from pipeline.cleaning import cleaned_text

    ruleset = _ruleset(rule_dirs, select, ignore)
    docs, failures = _process_all(sources, ruleset, _options(max_bytes, allow_private))
    for i, doc in enumerate(docs):
        if len(docs) > 1:
            click.echo(f"{'' if i == 0 else chr(10)}==> {doc.source.name} <==")
        click.echo(cleaned_text(doc), nl=False)
    return EXIT_ERROR if failures else EXIT_CLEAN


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--sentences", "-n", type=click.IntRange(1), default=3, show_default=True, help="Summary length."
)
@click.option("--words", type=click.IntRange(1), help="Word budget instead of a sentence count.")
@click.option(
    "--ratio",
    type=click.FloatRange(0, 1, min_open=True),
    help="Share of the article's words instead of a sentence count, e.g. 0.2.",
)
@click.option("--neutral", is_flag=True, help="Apply the rules' fixes: 'remarkable reduction' → 'reduction'.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "jsonl"]),
    default="text",
    show_default=True,
    help="jsonl: one {source, summary} object per document.",
)
@rule_options
@input_options
@guarded
def summarize(
    sources: tuple[str, ...],
    sentences: int,
    words: int | None,
    ratio: float | None,
    neutral: bool,
    fmt: str,
    rule_dirs: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    max_bytes: int,
    allow_private: bool,
) -> int:
    """Print a summary of the cleaned article, one sentence per line.

    Example: healthvet summarize article.txt --sentences 3
    """
    if words is not None and ratio is not None:
        raise click.UsageError("give --words or --ratio, not both")
    ruleset = _ruleset(rule_dirs, select, ignore)
    summary = {"summary_words": words, "summary_ratio": ratio, "neutral": neutral}
    docs, failures = _process_all(sources, ruleset, _options(max_bytes, allow_private, sentences, **summary))
    for i, doc in enumerate(docs):
        if fmt == "jsonl":
            import json

            line = {"source": doc.source.name, "summary": [s.text for s in doc.summary]}
            click.echo(json.dumps(line, ensure_ascii=False))
            continue
        if len(docs) > 1:
            click.echo(f"{'' if i == 0 else chr(10)}==> {doc.source.name} <==")
        for sentence in doc.summary:
            click.echo(sentence.text)
    return EXIT_ERROR if failures else EXIT_CLEAN


@main.group()
def rules() -> None:
    """List, show and test rule packs.

    Example: healthvet rules list
    """


@rules.command("list")
@rule_options
@guarded
def rules_list(rule_dirs: tuple[Path, ...], select: tuple[str, ...], ignore: tuple[str, ...]) -> int:
    """List loaded rules: ID, level, category and description.

    Example: healthvet rules list --select Hype
    """
    ruleset = _ruleset(rule_dirs, select, ignore)
    for rule in ruleset.rules:
        click.echo(f"{rule.id:32} {rule.level:10} {rule.category:6} {rule.description}")
    return EXIT_CLEAN


@rules.command("show")
@click.argument("rule_id")
@rule_options
@guarded
def rules_show(
    rule_id: str, rule_dirs: tuple[Path, ...], select: tuple[str, ...], ignore: tuple[str, ...]
) -> int:
    """Print a rule's documentation: what it flags, why, an example, a better wording.

    Example: healthvet rules show Hype.Remarkable
    """
    from pipeline.errors import Code
    from pipeline.rulesdoc import render_doc

    rule = _ruleset(rule_dirs, (), ()).get(rule_id)
    if rule is None:
        raise HealthvetError(Code.RULE_UNKNOWN, f"no rule named {rule_id!r}")
    click.echo(render_doc(rule), nl=False)
    return EXIT_CLEAN


@rules.command("test")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@guarded
def rules_test(path: Path) -> int:
    """Validate a rule pack folder and run every rule's examples.

    Example: healthvet rules test my-rules/
    """
    from pipeline.ruleset import load_ruleset
    from pipeline.ruletest import run_examples

    ruleset = load_ruleset([path])
    mine = [r for r in ruleset.rules if Path(r.path).resolve().is_relative_to(path.resolve())]
    failures = [f for rule in mine for f in run_examples(ruleset, rule)]
    missing = [r.id for r in mine if not r.flag_examples or not r.pass_examples]
    for failure in failures:
        click.echo(f"FAIL {failure.rule}: should {failure.expected}: {failure.text!r}")
    for rid in missing:
        click.echo(f"FAIL {rid}: needs at least one 'flag' and one 'pass' example")
    click.echo(f"{len(mine)} rules, {len(failures) + len(missing)} problems")
    return EXIT_FINDINGS if failures or missing else EXIT_CLEAN


if __name__ == "__main__":
    main()
