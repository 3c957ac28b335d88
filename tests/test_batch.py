"""Corpus runs: store, resume (including after SIGKILL), failures, exit codes, JSONL, stats."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from cli import main
from pipeline import batch
from pipeline.fetch import FetchOptions
from pipeline.run import Options

ROOT = Path(__file__).resolve().parent.parent

CLAIMS = [
    "The new pill is a remarkable breakthrough that cures insomnia for everyone.",
    "This revolutionary supplement is a miracle for tired joints.",
    "A small trial found a modest change in sleep time.",
]
SPAM = (
    '<p>Click here to order cheap sleep pills at <a href="https://www.pills-shop.example.com/buy">'
    "pills-shop.example.com</a> today!</p>"
)


def article(i: int, paragraphs: int = 3) -> str:
    """A small HTML article; every third has a spam paragraph."""
    body = [
        f"<p>Researchers followed {100 + i} adults for {i % 12 + 1} months to study sleep and memory.</p>",
        f"<p>{CLAIMS[i % len(CLAIMS)]}</p>",
    ]
    body += [
        f"<p>Paragraph {k} of article {i} describes the method in plain words.</p>" for k in range(paragraphs)
    ]
    if i % 3 == 0:
        body.append(SPAM)
    body.append("<p>The authors say larger trials are needed before any advice changes.</p>")
    return f"<html><head><title>Study {i}</title></head><body><article><h1>Study {i}</h1>{''.join(body)}</article></body></html>"


def make_corpus(folder: Path, count: int, paragraphs: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"doc{i:03d}.html").write_text(article(i, paragraphs), encoding="utf-8")
    return folder


def rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Per source: its findings and removals, in a comparable form."""
    with sqlite3.connect(db) as conn:
        docs = dict(conn.execute("SELECT id, source FROM documents").fetchall())
        out: dict[str, list[tuple[object, ...]]] = {source: [] for source in docs.values()}
        for doc_id, *rest in conn.execute('SELECT doc_id, rule, start, "end", message FROM findings'):
            out[docs[doc_id]].append(("finding", *rest))
        for doc_id, *rest in conn.execute('SELECT doc_id, rule, start, "end", links FROM removals'):
            out[docs[doc_id]].append(("removal", *rest))
    return {k: sorted(v, key=repr) for k, v in out.items()}


def count_documents(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        total = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        distinct = conn.execute("SELECT COUNT(DISTINCT source) FROM documents").fetchone()[0]
    return total, distinct


def test_run_stores_and_a_rerun_skips(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "docs", 5)
    db = tmp_path / "r.sqlite"
    args = ["run", str(corpus), "--db", str(db), "--jobs", "1", "--no-cache", "--fail-on", "never"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "documents ok                     5" in first.output
    second = CliRunner().invoke(main, args)
    assert "skipped (already done)           5" in second.output
    (corpus / "doc001.html").write_text(article(1) + "<!-- edited -->", encoding="utf-8")
    third = CliRunner().invoke(main, args)
    assert "documents ok                     1" in third.output
    assert "skipped (already done)           4" in third.output
    assert count_documents(db) == (6, 5)  # the edited version is a new document


def test_changed_options_change_the_rules_hash() -> None:
    base = batch.configure(batch.BatchConfig())
    other = batch.configure(batch.BatchConfig(options=Options(summary_sentences=5)))
    selected = batch.configure(batch.BatchConfig(select=("Hype",)))
    assert len({base.rules_hash, other.rules_hash, selected.rules_hash}) == 3
    assert batch.configure(batch.BatchConfig()).rules_hash == base.rules_hash


def test_failures_are_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "a", "html": article(1)})
        + "\n{broken\n"
        + json.dumps({"id": "b", "text": "Fine."})
        + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "r.sqlite"
    result = CliRunner().invoke(main, ["run", str(corpus), "--db", str(db), "-j", "1", "--no-cache"])
    assert result.exit_code == 2
    assert "documents ok                     2" in result.output
    assert "failed                           1" in result.output
    with sqlite3.connect(db) as conn:
        errors = conn.execute("SELECT source, stage, code, message FROM errors").fetchall()
    assert errors == [(f"{corpus}:2", "read", "E002", errors[0][3])]
    assert "invalid JSON" in errors[0][3]


@pytest.mark.parametrize(("fail_on", "code"), [("suggestion", 1), ("never", 0)])
def test_exit_code_follows_fail_on(tmp_path: Path, fail_on: str, code: int) -> None:
    doc = tmp_path / "a.html"
    doc.write_text(article(0), encoding="utf-8")  # has a claim and a spam paragraph
    db = tmp_path / "r.sqlite"
    args = ["run", str(doc), "--db", str(db), "-j", "1", "--no-cache", "--fail-on", fail_on]
    assert CliRunner().invoke(main, args).exit_code == code
    assert CliRunner().invoke(main, args).exit_code == code  # skipped documents count too


def test_jsonl_output_is_resumable(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "docs", 3)
    out = tmp_path / "out.jsonl"
    args = ["run", str(corpus), "--jsonl", str(out), "-j", "1", "--no-cache", "--fail-on", "never"]
    CliRunner().invoke(main, args)
    with out.open("a", encoding="utf-8") as handle:
        handle.write('{"source": "cut short by a ki')  # what a kill mid-write leaves
    result = CliRunner().invoke(main, args)
    assert "skipped (already done)           3" in result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()[:3]]
    assert {row["status"] for row in lines} == {"ok"}
    assert all("findings" in row["report"] for row in lines)


def test_needs_an_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["run", str(tmp_path)])
    assert result.exit_code == 2
    assert "--db" in result.output


def test_stats(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "docs", 6)
    db = tmp_path / "r.sqlite"
    CliRunner().invoke(main, ["run", str(corpus), "--db", str(db), "-j", "1", "--no-cache"])
    result = CliRunner().invoke(main, ["stats", str(db)])
    assert result.exit_code == 0, result.output
    assert "documents 6" in result.output
    assert "pills-shop.example.com" in result.output  # spam-link domain, www. stripped
    assert "by rule" in result.output


def test_log_progress_prints_a_line_every_n(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    with log.open("w") as stream:
        progress = batch.LogProgress(5, stream=stream, every=2, seconds=3600)
        for status in ("ok", "failed", "ok", "skipped", "ok"):
            progress.update({"status": status})
    lines = log.read_text().splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "healthvet: 2/5 documents",
        "healthvet: 4/5 documents",
        "healthvet: 5/5 documents",
    ]
    assert "1 failed" in lines[-1]


def test_pool_results_match_serial(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "docs", 6)
    config = batch.configure(batch.BatchConfig(fetch=FetchOptions(cache_dir=None)))
    tasks = batch.plan([str(corpus)], config, batch.Outputs())
    serial = {r["source"]: json.loads(r["report_json"])["findings"] for r in batch.run_serial(config, tasks)}
    pooled = {r["source"]: json.loads(r["report_json"])["findings"] for r in batch.run_pool(config, tasks, 2)}
    assert pooled == serial
    assert all(isinstance(v, list) for v in pooled.values())  # plain data crossed the process boundary


def test_sigkill_then_rerun_stores_every_document_once(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "docs", 60, paragraphs=40)
    killed_db, clean_db = tmp_path / "killed.sqlite", tmp_path / "clean.sqlite"
    command = [sys.executable, "-m", "cli", "run", str(corpus), "--jobs", "2", "--no-cache", "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [*command, "--db", str(killed_db)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if killed_db.exists():
            try:
                stored = count_documents(killed_db)[0]
            except sqlite3.OperationalError:
                continue  # schema not created yet
            if stored >= 5:
                break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 5 <= stored < 60, "the run must be killed part-way"
    rerun = subprocess.run(
        [*command, "--db", str(killed_db)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert "skipped (already done)" in rerun.stdout
    skipped = int(rerun.stdout.split("skipped (already done)")[1].split()[0])
    assert skipped >= stored
    CliRunner().invoke(main, ["run", str(corpus), "--db", str(clean_db), "-j", "1", "--no-cache"])
    assert count_documents(killed_db) == (60, 60)
    assert rows(killed_db) == rows(clean_db)


def test_dask_local(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    corpus = make_corpus(tmp_path / "docs", 4)
    db = tmp_path / "r.sqlite"
    args = [
        "run",
        str(corpus),
        "--db",
        str(db),
        "--dask",
        "local",
        "-j",
        "1",
        "--no-cache",
        "--fail-on",
        "never",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "documents ok                     4" in result.output
    assert "MALLOC_TRIM_THRESHOLD_" not in result.output  # the nanny was told not to set it


def test_dask_scheduler_address(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    corpus = make_corpus(tmp_path / "docs", 3)
    db = tmp_path / "r.sqlite"
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        args = ["run", str(corpus), "--db", str(db), "--dask", cluster.scheduler_address, "--no-cache"]
        result = CliRunner().invoke(main, [*args, "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert count_documents(db) == (3, 3)


def test_progress_bar_mode(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "docs", 2)
    args = ["run", str(corpus), "--db", str(tmp_path / "r.sqlite"), "-j", "1", "--no-cache", "--progress"]
    result = CliRunner().invoke(main, [*args, "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert "documents" in result.output


def test_urls_are_fetched_cached_and_revalidated(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private\n")

    def page(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(article(int(request.path[-1])), content_type="text/html", headers={"ETag": '"v1"'})

    for i in range(2):
        httpserver.expect_request(f"/a{i}").respond_with_handler(page)
    urls = tmp_path / "urls.txt"
    urls.write_text(
        f"{httpserver.url_for('/a0')}\n{httpserver.url_for('/a1')}\n{httpserver.url_for('/private')}\n",
        encoding="utf-8",
    )
    db = tmp_path / "r.sqlite"
    args = ["run", f"@{urls}", "--db", str(db), "-j", "1", "--allow-private", "--delay", "0"]
    args += ["--cache-dir", str(tmp_path / "cache"), "--fail-on", "never"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 2  # the robots.txt-disallowed URL is a failed document
    assert "documents ok                     2" in first.output
    second = CliRunner().invoke(main, args)
    assert "skipped (already done)           2" in second.output
    revalidated = [r for r, resp in httpserver.log if r.path.startswith("/a") and resp.status_code == 304]
    assert len(revalidated) == 2
    assert not any(r.path == "/private" for r, _ in httpserver.log)
