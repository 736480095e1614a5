"""Command line of fastmva: ``python -m fastmva COMMAND`` (also installed as ``fastmva``).

Commands:
  cluster  HyperSpy's cluster analysis of a file (or of the built-in examples) on fastmva
  demo     k-means on the reference example, fastmva and scikit-learn side by side
"""

import argparse
import sys


def _add_demo(subparsers):
    from . import demo

    parser = subparsers.add_parser(
        "demo",
        help="run the reference example (fastmva vs scikit-learn KMeans on a 50x20 map)",
        description=demo.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_arguments(parser)
    parser.set_defaults(run=demo.run)


def _add_cluster(subparsers):
    from .cli import cluster

    parser = subparsers.add_parser(
        "cluster",
        help="cluster a spectrum image (decomposition -> number of clusters -> cluster analysis)",
        description=cluster.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cluster.add_arguments(parser)
    parser.set_defaults(run=cluster.run)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="fastmva", description="fastmva: fast multivariate analysis on a Go core."
    )
    parser.add_argument("--version", action="store_true", help="print the versions and exit")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_cluster(subparsers)
    _add_demo(subparsers)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        import fastmva

        info = fastmva.build_info()
        print(f"fastmva {fastmva.__version__} (library {info.get('version')}, "
              f"kernels {info.get('kernels')}, {info.get('library')})")
        return 0
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
