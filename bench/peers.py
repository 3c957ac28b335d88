"""Speed against the tools users would otherwise run, on the same inputs, in one run.

    python bench/peers.py [--seed ../shared/seed/botox_article.txt]
                          [--articles ../shared/data/cochrane_pls/val.source] [--reps 3]

Peers (proselint, trafilatura, sumy, and write-good from npm when it installs) live in a
separate virtualenv that this script creates under bench/.peers-venv: they are never
runtime dependencies of healthvet. Every figure is printed beside its peer's, with min and
median over --reps repetitions, wall time and peak RSS (from wait4, per command).
healthvet's commands read its compiled rules from the per-user rule cache, as a user's
second and later runs do (the first run writes it); two rows repeat the one-file and
200-file checks with HEALTHVET_NO_CACHE=1, as the first run after a rule edit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PEERS_VENV = ROOT / "bench" / ".peers-venv"
PEERS_NODE = ROOT / "bench" / ".peers-node"
HEALTHVET = Path(sys.executable).with_name("healthvet")
PEER_PACKAGES = ["proselint", "trafilatura", "sumy", "numpy"]  # sumy's LexRank needs NumPy


@dataclass(frozen=True)
class Repeated:
    """The figures of several repetitions of one measurement, with their min and median."""

    values: list[float]

    @property
    def best(self) -> float:
        return min(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)


@dataclass(frozen=True)
class Timing(Repeated):
    """Wall seconds (``values``) and peak RSS (MB) of repeated runs."""

    rss_mb: float


def run_timed(
    cmd: Sequence[str], reps: int, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Timing:
    """Run ``cmd`` ``reps`` times; wall time and the largest peak RSS seen (via wait4)."""
    walls, peak = [], 0.0
    for _ in range(reps):
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
        _, _, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - started)
        peak = max(peak, usage.ru_maxrss / 1024)
    return Timing(walls, peak)


def peer_python() -> Path:
    """The peers' interpreter, creating their venv on first use."""
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "-U", "pip"], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return python


def write_good() -> Path | None:
    """write-good's CLI from npm, or None when npm or the install is not available."""
    binary = PEERS_NODE / "node_modules" / ".bin" / "write-good"
    if binary.exists():
        return binary
    if shutil.which("npm") is None:
        return None
    PEERS_NODE.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["npm", "install", "--silent", "--prefix", str(PEERS_NODE), "write-good"],
        capture_output=True,
        check=False,
    )
    return binary if result.returncode == 0 and binary.exists() else None


def write_good_version(binary: Path | None) -> str:
    """write-good's version from its package.json, or "not installed"."""
    if binary is None:
        return "not installed"
    manifest = PEERS_NODE / "node_modules" / "write-good" / "package.json"
    return str(json.loads(manifest.read_text(encoding="utf-8")).get("version", "?"))


def peer_version(python: Path, package: str) -> str:
    out = subprocess.run(
        [str(python), "-c", f"import importlib.metadata as m; print(m.version('{package}'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or "?"


# --- inputs -----------------------------------------------------------------------------------


def make_copies(seed: Path, folder: Path, count: int) -> Path:
    """``count`` copies of the seed article as separate .txt files."""
    folder.mkdir(parents=True, exist_ok=True)
    text = seed.read_text(encoding="utf-8")
    for i in range(count):
        (folder / f"article{i:05d}.txt").write_text(text, encoding="utf-8")
    return folder


CHROME_WORDS = "home news health fitness nutrition contact about privacy terms subscribe share login".split()


def chrome_block(rng: random.Random, kind: str, size: int) -> str:
    """A block of page chrome of roughly ``size`` characters."""
    links = []
    while sum(len(x) for x in links) < size:
        word = rng.choice(CHROME_WORDS)
        links.append(
            f'<li class="menu-item"><a href="/{word}/{rng.randint(1, 999)}">{word.title()} {rng.randint(1, 99)}</a></li>'
        )
    return f'<{kind} class="site-{kind}"><ul>{"".join(links)}</ul></{kind}>'


def make_html_pages(seed: Path, folder: Path, count: int, target_kb: int = 50) -> Path:
    """Pages of about ``target_kb`` KB: the seed article inside realistic chrome."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    paragraphs = [p for p in seed.read_text(encoding="utf-8").splitlines() if p.strip()]
    for i in range(count):
        body = "\n".join(f"<p>{p}</p>" if len(p.split()) > 9 else f"<h2>{p}</h2>" for p in paragraphs)
        style = "<style>" + ".c{color:#333}" * 300 + "</style>"
        script = "<script>var cfg = {" + ",".join(f"k{j}: {j}" for j in range(400)) + "};</script>"
        comments = "".join(
            f'<div class="comment"><p>Comment {j}: thanks for sharing this useful post!</p></div>'
            for j in range(20)
        )
        page = (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Article {i} | Site</title>{style}{script}</head>"
            f"<body>{chrome_block(rng, 'nav', 6000)}<main><article><h1>Botox and migraine {i}</h1>{body}</article>"
            f"<section class='comments'>{comments}</section></main>{chrome_block(rng, 'aside', 8000)}"
            f"{chrome_block(rng, 'footer', 6000)}</body></html>"
        )
        filler = max(0, target_kb * 1024 - len(page))
        page = page.replace("</head>", f"<!-- {'x' * filler} --></head>", 1)
        (folder / f"page{i:04d}.html").write_text(page, encoding="utf-8")
    return folder


def make_text_articles(source: Path, folder: Path, count: int) -> Path:
    """Plain-text articles, one per line of ``source`` (e.g. Cochrane abstracts)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [ln for ln in source.read_text(encoding="utf-8").splitlines() if len(ln.split()) > 100][:count]
    for i, line in enumerate(lines):
        (folder / f"text{i:04d}.txt").write_text(line + "\n", encoding="utf-8")
    return folder


# --- in-process measurements ------------------------------------------------------------------


@dataclass(frozen=True)
class PerItem(Repeated):
    """The median milliseconds per item of each of several passes over the same items (``values``)."""

    def describe(self, unit: str) -> str:
        """The median pass, its rate and the fastest pass, e.g. "0.961 ms = 1,041 articles/s (min ...)"."""
        return (
            f"{self.median:.3f} ms = {1000 / self.median:,.0f} {unit}/s"
            f" (min {self.best:.3f} ms; median of {len(self.values)} passes)"
        )


def per_item_ms(
    fn: Callable[[Any], Any],
    items: Sequence[Any],
    reps: int,
    warmup: int = 5,
    seen: Callable[[Any], object] | None = None,
) -> PerItem:
    """Per-item medians (ms) of ``reps`` passes over ``items`` after warm-up, single core.

    ``seen`` is given each timed call's result, outside the timing.
    """
    for item in items[:warmup]:
        fn(item)
    passes = []
    for _ in range(reps):
        times = []
        for item in items:
            started = time.perf_counter()
            result = fn(item)
            times.append(time.perf_counter() - started)
            if seen is not None:
                seen(result)
        passes.append(statistics.median(times) * 1000)
    return PerItem(passes)


def pipeline_ms(
    process: Callable[[str], Any], items: Sequence[str], reps: int, warmup: int = 5
) -> tuple[PerItem, dict[str, float]]:
    """Per-item medians (ms) of ``cleaned_text(process(item))`` over ``reps`` passes, and each stage's.

    Single core; the stage medians come from the documents' ``timings`` in the same runs
    (over all passes).
    """
    from pipeline.cleaning import cleaned_text

    def cleaned(item: str) -> Any:
        doc = process(item)
        cleaned_text(doc)
        return doc

    stages: dict[str, list[float]] = {}

    def record(doc: Any) -> None:
        for name, seconds in doc.timings:
            stages.setdefault(name, []).append(seconds * 1000)

    figure = per_item_ms(cleaned, items, reps, warmup, seen=record)
    return figure, {name: statistics.median(ms) for name, ms in stages.items()}


def trafilatura_ms(python: Path, pages: Path) -> float:
    """trafilatura.extract per page (median ms) in the peers' interpreter."""
    code = (
        "import statistics,sys,time,pathlib,trafilatura\n"
        "pages=[p.read_text() for p in sorted(pathlib.Path(sys.argv[1]).glob('*.html'))]\n"
        "[trafilatura.extract(p) for p in pages[:5]]\n"
        "ts=[]\n"
        "for p in pages:\n    t=time.perf_counter(); trafilatura.extract(p); ts.append(time.perf_counter()-t)\n"
        "print(statistics.median(ts)*1000)\n"
    )
    out = subprocess.run([str(python), "-c", code, str(pages)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


SUMY_CODE = """
import re, statistics, sys, time, pathlib
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
class Tok:
    # sumy's default tokenizer needs NLTK data downloads; a regex tokenizer needs none.
    def to_sentences(self, text):
        return [s for s in re.split(r"(?<=[.!?])\\s+", text) if s]
    def to_words(self, sentence):
        return re.findall(r"\\w+", sentence)
texts = [p.read_text() for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt'))]
summarizer = LexRankSummarizer()
def run(text):
    return summarizer(PlaintextParser.from_string(text, Tok()).document, 3)
[run(t) for t in texts[:5]]
ts = []
for t in texts:
    s = time.perf_counter(); run(t); ts.append(time.perf_counter() - s)
print(statistics.median(ts) * 1000)
"""


def sumy_ms(python: Path, folder: Path) -> float:
    out = subprocess.run(
        [str(python), "-c", SUMY_CODE, str(folder)], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def words_270(seed: Path, count: int) -> list[str]:
    """``count`` 270-word articles cut from the seed at different offsets, one paragraph per line."""
    words = seed.read_text(encoding="utf-8").split()
    out = []
    for i in range(count):
        start = (i * 37) % max(1, len(words) - 270)
        chunk = words[start : start + 270]
        out.append("\n".join(" ".join(chunk[j : j + 45]) for j in range(0, 270, 45)))
    return out


# --- report -----------------------------------------------------------------------------------


def row(task: str, tool: str, t: Timing) -> None:
    print(f"{task:34s} {tool:26s} {t.best:8.2f} {t.median:8.2f} {t.rss_mb:9.0f}")


def verdict(name: str, ok: bool, detail: str) -> None:
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=Path, default=ROOT.parent / "shared" / "seed" / "botox_article.txt")
    parser.add_argument(
        "--articles", type=Path, default=ROOT.parent / "shared" / "data" / "cochrane_pls" / "val.source"
    )
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument(
        "--work", type=Path, default=None, help="folder for generated inputs (default: a temp dir)"
    )
    args = parser.parse_args(argv)

    python = peer_python()
    wg = write_good()
    # Bytecode as pip writes it on install (or Python on a first run): where
    # PYTHONDONTWRITEBYTECODE is set, an editable checkout would otherwise recompile every
    # module of healthvet on every start (~0.06 s). The peers' packages have theirs from pip.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "pipeline"), str(ROOT / "cli.py")], check=True
    )
    versions = {p: peer_version(python, p) for p in PEER_PACKAGES}
    work = args.work or Path(tempfile.mkdtemp(prefix="healthvet-peers-"))
    copies_2000 = make_copies(args.seed, work / "seed2000", 2000)
    copies_200 = make_copies(args.seed, work / "seed200", 200)
    pages = make_html_pages(args.seed, work / "html100", 100)
    texts = make_text_articles(args.articles, work / "text200", 200)
    healthvet_version = subprocess.run(
        [str(HEALTHVET), "--version"], capture_output=True, text=True, check=False
    )
    print(f"machine: {os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}; inputs in {work}")
    print(
        f"healthvet: {healthvet_version.stdout.strip()}; peers: {versions}; write-good: {write_good_version(wg)}"
    )
    print(f"\n{'task':34s} {'tool':26s} {'min s':>8s} {'median s':>8s} {'peak MB':>9s}")

    proselint = str(PEERS_VENV / "bin" / "proselint")
    results: dict[str, Timing] = {}
    for label, folder in (
        ("2,000 seed copies (~11 MB)", copies_2000),
        ("200 seed copies (~1 MB)", copies_200),
    ):
        files = sorted(str(p) for p in folder.glob("*.txt"))
        results[f"hv {label}"] = t_hv = run_timed([str(HEALTHVET), "check", str(folder)], args.reps)
        row(label, "healthvet check", t_hv)
        results[f"pl {label}"] = t_pl = run_timed([proselint, "check", str(folder)], args.reps)
        row(label, f"proselint {versions['proselint']}", t_pl)
        if wg:
            t_wg = run_timed([str(wg), *files], args.reps)
            results[f"wg {label}"] = t_wg
            row(label, "write-good", t_wg)

    html_files = sorted(str(p) for p in pages.glob("*.html"))
    row(
        "100 HTML pages (50 KB) clean",
        "healthvet clean",
        run_timed([str(HEALTHVET), "clean", *html_files], args.reps),
    )
    row(
        "100 HTML pages (50 KB) check",
        "healthvet check",
        run_timed([str(HEALTHVET), "check", *html_files], args.reps),
    )
    text_files = sorted(str(p) for p in texts.glob("*.txt"))
    row(
        "200 text articles summarize",
        "healthvet summarize",
        run_timed([str(HEALTHVET), "summarize", *text_files], args.reps),
    )
    row("start-up", "python -c pass", t_py := run_timed([sys.executable, "-c", "pass"], args.reps * 3))
    row("start-up", "healthvet --help", t_help := run_timed([str(HEALTHVET), "--help"], args.reps * 3))
    row(
        "one-file check (seed)",
        "healthvet check",
        t_one := run_timed([str(HEALTHVET), "check", str(args.seed)], args.reps),
    )
    # The rows above read the compiled rules from the per-user cache (the first run of a new
    # rule set writes it); these show a run without it, as the first after an edit.
    cold = {**os.environ, "HEALTHVET_NO_CACHE": "1"}
    row(
        "one-file check, no rule cache",
        "healthvet check",
        run_timed([str(HEALTHVET), "check", str(args.seed)], args.reps, env=cold),
    )
    row(
        "200 seed copies, no rule cache",
        "healthvet check",
        run_timed([str(HEALTHVET), "check", str(copies_200)], args.reps, env=cold),
    )

    # In-process, one core: the figures that do not depend on start-up.
    sys.path.insert(0, str(ROOT))
    from pipeline.cleaning import cleaned_text
    from pipeline.ruleset import load_ruleset
    from pipeline.run import Options, process_text

    ruleset = load_ruleset()
    articles = words_270(args.seed, 300)
    # clean + check + summary: the removals, the findings and a 3-sentence summary, as
    # `clean`, `check` and `summarize` compute them. Claim-strength labels for every
    # sentence are shown only by the JSON and HTML reports: measured on their own line.
    job = Options(strengths=False)
    text_ms, stages = pipeline_ms(lambda a: process_text(a, ruleset, options=job), articles, args.reps)
    full_ms = per_item_ms(lambda a: cleaned_text(process_text(a, ruleset)), articles, args.reps)
    # The same pipeline with no rule loaded: what extraction, sentences, the summary and the
    # glue cost on their own; the rest of the figure above is the rules' share.
    no_rules = replace(ruleset, rules=(), checks=())
    bare_ms = per_item_ms(lambda a: cleaned_text(process_text(a, no_rules, options=job)), articles, args.reps)
    page_texts = [Path(p).read_text(encoding="utf-8") for p in html_files]
    html_ms = per_item_ms(
        lambda p: cleaned_text(process_text(p, ruleset, media_type="html", options=job)),
        page_texts,
        args.reps,
    )
    traf_ms = trafilatura_ms(python, pages)
    from pipeline import summarize as hv_summarize

    docs = [process_text(Path(t).read_text(encoding="utf-8"), ruleset) for t in text_files]
    summ_ms = per_item_ms(hv_summarize.summarize, docs, args.reps)
    sumy = sumy_ms(python, texts)
    print(f"\nin-process, one core (median per item of each pass; median and min over {args.reps} passes)")
    print(f"  plain-text pipeline (clean+check+summary), 270 words: {text_ms.describe('articles')}")
    print("    by stage: " + ", ".join(f"{name} {ms:.3f}" for name, ms in stages.items()) + " ms")
    print(
        f"    the same with no rule loaded: {bare_ms.median:.3f} ms"
        f" (the rules' share: {text_ms.median - bare_ms.median:.3f} ms)"
    )
    print(
        f"  the same with every sentence's claim-strength label (JSON/HTML reports): {full_ms.describe('articles')}"
    )
    print(
        f"  HTML end to end (extract+clean+check+summary), 50 KB pages: healthvet {html_ms.describe('pages')};"
        f" trafilatura.extract alone {traf_ms:.2f} ms"
    )
    print(
        f"  summarize only, 200 articles:   healthvet {summ_ms.describe('articles')}; sumy LexRank {sumy:.3f} ms"
    )

    print("\ntargets")
    ratio = results["hv 2,000 seed copies (~11 MB)"].median / results["pl 2,000 seed copies (~11 MB)"].median
    verdict("2,000 files <= 1/5 of proselint", ratio <= 0.2, f"healthvet/proselint = {ratio:.3f}")
    peers_200 = [
        v.median
        for k, v in results.items()
        if k.endswith("200 seed copies (~1 MB)") and not k.startswith("hv")
    ]
    hv_200 = results["hv 200 seed copies (~1 MB)"].median
    verdict(
        "200 files faster than every peer",
        all(hv_200 < p for p in peers_200),
        f"{hv_200:.2f}s vs {peers_200}",
    )
    verdict(
        ">= 1,000 plain-text articles/s", 1000 / text_ms.median >= 1000, f"{1000 / text_ms.median:,.0f}/s"
    )
    verdict(">= 60 HTML pages/s", 1000 / html_ms.median >= 60, f"{1000 / html_ms.median:,.1f}/s")
    verdict(
        "--help <= 0.15 s", t_help.median <= 0.15, f"{t_help.median:.3f}s (python -c pass {t_py.median:.3f}s)"
    )
    verdict("one-file check <= 1.3 s", t_one.median <= 1.3, f"{t_one.median:.3f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
