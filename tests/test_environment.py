"""environment.yml (conda users) stays in step with pyproject.toml (pip users)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]


def _conda_packages() -> dict[str, SpecifierSet]:
    packages, in_deps, in_pip = {}, False, False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if re.match(r"^[a-z]", stripped):
            in_deps = stripped == "dependencies:"
            continue
        if re.match(r"^\s+- pip:$", stripped):
            in_pip = True
            continue
        m = re.match(r"^  - ([A-Za-z0-9_.-]+)\s*(.*)$", stripped)
        if m and in_deps and not in_pip:
            packages[m.group(1).lower()] = SpecifierSet(m.group(2).replace(" ", ""))
    return packages


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_every_runtime_dependency_is_in_environment_yml_with_the_same_range():
    conda = _conda_packages()
    for spec in _pyproject()["dependencies"]:
        req = Requirement(spec)
        assert req.name.lower() in conda, f"{req.name} missing from environment.yml"
        assert conda[req.name.lower()] == req.specifier, req.name


def test_environment_yml_has_nothing_pyproject_lacks():
    names = {Requirement(s).name.lower() for s in _pyproject()["dependencies"]}
    assert set(_conda_packages()) - names == {"python", "pip"}


def test_python_versions_match():
    assert _conda_packages()["python"] == SpecifierSet(_pyproject()["requires-python"])


def test_environment_installs_the_project_editable_with_dev_extra():
    text = (ROOT / "environment.yml").read_text()
    assert '-e ".[dev]"' in text
    assert "conda-forge" in text


def test_user_named_packages_are_dependencies():
    names = {Requirement(s).name.lower() for s in _pyproject()["dependencies"]}
    assert {"pandas", "matplotlib", "jupyterlab", "requests"} <= names


def test_every_dependency_range_is_pinned():
    for spec in _pyproject()["dependencies"] + _pyproject()["optional-dependencies"]["dev"]:
        req = Requirement(spec)
        ops = {s.operator for s in req.specifier}
        assert ">=" in ops and "<" in ops, f"{spec} needs a lower and an upper bound"
