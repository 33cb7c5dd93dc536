"""What the notebooks show: every chart described in words, every figure equal to its source."""

from __future__ import annotations

import csv
import html
import json
import math
import re
from pathlib import Path

import pytest

import kypho_aid

from .conftest import ROOT

CHART_NOTEBOOKS = [
    "02-risks-and-benefits",
    "03-the-evidence",
    "06-teaching-deck",
    "10-the-procedures-step-by-step",
]


def _cells(name: str) -> list[dict]:  # type: ignore[type-arg]
    return json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]


def _stdout(cell: dict) -> str:  # type: ignore[type-arg]
    return "".join(
        "".join(o.get("text", "")) for o in cell.get("outputs", []) if o.get("name") == "stdout"
    )


@pytest.mark.parametrize("name", CHART_NOTEBOOKS)
def test_every_chart_has_alt_text_and_a_long_description_beside_it(name: str) -> None:
    charts = 0
    for cell in _cells(name):
        if any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            charts += 1
            printed = _stdout(cell)
            assert "Alt text: " in printed and "In words: " in printed, "".join(cell["source"])[:80]
            long = printed.split("In words: ", 1)[1]
            if not printed.startswith("Alt text: Drawing"):  # drawings of steps hold no data
                assert re.search(r"\d", long), "the long description gives the numbers"
    assert charts >= {"02": 5, "06": 8, "10": 3}.get(name[:2], 0)


def test_sentences_printed_in_notebook_02_are_the_librarys() -> None:
    sentences = set(kypho_aid.summary_of_findings()["statement"])
    printed = "\n".join(_stdout(cell) for cell in _cells("02-risks-and-benefits"))
    shown = [s for s in sentences if s in printed]
    assert len(shown) >= 10


def _rows(table_html: str) -> dict[str, list[str]]:
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table_html, flags=re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        if cells and re.fullmatch(r"E\d{3}", cells[0]):
            rows[cells[0]] = cells[1:]
    return rows


def _equal(shown: str, source: str) -> bool:
    if source.strip() == "":
        return shown in {"NaN", "<NA>", ""}
    return math.isclose(float(shown), float(source))


def test_evidence_rows_shown_in_notebook_03_equal_the_evidence_file(shared: Path) -> None:
    with (shared / "evidence" / "evidence.csv").open(encoding="utf-8") as handle:
        evidence = {row["id"]: row for row in csv.DictReader(handle)}
    cell = next(c for c in _cells("03-the-evidence") if "used = summary" in "".join(c["source"]))
    rows = _rows("".join(cell["outputs"][0]["data"]["text/html"]))
    assert len(rows) >= 20
    for outcome_id, (measure, value, value_text, low, high, unit, *_rest) in rows.items():
        source = evidence[outcome_id]
        assert measure == source["measure"] and unit == source["unit"], outcome_id
        if re.fullmatch(r"-?\d+(\.\d+)?", source["value"].strip()):
            assert _equal(value, source["value"]), (outcome_id, value, source["value"])
        else:
            assert value_text in {source["value"], "NaN"} or value_text == source["value"].strip()
        assert _equal(low, source["low"]) and _equal(high, source["high"]), outcome_id
