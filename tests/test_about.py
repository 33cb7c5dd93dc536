"""The About page and the IPDAS v4 self-assessment: every criterion marked met points at something real."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

import kypho_aid

from .conftest import ROOT

IPDAS = kypho_aid.load_dataset("ipdas")
EXPECTED = (
    [f"Q{i}" for i in range(1, 7)]
    + [f"C{i}" for i in range(1, 11)]
    + [f"QL{i}" for i in range(1, 29)]
)


def test_every_ipdas_v4_criterion_is_assessed() -> None:
    assert sorted(IPDAS["criterion_id"], key=EXPECTED.index) == EXPECTED
    counts = IPDAS["tier"].value_counts()
    assert (counts["qualifying"], counts["certifying"], counts["quality"]) == (6, 10, 28)


def test_every_qualifying_criterion_is_met() -> None:
    qualifying = IPDAS[IPDAS["tier"] == "qualifying"]
    assert (qualifying["status"] == "met").all()


def _dangling(ipdas: pd.DataFrame, root: Path) -> list[tuple[str, str, str]]:
    """Every pointer of a criterion marked met or partly met that leads nowhere: a file
    that does not exist under ``root``, or a phrase that file does not contain."""
    missing = []
    for row in ipdas[ipdas["status"].isin(["met", "partly"])].itertuples():
        for place in str(row.where).split(";"):
            path, _, phrase = place.partition("#")
            target = root / path
            if not target.is_file():
                missing.append((str(row.criterion_id), path, "no such file"))
            elif phrase and phrase not in target.read_text(encoding="utf-8"):
                missing.append((str(row.criterion_id), path, f"phrase {phrase!r} not found"))
    return missing


def test_criteria_marked_met_point_at_files_and_phrases_that_exist() -> None:
    assert _dangling(IPDAS, ROOT) == []


def test_the_check_itself_catches_a_dangling_pointer(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = _dangling(kypho_aid.load_dataset("ipdas", data_dir=data), tmp_path)
    path = data / "ipdas.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "data/about.yaml#funding:", "data/about.yaml#sponsors:"
        ),
        encoding="utf-8",
    )
    after = _dangling(kypho_aid.load_dataset("ipdas", data_dir=data), tmp_path)
    dangling = ("C6", "data/about.yaml", "phrase 'sponsors:' not found")
    assert dangling not in before
    assert set(after) - set(before) == {dangling}


def test_not_met_criteria_say_what_is_missing() -> None:
    gaps = IPDAS[IPDAS["status"] == "not_met"]
    assert dict(zip(gaps["criterion_id"], gaps["note"], strict=True)) == {
        "QL13": "No patients were consulted for this version.",
        "QL14": "No clinicians were consulted for this version.",
        "QL15": "Planned before the first release.",
        "QL16": "Planned before the first release.",
        "QL17": "Not yet.",
        "QL18": "Not yet.",
        "QL23": "No evaluation yet; the knowledge check and SURE test are built in as hooks "
        "for one.",
        "QL24": "No evaluation yet.",
    }
    assert (gaps["where"].isna() | (gaps["where"].astype(str) == "")).all()


def test_about_discloses_funding_interests_methods_and_how_to_report() -> None:
    about = kypho_aid.load_dataset("about").iloc[0]
    assert "No one paid" in about["funding"]
    assert about["competing_interests"].startswith("None")
    assert "trials" in about["evidence_methods"] and "how sure" in about["evidence_methods"]
    assert "mistake" in about["report_an_error"]
    assert "http" not in " ".join(map(str, about.values))
