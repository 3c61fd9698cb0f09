"""Each verdict is asserted, and the logic really reads the data: changing an underlying
figure in a scratch copy changes the verdict where it should."""

from __future__ import annotations

import csv
import io

import pytest

from usmx import build, schema
from usmx.cli import main
from usmx.engine import snapshots
from usmx.paths import project_paths
from usmx.publish import docs


@pytest.fixture(scope="module")
def verdicts(repo_module):
    record = build.build_tables(repo_module)
    return record["claims"].set_index("claim_id")


EXPECTED = {
    "merida_112m": "not_traceable",
    "inl_86m": "supported_with_caveats",
    "total_3b": "overstated",
    "children_40k": "supported_with_caveats",
    "mexico_overtakes_2015": "contradicted",
    "removals_2m": "supported",
    "asylum_1185pct": "overstated",
    "southern_border_program": "supported",
    "indigenous_youths": "contradicted",
}


@pytest.mark.parametrize(("claim_id", "verdict"), EXPECTED.items())
def test_verdict(verdicts, claim_id, verdict):
    assert verdicts.loc[claim_id, "verdict"] == verdict


def test_every_claim_has_a_verdict_and_reason(verdicts):
    assert set(verdicts.index) == set(EXPECTED)
    assert verdicts["verdict"].isin(list(schema.VERDICTS)).all()
    assert (verdicts["reason"].str.len() > 60).all()


def test_reasons_and_printed_figures_read_cleanly(verdicts):
    """Sentences a reader sees in the README and the claims table: no stray punctuation
    (a reason once ended "1,993),."), one full stop at the end, and percentages printed
    one way ("+791%", "+1,185%")."""
    import re

    for claim_id, reason in verdicts["reason"].items():
        assert reason.endswith(".") and not reason.endswith(".."), claim_id
        assert not re.search(r",\.|\.\.|\s[,.;)]|\(\s|\s{2}", reason), (claim_id, reason)
    for column in ("figure_printed", "record_figure", "label"):
        for claim_id, text in verdicts[column].dropna().items():
            assert not re.search(r"\d\s%", text), (claim_id, column, text)


def test_processed_claims_hold_data_only(verdicts):
    """No column points into a notebook: the README and the report link the sections."""
    assert not any(verdicts[col].astype("str").str.contains(".ipynb", regex=False).any()
                   for col in verdicts.columns)


def test_record_figures_come_from_the_tables(verdicts):
    assert verdicts.loc["removals_2m", "record_value"] == 2_749_854
    assert verdicts.loc["total_3b", "record_value"] == 2_500_000_000 - 400_000_000
    assert verdicts.loc["asylum_1185pct", "record_value"] == 791
    assert "1,185.8%" in verdicts.loc["asylum_1185pct", "reason"]
    assert "2015" in verdicts.loc["mexico_overtakes_2015", "reason"]
    assert "apprehensions" in verdicts.loc["mexico_overtakes_2015", "reason"]
    assert "36,606" in verdicts.loc["children_40k", "reason"]
    assert "released" in verdicts.loc["indigenous_youths", "reason"]


def _edit(path, figure_id, column, value, key="figure_id"):
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    hit = [r for r in rows if r[key] == figure_id]
    assert hit, figure_id
    hit[0][column] = value
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    snapshots.record(project_paths(next(q.parent for q in path.parents if q.name == "data")))


def _verdict(paths, claim_id):
    return build.build_tables(paths)["claims"].set_index("claim_id").loc[claim_id, "verdict"]


def test_removals_verdict_follows_the_figure(scratch):
    _edit(scratch.deportations_raw, "dhs_removals_obama_2009_2015", "value", "2100000")
    assert _verdict(scratch, "removals_2m") == "supported_with_caveats"
    _edit(scratch.deportations_raw, "dhs_removals_obama_2009_2015", "value", "1900000")
    assert _verdict(scratch, "removals_2m") == "overstated"


def test_merida_112m_becomes_traceable_when_a_figure_exists(scratch):
    _edit(scratch.funding_raw, "mx_fy2012_total", "amount_usd", "112000000")
    assert _verdict(scratch, "merida_112m") == "supported"


def test_total_3b_follows_the_cumulative_total(scratch):
    _edit(scratch.funding_raw, "mx_fy2008_2015_cum_crs_2016", "amount_usd", "3400000000")
    _edit(scratch.funding_raw, "mx_fy2008_2015_cum_crs_2016", "qualifier", "exact")
    assert _verdict(scratch, "total_3b") == "supported"


def test_asylum_verdict_follows_the_us_figures(scratch):
    # Had US applications (cases) gone from 1,132 to 13,313 (+1,076 %), the claim would
    # hold within the 10 % the rule allows.
    asylum = scratch.raw / "snapshots" / "unhcr_asylum" / "2026-11-29.csv"
    _edit(asylum, "unhcr_asylum_usa_gtm_2014_nc", "value", "7800")
    assert _verdict(scratch, "asylum_1185pct") == "supported"


def test_overtake_verdict_follows_the_deportation_series(scratch):
    # Without Mexico's 2014 counts of minors returned (all nationalities, and the three
    # countries), only later years are compared, so the record no longer shows Mexico ahead
    # before 2015.
    _edit(scratch.deportations_raw, "mx_dev_minor_2014", "confidence", "low")
    _edit(scratch.deportations_raw, "crs_segob_2014_ntca_minor", "confidence", "low")
    assert _verdict(scratch, "mexico_overtakes_2015") == "not_traceable"


def test_indigenous_youths_supported_if_a_deportation_were_recorded(scratch):
    rows = scratch.events_raw.read_text(encoding="utf-8").splitlines()
    rows = [r for r in rows if not r.startswith("tzeltal_released")]
    rows.append("tzeltal_deported,2015-09-12,MEX,deportation_order,tzeltal_case,"
                "A hypothetical deportation,ELSIGLO_2016_CNDH,para. 3,medium,")
    scratch.events_raw.write_text("\n".join(rows) + "\n", encoding="utf-8")
    snapshots.record(scratch)
    assert _verdict(scratch, "indigenous_youths") == "supported"


def test_readme_section_is_generated(repo_module, verdicts):
    """The committed README's generated section is what `python -m usmx docs` writes; the
    notebook has a heading whose anchor is each claim id."""
    text = (repo_module.root / "README.md").read_text(encoding="utf-8")
    record = build.build_tables(project_paths(repo_module.root))
    assert docs.update_readme(text, record["claims"]) == text, "run `python -m usmx docs`"
    notebook = (repo_module.root / docs.NOTEBOOK).read_text(encoding="utf-8")
    for claim_id in EXPECTED:
        assert f"04-claims-check.ipynb#{claim_id}" in text
        assert f"## {claim_id}\\n" in notebook


def test_build_leaves_the_readme_alone_and_docs_updates_it(scratch):
    readme = scratch.root / "README.md"
    readme.write_text("# A project\n", encoding="utf-8")
    assert main(["--root", str(scratch.root), "build"]) == 0
    assert readme.read_text(encoding="utf-8") == "# A project\n"
    assert main(["--root", str(scratch.root), "docs"]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# A project\n") and docs.README_START in text
    assert "**Verdict:" not in text and "- Verdict: **" in text


def test_claims_without_an_evaluator_are_rejected(scratch, capsys):
    from usmx.cli import main

    _edit(scratch.claims_raw, "total_3b", "claim_id", "total_4b", key="claim_id")
    assert main(["--root", str(scratch.root), "build"]) == 2
    assert "claims.csv:4: column 'claim_id' value 'total_4b': has no evaluator" in \
        capsys.readouterr().err
