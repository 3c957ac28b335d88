"""Throughput and memory of `healthvet run`: --jobs 1 (baseline), --jobs 2, --dask local.

Generates a synthetic corpus (templates written for this benchmark + seeded random
variation; no dataset text) in a temporary folder, runs the CLI on it once per engine with
a fresh results file, and prints docs/s, the speed-up over --jobs 1 and the peak RSS of each
worker process (sampled with psutil every 0.1 s). It also runs Dask with the nanny's
MALLOC_TRIM_THRESHOLD_=65536 put back, to show what the default costs.

    .venv/bin/python bench/batch.py                 # 2,000 documents
    .venv/bin/python bench/batch.py --docs 200      # quick look
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent

TOPICS = ["sleep", "blood pressure", "knee pain", "migraine", "gut health", "memory", "asthma", "eczema"]
THINGS = [
    "a daily walk",
    "green tea",
    "a new drug",
    "vitamin D",
    "yoga",
    "a low-salt diet",
    "an app",
    "fish oil",
]
NEUTRAL = [
    "Researchers followed {n} adults for {m} months and compared {t} with usual care.",
    "The study measured {topic} scores at the start and at the end of the trial.",
    "Participants were randomly assigned to two groups of similar age.",
    "The difference between the groups was small and may be due to chance.",
    "The authors say larger trials are needed before advice on {topic} changes.",
    "Side effects were mild and similar in both groups.",
    "The work was funded by a national research council.",
    "People who dropped out were included in the analysis.",
]
HYPE = [
    "{t} is a remarkable breakthrough for {topic}.",
    "Experts call {t} a revolutionary cure for {topic}.",
    "This miracle approach transforms {topic} for everyone.",
    "{t} is a game-changer that eliminates {topic} problems.",
]
SPAM = [
    'Click here to order {t} at <a href="https://www.{shop}.example.com/buy">{shop}.example.com</a> today!',
    'For the best prices visit <a href="https://{shop}.example.net/">our partner store</a>.',
    'Read more about {topic} at <a href="https://{shop}.example.org/{topic_slug}">this site</a>.',
]
SHOPS = ["pills-direct", "cheap-supps", "health-mart", "vita-deals", "wellness-shop"]


def _fill(template: str, rng: random.Random, topic: str) -> str:
    return template.format(
        n=rng.randint(20, 900),
        m=rng.randint(1, 24),
        t=rng.choice(THINGS),
        topic=topic,
        topic_slug=topic.replace(" ", "-"),
        shop=rng.choice(SHOPS),
    )


def make_document(i: int, rng: random.Random) -> tuple[str, str]:
    """(file name, content) for document ``i``: HTML (70%) or Markdown."""
    topic = rng.choice(TOPICS)
    sentences = [_fill(rng.choice(NEUTRAL), rng, topic) for _ in range(rng.randint(8, 30))]
    for _ in range(rng.randint(0, 3)):
        sentences.insert(rng.randrange(len(sentences)), _fill(rng.choice(HYPE), rng, topic))
    paragraphs = [" ".join(sentences[k : k + 3]) for k in range(0, len(sentences), 3)]
    spam = [_fill(rng.choice(SPAM), rng, topic) for _ in range(rng.randint(0, 2))]
    title = f"What {rng.choice(THINGS)} does for {topic} ({i})"
    if rng.random() < 0.7:
        body = "".join(f"<p>{p}</p>" for p in paragraphs) + "".join(f"<p>{s}</p>" for s in spam)
        html = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
        return f"doc{i:05d}.html", html
    links = [s.split("<a ")[0] + "https://shop.example.com" for s in spam]
    return f"doc{i:05d}.md", f"# {title}\n\n" + "\n\n".join(paragraphs + links) + "\n"


def make_corpus(folder: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for i in range(count):
        name, text = make_document(i, rng)
        (folder / name).write_text(text, encoding="utf-8")


@dataclass
class Result:
    label: str
    docs: int
    seconds: float
    worker_peak_mb: float
    client_peak_mb: float
    client_cpu: float
    other_cores: float
    workers: int
    output: str

    @property
    def rate(self) -> float:
        return self.docs / self.seconds


def _count(output: str, label: str) -> int:
    """A number from the run's final table (0 when missing)."""
    if label not in output:
        return 0
    return int(output.split(label)[1].split(maxsplit=1)[0].replace(",", ""))


def _busy_cpu() -> float:
    """CPU seconds the whole machine has spent busy."""
    t = psutil.cpu_times()
    return t.user + t.system + t.nice + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0)


def _children_cpu() -> float:
    """CPU seconds used by this process's waited-for descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(label: str, corpus: Path, db: Path, engine: list[str], env: dict[str, str] | None = None) -> Result:
    """Run the CLI once, sampling the RSS of every process in its tree."""
    command = [sys.executable, "-m", "cli", "run", str(corpus), "--db", str(db), "--no-cache"]
    command += ["--no-progress", "--fail-on", "never", *engine]
    busy_before, ours_before = _busy_cpu(), _children_cpu()
    started = time.perf_counter()
    proc = psutil.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, text=True
    )
    peaks: dict[int, tuple[str, float]] = {}
    client_cpu = 0.0
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            times = proc.cpu_times()
            client_cpu = times.user + times.system
        for p in [proc, *proc.children(recursive=True)]:
            try:
                rss = p.memory_info().rss / 2**20
                cmdline = " ".join(p.cmdline())
            except psutil.Error:
                continue
            peaks[p.pid] = (cmdline, max(rss, peaks.get(p.pid, ("", 0.0))[1]))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    output = proc.stdout.read() if proc.stdout else ""
    proc.wait()
    # CPU that other people's processes used meanwhile, in cores: a busy machine explains a low speed-up.
    others = max(0.0, (_busy_cpu() - busy_before) - (_children_cpu() - ours_before)) / seconds
    client = peaks.pop(proc.pid, ("", 0.0))[1]
    # Workers: the processes that loaded the pipeline (spawned pool workers, Dask workers).
    # The resource tracker and Dask nannies stay small; they are not workers.
    workers = [mb for cmd, mb in peaks.values() if "resource_tracker" not in cmd and mb > 100]
    ok = _count(output, "documents ok")
    if ok == 0 or _count(output, "failed"):
        print(f"warning: {label}: {_count(output, 'failed')} failed, output:\n{output}", file=sys.stderr)
    worker_peak = max(workers, default=client)
    return Result(label, ok, seconds, worker_peak, client, client_cpu, others, len(workers), output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2, help="runs per engine; the fastest is shown")
    parser.add_argument("--trim-docs", type=int, default=600, help="documents for the nanny-env comparison")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="hv-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_corpus(corpus, args.docs)
        engines = [
            ("--jobs 1", ["--jobs", "1"]),
            ("--jobs 2", ["--jobs", "2"]),
            ("--dask local (2 workers)", ["--dask", "local", "--jobs", "2"]),
        ]
        # Best of --repeat runs, interleaved: other people's jobs on this shared machine only
        # ever slow a run down, so the fastest run is the closest to the engine's own speed.
        runs = [
            run(label, corpus, Path(tmp) / f"{i}-{k}.sqlite", flags)
            for k in range(args.repeat)
            for i, (label, flags) in enumerate(engines)
        ]
        results = [
            min((r for r in runs if r.label == label), key=lambda r: r.seconds) for label, _ in engines
        ]
        subset = Path(tmp) / "subset"
        subset.mkdir()
        make_corpus(subset, args.trim_docs)
        trim = [
            run("dask, trim env removed", subset, Path(tmp) / "t1.sqlite", ["--dask", "local", "-j", "2"]),
            run(
                "dask, nanny default",
                subset,
                Path(tmp) / "t2.sqlite",
                ["--dask", "local", "-j", "2"],
                {"MALLOC_TRIM_THRESHOLD_": "65536"},
            ),
        ]
    base = results[0].rate
    print(f"\n{args.docs} generated documents, best of {args.repeat} runs per engine")
    print(
        f"{'engine':<28}{'docs':>6}{'seconds':>9}{'docs/s':>9}{'speed-up':>10}{'worker MB':>11}{'client MB':>11}"
    )
    for r in results:
        print(
            f"{r.label:<28}{r.docs:>6}{r.seconds:>9.1f}{r.rate:>9.1f}{r.rate / base:>9.2f}x"
            f"{r.worker_peak_mb:>11.0f}{r.client_peak_mb:>11.0f}{r.client_cpu:>14.1f}{r.other_cores:>16.2f}"
        )
    print(f"\nMALLOC_TRIM_THRESHOLD_ on Dask workers ({args.trim_docs} documents)")
    for r in trim:
        print(f"{r.label:<28}{r.docs:>6}{r.seconds:>9.1f}{r.rate:>9.1f}   others {r.other_cores:.2f} cores")
    print(f"slow-down with the nanny default: {trim[0].rate / trim[1].rate:.2f}x")
    ratio = results[1].rate / base
    print(f"\n--jobs 2 / --jobs 1 = {ratio:.2f}x (target >= 1.8x)")
    peak = max(r.worker_peak_mb for r in results)
    print(f"peak RSS per worker = {peak:.0f} MB (target <= 300 MB)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
