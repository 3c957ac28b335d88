"""healthvet command line: wiring only; all logic lives in pipeline/.

This is the one place that turns pipeline errors into messages and exit codes:
0 = no findings at or above --fail-on, 1 = findings, 2 = usage, configuration, rule or
input error. Heavy libraries (spaCy, trafilatura) are imported inside commands only, so
``healthvet --help`` starts instantly.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Sequence
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


def jobs_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--jobs, for the commands that process many inputs at once."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(1),
        default=None,
        help="Worker processes (default: every core for 48 or more inputs, else 1).",
    )(fn)


def _ruleset(rule_dirs: Sequence[Path], select: Sequence[str], ignore: Sequence[str]) -> Any:
    from pipeline.ruleset import load_ruleset

    return load_ruleset(rule_dirs, select, ignore)


def _process_all(
    sources: Sequence[str], ruleset: Any, options: Any, jobs: int | None = None
) -> tuple[list[Any], int]:
    """Process every source (on every core for many); input errors are reported, the rest run."""
    from pipeline.parallel import run_refs
    from pipeline.sources import expand

    done, failures = _collect(run_refs(expand(sources), lambda _: (ruleset, options), jobs))
    return [doc for _, doc in done], failures


def _collect(outcomes: Iterable[tuple[Any, Any]]) -> tuple[list[tuple[Any, Any]], int]:
    """(source, document) pairs that were processed; each input error is reported and counted."""
    done, failures = [], 0
    for ref, outcome in outcomes:
        if outcome.error is not None:
            _fail(outcome.error)
            failures += 1
        else:
            done.append((ref, outcome.document))
    return done, failures


def _header(index: int, name: str) -> str:
    """``==> name <==`` before each document when several are printed (as ``head`` does)."""
    return f"{'' if index == 0 else chr(10)}==> {name} <=="


def _options(max_bytes: int, allow_private: bool, sentences: int = 3, **summary: Any) -> Any:
    """Options for ``clean`` and ``summarize``: neither shows claim-strength labels, so none are computed."""
    from pipeline.run import Options

    inputs: dict[str, Any] = {"max_bytes": max_bytes, "allow_private": allow_private}
    return Options(summary_sentences=sentences, strengths=False, **inputs, **summary)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="healthvet")
def main() -> None:
    """Vet health articles: strip spam and promotion, flag overstated claims, summarise.

    Example: healthvet check article.html
    """


def _check_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options of `check` only: output, thresholds, configuration, baseline and fixes."""
    from pipeline.report import FORMATS

    options = [
        click.option("--diff", is_flag=True, help="With --fix: print a unified diff instead of writing."),
        click.option("--fix", is_flag=True, help="Apply removals and swaps to Markdown and text files."),
        click.option(
            "--report-unused-suppressions",
            is_flag=True,
            help="Report healthvet: disable comments that suppress nothing.",
        ),
        click.option("--write-baseline", is_flag=True, help="Write the current findings to --baseline FILE."),
        click.option(
            "--baseline",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Report only findings not recorded in this baseline file.",
        ),
        click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
        click.option(
            "--config",
            "config_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Use this healthvet.toml or pyproject.toml for every input.",
        ),
        click.option("--no-color", is_flag=True, help="No ANSI colour (also: the NO_COLOR variable)."),
        click.option(
            "--min-level",
            type=click.Choice(LEVELS),
            help="Show findings at or above this level (default: suggestion); exit code unchanged.",
        ),
        click.option(
            "--fail-on",
            type=click.Choice([*LEVELS, "never"]),
            help="Exit 1 when a finding is at or above this level (default: warning).",
        ),
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the report to FILE.",
        ),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True),
    ]
    for option in options:
        fn = option(fn)
    return fn


def _check_all(
    sources: Sequence[str], resolver: Any, rulesets: Any, input_opts: dict[str, Any], jobs: int | None = None
) -> Any:
    """Process every source with the settings of its closest config; input errors are counted."""
    from pipeline.parallel import run_refs
    from pipeline.run import Options
    from pipeline.sources import expand

    refs = expand(sources)
    effective = {ref: resolver.settings_for(ref.name, ref.kind) for ref in refs}

    def ruleset_for(ref: Any) -> Any:
        options = Options(report_unused_suppressions=effective[ref].report_unused_suppressions, **input_opts)
        return rulesets.get(effective[ref]), options

    done, failures = _collect(run_refs(refs, ruleset_for, jobs))
    return [doc for _, doc in done], [effective[ref] for ref, _ in done], failures


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("healthvet")
    except PackageNotFoundError:
        return ""


def _use_color(fmt: str, output: Path | None, no_color: bool) -> bool:
    """Colour only for text on a terminal, unless NO_COLOR (https://no-color.org) or --no-color."""
    import os

    wanted = fmt == "text" and output is None and not no_color
    return wanted and not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def _fix(docs: Sequence[Any], settings: Sequence[Any], rulesets: Any, diff: bool) -> int:
    """Apply (or, with diff, show) the fixes; returns how many files change."""
    from pipeline import fix

    changed = 0
    for doc, effective in zip(docs, settings, strict=True):
        if not fix.fixable(doc):
            click.echo(f"healthvet: note: {doc.source.name}: {fix.why_not(doc)}", err=True)
            continue
        result = fix.fix_document(doc, rulesets.get(effective))
        if not result.edits:
            continue
        changed += 1
        if diff:
            click.echo(fix.unified_diff(result), nl=False)
            continue
        try:
            fix.write(result)
        except HealthvetError as exc:
            _fail(str(exc))
            continue
        click.echo(f"healthvet: {doc.source.name}: applied {len(result.edits)} fixes", err=True)
    return changed


@main.command()
@click.argument("sources", nargs=-1, required=True)
@_check_options
@rule_options
@input_options
@jobs_option
@guarded
def check(
    sources: tuple[str, ...],
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    min_level: str | None,
    no_color: bool,
    config_file: Path | None,
    isolated: bool,
    baseline: Path | None,
    write_baseline: bool,
    report_unused_suppressions: bool,
    fix: bool,
    diff: bool,
    rule_dirs: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    max_bytes: int,
    allow_private: bool,
    jobs: int | None,
) -> int:
    """Report promotion and overstated claims: path:line:col: level Rule.ID: message.

    Formats: text, json, sarif, github, junit, html (-o report.html). Settings come from
    the closest healthvet.toml or pyproject.toml [tool.healthvet] above each file.

    Example: healthvet check docs/ --format sarif -o healthvet.sarif
    """
    from pipeline.config import CliSettings, Resolver, RuleSets
    from pipeline.report import ReportContext, render, visible, write
    from pipeline.suppress import baseline_json, load_baseline

    if config_file is not None and isolated:
        raise click.UsageError("--config and --isolated exclude each other")
    if (write_baseline and baseline is None) or (diff and not fix):
        raise click.UsageError("--write-baseline needs --baseline FILE; --diff needs --fix")
    cli = CliSettings(
        select, ignore, rule_dirs, fail_on, min_level, report_unused_suppressions, config_file, isolated
    )
    resolver, rulesets = Resolver(cli), RuleSets()
    # Only the JSON and HTML reports show summaries and strength labels: skip them otherwise.
    shows_summary = fmt in ("json", "html")
    inputs = {
        "max_bytes": max_bytes,
        "allow_private": allow_private,
        "summary": shows_summary,
        "strengths": shows_summary,
    }
    docs, settings, failures = _check_all(sources, resolver, rulesets, inputs, jobs)
    if write_baseline and baseline is not None:
        write(baseline_json(docs, baseline), baseline)
        click.echo(f"healthvet: wrote the findings of {len(docs)} documents to {baseline}", err=True)
        return EXIT_ERROR if failures else EXIT_CLEAN
    known = load_baseline(baseline) if baseline is not None else None
    docs = [known.apply(d) for d in docs] if known else docs
    if fix:
        changed = _fix(docs, settings, rulesets, diff)
        if diff:
            return EXIT_ERROR if failures else (EXIT_FINDINGS if changed else EXIT_CLEAN)
        docs, settings, failures = _check_all(sources, resolver, rulesets, inputs, jobs)  # what is left
        docs = [known.apply(d) for d in docs] if known else docs
    shown = [visible(d, s.min_level) for d, s in zip(docs, settings, strict=True)]
    context = ReportContext(tuple(rulesets.all_rules()), _use_color(fmt, output, no_color), _version())
    report = render(fmt, shown, context)
    if output is not None:
        write(report, output)
    else:
        click.echo(report, nl=False, color=context.color or None)
    if failures:
        return EXIT_ERROR
    found = any(
        s.fail_on != "never" and f.level.rank >= Level(s.fail_on).rank
        for d, s in zip(docs, settings, strict=True)
        for f in d.reported_findings()
    )
    return EXIT_FINDINGS if found else EXIT_CLEAN


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--keep-marked",
    is_flag=True,
    help="Keep removed text in place between [-removed Rule.ID: ...-] markers instead of dropping it.",
)
@rule_options
@input_options
@jobs_option
@guarded
def clean(
    sources: tuple[str, ...],
    keep_marked: bool,
    rule_dirs: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    max_bytes: int,
    allow_private: bool,
    jobs: int | None,
) -> int:
    """Print the cleaned article: chrome, spam and promotion removed, headings kept.

    Example: healthvet clean article.html > article.txt
    Review the cuts: healthvet clean --keep-marked article.html
    """
    from pipeline.cleaning import cleaned_text

    ruleset = _ruleset(rule_dirs, select, ignore)
    # The cleaned article only: no summary either (rules that read the summary still get one).
    options = _options(max_bytes, allow_private, summary=False)
    docs, failures = _process_all(sources, ruleset, options, jobs)
    for i, doc in enumerate(docs):
        if len(docs) > 1:
            click.echo(_header(i, doc.source.name))
        click.echo(cleaned_text(doc, marked=keep_marked), nl=False)
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
@jobs_option
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
    jobs: int | None,
) -> int:
    """Print a summary of the cleaned article, one sentence per line.

    Example: healthvet summarize article.txt --sentences 3
    """
    if words is not None and ratio is not None:
        raise click.UsageError("give --words or --ratio, not both")
    ruleset = _ruleset(rule_dirs, select, ignore)
    summary = {"summary_words": words, "summary_ratio": ratio, "neutral": neutral}
    docs, failures = _process_all(
        sources, ruleset, _options(max_bytes, allow_private, sentences, **summary), jobs
    )
    for i, doc in enumerate(docs):
        if fmt == "jsonl":
            import json

            line = {"source": doc.source.name, "summary": [s.text for s in doc.summary]}
            click.echo(json.dumps(line, ensure_ascii=False))
            continue
        if len(docs) > 1:
            click.echo(_header(i, doc.source.name))
        for sentence in doc.summary:
            click.echo(sentence.text)
    return EXIT_ERROR if failures else EXIT_CLEAN


@main.command()
@click.argument("file", type=click.File("rb"), default="-")
@guarded
def strength(file: Any) -> int:
    """Label the claim strength of each line: label<TAB>sentence (one sentence per line).

    Labels: none, correlational, conditional_causal, direct_causal. FILE defaults to stdin.

    Example: echo "Coffee reduces cancer risk." | healthvet strength
    """
    from pipeline.claims import label_lines
    from pipeline.errors import Code, InputError

    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        name = getattr(file, "name", "<stdin>")
        raise InputError(Code.INPUT_UNREADABLE, f"{name}: not UTF-8 text ({exc.reason})") from exc
    for line in label_lines(text.splitlines()):
        click.echo(line)
    return EXIT_CLEAN


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


@main.command("run")
@click.argument("sources", nargs=-1, required=True)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="SQLite results file (WAL).")
@click.option(
    "--jsonl", type=click.Path(dir_okay=False, path_type=Path), help="Append results as JSON lines."
)
@click.option("--jobs", "-j", type=click.IntRange(1), default=None, help="Worker processes [default: cores].")
@click.option("--dask", metavar="ADDRESS", help="Run on a Dask scheduler (tcp://host:8786), or 'local'.")
@click.option(
    "--fail-on",
    type=click.Choice([*LEVELS, "never"]),
    default="warning",
    show_default=True,
    help="Exit 1 when a document has a finding at or above this level.",
)
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: on a terminal].")
@click.option(
    "--cache-dir", type=click.Path(file_okay=False), help="HTTP cache [default: ~/.cache/healthvet/http]."
)
@click.option("--no-cache", is_flag=True, help="Do not cache or revalidate fetched pages.")
@click.option(
    "--delay",
    type=click.FloatRange(0),
    default=1.0,
    show_default=True,
    help="Seconds between requests to one host.",
)
@click.option(
    "--host-concurrency",
    type=click.IntRange(1),
    default=2,
    show_default=True,
    help="Requests in flight to one host.",
)
@rule_options
@input_options
@guarded
def run(
    sources: tuple[str, ...],
    db: Path | None,
    jsonl: Path | None,
    jobs: int | None,
    dask: str | None,
    fail_on: str,
    progress: bool | None,
    cache_dir: str | None,
    no_cache: bool,
    delay: float,
    host_concurrency: int,
    rule_dirs: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    max_bytes: int,
    allow_private: bool,
) -> int:
    """Process a corpus in parallel into a resumable store; re-runs skip finished documents.

    SOURCES: files, folders, globs, URLs, @URL-LIST files, .jsonl files, sitemaps and
    RSS/Atom feeds (sitemap:URL / feed:URL). Exit 2 if any document failed, else 1 if a
    finding is at or above --fail-on, else 0.

    Example: healthvet run articles/ @urls.txt --db results.sqlite
    """
    import os

    from pipeline import batch
    from pipeline.fetch import FetchOptions, default_cache_dir

    if db is None and jsonl is None:
        raise click.UsageError("pass --db FILE and/or --jsonl FILE")
    fetch = FetchOptions(
        max_bytes=max_bytes,
        allow_private=allow_private,
        cache_dir=None if no_cache else (cache_dir or default_cache_dir()),
        host_delay=delay,
        host_concurrency=host_concurrency,
    )
    config = batch.configure(
        batch.BatchConfig(
            tuple(map(str, rule_dirs)), select, ignore, _options(max_bytes, allow_private), fetch
        )
    )
    outputs = batch.Outputs(db, jsonl)
    tasks = batch.plan(sources, config, outputs)
    engine = batch.Engine(jobs or os.cpu_count() or 1, dask)
    counts, notes = _run_with_progress(tasks, config, engine, outputs, progress)
    for note in notes:
        click.echo(f"healthvet: note: {note}", err=True)
    click.echo(counts.table(), nl=False)
    if counts.failed:
        return EXIT_ERROR
    threshold = None if fail_on == "never" else Level(fail_on)
    return EXIT_FINDINGS if threshold and counts.max_rank >= threshold.rank else EXIT_CLEAN


def _run_with_progress(tasks: Any, config: Any, engine: Any, outputs: Any, progress: bool | None) -> Any:
    """A progress bar on a terminal, a line every 100 documents or 10 seconds otherwise."""
    from pipeline import batch

    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        log = batch.LogProgress(len(tasks))
        return batch.run_batch(tasks, config, engine, outputs, log.update)
    with click.progressbar(length=len(tasks), label="documents", file=sys.stderr) as bar:
        return batch.run_batch(tasks, config, engine, outputs, lambda _: bar.update(1))


@main.command()
@click.argument("db", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="Rows in the top lists.")
@guarded
def stats(db: Path, top: int) -> int:
    """Summarise a results file: counts by rule and category, spam-link domains, top documents.

    Example: healthvet stats results.sqlite
    """
    from pipeline.store import Store

    with Store.open(db) as store:
        data = store.stats(top)
    click.echo(f"documents {data['documents']:,}  failed {data['errors']:,}  runs {data['runs']:,}")
    click.echo("\nby category")
    for category, count in data["by_category"]:
        click.echo(f"  {category:<8}{count:>8,}")
    click.echo("\nby rule")
    for rule, category, count in data["by_rule"]:
        click.echo(f"  {rule:<36}{category:<8}{count:>8,}")
    click.echo("\ntop spam-link domains")
    for domain, count in data["spam_domains"]:
        click.echo(f"  {domain:<40}{count:>8,}")
    click.echo("\ndocuments with most findings (findings + removals)")
    for source, total, findings, removals in data["top_documents"]:
        click.echo(f"  {total:>5} ({findings} findings, {removals} removals)  {source}")
    return EXIT_CLEAN


@main.group("config")
def config_group() -> None:
    """Show the configuration healthvet reads.

    Example: healthvet config show docs/article.md
    """


@config_group.command("show")
@click.argument("path", required=False, default=".", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read this file instead of searching upward from PATH.",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@guarded
def config_show(path: Path, config_file: Path | None, isolated: bool) -> int:
    """Print the effective settings for PATH (a file or folder) and where each came from.

    Example: healthvet config show drafts/post.md
    """
    from pipeline.config import CliSettings, Resolver, describe

    resolver = Resolver(CliSettings(config=config_file, isolated=isolated))
    settings = resolver.settings_for(str(path), "file" if path.is_file() else "folder")
    for line in describe(settings):
        click.echo(line)
    return EXIT_CLEAN


if __name__ == "__main__":
    main()
