"""Build hook: compile the per-article hot path with mypyc (everything else is in pyproject.toml).

The modules below run once per sentence or per word of every article. Compiled to C by
mypyc (as black and mypy ship themselves) the plain-text pipeline runs about twice as fast;
the code stays ordinary typed Python, and the suite passes on both builds.

- ``HEALTHVET_PURE_PYTHON=1 pip install -e .`` installs without compiling: for work on
  these modules, whose edits a compiled build only picks up when it is rebuilt.
- Without a C compiler, or if compiling fails, the install goes on pure Python with a
  warning instead of failing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

COMPILED = [
    "pipeline/document.py",
    "pipeline/tokenizer.py",
    "pipeline/sentences.py",
    "pipeline/language.py",
    "pipeline/promo.py",
    "pipeline/promo_signals.py",
    "pipeline/topic.py",
    "pipeline/words.py",
    "pipeline/claims.py",
    "pipeline/strength.py",
    "pipeline/summarize.py",
    "pipeline/cleaning.py",
    "pipeline/extract.py",
    "pipeline/run.py",
    "pipeline/checks/base.py",
    "pipeline/checks/existence.py",
    "pipeline/checks/sequence.py",
    "pipeline/checks/signal.py",
    "pipeline/checks/substitution.py",
    "pipeline/checks/strength_rule.py",
]


# mypyc writes the compiled modules as one shared library whose C functions are extern
# symbols. Built with -fPIC alone, the compiler must assume another library could replace
# any of them (ELF symbol interposition): every call from one compiled function to another
# then goes through the PLT and none is inlined. With these flags the calls are direct and
# may be inlined (CPython builds itself with the first for the same reason); the library
# still exports its module init functions, which Python declares visible. 4% off the
# plain-text pipeline (bench/peers.py).
DIRECT_CALL_FLAGS = ("-fno-semantic-interposition", "-fvisibility=hidden")


class OptionalBuildExt(build_ext):
    """Build the compiled modules if possible; otherwise install pure Python and say so."""

    def build_extensions(self) -> None:
        """Add the direct-call flags the compiler accepts, then build as usual."""
        flags = [flag for flag in DIRECT_CALL_FLAGS if self._accepts(flag)]
        for ext in self.extensions:
            ext.extra_compile_args = [*ext.extra_compile_args, *flags]
        super().build_extensions()

    def _accepts(self, flag: str) -> bool:
        """Whether the C compiler builds a tiny file with ``flag`` (GCC and Clang do; MSVC does not)."""
        if self.compiler.compiler_type != "unix":
            return False
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder, "flag.c")
            source.write_text("int healthvet_flag_test(void) { return 0; }\n")
            try:
                self.compiler.compile([str(source)], output_dir=folder, extra_postargs=[flag])
            except Exception:  # CompileError, or no compiler at all: build without the flag
                return False
        return True

    def run(self) -> None:
        """Compile, or on failure remove whatever was built and leave the pure modules."""
        try:
            super().run()
        except Exception as exc:  # no compiler, no headers: the pure build works the same
            _warn(exc)
            # All or nothing: each module's stub imports one shared library.
            for ext in self.extensions:
                Path(self.get_ext_fullpath(ext.name)).unlink(missing_ok=True)


def _warn(exc: Exception) -> None:
    print(f"healthvet: compiling with mypyc failed ({exc}); installing pure Python", file=sys.stderr)


def _extensions() -> list[object]:
    if os.environ.get("HEALTHVET_PURE_PYTHON"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _warn(ImportError("mypyc is not installed"))
        return []
    try:
        # The project's strict mypy settings are for development: the build environment
        # has no third-party packages, so their types are read as Any here.
        options = ["--config-file=", "--ignore-missing-imports"]
        return list(mypycify([*options, *COMPILED], opt_level="3"))
    except (Exception, SystemExit) as exc:  # mypyc exits on a type error it cannot compile
        _warn(Exception(str(exc)))
        return []


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
