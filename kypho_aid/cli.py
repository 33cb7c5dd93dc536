"""The kypho-aid command line.

Usage
-----
    python -m kypho_aid validate [DIR]          check the knowledge base; exit 1 on any problem
    python -m kypho_aid compare [--format md|csv|html] [--options ID ...] [--topics ID ...]
    python -m kypho_aid datasets                list the datasets with their row counts
    python -m kypho_aid --version

Problems print as ``file:row:column: message``, one per line. Errors print a message, never a
traceback: exit code 1 for problems in the data, 2 for a wrong command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kypho_aid.compare import compare
from kypho_aid.datasets import content_info, data_dir, list_datasets, load_dataset, validate
from kypho_aid.exceptions import DataValidationError, KyphoAidError


def _parser() -> argparse.ArgumentParser:
    from kypho_aid import __version__

    parser = argparse.ArgumentParser(
        prog="python -m kypho_aid",
        description="Cited facts comparing balloon kyphoplasty, vertebroplasty and non-surgical care.",
        epilog="An educational aid, not medical advice.",
    )
    parser.add_argument("--version", action="version", version=f"kypho-aid {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("validate", help="check every data file against its schema")
    check.add_argument(
        "dir", nargs="?", type=Path, help="knowledge-base folder (default: the installed data/)"
    )

    table = commands.add_parser(
        "compare", help="print the side-by-side comparison with its sources"
    )
    table.add_argument(
        "--format", choices=("md", "csv", "html"), default="md", help="output format (default: md)"
    )
    table.add_argument(
        "--options", nargs="+", metavar="ID", help="option ids to show (default: all three)"
    )
    table.add_argument(
        "--topics", nargs="+", metavar="ID", help="topics or attribute ids to show (default: all)"
    )

    commands.add_parser("datasets", help="list the datasets and how many rows each has")
    return parser


def _validate(folder: Path | None) -> int:
    problems = validate(folder)
    for problem in problems:
        print(problem)
    shown = folder if folder is not None else data_dir()
    if problems:
        print(f"{len(problems)} problem(s) in {shown}", file=sys.stderr)
        return 1
    print(f"{shown}: {len(list_datasets(folder))} datasets, no problems")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args.dir)
        if args.command == "compare":
            table = compare(options=args.options, topics=args.topics)
            if args.format == "html":
                sys.stdout.write(table.to_html(standalone=True))
            else:
                sys.stdout.write(table.to_csv() if args.format == "csv" else table.to_markdown())
            return 0
        info = content_info()
        for name in list_datasets():
            print(f"{name:22} {len(load_dataset(name)):4d} rows")
        print(f"content version {info.version}, reviewed {info.reviewed_on.isoformat()}")
        return 0
    except DataValidationError as err:
        print(err, file=sys.stderr)
        return 1
    except KyphoAidError as err:
        print(f"kypho-aid: error: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # a bug: say so plainly instead of showing a traceback
        print(
            f"kypho-aid: internal error ({type(err).__name__}: {err}); please report it",
            file=sys.stderr,
        )
        return 3
