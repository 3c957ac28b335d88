"""The embedded result store: one SQLite file in WAL mode.

Tables: ``runs`` (one row per invocation), ``documents`` (one row per processed document,
unique on (source, content_hash, rules_hash)), ``findings``, ``removals``, ``summaries``
(children of a document) and ``errors`` (a document that could not be read or processed,
per run). A document's rows are written in one transaction, so a run killed at any moment
leaves each document either fully stored or absent; the unique key makes a repeated insert
a no-op. That is what makes ``healthvet run`` resumable.

Only the batch client writes here (one writer); WAL lets ``healthvet stats`` read meanwhile.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,
    finished REAL,
    args TEXT NOT NULL,
    rules_hash TEXT NOT NULL,
    counts TEXT
);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    media_type TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    rules_hash TEXT NOT NULL,
    title TEXT,
    chars INTEGER NOT NULL,
    n_findings INTEGER NOT NULL,
    n_removals INTEGER NOT NULL,
    max_rank INTEGER NOT NULL,
    report TEXT NOT NULL,
    UNIQUE (source, content_hash, rules_hash)
);
CREATE TABLE IF NOT EXISTS findings (
    doc_id INTEGER NOT NULL REFERENCES documents(id),
    rule TEXT NOT NULL, level TEXT NOT NULL, category TEXT NOT NULL, message TEXT NOT NULL,
    match TEXT NOT NULL, suggestion TEXT, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    line INTEGER NOT NULL, col INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS removals (
    doc_id INTEGER NOT NULL REFERENCES documents(id),
    rule TEXT NOT NULL, kind TEXT NOT NULL, level TEXT NOT NULL, message TEXT NOT NULL,
    text TEXT NOT NULL, evidence TEXT NOT NULL, links TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS summaries (
    doc_id INTEGER NOT NULL REFERENCES documents(id),
    position INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS errors (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    source TEXT NOT NULL, stage TEXT NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_doc ON findings(doc_id);
CREATE INDEX IF NOT EXISTS removals_doc ON removals(doc_id);
CREATE INDEX IF NOT EXISTS summaries_doc ON summaries(doc_id);
CREATE INDEX IF NOT EXISTS documents_rules ON documents(rules_hash);
"""


@dataclass
class Store:
    """A connection to a results file; use as a context manager."""

    path: Path
    conn: sqlite3.Connection

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open (creating if needed) a results file in WAL mode."""
        conn = sqlite3.connect(str(path), timeout=30.0, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable across a killed process in WAL mode; only power loss can lose
        # the last commits, and a re-run redoes those documents.
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
        return cls(Path(path), conn)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()

    def start_run(self, args: Mapping[str, Any], rules_hash: str) -> int:
        """Record a new run; returns its id."""
        cur = self.conn.execute(
            "INSERT INTO runs (started, args, rules_hash) VALUES (?, ?, ?)",
            (time.time(), json.dumps(dict(args), default=str), rules_hash),
        )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, counts: Mapping[str, int]) -> None:
        """Record the end of a run and its counts."""
        self.conn.execute(
            "UPDATE runs SET finished = ?, counts = ? WHERE id = ?",
            (time.time(), json.dumps(dict(counts)), run_id),
        )

    def done(self, rules_hash: str) -> dict[str, dict[str, int]]:
        """Stored documents for ``rules_hash``: source → {content hash → max finding rank}."""
        rows = self.conn.execute(
            "SELECT source, content_hash, max_rank FROM documents WHERE rules_hash = ?", (rules_hash,)
        )
        done: dict[str, dict[str, int]] = {}
        for source, content_hash, rank in rows:
            done.setdefault(source, {})[content_hash] = rank
        return done

    def add_document(self, run_id: int, result: Mapping[str, Any]) -> bool:
        """Store one processed document and its children in one transaction.

        Returns False when the same (source, content, rules) is already stored.
        """
        return self.add_documents(run_id, [result]) == 1

    def add_documents(self, run_id: int, results: Sequence[Mapping[str, Any]]) -> int:
        """Store several documents in one transaction (each whole or not at all); returns the new count."""
        added = 0
        with self._transaction():
            for result in results:
                doc_id = self._insert_document(run_id, result)
                if doc_id is not None:
                    self._insert_children(doc_id, result["rows"])
                    added += 1
        return added

    def add_error(self, run_id: int, source: str, error: Mapping[str, str]) -> None:
        """Record a document that failed (stage, code, message)."""
        self.conn.execute(
            "INSERT INTO errors (run_id, source, stage, code, message) VALUES (?, ?, ?, ?, ?)",
            (run_id, source, error["stage"], error["code"], error["message"]),
        )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error (or never committed if killed)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _insert_document(self, run_id: int, result: Mapping[str, Any]) -> int | None:
        keys: tuple[str, ...] = ("source", "kind", "media_type", "content_hash", "rules_hash", "title")
        keys += ("chars", "n_findings", "n_removals", "max_rank", "report_json")
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO documents (run_id, source, kind, media_type, content_hash,"
            " rules_hash, title, chars, n_findings, n_removals, max_rank, report)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, *(result[k] for k in keys)),
        )
        return int(cur.lastrowid) if cur.rowcount == 1 and cur.lastrowid else None

    def _insert_children(self, doc_id: int, rows: Mapping[str, list[tuple[Any, ...]]]) -> None:
        self.conn.executemany(
            'INSERT INTO findings (doc_id, rule, level, category, message, match, suggestion, start, "end",'
            " line, col) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, *row) for row in rows["findings"]],
        )
        self.conn.executemany(
            'INSERT INTO removals (doc_id, rule, kind, level, message, text, evidence, links, start, "end",'
            " line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, *row) for row in rows["removals"]],
        )
        self.conn.executemany(
            'INSERT INTO summaries (doc_id, position, start, "end", text) VALUES (?, ?, ?, ?, ?)',
            [(doc_id, *row) for row in rows["summaries"]],
        )

    # --- statistics ---------------------------------------------------------------------

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Counts by rule and category, top spam-link domains, documents with most findings."""
        q = self.conn.execute
        return {
            "documents": q("SELECT COUNT(*) FROM documents").fetchone()[0],
            "errors": q("SELECT COUNT(DISTINCT source) FROM errors").fetchone()[0],
            "runs": q("SELECT COUNT(*) FROM runs").fetchone()[0],
            "by_category": q(
                "SELECT category, COUNT(*) FROM ("
                " SELECT category FROM findings UNION ALL SELECT 'promo' FROM removals)"
                " GROUP BY category ORDER BY 2 DESC"
            ).fetchall(),
            "by_rule": q(
                "SELECT rule, category, COUNT(*) FROM ("
                " SELECT rule, category FROM findings UNION ALL SELECT rule, 'promo' FROM removals)"
                " GROUP BY rule, category ORDER BY 3 DESC, 1"
            ).fetchall(),
            "spam_domains": self._spam_domains(top),
            "top_documents": q(
                "SELECT source, n_findings + n_removals AS total, n_findings, n_removals FROM documents"
                " ORDER BY total DESC, source LIMIT ?",
                (top,),
            ).fetchall(),
        }

    def _spam_domains(self, top: int) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for (links,) in self.conn.execute("SELECT links FROM removals WHERE links != '[]'"):
            for href in json.loads(links):
                host = (urlsplit(href).hostname or "").removeprefix("www.")
                if host:
                    counts[host] = counts.get(host, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


def document_rows(report: Mapping[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """The child-table rows (without doc_id) for a document's JSON report.

    Built by the worker, so the client only runs ``executemany`` on plain tuples.
    """
    return {
        "findings": [_finding_row(f) for f in report["findings"]],
        "removals": [_removal_row(r) for r in report["removals"]],
        "summaries": [(i, s["start"], s["end"], s["text"]) for i, s in enumerate(report["summary"])],
    }


def _finding_row(f: Mapping[str, Any]) -> tuple[Any, ...]:
    keys = ("rule", "level", "category", "message", "match", "suggestion", "start", "end", "line", "column")
    return tuple(f[k] for k in keys)


def _removal_row(r: Mapping[str, Any]) -> tuple[Any, ...]:
    head = (r["rule"], r["kind"], r["level"], r["message"], r["text"])
    lists = (json.dumps(r["evidence"]), json.dumps(r.get("links", [])))
    return (*head, *lists, r["start"], r["end"], r["line"])
