"""The kypho-aid command line.

Usage
-----
    python -m kypho_aid validate [DIR]          check the knowledge base; exit 1 on any problem
    python -m kypho_aid compare [--format md|csv|html] [--options ID ...] [--topics ID ...]
    python -m kypho_aid datasets                list the datasets with their row counts
    python -m kypho_aid snapshot [DIR]          validate, then store the loaded tables so a new
                                                kernel loads them fast (kypho_aid/snapshot.py),
                                                and the syllable counts the readability report
                                                needs (kypho_aid/grading.py)
    python -m kypho_aid handout --out FILE.html [--pdf] [--force] [--notes TEXT]
                        [--leaning ID|unsure] [--rate ID=N ...] [--sure S=yes U=no ...]
                                                write the summary handout (and FILE.pdf)
    python -m kypho_aid --version

Problems print as ``file:row:column: message``, one per line. Errors print a message, never a
traceback: exit code 1 for problems in the data (and, for ``handout``, for bad input or a file
that exists or cannot be written), 2 for a wrong command.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kypho_aid import __version__
from kypho_aid.compare import compare
from kypho_aid.datasets import (
    content_info,
    data_dir,
    list_datasets,
    load_dataset,
    validate,
    write_snapshot,
)
from kypho_aid.exceptions import DataValidationError, KyphoAidError
from kypho_aid.handout import (
    build_handout,
    count_pdf_pages,
    find_chromium,
    handout_pdf,
    write_handout,
)
from kypho_aid.readability import write_syllable_table

_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


def _pair(text: str) -> tuple[str, str]:
    """Parse ``KEY=VALUE`` (an argparse type)."""
    key, equals, value = text.partition("=")
    if not equals or not key.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), value.strip()


def _whole_number(text: str) -> int | str:
    """A ``--rate`` value as an int when written in digits (after an optional minus), else as given."""
    digits = text.removeprefix("-")
    if digits.isascii() and digits.isdigit():
        with contextlib.suppress(ValueError):  # more digits than int() reads
            return int(text)
    return text


def _printable(value: object) -> str:
    """``value`` as text any output can take: an undecodable byte in a name prints as ``\\udcff``."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def _html_file(text: str) -> Path:
    """Parse the handout's output path (an argparse type): it must end in .html or .htm."""
    path = Path(text)
    if path.suffix.lower() not in {".html", ".htm"}:
        raise argparse.ArgumentTypeError(f"must name an .html file, got {text!r}")
    return path


def _parser() -> argparse.ArgumentParser:
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

    fast = commands.add_parser(
        "snapshot",
        help="validate, then store the loaded tables (and the readability report's syllable "
        "counts) so a new kernel loads them fast",
    )
    fast.add_argument(
        "dir", nargs="?", type=Path, help="knowledge-base folder (default: the installed data/)"
    )

    sheet = commands.add_parser(
        "handout",
        help="write the summary handout to take to your care team (HTML, and PDF with --pdf)",
        description="Write the summary handout: one self-contained HTML page that prints on at "
        "most two pages. It never says which option to choose.",
    )
    sheet.add_argument(
        "--out", required=True, type=_html_file, metavar="FILE.html", help="file to write"
    )
    sheet.add_argument(
        "--pdf", action="store_true", help="also print FILE.pdf next to it (needs chromium)"
    )
    sheet.add_argument("--force", action="store_true", help="replace files that already exist")
    sheet.add_argument("--notes", default="", metavar="TEXT", help="your own notes")
    sheet.add_argument("--leaning", metavar="ID", help="the option you lean towards, or 'unsure'")
    sheet.add_argument(
        "--rate",
        nargs="+",
        action="extend",
        type=_pair,
        default=[],
        metavar="ID=N",
        help="how much a consideration matters, 0 to 4 (e.g. avoid_new_break=4)",
    )
    sheet.add_argument(
        "--sure",
        nargs="+",
        action="extend",
        type=_pair,
        default=[],
        metavar="S=yes",
        help="SURE test answers: S, U, R, E = yes or no",
    )
    return parser


def _mapping(pairs: list[tuple[str, str]], option: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    for key, value in pairs:
        if key in seen:
            raise KyphoAidError(f"{option}: {key} is given twice")
        seen[key] = value
    return seen


def _handout(args: argparse.Namespace) -> int:
    out: Path = args.out
    pdf = out.with_suffix(".pdf") if args.pdf else None
    try:
        ratings: dict[str, object] = {
            key: _whole_number(value) for key, value in _mapping(args.rate, "--rate").items()
        }
        answers: dict[str, object] = {
            key: True if value.lower() in _YES else False if value.lower() in _NO else value
            for key, value in _mapping(args.sure, "--sure").items()
        }
        document = build_handout(
            ratings=ratings or None,
            leaning=args.leaning,
            sure_answers=answers or None,
            notes=args.notes,
        )
        # check every target before writing anything
        for target in (out, pdf):
            if target is None:
                continue
            try:
                exists, folder_exists = target.exists(), target.parent.is_dir()
            except OSError as err:  # such as a name too long for the file system
                raise KyphoAidError(f"cannot write {target}: {err.strerror or err}") from err
            if exists and not args.force:
                raise KyphoAidError(f"{target} already exists; use --force to replace it")
            if not folder_exists:
                raise KyphoAidError(
                    f"cannot write {target}: the folder {target.parent} does not exist"
                )
        if pdf is not None:
            # Print from a draft first: if chromium fails, neither file is left behind and
            # running the command again is not refused.
            chromium = find_chromium()
            with tempfile.TemporaryDirectory(prefix="kypho-aid-handout-") as folder:
                draft = write_handout(Path(folder) / out.name, document)
                handout_pdf(draft, pdf, overwrite=args.force, chromium=chromium)
        write_handout(out, document, overwrite=args.force)
        print(f"wrote {_printable(out)}")
        if pdf is not None:
            pages = count_pdf_pages(pdf)
            print(f"wrote {_printable(pdf)} ({pages} page{'s' if pages != 1 else ''})")
    except DataValidationError:
        raise
    except KyphoAidError as err:
        print(f"kypho-aid: error: {err}", file=sys.stderr)
        return 1
    return 0


def _validate(folder: Path | None) -> int:
    problems = validate(folder)
    for problem in problems:
        print(_printable(problem))
    shown = folder if folder is not None else data_dir()
    if problems:
        print(f"{len(problems)} problem(s) in {shown}", file=sys.stderr)
        return 1
    print(f"{_printable(shown)}: {len(list_datasets(folder))} datasets, no problems")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "handout":
            return _handout(args)
        if args.command == "validate":
            return _validate(args.dir)
        if args.command == "snapshot":
            written = write_snapshot(args.dir)
            count = len(list_datasets(args.dir))
            print(f"wrote {_printable(written)} ({count} datasets)")
            try:
                syllables = write_syllable_table(args.dir)
            except ImportError:  # textstat comes with the test extra; the report needs it
                print("no syllable table: textstat is not installed")
            else:
                print(f"wrote {_printable(syllables)} (syllable counts for the readability report)")
            return 0
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
