"""In-process speed of two revisions of healthvet, measured in alternating runs.

Usage (from the project root)::

    python bench/ab.py [--base HEAD] [--rounds 3] [--seed ../shared/seed/botox_article.txt]

Timing on a shared or virtual machine moves by 3-10% from run to run, more than most single
changes gain or lose. This script checks ``--base`` out into a temporary worktree and then
alternates, ``--rounds`` times, one measuring process for the base and one for the working
tree (uncommitted changes included), so both see the same machine. Each process prints two
medians: ``healthvet check``'s per-document work on the seed article (no summary, no strength
labels) and the plain-text pipeline of ``bench/peers.py`` (270-word articles, clean + check +
summary). The best of the rounds is printed for each revision, with the change.

The base worktree is not built, so it runs pure Python, while the working tree runs whatever
``pip install -e .`` compiled there (setup.py). To compare two revisions on equal terms,
install the working tree with ``HEALTHVET_PURE_PYTHON=1`` first.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = Path("../shared/seed/botox_article.txt")

# Run inside each revision's tree: prints "<seed check ms> <270-word pipeline ms>". The
# revision's pipeline comes first on the path; the measuring helpers are this checkout's
# bench/peers.py (the same articles and medians as its in-process figures).
_MEASURE = """
import sys
from pathlib import Path
sys.path.insert(0, ".")
sys.path.append(sys.argv[2])
from peers import per_item_ms, words_270
from pipeline.cleaning import cleaned_text
from pipeline.ruleset import load_ruleset
from pipeline.run import Options, process_text
seed = Path(sys.argv[1])
rules = load_ruleset()
copies = [seed.read_text(encoding="utf-8") + f"\\n\\nNote {i}." for i in range(60)]
check = Options(strengths=False, summary=False)
full = Options(strengths=False)
seed_ms = per_item_ms(lambda t: process_text(t, rules, options=check), copies, 1)
text_ms = per_item_ms(lambda t: cleaned_text(process_text(t, rules, options=full)), words_270(seed, 300), 1)
print(f"{seed_ms.median:.4f} {text_ms.median:.4f}")
"""


def measure(tree: Path, seed: Path) -> tuple[float, float]:
    """(seed check ms, 270-word pipeline ms) of the code in ``tree``, in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(seed), str(ROOT / "bench")],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
        env={"HEALTHVET_NO_CACHE": "1", "PATH": "/usr/bin:/bin", "HOME": str(Path.home())},
    )
    seed_ms, text_ms = out.stdout.split()
    return float(seed_ms), float(text_ms)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", default="HEAD", help="the revision to compare against")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    seed = args.seed.resolve()
    if not seed.exists():
        raise SystemExit(f"no seed article at {args.seed}")
    base_tree = Path(tempfile.mkdtemp(prefix="healthvet-ab-"))
    subprocess.run(
        ["git", "worktree", "add", "-q", "--detach", str(base_tree), args.base], cwd=ROOT, check=True
    )
    try:
        runs: dict[str, list[tuple[float, float]]] = {"base": [], "work": []}
        for round_number in range(1, args.rounds + 1):
            for name, tree in (("base", base_tree), ("work", ROOT)):
                runs[name].append(measure(tree, seed))
                seed_ms, text_ms = runs[name][-1]
                print(
                    f"round {round_number} {name:4s}: seed check {seed_ms:.3f} ms, 270 words {text_ms:.3f} ms"
                )
        best = {name: (min(r[0] for r in rs), min(r[1] for r in rs)) for name, rs in runs.items()}
        print(f"\nbest of {args.rounds} rounds   seed check   270-word pipeline")
        print(f"  {args.base:14s} {best['base'][0]:10.3f} ms {best['base'][1]:12.3f} ms")
        print(f"  {'working tree':14s} {best['work'][0]:10.3f} ms {best['work'][1]:12.3f} ms")
        changes = [100 * (best["work"][i] / best["base"][i] - 1) for i in (0, 1)]
        print(f"  {'change':14s} {changes[0]:+9.1f} %  {changes[1]:+11.1f} %")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base_tree)], cwd=ROOT, check=False)
        shutil.rmtree(base_tree, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
