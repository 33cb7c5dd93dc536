"""Write the broken-data corpus under tests/broken_data/ from the current data/.

Usage
-----
    python tools/make_broken_data.py

Each case is a folder holding the files that differ from data/ (the test lays them over a
copy of data/) and ``expected.txt``: the ``file:row:column`` the validator must report,
followed by the whole message for the cases in ``MESSAGES``. The row is found here by plain
text search, independently of the validator. Re-run after
changing a table that a case copies; add a case for every new table or rule.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CORPUS = ROOT / "tests" / "broken_data"

Edit = Callable[[list[str]], tuple[list[str], int]]


def _find(lines: list[str], needle: str) -> int:
    for index, line in enumerate(lines):
        if needle in line:
            return index
    raise SystemExit(f"text {needle!r} not found; update the case")


def replace_in_row(needle: str, old: str, new: str) -> Edit:
    """Replace ``old`` by ``new`` on the first line containing ``needle``."""

    def edit(lines: list[str]) -> tuple[list[str], int]:
        index = _find(lines, needle)
        if old not in lines[index]:
            raise SystemExit(f"{old!r} not on the line with {needle!r}")
        lines[index] = lines[index].replace(old, new, 1)
        return lines, index + 1

    return edit


def csv_cell(needle: str, column: str, value: str) -> Edit:
    """Set one cell of a simple CSV row (no quoted commas before the column)."""

    def edit(lines: list[str]) -> tuple[list[str], int]:
        header = lines[0].rstrip("\n").split(",")
        index = _find(lines, needle)
        cells = lines[index].rstrip("\n").split(",")
        cells[header.index(column)] = value
        lines[index] = ",".join(cells) + "\n"
        return lines, index + 1

    return edit


def drop_column(column: str) -> Edit:
    def edit(lines: list[str]) -> tuple[list[str], int]:
        position = lines[0].rstrip("\n").split(",").index(column)
        return [
            ",".join(c for i, c in enumerate(line.rstrip("\n").split(",")) if i != position) + "\n"
            for line in lines
        ], 1

    return edit


def append_line(text: str) -> Edit:
    def edit(lines: list[str]) -> tuple[list[str], int]:
        return [*lines, text], len(lines) + 1

    return edit


def whole_file(text: str, row: int) -> Edit:
    """Replace the whole file by ``text``; the validator must report ``row``."""

    def edit(lines: list[str]) -> tuple[list[str], int]:
        return [text], row

    return edit


#: A YAML alias bomb ("billion laughs"): a few hundred bytes that expand to 10**9 values.
ALIAS_BOMB = (
    'lol1: &lol1 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"lol{n}: &lol{n} [{','.join([f'*lol{n - 1}'] * 10)}]\n" for n in range(2, 10))
)


# name: (file, edit, column, what the case shows)
CASES: dict[str, tuple[str, Edit | bytes, str, str]] = {
    "grid-answer-too-long": (
        "faq.csv",
        replace_in_row(
            "F03,Will I go home the same day?,vertebroplasty",
            "after resting for a while.",
            "after resting for a while. " + "You rest and then you go home. " * 5,
        ),
        "short_answer",
        "an option-grid answer over 35 words",
    ),
    "grid-figure-not-in-answer": (
        "faq.csv",
        replace_in_row(
            "F03,Will I go home the same day?,vertebroplasty",
            "after resting for a while.",
            "after resting for 97 minutes.",
        ),
        "short_answer",
        "an option-grid answer with a figure its cited full answer lacks",
    ),
    "missing-column": (
        "attributes.csv",
        drop_column("question"),
        "question",
        "a column of the schema is missing",
    ),
    "unknown-column": (
        "attributes.csv",
        lambda lines: (
            [lines[0].rstrip("\n") + ",notes\n", *(ln.rstrip("\n") + ",\n" for ln in lines[1:])],
            1,
        ),
        "notes",
        "a column the schema does not describe",
    ),
    "wrong-type": (
        "attributes.csv",
        csv_cell("balloon_use,", "order", "second"),
        "order",
        "text where a whole number belongs",
    ),
    "below-minimum": (
        "attributes.csv",
        csv_cell("duration,", "order", "0"),
        "order",
        "a number below the schema minimum",
    ),
    "duplicate-key": (
        "attributes.csv",
        replace_in_row("cement_volume,", "cement_volume,", "balloon_use,"),
        "attribute_id",
        "two rows share a key",
    ),
    "malformed-csv": (
        "attributes.csv",
        replace_in_row("incision,", "Cut and stitches", '"Cut and stitches'),
        "label",
        "an unclosed quote",
    ),
    "unknown-option": (
        "options.csv",
        replace_in_row("vertebroplasty,", "vertebroplasty,", "surgery,"),
        "option_id",
        "an option that does not exist",
    ),
    "empty-file": ("options.csv", b"", "option_id", "an empty file"),
    "unknown-source": (
        "warning_signs.csv",
        replace_in_row("W002", "000_64deb0008af28b59.txt", "NOBODY2099"),
        "source_ids",
        "a citation that resolves to no source",
    ),
    "fact-without-source": (
        "warning_signs.csv",
        replace_in_row("W003", "000_64deb0008af28b59.txt", ""),
        "source_ids",
        "a fact that cites nothing",
    ),
    "locators-mismatch": (
        "options.csv",
        replace_in_row(
            "non_surgical,",
            "001_3485e95ba7753f80.txt",
            "001_3485e95ba7753f80.txt;004_0c0cff220e26e4ac.txt",
        ),
        "locators",
        "two sources but one locator",
    ),
    "short-row": (
        "warning_signs.csv",
        lambda lines: ([*lines, "W999,kyphoplasty,Something\n"], len(lines) + 1),
        "meaning",
        "a row with too few fields",
    ),
    "low-above-high": (
        "preparation_recovery.csv",
        "low-above-high",
        "time_low",
        "a range whose lower end is above its upper end",
    ),
    "percent-above-100": (
        "outcomes.csv",
        replace_in_row("E042,", ",11,,,,none,%,", ",111,,,,none,%,"),
        "value",
        "a percentage above 100",
    ),
    "unknown-category": (
        "outcomes.csv",
        replace_in_row("E056,", "sham_controlled_rct", "double_blind_rct"),
        "design",
        "a study design not in the vocabulary",
    ),
    "bad-encoding": (
        "warning_signs.csv",
        "bad-encoding",
        "sign",
        "a byte that is not UTF-8 (Latin-1 é)",
    ),
    "malformed-yaml": (
        "content.yaml",
        replace_in_row("reviewed_on:", "reviewed_on: ", "reviewed_on: [2026-11-23\n"),
        "character",
        "a YAML list never closed",
    ),
    "bad-date": (
        "content.yaml",
        replace_in_row("reviewed_on:", "reviewed_on: ", "reviewed_on: 2026-13-45  # was "),
        "reviewed_on",
        "a date that does not exist",
    ),
    "malformed-schema": (
        "options.schema.yaml",
        replace_in_row("description: Name shown to patients.", "Name shown", '"Name shown'),
        "character",
        "a schema file that is not valid YAML",
    ),
    "uncited-source": (
        "sources.csv",
        append_line(
            "ORPHAN2020,rct,An uncited trial,Nobody,2020,,,,https://example.org/orphan,,\n"
        ),
        "source_id",
        "a source nothing cites",
    ),
    "finding-range-reversed": (
        "findings.csv",
        replace_in_row("SF001,", ",100,,,60,90,", ",100,,,90,60,"),
        "per_low",
        "a range of natural frequencies with its ends swapped",
    ),
    "finding-events-above-total": (
        "findings.csv",
        replace_in_row("SF022,", ",15,91,21,85,", ",150,91,21,85,"),
        "intervention_events",
        "more events in an arm than people counted in it",
    ),
    "finding-rate-above-denominator": (
        "findings.csv",
        replace_in_row("SF022,", ",100,16,25,", ",100,160,25,"),
        "intervention_per",
        "an arm's rate above the denominator (150 out of 100)",
    ),
    "finding-certainty-not-from-downgrades": (
        "findings.csv",
        replace_in_row("SF003,", ",moderate,imprecision,", ",high,imprecision,"),
        "certainty",
        "a certainty that does not follow from the design and its downgrades",
    ),
    "finding-chance-against-interval": (
        "findings.csv",
        replace_in_row("SF006,", ",unlikely_chance,", ",could_be_chance,"),
        "chance",
        "a gap called possibly chance whose interval excludes no difference",
    ),
    "consideration-unknown-attribute": (
        "considerations.csv",
        replace_in_row("quick_relief,", "pain_relief_onset", "pain_relief_start"),
        "attribute_id",
        "a consideration pointing at an attribute that does not exist",
    ),
    "screening-rule-unknown-rule": (
        "screening_rules.csv",
        replace_in_row("X001,", "X001,Q002,", "X001,Q999,"),
        "rule_id",
        "a screening rule implementing a candidacy rule that does not exist",
    ),
    "screening-rule-choice-not-in-field": (
        "screening_rules.csv",
        replace_in_row("X038,", ",cause,equals,cancer,", ",cause,equals,sunburn,"),
        "value",
        "a screening rule comparing a field with a choice it does not have",
    ),
    "screening-rule-number-test-on-choice": (
        "screening_rules.csv",
        replace_in_row("X001,", ",cause,equals,other,,", ",cause,lt,5,weeks,"),
        "test",
        "a screening rule using a number test on a field of choices",
    ),
    "screening-rule-when-value-not-boolean": (
        "screening_rules.csv",
        replace_in_row("X013,", ",hospitalised,true,", ",hospitalised,maybe,"),
        "when_values",
        "a screening rule whose condition value is not true or false",
    ),
    "quiz-answer-not-a-choice": (
        "quiz.csv",
        replace_in_row(
            "K01,", ',Balloon kyphoplasty,"In kyphoplasty', ',Kyphoplasty,"In kyphoplasty'
        ),
        "answer",
        "a quiz answer that is not among its choices",
    ),
    "nul-in-cell": (
        "warning_signs.csv",
        replace_in_row("W001", "These may be", "These\x00 may be"),
        "meaning",
        "a NUL character hidden in a cell",
    ),
    "bidi-override-in-cell": (
        "warning_signs.csv",
        replace_in_row("W003", "Back pain that is new", "Back pain that is \u202ewen"),
        "sign",
        "a right-to-left override that shows a cell in another order than it is stored",
    ),
    "yaml-alias-bomb": (
        "content.yaml",
        whole_file(ALIAS_BOMB, 2),
        "lol2",
        "a YAML alias bomb (billion laughs) that must be refused at once",
    ),
    "yaml-deep-nesting": (
        "content.yaml",
        whole_file("content_version: " + "[" * 20000 + "]" * 20000 + "\n", 1),
        "content_version",
        "YAML nested 20,000 levels deep",
    ),
    "yaml-huge-number": (
        "content.yaml",
        replace_in_row(
            "content_version:", "content_version: ", "content_version: " + "9" * 5000 + "  # was "
        ),
        "content_version",
        "a 5,000-digit number in YAML",
    ),
    "csv-huge-number": (
        "attributes.csv",
        csv_cell("balloon_use,", "order", "9" * 5000),
        "order",
        "a 5,000-digit whole number in a CSV cell",
    ),
    "schema-path-climbs-out": (
        "options.schema.yaml",
        replace_in_row("path:", "options.csv", "../../../../../../../../etc/passwd"),
        "path",
        "a schema whose data file lies outside the data folder",
    ),
    "schema-path-absolute": (
        "risks.schema.yaml",
        replace_in_row("path:", "risks.csv", "/proc/self/environ"),
        "path",
        "a schema whose data file is an absolute path elsewhere",
    ),
    "balloon-in-vertebroplasty": (
        "steps.csv",
        replace_in_row("S015,", "xray;needle;", "xray;needle;balloon;"),
        "elements",
        "a balloon drawn in a vertebroplasty step",
    ),
    "cement-vanishes": (
        "steps.csv",
        replace_in_row("S017,", "cement;cement_hardening;", ""),
        "elements",
        "a step after the injection that no longer shows the cement",
    ),
    "missing-core-attribute": (
        "attributes.csv",
        append_line("price,afterwards,Price,What does it cost?,true,99\n"),
        "core",
        "a core attribute with no facts",
    ),
    "latin1-after-quoted-comma": (
        "warning_signs.csv",
        "latin1-after-quoted-comma",
        "meaning",
        "a Latin-1 byte in the cell after a quoted cell that holds commas",
    ),
    "yaml-error-on-inner-line": (
        "glossary.yaml",
        replace_in_row(
            "  source_ids: 003_1a4094df61c33b9c.txt\n", "003_1a4094df61c33b9c.txt", "NOBODY2099"
        ),
        "source_ids",
        "a bad reference on a YAML record's inner line (not the record's first line)",
    ),
    "options-header-only": (
        "options.csv",
        lambda lines: (lines[:1], 1),
        "option_id",
        "an options table with its header and no rows (one error here, not hundreds elsewhere)",
    ),
    "faq-reworded-question": (
        "faq.csv",
        replace_in_row(
            "F01,Will it hurt? Will I be awake?,vertebroplasty,",
            "Will I be awake?",
            "Will I stay awake?",
        ),
        "question",
        "a question reworded on its middle row: the error points there, not at its last row",
    ),
    "ui-text-fill-not-listed": (
        "ui_text.csv",
        replace_in_row("sure.score,", "{score} of 4.", "{score} of {total}."),
        "fills",
        "a text that fills in a value its fills column does not list",
    ),
    "ui-text-fill-not-used": (
        "ui_text.csv",
        replace_in_row("quiz.wrong,", ",answer\n", ",answer;question\n"),
        "fills",
        "a fill listed that the text never uses",
    ),
    "ui-text-unclosed-brace": (
        "ui_text.csv",
        replace_in_row("quiz.wrong,", "{answer}.", "{answer."),
        "text",
        "a fill whose brace is never closed",
    ),
    "session-steps-duplicate-id": (
        "session_steps.csv",
        replace_in_row("4,candidacy,", "4,candidacy,", "4,compare,"),
        "step_id",
        "two session steps with one id",
    ),
    "handout-item-unknown-attribute": (
        "handout_items.csv",
        replace_in_row("attribute,sham_benefit,", "sham_benefit", "price"),
        "item_id",
        "the handout names an attribute that attributes.csv does not have",
    ),
    "handout-item-unknown-outcome": (
        "handout_items.csv",
        replace_in_row("outcome,leakage_any,", "leakage_any", "leak"),
        "item_id",
        "the handout names an outcome that outcome_definitions.csv does not have",
    ),
    "handout-item-in-wrong-section": (
        "handout_items.csv",
        replace_in_row("question,F04,", "question,F04,", "attribute,F04,7"),
        "item_id",
        "an FAQ question id filed under the attributes: checked against the section's table",
    ),
    "sham-two-right": (
        "sham_choices.csv",
        replace_in_row("c,The fake procedure", ",false,", ",true,"),
        "right",
        "two sham choices marked right",
    ),
    "sham-none-right": (
        "sham_choices.csv",
        lambda lines: (replace_in_row("b,", ",true,,", ",false,it is the reason,")(lines)[0], 2),
        "right",
        "no sham choice marked right (reported on the first choice)",
    ),
    "sham-wrong-choice-without-why": (
        "sham_choices.csv",
        replace_in_row(
            "d,",
            ",false,pain is not read from a scan: each person rates their own pain on a scale. "
            "That is why what they know about their care matters.,",
            ",false,,",
        ),
        "why_not",
        "a wrong sham choice that does not say why it is wrong",
    ),
}

#: The exact message the validator must print, for the cases that check it.
MESSAGES = {
    "ui-text-fill-not-listed": "the text fills in total but fills does not list it; add it to fills",
    "ui-text-fill-not-used": "fills lists question but the text has no {question}; use it or remove it",
    "ui-text-unclosed-brace": (
        "expected '}' before end of string; write a fill as {name} and list the name in fills"
    ),
    "session-steps-duplicate-id": "duplicate key 'compare' (first used on row 3)",
    "handout-item-unknown-attribute": (
        "unknown attribute_id 'price' for section attribute: it is not in attributes.csv"
    ),
    "handout-item-unknown-outcome": (
        "unknown outcome 'leak' for section outcome: it is not in outcome_definitions.csv"
    ),
    "handout-item-in-wrong-section": (
        "unknown attribute_id 'F04' for section attribute: it is not in attributes.csv"
    ),
    "sham-two-right": "a second choice is marked right (the first is on row 3); mark exactly one",
    "sham-none-right": "no choice is marked right; mark exactly one right as true",
    "sham-wrong-choice-without-why": "required when right is False",
    "latin1-after-quoted-comma": "not valid UTF-8 (byte 0xe9); save the file with UTF-8 encoding",
    "yaml-error-on-inner-line": "unknown source_id 'NOBODY2099': it is not in sources.csv",
    "options-header-only": "the table has a header but no rows; add its rows",
    "faq-reworded-question": "question F01 is worded differently here than on row 2; use one wording",
}


def _special(name: str, lines: list[str]) -> tuple[list[str] | bytes, int]:
    if name == "low-above-high":
        header = lines[0].rstrip("\n").split(",")
        for index, line in enumerate(lines[1:], start=1):
            cells = line.rstrip("\n").split(",")
            if len(cells) == len(header):
                low, high = header.index("time_low"), header.index("time_high")
                if cells[low] and cells[high]:
                    cells[low], cells[high] = cells[high], cells[low]
                    lines[index] = ",".join(cells) + "\n"
                    return lines, index + 1
        raise SystemExit("no simple row with a time range found")
    if name == "bad-encoding":
        index = 2
        text = "".join(lines)
        data = text.encode("utf-8")
        target = lines[index - 1]
        broken = target.replace(",", ",caf\xe9 ", 2).replace(",caf\xe9 ", ",", 1)
        return data.replace(target.encode("utf-8"), broken.encode("latin-1")), index
    if name == "latin1-after-quoted-comma":
        # Only the new byte is Latin-1: the quoted cell before it keeps its commas and its
        # UTF-8 degree signs, so the first bad byte is in the meaning column.
        index = _find(lines, "These may be signs of infection.")
        target = lines[index].encode("utf-8")
        if not target.startswith(b'W001,kyphoplasty;vertebroplasty,"A fever of'):
            raise SystemExit("W001 no longer has a quoted sign with commas; update the case")
        broken = target.replace(b"signs of infection.", b"signs of infection (caf\xe9).")
        return "".join(lines).encode("utf-8").replace(target, broken), index + 1
    raise SystemExit(name)


def main() -> int:
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    for name, (file, edit, column, note) in CASES.items():
        folder = CORPUS / name
        folder.mkdir(parents=True)
        lines = (DATA / file).read_text(encoding="utf-8").splitlines(keepends=True)
        if isinstance(edit, bytes):
            content: list[str] | bytes = edit
            row = 1
        elif isinstance(edit, str):
            content, row = _special(edit, lines)
        else:
            content, row = edit(lines)
        out = folder / file
        if isinstance(content, bytes):
            out.write_bytes(content)
        else:
            out.write_text("".join(content), encoding="utf-8")
        message = f": {MESSAGES[name]}" if name in MESSAGES else ""
        (folder / "expected.txt").write_text(
            f"{file}:{row}:{column}{message}\n# {note}\n", encoding="utf-8"
        )
    print(f"{len(CASES)} cases in {CORPUS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
