"""Loading: every dataset loads typed from its schema, copies are independent, nothing is written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kypho_aid
from kypho_aid import DataValidationError, UnknownDatasetError
from kypho_aid.model import Option

from .conftest import DATA, ROOT, snapshot

DATASETS = kypho_aid.list_datasets()


def test_registry_lists_every_schema_file() -> None:
    expected = sorted(p.name.removesuffix(".schema.yaml") for p in DATA.glob("*.schema.yaml"))
    assert expected == DATASETS
    assert {
        "sources",
        "options",
        "comparison",
        "outcomes",
        "risks",
        "candidacy",
        "glossary",
        "faq",
    } <= set(DATASETS)


@pytest.mark.parametrize("name", DATASETS)
def test_dataset_loads_with_schema_columns_and_types(name: str) -> None:
    frame = kypho_aid.load_dataset(name)
    codebook = kypho_aid.describe_dataset(name)
    assert list(frame.columns) == codebook["column"].tolist()
    assert len(frame) > 0
    for column, kind in zip(codebook["column"], codebook["type"], strict=True):
        dtype = frame[column].dtype
        if kind == "category":
            assert isinstance(dtype, pd.CategoricalDtype)
        elif kind == "number":
            assert dtype == "float64"
        elif kind == "integer":
            assert dtype == "Int64"
        elif kind == "boolean":
            assert dtype == "boolean"
        elif kind == "date":
            assert pd.api.types.is_datetime64_any_dtype(dtype)
        else:
            assert pd.api.types.is_string_dtype(dtype), (column, dtype)
    required = codebook.loc[codebook["required"], "column"]
    assert not frame[required].isna().any().any(), f"{name}: a required column has a gap"


@pytest.mark.parametrize("name", ["options", "comparison", "risks", "steps", "faq"])
def test_option_categories_are_in_canonical_order(name: str) -> None:
    frame = kypho_aid.load_dataset(name)
    assert list(frame["option_id"].cat.categories) == [o.value for o in Option]


def test_load_returns_independent_copies() -> None:
    first = kypho_aid.load_dataset("options")
    first.loc[0, "label"] = "changed"
    assert kypho_aid.load_dataset("options").loc[0, "label"] != "changed"


def test_unknown_name_lists_the_valid_ones() -> None:
    with pytest.raises(
        UnknownDatasetError, match=r"'risk' is not a kypho-aid dataset; use one of: .*risks"
    ):
        kypho_aid.load_dataset("risk")


@pytest.mark.parametrize("bad", ["../data/sources", "/etc/passwd", "sources.csv", "", "SOURCES"])
def test_path_like_names_are_rejected(bad: str) -> None:
    with pytest.raises(UnknownDatasetError, match="is not a kypho-aid dataset"):
        kypho_aid.load_dataset(bad)


def test_non_text_name_gets_a_clear_message() -> None:
    with pytest.raises(UnknownDatasetError, match="a dataset name is a string"):
        kypho_aid.load_dataset(pd.DataFrame())  # type: ignore[arg-type]


def test_environment_variable_overrides_the_folder(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (data_copy / "content.yaml").write_text(
        re.sub(
            r"(?m)^content_version: .*$",
            "content_version: 9.9.9",
            (data_copy / "content.yaml").read_text(encoding="utf-8"),
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("KYPHO_AID_DATA", str(data_copy))
    assert kypho_aid.data_dir() == data_copy
    assert kypho_aid.content_info().version == "9.9.9"


def test_environment_variable_pointing_nowhere_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KYPHO_AID_DATA", str(tmp_path / "missing"))
    with pytest.raises(kypho_aid.DataDirError, match="is not a folder"):
        kypho_aid.data_dir()


def test_edits_are_seen_on_the_next_load(data_copy: Path) -> None:
    before = kypho_aid.load_dataset("options", data_dir=data_copy)
    path = data_copy / "options.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Vertebroplasty,", "Vertebroplasty (PVP),", 1),
        encoding="utf-8",
    )
    after = kypho_aid.load_dataset("options", data_dir=data_copy)
    assert before.loc[1, "label"] == "Vertebroplasty"
    assert after.loc[1, "label"] == "Vertebroplasty (PVP)"


def test_loading_a_broken_table_names_file_row_and_column(data_copy: Path) -> None:
    path = data_copy / "attributes.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace(",true,2", ",maybe,2")
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        kypho_aid.load_dataset("attributes", data_dir=data_copy)
    assert [str(p).split(": ", 1)[0] for p in caught.value.problems] == [f"{path}:3:core"]
    assert "expected true or false, got 'maybe'" in str(caught.value)


def test_loading_checks_references_to_other_tables(data_copy: Path) -> None:
    path = data_copy / "options.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("001_3485e95ba7753f80.txt", "NOSUCH", 1),
        encoding="utf-8",
    )
    with pytest.raises(
        DataValidationError, match=r"options.csv:2:source_ids: unknown source_id 'NOSUCH'"
    ):
        kypho_aid.load_dataset("options", data_dir=data_copy)


def test_loading_everything_writes_nothing() -> None:
    before = snapshot(DATA)
    for name in DATASETS:
        kypho_aid.load_dataset(name)
    kypho_aid.validate()
    kypho_aid.compare().to_html()
    assert snapshot(DATA) == before


def test_import_and_loading_leave_matplotlib_and_ipywidgets_unimported() -> None:
    code = (
        "import sys, kypho_aid\n"
        "[kypho_aid.load_dataset(n) for n in kypho_aid.list_datasets()]\n"
        "kypho_aid.validate(); kypho_aid.compare().to_html()\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'matplotlib', 'ipywidgets'})\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
    # The check is only meaningful where both are installed (the locked environment).
    assert (
        subprocess.run(
            [sys.executable, "-c", "import matplotlib, ipywidgets"], check=False
        ).returncode
        == 0
    )


def test_describe_dataset_is_a_codebook() -> None:
    codebook = kypho_aid.describe_dataset("outcomes")
    assert codebook.attrs["title"] == "Quantitative outcomes from the evidence"
    row = codebook.set_index("column").loc["design"]
    assert "sham_controlled_rct" in row["allowed"] and "unblinded_rct" in row["allowed"]
    assert row["required"]


def test_content_info_carries_version_review_and_disclaimer() -> None:
    info = kypho_aid.content_info()
    assert info.version.count(".") == 2
    assert info.reviewed_on < info.next_review_due
    assert (info.next_review_due - info.reviewed_on).days <= 2 * 366, (
        "review at least every two years"
    )
    assert "not medical advice" in info.disclaimer


def test_one_reading_reads_one_version_and_edits_show_after_it(data_copy: Path) -> None:
    from kypho_aid.datasets import one_reading
    from kypho_aid.texts import ui_text

    path = data_copy / "ui_text.csv"
    with one_reading():
        before = ui_text("quiz.right", data_dir=data_copy)
        path.write_text(
            path.read_text(encoding="utf-8").replace("That's right.", "That is right.", 1),
            encoding="utf-8",
        )
        with one_reading():  # a nested block keeps the outer block's version
            assert ui_text("quiz.right", data_dir=data_copy) == before == "That's right."
        assert ui_text("quiz.right", data_dir=data_copy) == "That's right."
    assert ui_text("quiz.right", data_dir=data_copy) == "That is right."


def test_a_handout_and_the_readability_report_scan_the_data_folder_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kypho_aid import datasets, handout, readability
    from kypho_aid.texts import ui_text

    scans: list[Path] = []
    scan = datasets._scan
    monkeypatch.setattr(datasets, "_scan", lambda folder: scans.append(folder) or scan(folder))
    handout.build_handout(leaning="unsure")
    assert scans == [kypho_aid.data_dir()]
    scans.clear()
    readability.readability_report()
    assert scans == [kypho_aid.data_dir()]
    scans.clear()
    ui_text("quiz.right")
    ui_text("quiz.right")
    assert len(scans) == 2  # outside a reading, every lookup sees edits
