"""The preference rule and the cumulative-check arithmetic, on small hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

from usmx import schema
from usmx.domains.funding import cumulative_checks
from usmx.domains.funding_series import preferred_merida
from usmx.engine.provenance import qualifier_range, rounding_unit

DEFAULTS = dict(
    fy_start=2012, fy_end=2012, donor="USA", recipient="MEX", program="merida",
    account="TOTAL", stage="appropriated", vehicle="regular", component=pd.NA,
    amount_usd=100, qualifier="exact", as_of=pd.NA, source_id="S_A", locator="p. 1",
    confidence="high", note=pd.NA, attribution_short="A", publisher="P", document=pd.NA,
    source_kind="official", date_published="2012-01-01", url="https://example.org",
    carrier=pd.NA, originators="STATE", carrier_kind="originator",
)


def frame(*rows):
    records = []
    for i, row in enumerate(rows):
        rec = {**DEFAULTS, "figure_id": f"f{i}", **row}
        records.append(rec)
    out = pd.DataFrame.from_records(records)[schema.FUNDING.columns]
    for col in ("fy_start", "fy_end", "amount_usd"):
        out[col] = out[col].astype("Int64")
    return out


def cell(df, fy=2012, account="TOTAL"):
    m = preferred_merida(df)
    return m[(m["fiscal_year"] == fy) & (m["account"] == account)].iloc[0]


@pytest.mark.parametrize(("loser", "winner"), [
    ({"stage": "allocated"}, {"stage": "appropriated"}),
    ({"source_kind": "secondary"}, {"source_kind": "official"}),
    ({"confidence": "medium"}, {"confidence": "high"}),
    ({"qualifier": "about"}, {"qualifier": "exact"}),
    ({"date_published": "2012-01-01"}, {"date_published": "2013-06-01"}),
])
def test_rule_3_orderings(loser, winner):
    # The loser is listed first so that file order cannot decide.
    df = frame({"amount_usd": 1, **loser}, {"amount_usd": 2, **winner})
    c = cell(df)
    assert c["amount_usd"] == 2
    assert c["figure_ids"] == "f1"
    assert c["n_candidates"] == 2
    assert "rival" in c["rule"]


def test_ranking_is_lexicographic():
    """An appropriated figure from a secondary source beats an official allocation."""
    df = frame({"amount_usd": 1, "stage": "allocated"},
               {"amount_usd": 2, "source_kind": "secondary", "confidence": "medium"})
    assert cell(df)["amount_usd"] == 2


def test_tie_broken_by_figure_id():
    df = frame({"amount_usd": 5}, {"amount_usd": 7})
    assert cell(df)["figure_ids"] == "f0"


def test_low_confidence_never_fills_a_cell():
    c = cell(frame({"confidence": "low"}))
    assert c["status"] == "gap" and pd.isna(c["amount_usd"])
    assert "low" in c["note"]


def test_requests_and_components_never_fill_a_cell():
    c = cell(frame({"stage": "requested"}, {"component": "a floor"}))
    assert c["status"] == "gap"
    assert "requested" in c["note"] and "a floor" in c["note"]


def test_multi_act_year_sums_its_acts():
    df = frame({"fy_start": 2009, "fy_end": 2009, "vehicle": "regular", "amount_usd": 300},
               {"fy_start": 2009, "fy_end": 2009, "vehicle": "supplemental", "amount_usd": 420})
    c = cell(df, 2009)
    assert (c["amount_usd"], c["status"]) == (720, "derived")
    assert c["figure_ids"] == "f0;f1"


def test_multi_act_year_with_a_missing_act_is_a_gap():
    df = frame({"fy_start": 2010, "fy_end": 2010, "vehicle": "regular", "amount_usd": 210})
    c = cell(df, 2010)
    assert c["status"] == "gap"
    assert "supplemental" in c["rule"]


def test_whole_year_figure_beats_sum_of_acts():
    df = frame({"fy_start": 2009, "fy_end": 2009, "vehicle": "regular", "amount_usd": 300},
               {"fy_start": 2009, "fy_end": 2009, "vehicle": "supplemental", "amount_usd": 420},
               {"fy_start": 2009, "fy_end": 2009, "vehicle": "all", "amount_usd": 725})
    assert cell(df, 2009)["amount_usd"] == 725


def test_exhausted_act_contributes_zero_to_other_accounts():
    base = {"fy_start": 2009, "fy_end": 2009, "vehicle": "supplemental"}
    df = frame({**base, "amount_usd": 420},
               {**base, "account": "FMF", "amount_usd": 260},
               {**base, "account": "INCLE", "amount_usd": 160},
               {"fy_start": 2009, "fy_end": 2009, "account": "ESF", "amount_usd": 9})
    esf = cell(df, 2009, "ESF")
    assert (esf["amount_usd"], esf["status"]) == (9, "derived")
    assert "exhausted" in esf["rule"]


def test_act_not_exhausted_leaves_a_gap():
    base = {"fy_start": 2009, "fy_end": 2009, "vehicle": "supplemental"}
    df = frame({**base, "amount_usd": 420},
               {**base, "account": "FMF", "amount_usd": 260},
               {"fy_start": 2009, "fy_end": 2009, "account": "ESF", "amount_usd": 9})
    assert cell(df, 2009, "ESF")["status"] == "gap"


def test_zero_over_a_span_fills_each_year():
    df = frame({"fy_start": 2012, "fy_end": 2019, "account": "FMF", "vehicle": "all",
                "amount_usd": 0},
               {"fy_start": 2011, "fy_end": 2011, "account": "ESF"},  # the years: 2011-2017
               {"fy_start": 2017, "fy_end": 2017, "account": "ESF"})
    for fy in (2012, 2017):
        c = cell(df, fy, "FMF")
        assert (c["amount_usd"], c["status"]) == (0, "published")
    assert cell(df, 2011, "FMF")["status"] == "gap"


def test_nonzero_span_never_fills_a_year():
    df = frame({"fy_start": 2012, "fy_end": 2013, "vehicle": "all", "amount_usd": 500},
               {"fy_start": 2012, "fy_end": 2012, "account": "ESF"})
    assert cell(df)["status"] == "gap"


def test_derived_sum_takes_loosest_qualifier():
    df = frame({"fy_start": 2009, "fy_end": 2009, "vehicle": "regular", "amount_usd": 300},
               {"fy_start": 2009, "fy_end": 2009, "vehicle": "supplemental", "amount_usd": 420,
                "qualifier": "about", "confidence": "medium"})
    c = cell(df, 2009)
    assert (c["qualifier"], c["confidence"]) == ("about", "medium")


@pytest.mark.parametrize(("value", "unit"), [
    (2_500_000_000, 100_000_000), (1_120_000_000, 10_000_000), (2_745_900_000, 100_000),
    (49_004_000, 1_000), (7, 1), (0, 1),
])
def test_rounding_unit(value, unit):
    assert rounding_unit(value) == unit


@pytest.mark.parametrize(("value", "qualifier", "expected"), [
    (2_500_000_000, "nearly", (2_400_000_000, 2_500_000_000)),
    (2_600_000_000, "more_than", (2_600_000_000, 2_700_000_000)),
    (1_300_000_000, "about", (1_250_000_000, 1_350_000_000)),
    (1_120_000_000, "exact", (1_115_000_000, 1_125_000_000)),
    (160_000_000, "at_least", (160_000_000, None)),
    (352_000_000, "at_most", (None, 352_000_000)),
])
def test_qualifier_range(value, qualifier, expected):
    assert qualifier_range(value, qualifier) == expected


def test_cumulative_check_reads_the_data():
    """Changing an annual figure flips the check from agrees to disagrees."""
    years = [{"fy_start": fy, "fy_end": fy, "vehicle": "all", "amount_usd": 100}
             for fy in range(2011, 2014)]
    total = {"fy_start": 2011, "fy_end": 2013, "vehicle": "all", "amount_usd": 300,
             "qualifier": "about"}
    df = frame(*years, total)
    assert cumulative_checks(df, preferred_merida(df))["result"].tolist() == ["agrees"]
    years[1]["amount_usd"] = 200
    df = frame(*years, total)
    checks = cumulative_checks(df, preferred_merida(df))
    assert checks["result"].tolist() == ["disagrees"]
    assert checks["annual_sum_usd"].tolist() == [400]


def test_rule_text_is_in_the_dictionary():
    """The committed data dictionary carries every preference rule the build applies, word
    for word (a build that stopped writing them, or a rule edited without a rebuild, fails
    here)."""
    from pathlib import Path

    from usmx.build import PREFERENCE_RULES

    committed = (Path(__file__).resolve().parents[1] / "data" / "processed" /
                 "README.md").read_text(encoding="utf-8")
    flat = " ".join(committed.split())
    assert len(PREFERENCE_RULES) >= 5
    for target, rule in PREFERENCE_RULES.items():
        assert f"## Preference rule for {target}" in committed
        assert " ".join(rule.split()) in flat, target


def test_years_come_from_the_data():
    """A new year's figure adds that year's cells (nothing is cut off by a fixed range);
    multi-year spans and cumulative totals do not stretch the years."""
    df = frame({"fy_start": 2012, "fy_end": 2012},
               {"fy_start": 2019, "fy_end": 2019, "account": "ESF"},
               {"fy_start": 2008, "fy_end": 2022, "amount_usd": 3_500})
    m = preferred_merida(df)
    # the article's years (FY2008-FY2017), stretched to the data's FY2019
    assert sorted(set(m["fiscal_year"])) == list(range(2008, 2020))
    assert cell(df, 2019, "ESF")["status"] == "published"
    assert cell(df, 2015)["status"] == "gap"


def test_engine_names_the_rule_that_decided():
    from usmx.engine import preference

    rows = [{"figure_id": "a", "source_kind": "official", "confidence": "medium",
             "qualifier": "exact", "date_published": "2015"},
            {"figure_id": "b", "source_kind": "official", "confidence": "high",
             "qualifier": "about", "date_published": "2014"}]
    choice = preference.pick(rows)
    assert choice.best["figure_id"] == "b" and choice.decided_by == "higher confidence"
    assert choice.explain() == "whole-year figure; preferred over 1 rival(s): higher confidence"
    first = [preference.order("figure_id", ("a",), "a first")]
    assert preference.pick(rows, first).decided_by == "a first"
    # partial dates: a dated version of 2015 before '2015', before 2014-12-31
    dated = [dict(rows[0], figure_id=i, confidence="high", date_published=d)
             for i, d in (("x", "2014-12-31"), ("y", "2015"), ("z", "2015-03"))]
    assert [r["figure_id"] for r in preference.rank(dated)] == ["z", "y", "x"]
    parts = [{"amount_usd": 5, "qualifier": "exact", "confidence": "high", "figure_id": "p",
              "source_id": "S"},
             {"amount_usd": 7, "qualifier": "about", "confidence": "medium",
              "figure_ids": "q;r", "source_ids": "S;T"}]
    assert preference.sum_of_parts(parts, "amount_usd") == {
        "value": 12, "qualifier": "about", "confidence": "medium",
        "figure_ids": ["p", "q", "r"], "source_ids": ["S", "T"]}



def test_the_written_orderings_are_listed_from_the_rules():
    """Each standard ordering is written once, on its rule: the text that lists them is
    joined from the rules in their order, so moving or adding a rule moves or adds its
    words."""
    from usmx.engine import preference

    text = preference.describe(preference.STANDARD_RULES)
    assert text.startswith("the originator's own document, then an official reprint")
    assert "confidence high, medium, low; qualifier exact before qualified" in text
    assert text.endswith("; the latest source version first; then figure id (only to make "
                         "ties deterministic)")
    toy = preference.Rule("a toy ordering", lambda r: 0)
    moved = preference.describe((preference.HIGHER_CONFIDENCE, toy, preference.OFFICIAL_FIRST))
    assert moved == "confidence high, medium, low; a toy ordering; then official source " \
                    "before secondary"


REORDER = """
import json
from usmx.engine import preference
toy = preference.Rule("a toy ordering", lambda r: 0)
rest = [rule for rule in preference.STANDARD_RULES if rule is not preference.LATEST_FIRST]
preference.STANDARD_RULES = (preference.LATEST_FIRST, toy, *rest)
from usmx.build import PREFERENCE_RULES
print(json.dumps([preference.describe(preference.STANDARD_RULES), PREFERENCE_RULES]))
"""


def test_the_data_dictionary_follows_a_reordered_rule_list():
    """With the standard rules reordered and one added (before the domains are imported),
    the written rules of the data dictionary list them in the new order, with no other
    edit."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    import usmx
    from usmx.engine import preference

    env = {"PYTHONPATH": str(Path(usmx.__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", REORDER], capture_output=True, text=True,
                          env=env, check=True)
    moved, rules = json.loads(done.stdout)
    assert moved.startswith("the latest source version first; a toy ordering; the "
                            "originator's own document")
    before = preference.describe(preference.STANDARD_RULES)
    for target in ("`funding_series_by_fy.csv`",
                   "`child_deportations_by_year.csv` and `deportations_all_ages_by_year.csv`"):
        flat = " ".join(rules[target].split())
        assert moved in flat and before not in flat, target
