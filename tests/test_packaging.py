"""One lock for everyone: pyproject, constraints.txt, environment.yml, Makefile and CI agree."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from .conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCK = {
    canonicalize_name(name): version
    for name, version in re.findall(
        r"^([A-Za-z0-9_.-]+)==(\S+)$", (ROOT / "constraints.txt").read_text(), re.M
    )
}
ENVIRONMENT = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def _requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    found = [Requirement(r) for r in project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        found += [Requirement(r) for r in extra if not r.startswith("kypho-aid")]
    return found


def test_every_dependency_is_locked_at_an_allowed_version() -> None:
    for requirement in _requirements():
        name = canonicalize_name(requirement.name)
        assert name in LOCK, f"{name} is not in constraints.txt; run make lock"
        assert requirement.specifier.contains(LOCK[name], prereleases=True), (
            name,
            LOCK[name],
            requirement.specifier,
        )


def test_lock_pins_exact_versions_only() -> None:
    lines = [
        ln
        for ln in (ROOT / "constraints.txt").read_text().splitlines()
        if ln and not ln.startswith("#")
    ]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==\S+", ln) for ln in lines)
    assert len(lines) == len(LOCK)


def test_environment_yml_agrees_with_pyproject() -> None:
    assert ENVIRONMENT["name"] == "kypho-aid"
    assert ENVIRONMENT["channels"] == ["conda-forge"]
    deps = ENVIRONMENT["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python="))
    version = python.split("=", 1)[1]
    assert SpecifierSet(PYPROJECT["project"]["requires-python"]).contains(version + ".0")
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert pip == ["-c constraints.txt", "-e .[dev]"]
    assert "dev" in PYPROJECT["project"]["optional-dependencies"]
    # conda must not install a second copy of anything pip pins (it would differ from the lock)
    assert [d for d in deps if isinstance(d, str)] == [python, "pip"]


def test_makefile_and_ci_use_the_lock_and_the_readme_command() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "LOCK := constraints.txt" in makefile and '-c $(LOCK) -e ".[dev]"' in makefile
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make lab" in readme
    assert "--nbval-lax" not in makefile + ci


def test_running_python_is_the_locked_python_version() -> None:
    assert sys.version_info >= (3, 11)


@pytest.mark.skipif(
    not os.environ.get("CI") and not os.environ.get("KYPHO_AID_SLOW"), reason="builds a wheel"
)
def test_wheel_carries_the_knowledge_base(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(tmp_path.glob("kypho_aid-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "site")
    assert (
        "kypho_aid/_data/sources.csv" in names and "kypho_aid/_data/outcomes.schema.yaml" in names
    )
    assert "kypho_aid/templates/handout.html.j2" in names  # HTML comes from these
    assert "kypho_aid/plotting/drawings.py" in names
    # Outside a checkout, the installed copy is found, is valid and renders from its templates.
    code = (
        "import kypho_aid; print(kypho_aid.data_dir().name, len(kypho_aid.validate()), "
        "'<table' in kypho_aid.compare().to_html())"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    env.pop("KYPHO_AID_DATA", None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["_data", "0", "True"]
