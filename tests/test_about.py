"""The About page and the IPDAS v4 self-assessment: every criterion marked met points at something real."""

from __future__ import annotations

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


def test_criteria_marked_met_point_at_files_and_phrases_that_exist() -> None:
    missing = []
    for row in IPDAS[IPDAS["status"].isin(["met", "partly"])].itertuples():
        for place in str(row.where).split(";"):
            path, _, phrase = place.partition("#")
            target = ROOT / path
            if not target.is_file():
                missing.append((row.criterion_id, path, "no such file"))
            elif phrase and phrase not in target.read_text(encoding="utf-8"):
                missing.append((row.criterion_id, path, f"phrase {phrase!r} not found"))
    assert missing == []


def test_the_check_itself_catches_a_dangling_pointer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "ipdas.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "data/about.yaml#funding:", "data/about.yaml#sponsors:"
        ),
        encoding="utf-8",
    )
    row = kypho_aid.load_dataset("ipdas", data_dir=data).set_index("criterion_id").loc["C6"]
    phrase = str(row["where"]).split(";")[0].partition("#")[2]
    assert phrase not in (ROOT / "data" / "about.yaml").read_text(encoding="utf-8")


def test_not_met_criteria_say_what_is_missing() -> None:
    gaps = IPDAS[IPDAS["status"] == "not_met"]
    assert len(gaps) > 0 and gaps["note"].str.len().gt(5).all()


def test_about_discloses_funding_interests_methods_and_how_to_report() -> None:
    about = kypho_aid.load_dataset("about").iloc[0]
    assert "No one paid" in about["funding"]
    assert about["competing_interests"].startswith("None")
    assert "trials" in about["evidence_methods"] and "how sure" in about["evidence_methods"]
    assert "mistake" in about["report_an_error"]
    assert "http" not in " ".join(map(str, about.values))
