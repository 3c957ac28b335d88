"""Measure HTML article-body extractors on the article-extraction benchmark.

Run from the project root::

    python bench/extract.py [--data ../shared/data/aeb] [--ours pipeline.extract:extract_text]

The data directory holds ``html/<id>.html.gz`` pages and ``ground-truth.json``
(id -> {articleBody, url}), as in scrapinghub/article-extraction-benchmark.

Scoring follows the benchmark's ``evaluate.py``:

* tokens are ``\\w+`` matches; shingles are 4-token n-grams (a text with fewer
  than 4 tokens yields one shorter shingle);
* per page, TP/FP/FN are computed over shingle *multisets* (``Counter``) and
  normalised to sum to 1, so long pages do not weigh more;
* precision is the mean over pages with ``tp + fp > 0`` (an empty prediction
  does not count against precision, only against recall), recall the mean over
  pages with ``tp + fn > 0``, and F1 is the harmonic mean of those two means;
* accuracy is the share of pages whose token sequence equals the ground truth;
* ``±`` is the standard deviation over bootstrap resamples of pages.

Each extractor is a function ``f(html: str, url: str | None) -> str | None``.
Errors are counted per page (the page then scores as an empty prediction).
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import gzip
import importlib
import io
import json
import logging
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree

ExtractFn = Callable[[str, str | None], str | None]
TpFpFn = tuple[float, float, float]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "data" / "aeb"
DEFAULT_OURS = "pipeline.extract:extract_text"
NGRAM_N = 4
HARD_PAGE_F1 = 0.8
DEFAULT_REF = "traf txt default"
UNREADABLE = "unreadable page"

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Page:
    """One benchmark page: decoded HTML (None if unreadable) and its ground truth."""

    page_id: str
    url: str | None
    truth: str
    html: str | None
    charset: str
    load_error: str | None = None


_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Browsers (WHATWG Encoding) decode these labels as windows-1252.
_WHATWG_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252", "latin-1": "cp1252"}
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def sniff_charset(raw: bytes) -> str | None:
    """Return the charset declared by a BOM or a ``<meta>`` tag in the first 4 KiB."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    match = _META_CHARSET_RE.search(raw[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(codec, codec)


def decode_html(raw: bytes) -> tuple[str, str]:
    """Decode page bytes: declared charset, then UTF-8, then cp1252 with replacement."""
    candidates = [c for c in (sniff_charset(raw), "utf-8") if c]
    for charset in dict.fromkeys(candidates):
        try:
            return raw.decode(charset), charset
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("cp1252", errors="replace"), "cp1252?"


def load_pages(data_dir: Path, limit: int | None = None) -> list[Page]:
    """Load ground truth and (gunzipped, decoded) HTML for every page id."""
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages: list[Page] = []
    for page_id in sorted(truth)[:limit]:
        item = truth[page_id]
        path = data_dir / "html" / f"{page_id}.html.gz"
        try:
            html, charset = decode_html(gzip.decompress(path.read_bytes()))
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            pages.append(Page(page_id, item.get("url"), item.get("articleBody", ""), None, "", repr(exc)))
            continue
        pages.append(Page(page_id, item.get("url"), item.get("articleBody", ""), html, charset))
    return pages


# ------------------------------------------------------------------------ scoring

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def tokenize(text: str | None) -> list[str]:
    """Split text into ``\\w+`` tokens, as the benchmark does."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = NGRAM_N) -> Counter[tuple[str, ...]]:
    """Count the n-token shingles of a text (one short shingle if it has < n tokens)."""
    tokens = tokenize(text)
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def shingle_match(true: str, pred: str) -> TpFpFn:
    """Return per-page TP/FP/FN over shingle multisets, normalised to sum to 1."""
    true_c, pred_c = shingles(true), shingles(pred)
    tp = float(sum((true_c & pred_c).values()))
    fp = float(sum((pred_c - true_c).values()))
    fn = float(sum((true_c - pred_c).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total > 0 else (tp, fp, fn)


def precision_score(tp: float, fp: float, fn: float) -> float:
    """Precision with the benchmark's conventions for empty texts."""
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    """Recall with the benchmark's conventions for empty texts."""
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def harmonic(p: float, r: float) -> float:
    """Harmonic mean of two scores (0 when both are 0)."""
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def pooled(counts: Sequence[TpFpFn]) -> tuple[float, float, float]:
    """Pool per-page counts as the benchmark does: mean P, mean R, F1 of the means."""
    precisions = [precision_score(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [recall_score(*c) for c in counts if c[0] + c[2] > 0]
    p = statistics.fmean(precisions) if precisions else 0.0
    r = statistics.fmean(recalls) if recalls else 0.0
    return harmonic(p, r), p, r


@dataclass(frozen=True)
class Scores:
    """Pooled scores of one extractor, with bootstrap standard deviations.

    ``boot_f1`` holds F1 on each bootstrap resample; every extractor is resampled
    with the same page indices, so two extractors can be compared pairwise.
    """

    f1: float
    precision: float
    recall: float
    accuracy: float
    std: dict[str, float]
    per_page_f1: dict[str, float]
    boot_f1: list[float]


def bootstrap_indices(n_pages: int, n_samples: int, seed: int) -> list[list[int]]:
    """Draw ``n_samples`` resamples (with replacement) of page indices."""
    rng = random.Random(seed)
    return [[rng.randrange(n_pages) for _ in range(n_pages)] for _ in range(n_samples)]


def score(pages: Sequence[Page], preds: dict[str, str], resamples: list[list[int]]) -> Scores:
    """Score predictions against ground truth; bootstrap over pages for the ± values."""
    counts = [shingle_match(p.truth, preds.get(p.page_id, "")) for p in pages]
    exact = [float(tokenize(p.truth) == tokenize(preds.get(p.page_id, ""))) for p in pages]
    f1, precision, recall = pooled(counts)
    per_page = {
        p.page_id: harmonic(precision_score(*c), recall_score(*c)) for p, c in zip(pages, counts, strict=True)
    }
    samples = bootstrap(counts, exact, resamples)
    std = {k: statistics.stdev(v) for k, v in samples.items() if len(v) > 1}
    return Scores(f1, precision, recall, statistics.fmean(exact), std, per_page, samples.get("f1", []))


def bootstrap(
    counts: Sequence[TpFpFn], exact: Sequence[float], resamples: list[list[int]]
) -> dict[str, list[float]]:
    """Compute each metric on every bootstrap resample of pages."""
    samples: dict[str, list[float]] = {"f1": [], "precision": [], "recall": [], "accuracy": []}
    for idx in resamples:
        f1, p, r = pooled([counts[i] for i in idx])
        samples["f1"].append(f1)
        samples["precision"].append(p)
        samples["recall"].append(r)
        samples["accuracy"].append(statistics.fmean(exact[i] for i in idx))
    return samples


def paired_delta(a: Scores, b: Scores) -> tuple[float, float | None]:
    """Return F1(a) - F1(b) and its paired-bootstrap std (None without bootstrap)."""
    diffs = [x - y for x, y in zip(a.boot_f1, b.boot_f1, strict=True)]
    return a.f1 - b.f1, (statistics.stdev(diffs) if len(diffs) > 1 else None)


# ----------------------------------------------------------- html -> text helpers

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe"})
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "hr", "pre", "blockquote", "address", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot", "tr"}
    | {"td", "th", "article", "aside", "section", "header", "footer", "nav", "main", "figure"}
    | {"figcaption", "form", "fieldset", "details", "summary"}
)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SPACES_RE = re.compile(r"[ \t\r\f\v\xa0]+")


def parse_html(html: str) -> lxml.html.HtmlElement:
    """Parse an HTML string with lxml (dropping an XML declaration lxml rejects)."""
    return lxml.html.document_fromstring(_XML_DECL_RE.sub("", html, count=1))


def tidy_lines(parts: Iterable[str]) -> str:
    """Join text fragments, collapse horizontal whitespace and drop blank lines."""
    lines = (_SPACES_RE.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def walk_text(root: etree._Element, is_block: Callable[[str], bool], skip: frozenset[str]) -> str:
    """Collect text under ``root``: newlines around block elements, ``skip`` subtrees dropped.

    Comments and processing instructions are skipped, but their tail text is kept.
    """
    parts: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if event == "start":
            if tag is None or tag in skip:
                walker.skip_subtree()
                continue
            if is_block(tag):
                parts.append("\n")
            parts.append(el.text or "")
        else:
            if tag is not None and tag not in skip and is_block(tag):
                parts.append("\n")
            parts.append(el.tail or "")
    return tidy_lines(parts)


def visible_text(root: lxml.html.HtmlElement) -> str:
    """Return all visible text of an HTML tree, one line per block element."""
    return walk_text(root, _BLOCK_TAGS.__contains__, _SKIP_TAGS)


# Trafilatura XML: <doc><main>…</main><comments>…</comments></doc>; blocks are p, head,
# list/item, quote, table/row/cell, code, and sometimes a bare <div> whose direct children
# are <p> plus loose text and <ref> links; inline elements are ref, hi, del (lb = break).
XML_BLOCK_TAGS = frozenset({"p", "head", "item", "quote"})
XML_BLOCK_TAGS_WITH_TABLES = XML_BLOCK_TAGS | {"cell", "code"}
_XML_INLINE_TAGS = frozenset({"ref", "hi", "del"})


def parse_xml(xml: str) -> etree._Element:
    """Parse trafilatura's XML output."""
    return etree.fromstring(xml.encode("utf-8"))


def xml_blocks_text(xml: str | None, block_tags: frozenset[str] = XML_BLOCK_TAGS) -> str:
    """Join the text of the outermost ``block_tags`` elements with newlines.

    This is the naive "parse into blocks" reading: text that trafilatura leaves outside
    those elements (e.g. loose text and links directly inside a ``<div>``) is lost.
    """
    if not xml:
        return ""
    blocks: list[str] = []
    for el in parse_xml(xml).iter(*block_tags):
        if any(anc.tag in block_tags for anc in el.iterancestors()):
            continue
        text = _SPACES_RE.sub(" ", "".join(el.itertext())).strip()
        if text:
            blocks.append(text)
    return "\n".join(blocks)


def xml_all_text(xml: str | None) -> str:
    """Return all text of trafilatura XML, one line per block (inline elements joined)."""
    if not xml:
        return ""
    return walk_text(parse_xml(xml), lambda tag: tag not in _XML_INLINE_TAGS, frozenset())


# ---------------------------------------------------------------------- extractors


@dataclass(frozen=True)
class Extractor:
    """A named extraction function ``f(html, url) -> text``."""

    name: str
    fn: ExtractFn
    note: str = ""


def baseline(html: str, url: str | None) -> str:
    """Do-nothing baseline: all visible text of the page."""
    del url
    return visible_text(parse_html(html))


def trafilatura_txt(**options: object) -> ExtractFn:
    """Build a trafilatura ``extract()`` call with plain-text output and given options."""
    import trafilatura  # optional at import time

    def run(html: str, url: str | None) -> str | None:
        return trafilatura.extract(html, url=url, **options)  # type: ignore[arg-type]

    return run


def trafilatura_xml(
    flatten: Callable[[str | None], str] = xml_blocks_text, links: bool = True, **options: object
) -> ExtractFn:
    """Build a trafilatura XML extraction (links kept by default), flattened by ``flatten``."""
    import trafilatura  # optional at import time

    def run(html: str, url: str | None) -> str:
        xml = trafilatura.extract(
            html,
            url=url,
            output_format="xml",
            include_links=links,
            **options,  # type: ignore[arg-type]
        )
        return flatten(xml)

    return run


def xml_blocks_with_cells(xml: str | None) -> str:
    """Flatten trafilatura XML via p/head/item/quote plus table cells and code."""
    return xml_blocks_text(xml, XML_BLOCK_TAGS_WITH_TABLES)


def readability_text(html: str, url: str | None) -> str:
    """Run readability-lxml ``Document.summary()`` and take its visible text."""
    from readability import Document  # optional at import time

    summary = Document(html, url=url).summary(html_partial=True)
    return visible_text(parse_html(summary)) if summary.strip() else ""


def justext_text(html: str, url: str | None) -> str:
    """Run jusText with the benchmark's parameters and join non-boilerplate paragraphs."""
    import justext  # optional, comparison only

    del url
    paragraphs = justext.justext(
        html,
        justext.get_stoplist("English"),
        length_low=50,
        length_high=200,
        stopwords_low=0.1,
        stopwords_high=0.2,
        max_link_density=0.2,
        max_heading_distance=200,
        no_headings=True,
    )
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def load_ours(spec: str) -> ExtractFn:
    """Import ``MODULE:FUNC`` (project root on ``sys.path``) and return the function."""
    module_name, _, func_name = spec.partition(":")
    if not module_name or not func_name:
        raise ValueError(f"expected MODULE:FUNC, got {spec!r}")
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    fn = getattr(importlib.import_module(module_name), func_name)
    if not callable(fn):
        raise TypeError(f"{spec} is not callable")
    return fn  # type: ignore[no-any-return]


def trafilatura_extractors() -> list[Extractor]:
    """Trafilatura variants: plain-text options, then XML+links flattened three ways."""
    txt, xml = trafilatura_txt, trafilatura_xml
    blocks, cells, full = xml_blocks_text, xml_blocks_with_cells, xml_all_text
    nc = False  # include_comments
    blocks_note = "XML flattened via p/head/item/quote only (loose text in <div> is lost)"
    return [
        Extractor("traf txt default", txt()),
        Extractor("traf txt favor_recall", txt(favor_recall=True)),
        Extractor("traf txt favor_precision", txt(favor_precision=True)),
        Extractor("traf txt no_comments", txt(include_comments=nc), "the benchmark's own config"),
        Extractor("traf txt no_tables", txt(include_tables=False)),
        Extractor("traf txt fast", txt(fast=True), "fast=True: no readability/justext fallback"),
        Extractor("traf txt no_comm precision", txt(include_comments=nc, favor_precision=True)),
        Extractor("traf xml+links blocks", xml(blocks), blocks_note),
        Extractor("traf xml+links blocks+cells", xml(cells), "blocks plus table cell and code"),
        Extractor("traf xml+links all", xml(full), "XML flattened with all its text"),
        Extractor("traf xml+links all no_comm", xml(full, include_comments=nc)),
        Extractor("traf xml+links all no_tables", xml(full, include_tables=False)),
        Extractor(
            "traf xml+links all no_comm recall",
            xml(full, include_comments=nc, favor_recall=True),
        ),
        Extractor(
            "traf xml+links all no_comm precision",
            xml(full, include_comments=nc, favor_precision=True),
            "recommended product config",
        ),
        Extractor(
            "traf xml+links cells no_comm precision",
            xml(cells, include_comments=nc, favor_precision=True),
        ),
        Extractor(
            "traf xml nolinks all no_comm precision",
            xml(full, False, include_comments=nc, favor_precision=True),
        ),
    ]


def build_extractors(ours: str | None, ours_explicit: bool) -> list[Extractor]:
    """Assemble the extractor list; optional libraries and ``--ours`` are skipped if absent."""
    found: list[Extractor] = [Extractor("baseline: all visible text", baseline)]
    if _importable("trafilatura"):
        found += trafilatura_extractors()
    if _importable("readability"):
        found.append(Extractor("readability-lxml", readability_text))
    if _importable("justext"):
        found.append(Extractor("justext (benchmark params)", justext_text))
    if ours:
        try:
            found.append(Extractor(f"ours {ours}", load_ours(ours)))
        except Exception as exc:  # any import failure means "skip"
            if ours_explicit:
                print(f"warning: cannot load --ours {ours}: {exc!r}", file=sys.stderr)
    return found


def _importable(module: str) -> bool:
    """Return whether a module can be imported."""
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------- runs


@dataclass
class Run:
    """Predictions, errors and timing of one extractor over all pages."""

    extractor: Extractor
    preds: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def empty(self) -> int:
        """Number of pages with no extracted tokens (errors included)."""
        return sum(1 for text in self.preds.values() if not tokenize(text))


def warm_up(extractor: Extractor, pages: Sequence[Page]) -> None:
    """Call the extractor once, untimed, so lazy imports and caches don't skew ms/page."""
    page = next((p for p in pages if p.html is not None), None)
    if page is not None and page.html is not None:
        with contextlib.suppress(Exception):
            extractor.fn(page.html, page.url)


def run_extractor(extractor: Extractor, pages: Sequence[Page]) -> Run:
    """Run one extractor over all pages, timing each call and recording errors."""
    run = Run(extractor)
    warm_up(extractor, pages)
    for page in pages:
        if page.html is None:
            run.preds[page.page_id] = ""
            run.errors[page.page_id] = f"{UNREADABLE}: {page.load_error}"
            continue
        start = time.perf_counter()
        try:
            text = extractor.fn(page.html, page.url) or ""
        except Exception as exc:  # count per-page failures, keep going
            text = ""
            run.errors[page.page_id] = f"{type(exc).__name__}: {exc}"[:200]
        run.seconds += time.perf_counter() - start
        run.preds[page.page_id] = text
    return run


# ------------------------------------------------------------------------- output


def format_table(rows: Sequence[tuple[Run, Scores]], ref: Scores, n_pages: int) -> str:
    """Render the results table, best F1 first; ΔF1 is paired against ``ref``."""
    header = (
        f"{'extractor':<40} {'F1':>13} {'precision':>13} {'recall':>13} {'ΔF1 vs ref':>14} "
        f"{'acc':>5} {'ms/page':>7} {'empty':>5} {'err':>3}"
    )
    lines = [header, "-" * len(header)]
    for run, s in sorted(rows, key=lambda rs: rs[1].f1, reverse=True):

        def pm(key: str, value: float, sc: Scores = s) -> str:
            return f"{value:.3f} ± {sc.std[key]:.3f}" if key in sc.std else f"{value:.3f}"

        delta, delta_std = paired_delta(s, ref)
        delta_txt = f"{delta:+.3f}" + (f" ± {delta_std:.3f}" if delta_std is not None else "")
        timed = n_pages - sum(m.startswith(UNREADABLE) for m in run.errors.values())
        ms = 1000 * run.seconds / max(1, timed)
        lines.append(
            f"{run.extractor.name:<40} {pm('f1', s.f1):>13} {pm('precision', s.precision):>13} "
            f"{pm('recall', s.recall):>13} {delta_txt:>14} {s.accuracy:>5.3f} {ms:>7.1f} "
            f"{run.empty:>5} {len(run.errors):>3}"
        )
    return "\n".join(lines)


def hard_pages(
    pages: Sequence[Page], rows: Sequence[tuple[Run, Scores]], ref: Scores, threshold: float
) -> list[str]:
    """Describe pages where no extractor (baseline aside) reaches ``threshold`` F1."""
    contenders = [(r, s) for r, s in rows if r.extractor.fn is not baseline] or list(rows)
    out: list[tuple[float, str]] = []
    for page in pages:
        best_run, best = max(contenders, key=lambda rs: rs[1].per_page_f1[page.page_id])
        best_f1 = best.per_page_f1[page.page_id]
        if best_f1 < threshold:
            line = (
                f"  {page.page_id[:10]} best {best_f1:.2f} ({best_run.extractor.name}), "
                f"ref {ref.per_page_f1[page.page_id]:.2f}; {len(tokenize(page.truth))} "
                f"true tokens; {page.url}"
            )
            out.append((best_f1, line))
    return [line for _, line in sorted(out)]


def error_summary(rows: Sequence[tuple[Run, Scores]]) -> list[str]:
    """List the distinct error messages per extractor (first few)."""
    out: list[str] = []
    for run, _ in rows:
        page_errors = [(k, m) for k, m in run.errors.items() if not m.startswith(UNREADABLE)]
        for page_id, msg in page_errors[:3]:
            out.append(f"  {run.extractor.name}: {page_id[:12]} {msg}")
    return out


def write_per_page(path: Path, pages: Sequence[Page], rows: Sequence[tuple[Run, Scores]]) -> None:
    """Write per-page F1 (one column per extractor) as TSV for drill-down."""
    buf = io.StringIO()
    buf.write("\t".join(["page_id", *(r.extractor.name for r, _ in rows)]) + "\n")
    for page in pages:
        cells = [f"{s.per_page_f1[page.page_id]:.3f}" for _, s in rows]
        buf.write("\t".join([page.page_id, *cells]) + "\n")
    path.write_text(buf.getvalue(), encoding="utf-8")


def library_versions() -> str:
    """Return installed versions of the measured libraries."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for dist in ("trafilatura", "readability-lxml", "justext", "lxml"):
        with contextlib.suppress(PackageNotFoundError):
            found.append(f"{dist} {version(dist)}")
    return ", ".join(found)


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark directory")
    parser.add_argument(
        "--ours", default=None, help=f"MODULE:FUNC of our extractor (default: {DEFAULT_OURS})"
    )
    parser.add_argument("--only", default=None, help="run only extractors whose name contains")
    parser.add_argument("--ref", default=DEFAULT_REF, help="extractor that ΔF1 is measured from")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap samples (0: off)")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap random seed")
    parser.add_argument("--hard", type=float, default=HARD_PAGE_F1, help="list pages where best F1 is below")
    parser.add_argument("--per-page", type=Path, default=None, help="write per-page F1 TSV here")
    return parser.parse_args(argv)


def print_report(args: argparse.Namespace, pages: Sequence[Page], rows: Sequence[tuple[Run, Scores]]) -> None:
    """Print the header, the results table, notes, hard pages and errors."""
    ref = next((s for r, s in rows if r.extractor.name == args.ref), rows[0][1])
    ref_name = next((r.extractor.name for r, s in rows if s is ref), "")
    charsets = Counter(p.charset for p in pages)
    print(f"{len(pages)} pages from {args.data}; charsets: {dict(charsets)}")
    for page in pages:
        if page.html is None:
            print(f"{UNREADABLE} (scored as empty, counted in err): {page.page_id} {page.load_error}")
    print(f"{library_versions()}")
    print(f"± = bootstrap std over {args.bootstrap} page resamples; ref = {ref_name}\n")
    print(format_table(rows, ref, len(pages)))
    if notes := [f"  {r.extractor.name}: {r.extractor.note}" for r, _ in rows if r.extractor.note]:
        print("\nnotes:\n" + "\n".join(notes))
    if hard := hard_pages(pages, rows, ref, args.hard):
        print(f"\npages where every extractor (baseline aside) has F1 < {args.hard}:")
        print("\n".join(hard))
    if errors := error_summary(rows):
        print("\nerrors (first 3 per extractor):\n" + "\n".join(errors))


def main(argv: Sequence[str] | None = None) -> int:
    """Run every extractor over the benchmark and print the results table."""
    args = parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura/readability log noisily per page
    pages = load_pages(args.data, args.limit)
    extractors = build_extractors(args.ours or DEFAULT_OURS, args.ours is not None)
    if args.only:
        extractors = [e for e in extractors if args.only in e.name]
    if not pages or not extractors:
        print("nothing to run", file=sys.stderr)
        return 1
    resamples = bootstrap_indices(len(pages), args.bootstrap, args.seed)
    rows: list[tuple[Run, Scores]] = []
    for extractor in extractors:
        run = run_extractor(extractor, pages)
        rows.append((run, score(pages, run.preds, resamples)))
        print(f"ran {extractor.name} ({run.seconds:.1f}s)", file=sys.stderr, flush=True)
    print_report(args, pages, rows)
    if args.per_page:
        write_per_page(args.per_page, pages, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
