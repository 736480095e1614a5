"""Build glue: pip builds the Go library through ./build.sh and ships it inside the package.

All metadata lives in pyproject.toml. What this file adds:

- ``build_py`` first runs ``./build.sh`` (repo root; needs Go and gcc on PATH), which writes
  python/fastmva/libfastmva.so, then collects it as package data. ``pip install -e .`` runs the
  same step, so the library is built in place next to the sources.
  ``FASTMVA_SKIP_BUILD=1`` skips build.sh when the library already exists (build.sh itself, or a
  developer who just ran it).
- ``bdist_wheel`` makes a ``py3-none-<platform>`` wheel: the Python code works on any Python 3,
  and the native library, loaded with ctypes (no CPython extension, no ABI tag), ties it to the
  platform.
- setuptools' build directory is moved to build/python/ so it never mixes with build.sh's
  build/lib/ (C artefacts that must not end up in the wheel).
"""

import os
import subprocess
import sys

from setuptools import setup
from setuptools.command.build_py import build_py as _build_py
from setuptools.dist import Distribution

try:
    from setuptools.command.bdist_wheel import bdist_wheel as _bdist_wheel
except ImportError:  # setuptools < 70.1 with the wheel package
    from wheel.bdist_wheel import bdist_wheel as _bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
LIBRARY = os.path.join(HERE, "python", "fastmva", "libfastmva.so")


def build_library():
    if os.environ.get("FASTMVA_SKIP_BUILD") == "1" and os.path.isfile(LIBRARY):
        print(f"FASTMVA_SKIP_BUILD=1: using the existing {LIBRARY}")
        return
    script = os.path.join(HERE, "build.sh")
    if not os.path.isfile(script):
        if os.path.isfile(LIBRARY):
            return  # e.g. an sdist that ships a prebuilt library
        sys.exit(f"fastmva: {script} not found and no prebuilt {LIBRARY}: cannot build the library")
    print("fastmva: building libfastmva with ./build.sh", flush=True)
    try:
        subprocess.run(["bash", script, "build"], cwd=HERE, check=True)
    except subprocess.CalledProcessError as exc:
        sys.exit(
            f"fastmva: ./build.sh failed (exit {exc.returncode}); it needs Go (>= the version in "
            "go.mod) and gcc on PATH"
        )
    if not os.path.isfile(LIBRARY):
        sys.exit(f"fastmva: ./build.sh succeeded but {LIBRARY} is missing")


class build_py(_build_py):
    def run(self):
        build_library()
        # package_data globs are evaluated lazily; drop any list computed before the library
        # existed so the .so is collected.
        self.__dict__.pop("data_files", None)
        super().run()


class BinaryDistribution(Distribution):
    """Says the package is not pure so the files land at the wheel's root (platlib), not under
    fastmva-X.data/purelib/."""

    def has_ext_modules(self):
        return True


class bdist_wheel(_bdist_wheel):
    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False  # a platform wheel: it carries libfastmva.so

    def get_tag(self):
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(
    distclass=BinaryDistribution,
    cmdclass={"build_py": build_py, "bdist_wheel": bdist_wheel},
    options={"build": {"build_base": os.path.join("build", "python")}},
)
