"""Corpus runs: many documents, every core (or a Dask cluster), resumable, one store.

The client (this process) expands the sources, asks the store which documents are already
done, and hands out tasks. Each worker loads the pipeline once (rule set, spaCy, a fetcher
with its cache and politeness) and returns *plain dicts*, never spaCy objects. The client
writes each result as it arrives, one transaction per document.

A document is identified by (source, content hash, rules hash). The rules hash covers the
rule files' contents, select/ignore, the stage options and the tool version, so changing a
rule re-processes everything while a plain re-run skips what is stored. A task carries the
content hashes already stored for its source, so a worker can skip a document after
reading it (which, for a URL, is a cheap 304 revalidation from the HTTP cache).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pipeline.document import Document
from pipeline.errors import Code, HealthvetError
from pipeline.fetch import Fetcher, FetchOptions
from pipeline.run import Options, process
from pipeline.sources import SourceRef, read

# Each pool round-trip wakes the client's pool threads: 16 documents per round-trip cut the
# client's CPU by a third against 4 (measured on 2,000 documents), while the last chunk
# still takes only ~0.1 s, so workers finish together.
POOL_CHUNK = 16
# Documents per store transaction, and the longest a finished document waits to be committed.
WRITE_BATCH = 16
WRITE_SECONDS = 1.0
# Dask's scheduler costs ~1 ms per task: send documents in small groups.
DASK_CHUNK = 8
# Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in workers, which made spaCy work about
# 1.6x slower in our measurements (glibc returns memory to the OS too eagerly).
TRIM_ENV = "MALLOC_TRIM_THRESHOLD_"


@dataclass(frozen=True, slots=True)
class BatchConfig:
    """Everything a worker needs to process a document (picklable, hashable)."""

    rule_dirs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    options: Options = field(default_factory=Options)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    rules_hash: str = ""


@dataclass(frozen=True, slots=True)
class Task:
    """One source to process; ``done`` maps content hashes already stored to their max rank."""

    ref: SourceRef
    done: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class WorkerState:
    """What a worker process builds once: the rule set and a fetcher."""

    ruleset: Any
    fetcher: Fetcher


# --- configuration hash -----------------------------------------------------------------


def rules_hash(rules: Iterable[Any], config: BatchConfig) -> str:
    """Hash of the chosen rule files' contents, the selection, options and tool version."""
    digest = hashlib.sha256()
    for rule in sorted(rules, key=lambda r: r.id):
        digest.update(rule.id.encode() + b"\0" + Path(rule.path).read_bytes() + b"\0")
    settings = {
        "select": config.select,
        "ignore": config.ignore,
        "options": asdict(config.options),
        "version": _version(),
    }
    digest.update(json.dumps(settings, sort_keys=True).encode())
    return digest.hexdigest()[:32]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("healthvet")
    except PackageNotFoundError:
        return "unknown"


def content_hash(content: str, media_type: str) -> str:
    """Hash of a decoded document and how it is read."""
    return hashlib.sha256(media_type.encode() + b"\0" + content.encode("utf-8", "surrogatepass")).hexdigest()[
        :32
    ]


# --- worker side ------------------------------------------------------------------------


@functools.cache
def worker_state(config: BatchConfig) -> WorkerState:
    """Build the pipeline once per process (cached like ``tokenizer.get_tokenizer``)."""
    from pipeline.ruleset import load_ruleset
    from pipeline.tokenizer import get_tokenizer

    ruleset = load_ruleset([Path(d) for d in config.rule_dirs], config.select, config.ignore)
    get_tokenizer()  # load the tokenizer rules now, not inside the first document's timing
    return WorkerState(ruleset, Fetcher(config.fetch))


def init_worker(config: BatchConfig) -> None:
    """Process-pool initializer: load the pipeline before the first task arrives.

    An error here must not escape (a pool would respawn the worker forever); each task
    then reports it as that document's failure.
    """
    with contextlib.suppress(Exception):  # the tasks report it, one per document
        worker_state(config)


def process_task(config: BatchConfig, task: Task) -> dict[str, Any]:
    """Read, hash and (unless already stored) process one source; always returns a dict."""
    started = time.perf_counter()
    ref = task.ref
    try:
        state = worker_state(config)
        raw = read(ref, config.options.max_bytes, config.fetch.allow_private, fetcher=state.fetcher)
    except HealthvetError as exc:
        return _failed(ref, "read", exc.code.value, str(exc), started)
    except Exception as exc:  # one bad input or a broken pipeline must not stop the batch
        return _failed(ref, "read", Code.STAGE_FAILED.value, f"{type(exc).__name__}: {exc}", started)
    key = content_hash(raw.content, raw.media_type)
    done = dict(task.done)
    base = {"source": ref.name, "kind": ref.kind, "media_type": raw.media_type, "content_hash": key}
    if key in done:
        return {**base, "status": "skipped", "max_rank": done[key], "seconds": _since(started)}
    doc = process(raw, state.ruleset, config.options)
    if doc.errors:
        first = doc.errors[0]
        return _failed(ref, first.stage, first.code, first.message, started)
    return {**base, **_ok(doc, config.rules_hash), "seconds": _since(started)}


def process_chunk(config: BatchConfig, tasks: Sequence[Task]) -> list[dict[str, Any]]:
    """Several tasks in one call (fewer scheduler round-trips on Dask)."""
    return [process_task(config, task) for task in tasks]


def _ok(doc: Document, rules: str) -> dict[str, Any]:
    """The stored form of a processed document, prepared here in the worker.

    The client's per-document work (unpickling, SQLite inserts) is serial, so the worker
    does the JSON encoding and builds the rows: the client only writes them.
    """
    from pipeline.report.json_report import document_json
    from pipeline.store import document_rows

    report = document_json(doc)
    for removal, links in zip(report["removals"], removal_links(doc), strict=True):
        removal["links"] = links
    ranks = [f.level.rank for f in doc.reported_findings()]
    return {
        "status": "ok",
        "rules_hash": rules,
        "max_rank": max(ranks, default=0),
        "title": doc.title,
        "chars": len(doc.text),
        "n_findings": len(report["findings"]),
        "n_removals": len(report["removals"]),
        "report_json": json.dumps(report, ensure_ascii=False),
        "rows": document_rows(report),
    }


def removal_links(doc: Document) -> list[list[str]]:
    """For each removal, the hrefs of links in the sentences it touches.

    A clause removal ("Click here") often leaves the link itself outside its span, yet
    that link is what the removal is about; spam-link domains in ``stats`` come from these.
    """
    sentences = doc.sentences()
    out: list[list[str]] = []
    for r in doc.removals:
        touched = [s for s in sentences if s.start < r.end and r.start < s.end]
        start = min([r.start, *(s.start for s in touched)])
        end = max([r.end, *(s.end for s in touched)])
        out.append([lk.href for lk in doc.links if start <= lk.start and lk.end <= end])
    return out


def _failed(ref: SourceRef, stage: str, code: str, message: str, started: float) -> dict[str, Any]:
    return {
        "source": ref.name,
        "kind": ref.kind,
        "status": "failed",
        "error": {"stage": stage, "code": code, "message": message},
        "seconds": _since(started),
    }


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 6)


# --- engines ----------------------------------------------------------------------------


def warm(config: BatchConfig) -> None:
    """Load the pipeline in this process, then move the loaded heap out of the collector's way.

    ``gc.freeze`` keeps full collections from walking the rule set and spaCy's tables after
    every few thousand allocations (measurably faster), and in forked workers it stops the
    collector writing to the shared pages, which would copy them (copy-on-write).
    """
    with contextlib.suppress(Exception):  # the tasks report a pipeline that cannot load
        worker_state(config)
    gc.freeze()


def run_serial(config: BatchConfig, tasks: Sequence[Task]) -> Iterator[dict[str, Any]]:
    """Process in this process (``--jobs 1``)."""
    warm(config)
    for task in tasks:
        yield process_task(config, task)


def run_pool(config: BatchConfig, tasks: Sequence[Task], jobs: int) -> Iterator[dict[str, Any]]:
    """Process on ``jobs`` worker processes, results in completion order.

    On Linux the pipeline is loaded once here and the workers are forked from this warm
    process: they share the loaded rule set and spaCy copy-on-write and start in
    milliseconds instead of re-importing everything (seconds each). Elsewhere, where fork
    is unsafe, workers are spawned and load the pipeline in ``init_worker``. Forked
    children never touch the client's SQLite connection and leave through ``os._exit``.
    """
    import multiprocessing

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    if method == "fork":
        warm(config)
    context = multiprocessing.get_context(method)
    with context.Pool(jobs, initializer=init_worker, initargs=(config,)) as pool:
        yield from pool.imap_unordered(functools.partial(process_task, config), tasks, POOL_CHUNK)


def run_dask(
    config: BatchConfig,
    tasks: Sequence[Task],
    address: str,
    jobs: int,
    keep_trim_env: bool = False,
    notes: list[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Process on a Dask cluster (``address``) or a LocalCluster (``"local"``)."""
    try:
        import dask
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        from pipeline.errors import ConfigError

        raise ConfigError(Code.CONFIG, "--dask needs the dask extra: pip install 'healthvet[dask]'") from exc
    trim = {} if keep_trim_env else {f"distributed.nanny.pre-spawn-environ.{TRIM_ENV}": None}
    with dask.config.set(trim), _cluster(address, jobs, LocalCluster) as target, Client(target) as client:  # type: ignore[no-untyped-call]
        _check_trim_env(client, notes if notes is not None else [])
        chunks = [tasks[i : i + DASK_CHUNK] for i in range(0, len(tasks), DASK_CHUNK)]
        futures = client.map(process_chunk, [config] * len(chunks), chunks, pure=False)
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            yield from future.result()
            future.release()


def _cluster(address: str, jobs: int, local_cluster: Any) -> Any:
    """A LocalCluster for ``"local"`` (one single-threaded worker process per job), else the address."""
    if address != "local":
        return contextlib.nullcontext(address)
    return local_cluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)


def _check_trim_env(client: Any, notes: list[str]) -> None:
    """Note workers that run with MALLOC_TRIM_THRESHOLD_ set (see TRIM_ENV)."""
    values = client.run(os.environ.get, TRIM_ENV)
    slowed = sorted(addr for addr, value in values.items() if value is not None)
    if slowed:
        notes.append(
            f"{len(slowed)} Dask worker(s) run with {TRIM_ENV} set, which slows spaCy work; start them"
            f" with DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON__{TRIM_ENV}=None (see README)"
        )


# --- sinks ------------------------------------------------------------------------------


@dataclass
class JsonlSink:
    """Appends one JSON line per stored document (and per failure); resumable like the store."""

    handle: TextIO

    @classmethod
    def open(cls, path: Path) -> JsonlSink:
        """Open for appending; a line cut short by a kill is closed off first."""
        ends_open = path.exists() and path.stat().st_size > 0 and not path.read_bytes().endswith(b"\n")
        handle = path.open("a", encoding="utf-8")
        if ends_open:
            handle.write("\n")
        return cls(handle)

    def write(self, result: Mapping[str, Any]) -> None:
        """Write and flush one result line: its metadata plus the JSON report as ``report``."""
        meta = {k: v for k, v in result.items() if k not in ("report_json", "rows")}
        line = json.dumps(meta, ensure_ascii=False)
        if "report_json" in result:  # splice the worker's encoding in rather than re-encode it
            line = f'{line[:-1]}, "report": {result["report_json"]}}}'
        self.handle.write(line + "\n")
        self.handle.flush()

    def close(self) -> None:
        """Close the file."""
        self.handle.close()


def jsonl_done(path: Path, rules: str) -> dict[str, dict[str, int]]:
    """Documents a JSONL output already holds for ``rules`` (broken lines are ignored)."""
    done: dict[str, dict[str, int]] = {}
    if not path.exists():
        return done
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                row = json.loads(line)
            except ValueError:
                continue  # a line cut short by a kill: that document is simply redone
            if isinstance(row, dict) and row.get("status") == "ok" and row.get("rules_hash") == rules:
                done.setdefault(row["source"], {})[row["content_hash"]] = row["max_rank"]
    return done


# --- the run ----------------------------------------------------------------------------


@dataclass
class Counts:
    """What a run did."""

    ok: int = 0
    skipped: int = 0
    failed: int = 0
    findings: int = 0
    removals: int = 0
    max_rank: int = 0

    def add(self, result: Mapping[str, Any]) -> None:
        """Count one result."""
        status = result["status"]
        setattr(self, status, getattr(self, status) + 1)
        if status != "failed":
            self.max_rank = max(self.max_rank, result["max_rank"])
        if status == "ok":
            self.findings += result["n_findings"]
            self.removals += result["n_removals"]

    @property
    def total(self) -> int:
        """Documents seen."""
        return self.ok + self.skipped + self.failed

    def table(self) -> str:
        """The final table printed by ``healthvet run``."""
        rows = [
            ("documents ok", self.ok),
            ("skipped (already done)", self.skipped),
            ("failed", self.failed),
            ("findings", self.findings),
            ("removals", self.removals),
        ]
        return "".join(f"{label:<24}{value:>10,}\n" for label, value in rows)


@dataclass(frozen=True, slots=True)
class Engine:
    """Where to run: ``jobs`` processes, or Dask at ``dask`` ("local" or a scheduler address)."""

    jobs: int = 1
    dask: str | None = None
    keep_trim_env: bool = False


def make_tasks(refs: Iterable[SourceRef], done: Mapping[str, Mapping[str, int]]) -> list[Task]:
    """One task per input, carrying what is already stored for its source."""
    return [Task(ref, tuple(done.get(ref.name, {}).items())) for ref in refs]


def results(
    config: BatchConfig, tasks: Sequence[Task], engine: Engine, notes: list[str]
) -> Iterator[dict[str, Any]]:
    """Results from the chosen engine, in completion order."""
    if engine.dask:
        return run_dask(config, tasks, engine.dask, engine.jobs, engine.keep_trim_env, notes)
    if engine.jobs <= 1 or len(tasks) <= 1:
        return run_serial(config, tasks)
    return run_pool(config, tasks, min(engine.jobs, len(tasks)))


@dataclass
class Writer:
    """Writes results to the store and/or JSONL as they arrive.

    Documents go to the store in small transactions (``WRITE_BATCH`` documents or
    ``WRITE_SECONDS``, whichever comes first): a kill loses at most that batch, which the
    re-run redoes, and the client spends less time per document, leaving the cores to the
    workers.
    """

    store: Any  # pipeline.store.Store | None
    jsonl: JsonlSink | None
    run_id: int = 0
    pending: list[Mapping[str, Any]] = field(default_factory=list)
    last_flush: float = field(default_factory=time.monotonic)

    def write(self, result: Mapping[str, Any]) -> None:
        """Record one result: a document (batched) or an error row."""
        if result["status"] == "failed" and self.store is not None:
            self.store.add_error(self.run_id, result["source"], result["error"])
        elif result["status"] == "ok" and self.store is not None:
            self.pending.append(result)
            if len(self.pending) >= WRITE_BATCH or time.monotonic() - self.last_flush >= WRITE_SECONDS:
                self.flush()
        if self.jsonl is not None and result["status"] != "skipped":
            self.jsonl.write(result)

    def flush(self) -> None:
        """Commit the pending documents in one transaction."""
        if self.pending and self.store is not None:
            self.store.add_documents(self.run_id, self.pending)
        self.pending = []
        self.last_flush = time.monotonic()


def execute(
    tasks: Sequence[Task],
    config: BatchConfig,
    engine: Engine,
    writer: Writer,
    on_result: Callable[[Mapping[str, Any]], None] = lambda _: None,
) -> tuple[Counts, list[str]]:
    """Run every task, writing results as they complete; returns counts and notes."""
    counts, notes = Counts(), list[str]()
    for result in results(config, tasks, engine, notes):
        writer.write(result)
        counts.add(result)
        on_result(result)
    return counts, notes


# --- progress ---------------------------------------------------------------------------


@dataclass
class LogProgress:
    """Quiet progress for logs: a line every ``every`` documents or ``seconds`` seconds."""

    total: int
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    every: int = 100
    seconds: float = 10.0
    done: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)
    last: float = field(default_factory=time.monotonic)

    def update(self, result: Mapping[str, Any]) -> None:
        """Count a result; print a line when due."""
        self.done += 1
        self.failed += result["status"] == "failed"
        now = time.monotonic()
        if self.done % self.every == 0 or now - self.last >= self.seconds or self.done == self.total:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            print(
                f"healthvet: {self.done}/{self.total} documents, {self.failed} failed, {rate:.1f} docs/s",
                file=self.stream,
                flush=True,
            )


@dataclass(frozen=True, slots=True)
class Outputs:
    """Where results go: a SQLite store and/or a JSONL file (at least one)."""

    db: Path | None = None
    jsonl: Path | None = None


def configure(config: BatchConfig) -> BatchConfig:
    """Validate the rule files here (errors stop the run early) and fill in the rules hash.

    Rules are parsed and validated but not compiled: compiling builds spaCy matchers, which
    the workers do once each; doing it here too would delay every run by seconds.
    """
    from dataclasses import replace

    from pipeline.ruleset import builtin_rules_dir, discover, load_rule, select_rules

    files = discover([builtin_rules_dir(), *(Path(d) for d in config.rule_dirs)])
    rules = {rule.id: rule for rule in map(load_rule, files)}  # a user's rule overrides a built-in
    chosen = select_rules(rules.values(), config.select, config.ignore)
    return replace(config, rules_hash=rules_hash(chosen, config))


def plan(sources: Sequence[str], config: BatchConfig, outputs: Outputs) -> list[Task]:
    """Expand the sources and attach what each output already holds."""
    from pipeline.sources import expand

    with Fetcher(config.fetch) as fetcher:
        refs = expand(sources, fetcher)
    done: dict[str, dict[str, int]] = {}
    if outputs.jsonl is not None:
        done = jsonl_done(outputs.jsonl, config.rules_hash)
    if outputs.db is not None:
        from pipeline.store import Store

        with Store.open(outputs.db) as store:
            done = store.done(config.rules_hash)  # the store wins when both are given
    return make_tasks(refs, done)


def run_batch(
    tasks: Sequence[Task],
    config: BatchConfig,
    engine: Engine,
    outputs: Outputs,
    on_result: Callable[[Mapping[str, Any]], None] = lambda _: None,
) -> tuple[Counts, list[str]]:
    """Process ``tasks`` on ``engine``, writing to ``outputs``; a run row records the counts."""
    from pipeline.store import Store

    store = Store.open(outputs.db) if outputs.db is not None else None
    jsonl = JsonlSink.open(outputs.jsonl) if outputs.jsonl is not None else None
    writer = Writer(store, jsonl)
    try:
        if store is not None:
            args = {"documents": len(tasks), "jobs": engine.jobs, "dask": engine.dask}
            writer.run_id = store.start_run(args, config.rules_hash)
        counts, notes = execute(tasks, config, engine, writer, on_result)
        writer.flush()
        if store is not None:
            store.finish_run(writer.run_id, asdict(counts))
        return counts, notes
    finally:
        with contextlib.suppress(Exception):  # on Ctrl-C, keep what has finished
            writer.flush()
        if store is not None:
            store.conn.close()
        if jsonl is not None:
            jsonl.close()
