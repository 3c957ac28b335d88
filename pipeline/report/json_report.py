"""``--format json``: one object per document; the schema is versioned (docs/json-schema.md)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from pipeline.cleaning import cleaned_text
from pipeline.document import SCHEMA_VERSION, Document, LineIndex


def document_json(doc: Document) -> dict[str, Any]:
    """The JSON object for one document; every span indexes ``text``."""
    index = LineIndex(doc.text)

    def position(start: int, end: int) -> dict[str, int]:
        line, col = index.line_col(start)
        end_line, end_col = index.line_col(end)
        return {
            "start": start,
            "end": end,
            "line": line,
            "column": col,
            "end_line": end_line,
            "end_column": end_col,
        }

    findings = [
        {
            "rule": f.rule,
            "level": str(f.level),
            "category": str(f.category),
            "message": f.message,
            "match": f.match,
            "suggestion": f.suggestion,
            "link": f.link,
            **position(f.start, f.end),
        }
        for f in doc.findings
    ]
    removals = [
        {
            "rule": r.rule,
            "kind": r.kind,
            "level": str(r.level),
            "message": r.message,
            "text": doc.text[r.start : r.end],
            "evidence": list(r.evidence),
            **position(r.start, r.end),
        }
        for r in doc.removals
    ]
    return {
        "source": {"name": doc.source.name, "kind": doc.source.kind, "media_type": doc.source.media_type},
        "title": doc.title,
        "text": doc.text,
        "blocks": [
            {
                "kind": str(b.kind),
                "start": b.start,
                "end": b.end,
                "sentences": [[s.start, s.end] for s in b.sentences],
            }
            for b in doc.blocks
        ],
        "links": [
            {"start": lk.start, "end": lk.end, "href": lk.href, "rel": list(lk.rel)} for lk in doc.links
        ],
        "findings": findings,
        "removals": removals,
        "summary": [
            {
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "rewrites": [
                    {"rule": r.rule, "from": r.original, "to": r.replacement, "start": r.start, "end": r.end}
                    for r in s.rewrites
                ],
            }
            for s in doc.summary
        ],
        "strength": [{"start": start, "label": label} for start, label in doc.strengths],
        "cleaned_text": cleaned_text(doc),
        "stats": _stats(doc),
        "errors": [{"stage": e.stage, "code": e.code, "message": e.message} for e in doc.errors],
    }


def _stats(doc: Document) -> dict[str, Any]:
    by_rule = Counter(f.rule for f in doc.reported_findings())
    return {
        "blocks": len(doc.blocks),
        "sentences": sum(len(b.sentences) for b in doc.blocks),
        "findings": len(doc.findings),
        "removals": len(doc.removals),
        "removed_chars": sum(r.end - r.start for r in doc.removals),
        "by_rule": dict(sorted(by_rule.items())),
        "timings_ms": {name: round(sec * 1000, 3) for name, sec in doc.timings},
    }


def render(docs: Sequence[Document]) -> str:
    """The whole JSON report."""
    payload = {
        "schema_version": SCHEMA_VERSION,
        "tool": "healthvet",
        "documents": [document_json(d) for d in docs],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
