"""Benchmark promo/spam removal on the promo_dev set and its false-positive rate on clean articles.

Usage (from the project root)::

    python bench/promo.py [--data ../shared/data/promo_dev] [--input txt|html|md|both|all]
                          [--part all|even|odd] [--limit N] [--details]
                          [--clean-health ../shared/data/clean_health] [--clean-limit N]
                          [--wrap N] [--markup VARIANT] [--cli]

In-process (fast): every document goes through ``pipeline.run.process_ref`` and
``pipeline.cleaning.cleaned_text``; the output is scored with the shared scorer's own
functions (``promo_score.py``, imported by path), next to the "do nothing" baseline
(``promo_baseline_identity.py``) scored in the same process. ``--part even|odd`` scores only
every other document, so cues tuned on one half can be checked on the other.

``--clean-health`` runs the clean NIH articles (.txt) and lists every removal with its rule:
on clean articles every removal is a false positive.

``--input md`` rewrites each HTML page's article as Markdown (headings, paragraphs, lists,
``[text](href)`` links; no page furniture), as a content repository would keep it, and
scores the Markdown path; ``--input all`` runs txt, html and md.

``--wrap N`` hard-wraps every paragraph of the text inputs (promo_dev .txt or .md, and the clean
articles) at N columns first, as Markdown and plain text are often kept in a content
repository: a line break inside a paragraph must not change what is removed.

``--markup VARIANT`` rewrites each HTML page first, as other sites mark up the same page:
``divs`` (HTML5 sectioning tags such as <article>, <nav>, <footer> become <div>),
``no-attrs`` (no class, id or role attributes), ``hashed`` (class and id values replaced by
opaque tokens, as CSS modules or minifiers emit), ``br`` (paragraphs run together, separated by
``<br><br>``), ``split`` (each heading and its paragraphs in a <div> of their own), ``table``
(the page's parts laid out in the cells of one table row, as old sites did) or
``bare`` (divs, no-attrs and br at once); several joined by ``+`` apply together; the do-nothing baseline reads the same pages.

``--cli`` also runs the real scorer, one ``healthvet clean`` subprocess per document.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

# Allow running as a plain script from the project root without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.cleaning import cleaned_text
from pipeline.document import Document
from pipeline.extract import _MD_LINK as MARKDOWN_LINK
from pipeline.ruleset import RuleSet, load_ruleset
from pipeline.run import process_ref, process_text
from pipeline.sources import SourceRef

DEFAULT_DATA = Path("../shared/data/promo_dev")
DEFAULT_CLEAN = Path("../shared/data/clean_health")
TOOLS = Path("../shared/tools")


def load_module(path: Path) -> ModuleType:
    """Import a script by path (the shared scorer is not a package)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_metas(data: Path, part: str, limit: int) -> list[dict[str, Any]]:
    """The labelled documents, optionally one half of them."""
    metas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(data.glob("dev*.json"))]
    if part != "all":
        metas = metas[0 if part == "even" else 1 :: 2]
    return metas[:limit] if limit else metas


def healthvet_output(
    ruleset: RuleSet, wrap: int = 0, markdown: bool = False, markup: str = "as-is"
) -> Callable[[Path], str]:
    """What ``healthvet clean`` prints for one file, computed in-process."""

    def run(path: Path) -> str:
        if markup != "as-is" and path.suffix == ".html" and not markdown:
            page = remarked(path.read_text(encoding="utf-8"), markup)
            return cleaned_text(process_text(page, ruleset, media_type="html"))
        out = cleaned_text(process_file(path, ruleset, wrap, markdown))
        return links_apart(out) if markdown else out

    return run


MARKUPS = ("as-is", "divs", "no-attrs", "hashed", "br", "split", "table", "bare")
_SECTIONING = ("article", "main", "nav", "header", "footer", "aside", "section")
_KEPT_ATTRIBUTES = frozenset({"href", "rel", "src", "alt", "title", "lang", "charset", "name", "content"})


def remarked(html: str, variant: str) -> str:
    """The same page marked up another way (see ``--markup``); the text is unchanged."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    parts = {"bare": ("divs", "no-attrs", "br")}.get(variant, tuple(variant.split("+")))
    if "divs" in parts:
        for tag in soup.find_all(_SECTIONING):
            tag.name = "div"
    if "no-attrs" in parts or "hashed" in parts:
        _strip_attributes(soup, hashed="hashed" in parts)
    if "split" in parts:
        _split_at_headings(soup)
    if "table" in parts:
        _table_layout(soup)
    if "br" in parts:
        for paragraph in soup.find_all("p"):
            paragraph.append(soup.new_tag("br"))
            paragraph.append(soup.new_tag("br"))
            paragraph.unwrap()
    return str(soup)


def _strip_attributes(soup: Any, hashed: bool) -> None:
    """Drop every attribute but links' and metadata's, or replace class and id by opaque tokens."""
    import hashlib

    for tag in soup.find_all(True):
        if not hashed:
            tag.attrs = {k: v for k, v in tag.attrs.items() if k in _KEPT_ATTRIBUTES}
            continue
        for key in ("class", "id"):
            if key in tag.attrs:
                value = " ".join(tag[key]) if isinstance(tag[key], list) else str(tag[key])
                tag[key] = "x" + hashlib.md5(value.encode()).hexdigest()[:6]


def _table_layout(soup: Any) -> None:
    """Lay the page out as old sites did: each top-level part of <body> in a cell of one table row."""
    body = soup.body
    if body is None:
        return
    parts = [child.extract() for child in list(body.children) if getattr(child, "name", None)]
    row = soup.new_tag("tr")
    for part in parts:
        cell = soup.new_tag("td")
        cell.append(part)
        row.append(cell)
    table = soup.new_tag("table")
    table.append(row)
    body.append(table)


def _split_at_headings(soup: Any) -> None:
    """Put each <h2> and what follows it, up to the next <h2>, in a <div> of its own."""
    for heading in soup.find_all("h2"):
        siblings = []
        for sibling in heading.next_siblings:
            if getattr(sibling, "name", None) == "h2":
                break
            siblings.append(sibling)
        box = heading.wrap(soup.new_tag("div"))
        for sibling in siblings:
            box.append(sibling.extract())


def links_apart(markdown: str) -> str:
    """Markdown output as the scorer reads it: link text in place, the URLs on a last line.

    The scorer looks for each spam item's words in a row; ``[text](url)`` markup would put
    the URL between them, so a kept spam sentence would count as removed.
    """
    urls = [m.group(2) for m in MARKDOWN_LINK.finditer(markdown)]  # what healthvet reads as a link
    return MARKDOWN_LINK.sub(r"\1", markdown) + ("\n" + " ".join(urls) + "\n" if urls else "")


def process_file(path: Path, ruleset: RuleSet, wrap: int = 0, markdown: bool = False) -> Document:
    """The pipeline on one file: as it is, hard-wrapped at ``wrap`` columns, or an HTML page's
    article rewritten as ``markdown``."""
    if markdown:
        text = markdown_of(path.read_text(encoding="utf-8"))
        return process_text(hard_wrapped(text, wrap) if wrap else text, ruleset, media_type="markdown")
    if not wrap or path.suffix != ".txt":
        return process_ref(SourceRef(str(path), "file"), ruleset)
    return process_text(hard_wrapped(path.read_text(encoding="utf-8"), wrap), ruleset)


def hard_wrapped(text: str, width: int) -> str:
    """Every one-line paragraph filled to ``width`` columns, words unbroken (lists, Markdown
    headings and list items stay as they are)."""
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(
        p
        if "\n" in p.strip() or p.lstrip().startswith(("#", "- ", "* ", "|"))
        else textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False)
        for p in paragraphs
    )


# Page furniture inside an <article> that a Markdown source would not hold.
_FURNITURE = re.compile(
    r"\b(?:ad|ads|ad-\w+|advert\w*|share\w*|social|post-meta|byline|author\w*|comments?|related\w*|newsletter)\b"
)


def markdown_of(html: str) -> str:
    """An HTML page's article as the Markdown file a content repository would keep.

    Headings become ``#`` lines, paragraphs and text-only divs paragraphs, lists ``- `` items,
    links ``[text](href)``; page furniture inside the article (ads, share bars, bylines) is
    left out, as a Markdown source has none.
    """
    from bs4 import BeautifulSoup, NavigableString, Tag

    def inline(node: Tag) -> str:
        out = []
        for child in node.children:
            if isinstance(child, NavigableString):
                out.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "a" and child.get("href"):
                    out.append(f"[{child.get_text()}]({child['href']})")
                else:
                    out.append(inline(child))
        return "".join(out)

    blocks: list[str] = []

    def walk(element: Tag) -> None:
        for child in element.children:
            if not isinstance(child, Tag) or _FURNITURE.search(" ".join(child.get("class") or [])):
                continue
            if re.fullmatch(r"h[1-6]", child.name):
                blocks.append("#" * int(child.name[1]) + " " + " ".join(child.get_text().split()))
            elif child.name == "p" or (
                child.name == "div" and child.find(["p", "div", "ul", "ol", "h2", "h3"]) is None
            ):
                blocks.append(" ".join(inline(child).split()))
            elif child.name in ("ul", "ol"):
                items = child.find_all("li", recursive=False)
                blocks.append("\n".join("- " + " ".join(inline(li).split()) for li in items))
            else:
                walk(child)

    soup = BeautifulSoup(html, "html.parser")
    root = soup.find("article") or soup.find("main") or soup.body or soup
    walk(root)
    return "\n\n".join(b for b in blocks if b.strip()) + "\n"


def identity_output(
    baseline: ModuleType, markdown: bool = False, markup: str = "as-is"
) -> Callable[[Path], str]:
    """What the do-nothing baseline prints for one file."""

    def run(path: Path) -> str:
        text = path.read_text(encoding="utf-8")
        if markup != "as-is" and path.suffix == ".html" and not markdown:
            text = remarked(text, markup)
        if markdown:
            return links_apart(markdown_of(text))
        return str(baseline.visible_text(text)) + "\n" if path.suffix == ".html" else text

    return run


def score(
    scorer: ModuleType, metas: Sequence[dict[str, Any]], data: Path, suffix: str, run: Callable[[Path], str]
) -> list[dict[str, Any]]:
    """Per-document results in the scorer's own format."""
    results = []
    for meta in metas:
        out = run(data / f"{meta['id']}.{suffix}")
        results.append(scorer.score_doc(meta, scorer.Output(out), suffix == "html", None))
    return results


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def summary(results: Sequence[dict[str, Any]], is_html: bool) -> dict[str, float]:
    """The scorer's headline figures (same definitions as promo_score.py)."""
    items = [s for r in results for s in r["spam"]]
    keep_total = sum(r["keep_total"] for r in results)
    clean = [r for r in results if not r["spam"]]
    clean_total = sum(r["keep_total"] for r in clean)
    boiler_total = sum(r["boiler_total"] for r in results)
    return {
        "spam_recall": _ratio(sum(s["removed"] for s in items), len(items)),
        "strict": _ratio(sum(s["removed_strict"] for s in items), len(items)),
        "keep": _ratio(keep_total - sum(len(r["keep_missing"]) for r in results), keep_total),
        "keep_spam_free": _ratio(clean_total - sum(len(r["keep_missing"]) for r in clean), clean_total),
        "boiler_leak": _ratio(sum(len(r["boiler_leaked"]) for r in results), boiler_total)
        if is_html
        else float("nan"),
        "url_leak": _ratio(
            sum(len(r["urls_leaked"]) for r in results), sum(r["urls_total"] for r in results)
        ),
    }


def per_kind(results: Sequence[dict[str, Any]]) -> dict[str, tuple[int, float, float]]:
    """kind → (items, recall, strict recall)."""
    items = [s for r in results for s in r["spam"]]
    out = {}
    for kind in sorted({s["kind"] for s in items}):
        ks = [s for s in items if s["kind"] == kind]
        out[kind] = (
            len(ks),
            _ratio(sum(s["removed"] for s in ks), len(ks)),
            _ratio(sum(s["removed_strict"] for s in ks), len(ks)),
        )
    return out


def _fmt(value: float) -> str:
    return "na" if math.isnan(value) else f"{value:.3f}"


def print_comparison(name: str, ours: dict[str, float], base: dict[str, float]) -> None:
    """Headline figures of healthvet beside the baseline."""
    print(f"\n== {name}")
    print(f"{'metric':22s} {'healthvet':>10s} {'do-nothing':>10s}")
    for key, value in ours.items():
        print(f"{key:22s} {_fmt(value):>10s} {_fmt(base[key]):>10s}")
    line = " ".join(f"{k}={_fmt(ours[k])}" for k in ("spam_recall", "keep", "boiler_leak", "url_leak"))
    print(f"SCORE {line} errors=0")


def print_kinds(ours: dict[str, tuple[int, float, float]], base: dict[str, tuple[int, float, float]]) -> None:
    """Per-kind recall beside the baseline's."""
    print(f"{'kind':22s} {'items':>5s} {'recall':>7s} {'strict':>7s} {'baseline':>8s}")
    for kind, (n, rec, strict) in ours.items():
        print(f"{kind:22s} {n:5d} {_fmt(rec):>7s} {_fmt(strict):>7s} {_fmt(base[kind][1]):>8s}")


def print_details(results: Sequence[dict[str, Any]]) -> None:
    """Missed items, lost sentences and leaks, per document."""
    for r in results:
        for s in r["spam"]:
            if not s["removed"]:
                print(f"  {r['id']} MISSED {s['kind']}: {s['text'][:140]!r}")
        for s in r["keep_missing"]:
            print(f"  {r['id']} LOST: {s[:140]!r}")
        for b in r["boiler_leaked"]:
            print(f"  {r['id']} CHROME: {b[:100]!r}")
        for u in r["urls_leaked"]:
            print(f"  {r['id']} URL: {u}")


def run_dataset(args: argparse.Namespace, ruleset: RuleSet, scorer: ModuleType, baseline: ModuleType) -> None:
    """Score every requested input format, in-process, beside the baseline."""
    metas = load_metas(args.data, args.part, args.limit)
    formats = {"both": ["txt", "html"], "all": ["txt", "html", "md"]}.get(args.input, [args.input])
    for name in formats:
        markdown = name == "md"  # the HTML pages' articles, rewritten as Markdown
        suffix = "html" if markdown else name
        started = time.perf_counter()
        ours = score(
            scorer, metas, args.data, suffix, healthvet_output(ruleset, args.wrap, markdown, args.markup)
        )
        seconds = time.perf_counter() - started
        base = score(scorer, metas, args.data, suffix, identity_output(baseline, markdown, args.markup))
        is_html = suffix == "html" and not markdown
        wrapped = f", wrapped at {args.wrap} columns" if args.wrap and name != "html" else ""
        wrapped += f", markup {args.markup}" if args.markup != "as-is" and name == "html" else ""
        print_comparison(
            f"{args.data} --input {name} ({len(metas)} documents, part {args.part}, {seconds:.1f}s){wrapped}",
            summary(ours, is_html),
            summary(base, is_html),
        )
        print_kinds(per_kind(ours), per_kind(base))
        if args.details:
            print_details(ours)


def sentence_count(doc: Document) -> int:
    """Sentences in the body (title and headings excluded, as in the removal rate)."""
    return len(doc.sentences())


def run_clean(args: argparse.Namespace, ruleset: RuleSet) -> None:
    """Removal rate on clean articles, with every removal listed (each one is a false positive)."""
    paths = sorted(args.clean_health.glob("*/*.txt"))
    if args.clean_limit:
        paths = paths[: args.clean_limit]
    sentences = removed = 0
    lines = []
    for path in paths:
        doc = process_file(path, ruleset, args.wrap)
        sentences += sentence_count(doc)
        for r in doc.removals:
            removed += 1
            snippet = " ".join(doc.text[r.start : r.end].split())[:150]
            lines.append(f"  {path.parent.name}/{path.name} {r.rule} ({r.kind}): {snippet!r}")
    wrapped = f", wrapped at {args.wrap} columns" if args.wrap else ""
    print(f"\n== {args.clean_health}: {len(paths)} clean articles{wrapped}, {sentences} sentences")
    print(f"removals {removed} = {_ratio(removed, sentences) * 100:.3f}% of sentences (do-nothing: 0.000%)")
    print("\n".join(lines))


def run_cli(args: argparse.Namespace) -> None:
    """The real scorer, one `healthvet clean` subprocess per document."""
    formats = ["txt", "html"] if args.input == "both" else [args.input]
    healthvet = Path(sys.executable).parent / "healthvet"
    for suffix in formats:
        for cmd in (
            f"{healthvet} clean {{path}}",
            f"{sys.executable} {TOOLS / 'promo_baseline_identity.py'} {{path}}",
        ):
            command = [sys.executable, str(TOOLS / "promo_score.py"), "--cmd", cmd, "--data", str(args.data)]
            command += ["--input", suffix, "--jobs", "2"] + (
                ["--limit", str(args.limit)] if args.limit else []
            )
            print(f"\n== real scorer: {cmd} --input {suffix}", flush=True)
            subprocess.run(command, check=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--input", choices=["txt", "html", "md", "both", "all"], default="both")
    parser.add_argument("--part", choices=["all", "even", "odd"], default="all")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N documents")
    parser.add_argument("--details", action="store_true", help="print missed items and lost sentences")
    parser.add_argument("--clean-health", type=Path, default=DEFAULT_CLEAN)
    parser.add_argument("--clean-limit", type=int, default=0, help="only the first N clean articles")
    parser.add_argument("--skip-clean", action="store_true", help="skip the clean-article run")
    parser.add_argument("--skip-dev", action="store_true", help="skip the promo_dev run")
    parser.add_argument("--wrap", type=int, default=0, help="hard-wrap text inputs at N columns first")
    parser.add_argument(
        "--markup",
        default="as-is",
        help=f"rewrite HTML pages first: one of {', '.join(MARKUPS)}, or several joined by +",
    )
    parser.add_argument("--cli", action="store_true", help="also run the real CLI scorer (slow)")
    args = parser.parse_args(argv)
    ruleset = load_ruleset()
    scorer = load_module(TOOLS / "promo_score.py")
    baseline = load_module(TOOLS / "promo_baseline_identity.py")
    if not args.skip_dev:
        run_dataset(args, ruleset, scorer, baseline)
    if not args.skip_clean:
        run_clean(args, ruleset)
    if args.cli:
        run_cli(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
