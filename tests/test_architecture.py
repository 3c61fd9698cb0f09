"""The house rules a newcomer relies on: modules import only from their own stage or the
stages before it, nothing imports in a cycle (function-level imports included), no module
is longer than about 500 lines, and a new raw table and series goes in by the documented
route (a schema file, the registry, a step) and comes out validated, built and documented."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "usmx"

# The stage of every module or package, as usmx/__init__.py and ARCHITECTURE.md state it.
STAGES = {
    "usmx": 0, "usmx.paths": 0, "usmx.rawio": 0,
    "usmx.schema": 1,
    "usmx.engine": 2,
    "usmx.domains": 3,
    "usmx.analysis": 4,
    "usmx.charts": 5,
    "usmx.publish": 6,
    "usmx.build": 7, "usmx.tasks": 7, "usmx.refresh": 7,
    "usmx.cli": 8, "usmx.__main__": 8,
}
FORBIDDEN = {("usmx.analysis", "usmx.domains"), ("usmx.charts", "usmx.domains")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    """Every usmx module a file imports, at any depth (function-level imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("usmx"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists() \
                    or (PACKAGE.parent / candidate.replace(".", "/")).is_dir()
                found.add(candidate if is_module else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("usmx")}
    return found


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) - {_module_name(p)}
            for p in sorted(PACKAGE.rglob("*.py"))}


def _stage(module: str) -> tuple[str, int]:
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in STAGES:
            return key, STAGES[key]
    raise KeyError(f"{module} has no stage: add it to STAGES and to usmx/__init__.py")


def test_every_module_has_a_stage_and_imports_only_earlier_stages():
    wrong = []
    for module, deps in _graph().items():
        home, stage = _stage(module)
        for dep in deps:
            dep_home, dep_stage = _stage(dep)
            if dep_stage > stage or (home, dep_home) in FORBIDDEN:
                wrong.append(f"{module} (stage {stage}) imports {dep} (stage {dep_stage})")
    assert wrong == []


def test_analysis_and_charts_never_read_raw_tables():
    """Analysis and charts read processed tables only: none of their modules calls the
    readers of raw tables (the domains read data/raw; the article's claims too, in
    ``usmx.domains.claims``)."""
    readers = {"load_raw", "load_raw_many", "load_latest"}
    wrong = []
    for package in ("analysis", "charts"):
        for path in sorted((PACKAGE / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                name = node.attr if isinstance(node, ast.Attribute) else \
                    node.id if isinstance(node, ast.Name) else None
                if name in readers:
                    wrong.append(f"{_module_name(path)} line {node.lineno}: {name}")
    assert wrong == []


def test_no_import_cycles():
    graph = _graph()
    # resolve package imports (``from usmx import schema``) to the package's __init__
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if dep not in graph:
                continue
            if state.get(dep) == 1:
                cycles.append(" -> ".join([*trail[trail.index(dep):], dep]))
            elif dep not in state:
                visit(dep, [*trail, dep])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    # a package's __init__ re-exporting its own modules is not a cycle of modules
    real = [c for c in cycles if not all(
        part.startswith(c.split(" -> ")[0]) for part in c.split(" -> "))]
    assert real == []


def test_no_module_is_longer_than_about_500_lines():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}


def test_the_build_explains_its_steps(capsys):
    from usmx.build import PIPELINE
    from usmx.cli import main

    assert main(["build", "--explain"]) == 0
    out = capsys.readouterr().out
    for number, step in enumerate(PIPELINE, 1):
        assert f"{number:2d}. {step.name}: " in out
    assert "writes data/processed/child_deportations_by_year.csv" in out
    assert "reads  data/raw/funding.csv" in out


# -- adding a raw table and a series by the documented route -------------------------------

def test_a_new_raw_table_goes_in_by_the_documented_route(scratch, monkeypatch):
    """ARCHITECTURE.md, 'Adding a raw table': define it in a schema file, name it in the
    registry, read it in a step of its domain. Here a toy table of school enrolments: it is
    validated (a bad value names file, line, column and value), built, counted as use of its
    source, and listed in the data dictionary and the data package."""
    from usmx import build, schema
    from usmx.engine import pipeline, provenance, snapshots
    from usmx.rawio import DataError
    from usmx.schema import docs, registry

    raw = schema.Table(
        name="enrolment_raw", path="data/raw/enrolment.csv", raw=True,
        description="Toy: pupils enrolled, by country and year.", primary_key=("figure_id",),
        fields=(schema.Field("figure_id", "string", "Stable id", pattern=schema.ID_RE),
                schema.Field("country", "string", "Country", codes=schema.COUNTRIES,
                             codes_name="recipient"),
                schema.Field("year", "integer", "Calendar year", pattern=schema.INT_RE,
                             minimum=2000, maximum=2030),
                schema.Field("value", "integer", "Pupils", pattern=schema.INT_RE, minimum=0,
                             maximum=schema.MAX_COUNT),
                schema.Field("source_id", "string", "Source", pattern=schema.SOURCE_ID_RE),
                schema.Field("locator", "string", "Where"),
                schema.Field("confidence", "string", "How sure", codes=schema.CONFIDENCES,
                             codes_name="confidence")))
    processed = schema.Table(
        name="enrolment_by_year", path="data/processed/enrolment_by_year.csv",
        description="Toy: pupils enrolled, one row per country and year.",
        primary_key=("country", "year"),
        fields=(schema.Field("country", "string", "Country", codes=schema.COUNTRIES),
                schema.Field("year", "integer", "Calendar year"),
                schema.Field("value", "integer", "Pupils", minimum=0),
                schema.Field("source_id", "string", "Source")))
    monkeypatch.setattr(registry, "RAW_TABLES", (*registry.RAW_TABLES, raw))
    monkeypatch.setattr(registry, "PROCESSED_TABLES", (*registry.PROCESSED_TABLES, processed))
    for module in (schema, docs):
        monkeypatch.setattr(module, "RAW_TABLES", registry.RAW_TABLES, raising=False)
        monkeypatch.setattr(module, "PROCESSED_TABLES", registry.PROCESSED_TABLES,
                            raising=False)

    def make(ctx):
        path = ctx.paths.root / raw.path
        frame = provenance.load_raw(path, raw, raw.path, ctx.source_ids)
        out = provenance.drop_line(frame)[["country", "year", "value", "source_id"]]
        out = out.astype({"year": "Int64", "value": "Int64"})
        return {"enrolment_by_year": out.sort_values(["country", "year"], ignore_index=True)}

    step = pipeline.Step("enrolment", "toy: read pupils enrolled", make, reads=(raw,),
                         needs=("sources_raw",), makes=("enrolment_by_year",),
                         cites=("enrolment_by_year",))
    steps = list(build.PIPELINE)
    steps.insert(steps.index(next(s for s in steps if s.name == "registry")), step)
    monkeypatch.setattr(build, "PIPELINE", tuple(steps))

    path = scratch.root / raw.path
    path.write_text("figure_id,country,year,value,source_id,locator,confidence\n"
                    "enr_gtm_2015,GTM,2015,2500000,CBP_2018,table 1,high\n"
                    "enr_hnd_2015,HND,2015,1900000,CBP_2018,table 1,high\n", encoding="utf-8")
    snapshots.record(scratch)
    written = build.build(scratch)
    assert scratch.root / processed.path in written
    built = pd.read_csv(scratch.root / processed.path)
    assert list(built["value"]) == [2_500_000, 1_900_000]
    sources = pd.read_csv(scratch.processed / "sources.csv").set_index("source_id")
    before = pd.read_csv(ROOT / "data/processed/sources.csv").set_index("source_id")
    assert sources.loc["CBP_2018", "n_figures"] == before.loc["CBP_2018", "n_figures"] + 2
    dictionary = (scratch.processed / "README.md").read_text(encoding="utf-8")
    assert "## `data/raw/enrolment.csv`" in dictionary
    assert "## `data/processed/enrolment_by_year.csv`" in dictionary
    assert '"name": "enrolment-by-year"' in (scratch.processed / "datapackage.json").read_text()
    assert "enrolment: toy: read pupils enrolled" in pipeline.explain(build.PIPELINE)

    path.write_text("figure_id,country,year,value,source_id,locator,confidence\n"
                    "enr_gtm_2015,GTM,2015,-4,CBP_2018,table 1,high\n", encoding="utf-8")
    snapshots.record(scratch)
    with pytest.raises(DataError, match=r"data/raw/enrolment\.csv:2: column 'value' "
                                        r"value '-4'"):
        build.build(scratch)
