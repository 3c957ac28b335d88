"""A per-user cache of compiled rule sets: unchanged rules are not read and analysed again.

Loading the rule packs (YAML, regex validation, the prefilters' analysis) is most of a
one-file check's start-up (~0.15 s for 72 rules). The compiled ``RuleSet`` is pickled under
the user's cache directory, keyed by every rule file's path and bytes, the rule selection,
the healthvet code (each module's size and modification time) and the Python version: any
change makes a new key, so a stale entry is never read. As with black's cache, the
directory is created private (0700) and a file is read only when the user owns it and no one
else may write it. ``HEALTHVET_NO_CACHE=1`` turns the cache off; ``HEALTHVET_CACHE_DIR``
moves it. Any failure to read or write it is silent: the rules are then loaded as usual.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.ruleset import RuleSet

_KEEP = 16  # entries kept: a few rule selections and a few edits back
_PREFIX = "rules-"
_CODE_DIR = Path(__file__).resolve().parent
_CODE_SUFFIXES = {".py", ".so", ".pyd"}


def cache_dir() -> Path | None:
    """Where compiled rule sets are kept, or None when the cache is turned off."""
    if os.environ.get("HEALTHVET_NO_CACHE"):
        return None
    explicit = os.environ.get("HEALTHVET_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "healthvet"


def cache_key(files: Sequence[Path], selection: Sequence[object]) -> str:
    """A digest of the rule files' paths and bytes, the selection, the code and Python."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((sys.version_info[:3], [str(s) for s in selection])).encode())
    # Compiled modules (*.so, *.pyd) count too: a pure and a compiled build pickle differently.
    for module in sorted(p for p in _CODE_DIR.rglob("*") if p.suffix in _CODE_SUFFIXES):
        info = module.stat()
        digest.update(f"{module.relative_to(_CODE_DIR)}:{info.st_size}:{info.st_mtime_ns};".encode())
    for path in files:
        digest.update(str(path.resolve()).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def read(key: str) -> RuleSet | None:
    """The cached rule set of ``key``, or None (no entry, turned off, not private, unreadable)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{_PREFIX}{key}.pickle"
    try:
        info = path.stat()
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None  # someone else could have written it: never unpickle that
        with path.open("rb") as handle:
            ruleset = pickle.load(handle)  # the user's own private file (checked above)
    except Exception:  # a missing, partial or foreign file: load the rules as usual
        return None
    from pipeline.ruleset import RuleSet

    return ruleset if isinstance(ruleset, RuleSet) else None


def write(key: str, ruleset: RuleSet) -> None:
    """Store ``ruleset`` under ``key`` (atomically), keeping the most recent entries only."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:  # a read-only home: run without the cache
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(ruleset, out, protocol=pickle.HIGHEST_PROTOCOL)
        Path(temporary).replace(folder / f"{_PREFIX}{key}.pickle")
        _prune(folder)
    except Exception:  # a full disk, an object that cannot be pickled: leave nothing behind
        Path(temporary).unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob(f"{_PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for stale in entries[_KEEP:]:
        stale.unlink(missing_ok=True)
