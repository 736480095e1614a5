"""Runs fastmva's benchmark suites: ``python -m bench [suite] [suite options]``.

    python -m bench                 every suite present (bench/<suite>/run.py), one after another
    python -m bench kmeans --quick  one suite, with its own options (``python -m bench kmeans -h``)

Each suite is a package bench/<name>/ whose run.py has ``main(argv) -> int``; ``./build.sh bench``
runs this from the repository root after building the library into the Python package.
"""

import importlib
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def suites():
    return sorted(p.parent.name for p in HERE.glob("*/run.py"))


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    available = suites()
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        print("suites:", ", ".join(available))
        return 0
    if argv and not argv[0].startswith("-"):
        name, rest = argv[0], argv[1:]
        if name not in available:
            print(f"unknown suite {name!r}; available: {', '.join(available)}", file=sys.stderr)
            return 2
        return importlib.import_module(f"bench.{name}.run").main(rest)
    status = 0
    for name in available:
        print(f"==== bench/{name}", flush=True)
        status |= importlib.import_module(f"bench.{name}.run").main(argv)
    return status


if __name__ == "__main__":
    sys.exit(main())
