"""healthvet's pipeline: sources → extract → sentences → promo → claims → summary → report."""

from __future__ import annotations

import sys
from pathlib import Path


def stale_compiled_modules() -> list[str]:
    """Sources edited after the mypyc build that compiled them (see setup.py).

    Python imports a compiled module in preference to its source, so an edit to one of
    these files has no effect until the package is built again. Asked only of a source
    checkout (``pip install -e .`` builds in place): an installed wheel writes each source
    just after its compiled module, and is never edited.
    """
    here = Path(__file__).resolve().parent
    if not (here.parent / "setup.py").is_file():
        return []
    stale = []
    for built in here.rglob("*.so"):
        source = built.with_name(built.name.split(".", 1)[0] + ".py")
        if source.exists() and source.stat().st_mtime > built.stat().st_mtime:
            stale.append(str(source.relative_to(here.parent)))
    return sorted(stale)


if _stale := stale_compiled_modules():
    print(
        f"healthvet: {', '.join(_stale)} changed after the compiled build and is not what runs;"
        " rebuild with `pip install -e .` (or install with HEALTHVET_PURE_PYTHON=1)",
        file=sys.stderr,
    )
