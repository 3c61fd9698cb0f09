"""Charts: assertions on the Figures themselves and on the exported files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib.text
import pandas as pd
import pytest

from usmx import schema
from usmx.analysis import processed
from usmx.charts import CHARTS, sources, theme
from usmx.charts.render import render
from usmx.charts.theme import house_style

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def t(repo_module):
    return processed.load(repo_module)


@pytest.fixture(scope="module")
def figs(t):
    return {name: make(t) for name, make in CHARTS.items()}


def texts(fig, gid_prefix=None):
    """Texts of the figure (those whose gid starts with ``gid_prefix``), top to bottom."""
    found = [obj for obj in fig.findobj(matplotlib.text.Text)
             if gid_prefix is None or (obj.get_gid() or "").startswith(gid_prefix)]
    found.sort(key=lambda o: -o.get_position()[1] if o.get_transform() == fig.transFigure
               else 0)
    return [o.get_text() for o in found]


def test_every_chart_has_title_source_line_and_credit(figs, t):
    for name, fig in figs.items():
        meta = fig.meta
        assert meta.id == name
        assert " ".join(texts(fig, "usmx-title")) == meta.title
        footer = texts(fig, "usmx-footer")
        assert footer == [meta.footer_source] and footer[0].startswith("Source: ")
        assert texts(fig, "usmx-credit") == [
            f"Notes and sources: methodology/{name}.html · {theme.CREDIT}"]
        # the source line is built from the registry: every source of the data drawn is
        # named, or counted under its originator; the manifest lists them all
        registry = t["sources_processed"].set_index("source_id")
        ids = set(sources.ids_from(meta.data))
        assert {d["source_id"] for d in meta.source_details} == ids
        names = {registry.loc[i, "attribution_short"] for i in ids}
        named = {n for n in names if n in meta.source_line}
        counted = sum(int(n) for n in re.findall(r"(\d+) others", meta.source_line))
        assert len(named) + counted >= len(names)
        for i in ids:
            if registry.loc[i, "carrier_kind"] != "originator":
                first = registry.loc[i, "originators"].split(";")[0]
                assert f"{schema.ORIGINATOR_SHORT[first]}" in meta.source_line
        assert len(meta.alt_text) > 80 and meta.description


def test_source_line_reads_originator_then_carrier(figs):
    """Written out by hand, not rebuilt by the code under test."""
    assert figs["uac-apprehensions"].meta.source_line == (
        "Source: CBP (2016); CBP (2018); CBP (2020); CBP via IOM-GDI (2025); World Bank WDI; "
        "CBP, via CUNY course copy (2015), Latino USA (2016).")


def test_source_line_rules():
    registry = pd.DataFrame({
        "source_id": ["OWN", "MPI", "A", "B", "C", "D", "TWO"],
        "attribution_short": ["CBP (2018)", "MPI (2015)", "Pew (2014)", "AP (2015)",
                              "NYT (2014)", "WaPo (2014)", "CRS IF10215 (2015)"],
        "originators": ["CBP", "MPI", "CBP", "CBP", "CBP", "CBP", "CONGRESS;INM_UPM"],
        "carrier_kind": ["originator", "research", "research", "news", "news", "news",
                         "official_reprint"],
        "url": [""] * 7,
    })
    line = sources.source_line(sources.source_entries(registry["source_id"], registry))
    # own documents first, alphabetically; a research body's own report named once;
    # past three carriers the rest are counted; two originators are both named
    assert line == ("Source: CBP (2018); MPI (2015); CBP, via AP (2015), NYT (2014), "
                    "2 others; US Congress, INM/UPM, via CRS IF10215 (2015).")
    with pytest.raises(KeyError, match="NOPE"):
        sources.source_entries(["NOPE"], registry)


def test_mixed_year_bases_and_units_are_noted(figs):
    """The notes a mix of year bases or units needs are the chart's notes (on its
    methodology page and in its manifest entry), not drawn in the image."""
    for fig in figs.values():
        data = fig.meta.data
        notes = " ".join(fig.meta.notes)
        if "year_basis" in data and data["year_basis"].dropna().nunique() > 1:
            assert "fiscal years (October-September)" in notes
            assert "calendar years" in notes
        units = data["unit"].dropna() if "unit" in data else pd.Series(dtype="str")
        rates = units.str.startswith("per 100,000")
        if units[~rates].nunique() > 1:
            assert "events" in notes and "persons" in notes
        if rates.any():  # a rate divides fiscal-year counts by calendar-year population
            assert "calendar-year population" in notes
        assert not any(note[:40] in " ".join(texts(fig)) for note in fig.meta.notes)
    assert "calendar years" in " ".join(figs["child-deportations"].meta.notes)


def test_the_footer_is_two_lines_in_both_languages(figs, figs_es):
    """Who counted, and where the notes and every source are: two lines, each within the
    page, in every chart and language; every originator is named or counted."""
    for fig in [*figs.values(), *figs_es.values()]:
        lines = texts(fig, "usmx-footer") + texts(fig, "usmx-credit")
        assert len(lines) == 2, (fig.meta.id, lines)
        assert len(fig.meta.footer_source) <= theme.WRAP
        renderer = fig.canvas.get_renderer()
        for text in fig.findobj(matplotlib.text.Text):
            if text.get_gid() in ("usmx-footer", "usmx-credit"):
                assert text.get_window_extent(renderer).x1 <= fig.bbox.width


def test_the_footer_source_names_each_originator_or_counts_it(monkeypatch):
    import usmx.schema

    details = [{"attribution": f"Paper {i} (2015)", "originators": [f"X{i}"],
                "carrier_kind": "news"} for i in range(30)]
    monkeypatch.setattr(usmx.schema, "ORIGINATOR_SHORT", {
        **usmx.schema.ORIGINATOR_SHORT, **{f"X{i}": f"Body number {i}" for i in range(30)}})
    line = sources.footer_source(details, width=128)
    one = sources.footer_source(details[:1], width=128)
    assert len(line) <= 128 and line.startswith("Source: Body number 0; ")
    assert re.search(r"; (\d+) more originators; some via other documents\.$", line)
    named = line.count("Body number")
    assert named + int(re.search(r"(\d+) more originators", line)[1]) == 30
    assert one == "Source: Body number 0, via Paper 0 (2015)."


def test_funding_bars_draw_the_best_table(figs, t):
    """Every bar is the table's figure; a published zero is a rule, not a bar; requests and
    whole-account allocations are styled apart from Mérida money."""
    fig = figs["merida-by-account"]
    ax = fig.axes[0]
    bars = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    lines = {ln.get_gid(): ln for ln in ax.get_lines() if ln.get_gid()}
    best = t["mexico_funding_by_fy"]
    assert len(best) == 30 and (best["status"] != "gap").all()  # 10 years x 3 accounts
    for r in best.itertuples():
        gid = f"bar-{r.account}-{r.fiscal_year}"
        if r.amount_usd == 0:
            assert gid not in bars and f"zero-{r.account}-{r.fiscal_year}" in lines
            continue
        bar = bars[gid]
        assert bar.get_height() == pytest.approx(r.amount_usd / 1e6)
        if r.stage == "requested":
            assert bar.get_facecolor()[:3] == (1.0, 1.0, 1.0)
        elif r.scope == "account":
            assert bar.get_hatch() == "...."
        else:
            assert not bar.get_hatch()
    assert not any(g.startswith("gap-") for g in bars)  # every year has a figure
    assert best.set_index(["fiscal_year", "account"]).loc[(2016, "INCLE"), "stage"] == \
        "requested"
    notes = " ".join(fig.meta.notes)
    assert "Requests (FY2016)" in notes and "Published zeros: FMF FY2016, FMF FY2017" in notes
    assert "Dotted bars (FY2009-FY2015)" in notes


def test_one_year_is_drawn_the_same_on_every_chart(figs):
    """FY2017 (and every year) carries the same figures on both funding charts."""
    a = figs["merida-by-account"].meta.data
    b = figs["funding-vs-child-deportations"].meta.data
    b = b[b["panel"] == "US money for Mexico"]
    left = a[["fiscal_year", "account", "amount_usd", "drawn_as"]].astype(str).values.tolist()
    right = b[["year", "label", "value", "drawn_as"]].astype(str).values.tolist()
    assert sorted(left) == sorted(right)
    fy2017 = a[(a["fiscal_year"] == 2017) & a["drawn_as"].isin(["bar", "zero"])]
    assert fy2017["amount_usd"].sum() == 139_004_000


def test_funding_lines_are_obligations_and_disbursements(figs, t):
    ax = figs["merida-by-account"].axes[0]
    lines = {ln.get_gid(): ln for ln in ax.get_lines() if ln.get_gid()}
    fa = t["funding_series_by_fy"].query("series == 'foreign_assistance_totals' and "
                                         "recipient == 'MEX' and 2008 <= fiscal_year <= 2017")
    for stage in ("obligated", "disbursed"):
        want = fa[fa["stage"] == stage].sort_values("fiscal_year")["amount_usd"] / 1e6
        assert list(lines[f"line-{stage}"].get_ydata()) == pytest.approx(list(want))
    assert lines["line-obligated"].get_ydata()[2] == pytest.approx(718.08, abs=0.01)


def test_merida_outline_for_total_without_split(figs):
    bars = {p.get_gid(): p for p in figs["merida-by-account"].axes[0].patches}
    assert bars["outline-2009"].get_height() == pytest.approx(720.0)
    assert not bars["outline-2009"].get_fill()
    assert "outline-2008" not in bars  # FY2008's bar is all Mérida money already


def test_official_share_of_the_money_drawn(figs, t):
    """Issue 9's goal: at least 90 % of the funding values drawn rest on official sources."""
    kinds = t["sources_processed"].set_index("source_id")["kind"]
    drawn = figs["merida-by-account"].meta.data.dropna(subset=["amount_usd"])
    official = [all(kinds[i] == "official" for i in ids.split(";"))
                for ids in drawn["source_ids"]]
    assert sum(official) / len(official) >= 0.9


def test_child_panels_and_series(figs):
    fig = figs["child-deportations"]
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
    assert titles == ["Guatemala", "Honduras", "El Salvador", "All nationalities (own scale)",
                      "Mexican children (own scale)"]
    data = fig.meta.data
    assert set(data["panel"]) == {"Guatemala", "Honduras", "El Salvador",
                                  "All nationalities", "Mexico"}
    assert data["value"].notna().all()  # only published or derived values are drawn
    # the three countries share one scale, and the scale is said in the subtitle
    tops = {ax.get_ylim()[1] for ax in fig.axes[:3]}
    assert len(tops) == 1 and "share one scale" in fig.meta.subtitle
    # who returned the children sets the colour: Mexico vermillion, the US blue
    colors = {ln.get_label(): ln.get_color() for ax in fig.axes for ln in ax.get_lines()
              if not ln.get_label().startswith("_")}
    for label, color in colors.items():
        want = (theme.COLORS["vermillion"] if label.startswith("Returned by Mexico")
                else theme.COLORS["blue"])
        assert color == want, label
    # lines near zero have their values written
    values = {t.get_gid() for ax in fig.axes[:3] for t in ax.texts if t.get_gid()}
    assert "value-us_juvenile_air_removals-GTM-2011" in values


def test_gaps_break_lines_instead_of_dropping_to_zero(figs):
    ax = figs["uac-apprehensions"].axes[0]
    mexico = next(line for line in ax.get_lines() if line.get_label() == "Mexico")
    y = mexico.get_ydata()
    assert pd.isna(y[0])          # FY2009: no published figure for Mexico
    assert (y[~pd.isna(y)] > 0).all()


def test_funding_vs_children_has_no_dual_axis_and_marks_july_2014(figs):
    fig = figs["funding-vs-child-deportations"]
    assert len(fig.axes) == 5
    xs = {round(ax.get_xlim()[0], 3) for ax in fig.axes}
    assert len(xs) == 1                               # one shared year axis
    for ax in fig.axes:
        assert not any(a is not ax and a.bbox.bounds == ax.bbox.bounds for a in fig.axes)
        vlines = [ln for ln in ax.get_lines() if list(ln.get_xdata()) == [2014.5, 2014.5]]
        assert vlines, ax.get_title(loc="left")
    assert "Southern Border" in " ".join(texts(fig))


def _years_in(text: str) -> set[int]:
    """'Mexico higher in 2010, 2014-2016' -> {2010, 2014, 2015, 2016}."""
    years: set[int] = set()
    for start, end in re.findall(r"(\d{4})(?:-(\d{4}))?", text):
        years |= set(range(int(start), int(end or start) + 1))
    return years


def test_mexico_vs_us_headlines_are_true_of_every_year(figs):
    """Each panel's headline names the years Mexico is higher and those the US is, and the
    drawn data agree year by year (no 'overtakes' that later years undo)."""
    fig = figs["mexico-vs-us"]
    statements = texts(fig, "comparison-")
    # 2008 to the latest year a line holds (2024)
    assert statements[0] == ("Mexico higher in 2015, 2023, 2024, the US in 2010, 2014, "
                             "2016-2018, 2020-2022")
    assert statements[1] == "Mexico higher in every year compared (2014, 2016-2019)"
    data = fig.meta.data
    for text, (panel, group) in zip(statements, data.groupby("panel", sort=False),
                                    strict=True):
        for year, here in group[group["value"].notna()].groupby("year"):
            mx = here[here["side"] == "mx"].sort_values("order")["value"]
            us = here[here["side"] == "us"].sort_values("order")["value"]
            if len(mx) and len(us):
                said_higher = "Mexico higher in every year" in text or (
                    text.startswith("Mexico higher in ")
                    and int(year) in _years_in(text.split(", the US in")[0]))
                assert said_higher == (mx.iloc[0] > us.iloc[0]), (panel, year, text)
    assert "overtook" not in fig.meta.title and "unaccompanied" in fig.meta.subtitle
    assert data.loc[data["panel"] == "Children apprehended", "overtakes"].iloc[0] == 2015
    # one hue per side: Mexico vermillion, the US blue; lines within a side differ in style
    for ax in fig.axes:
        lines = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
        for line in lines:
            want = theme.COLORS["vermillion" if line.get_label().startswith("Mexico")
                                else "blue"]
            assert line.get_color() == want
        styles = [(ln.get_color(), ln.get_linestyle(), ln.get_marker()) for ln in lines]
        assert len(set(styles)) == len(styles)


def test_no_bar_is_clipped_and_no_legend_covers_data(t):
    for years in ((None, None), (2012, 2016), (2010, 2013)):
        for name, make in CHARTS.items():
            kwargs = {} if years[0] is None else dict(first=years[0], last=years[1])
            fig = make(t, **kwargs)
            with house_style():  # measured as drawn
                _assert_bars_and_legends_clear(fig, name, years)


def _assert_bars_and_legends_clear(fig, name, years) -> None:
    from usmx.charts.page import _heights_between

    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        left, right = ax.get_xlim()
        for patch in ax.patches:
            if hasattr(patch, "get_width") and patch.get_width() > 0:
                assert left <= patch.get_x() and patch.get_x() + patch.get_width() \
                    <= right, (name, years, patch.get_gid())
        legend = ax.get_legend()
        if legend is None:
            continue
        box = legend.get_window_extent(renderer)
        (x0, y0), (x1, _) = ax.transData.inverted().transform(
            [[box.x0, box.y0], [box.x1, box.y1]])
        assert all(y < y0 for y in _heights_between(ax, x0, x1)), (name, years)


def test_footer_names_the_project_and_licence_not_a_folder(figs):
    for fig in figs.values():
        credit = " ".join(texts(fig, "usmx-credit"))
        assert "usmx" in credit and "CC BY 4.0" in credit and "MIT" in credit
        assert "data/processed" not in credit


def test_chart_csv_opens_in_excel_and_datawrapper(exported):
    first, _ = exported
    raw = (first / "uac-apprehensions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel reads UTF-8
    data = pd.read_csv(first / "uac-apprehensions.csv", encoding="utf-8-sig")
    assert data.columns[0] == "panel"
    counts = data[data["panel"] == "US Border Patrol"]
    assert b"1115.0" not in raw and ",1115," in raw.decode("utf-8-sig")  # whole numbers
    assert counts["sources"].str.len().gt(0).all()
    assert "Latino USA (2016)" in set(counts["sources"])
    accents = (first / "funding-vs-child-deportations.csv").read_bytes().decode("utf-8-sig")
    assert "Carabobeño" in accents


def test_house_style_does_not_leak(t):
    import matplotlib as mpl

    before = dict(mpl.rcParams)
    CHARTS["uac-apprehensions"](t)
    assert dict(mpl.rcParams) == before


@pytest.fixture(scope="module")
def exported(t, tmp_path_factory):
    from usmx.charts import export

    a, b = tmp_path_factory.mktemp("a"), tmp_path_factory.mktemp("b")
    export(t, outdir=a)  # both languages: English here, Spanish in es/
    export(t, outdir=b)
    return a, b


def test_exports_exist_and_are_byte_identical(exported):
    a, b = exported
    names = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    for chart in CHARTS:
        for ext in ("svg", "pdf", "png", "csv"):
            assert f"es/{chart}.{ext}" in names
            assert f"{chart}.{ext}" in names
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_svg_keeps_text_as_text(exported, figs):
    a, _ = exported
    for name, fig in figs.items():
        svg = (a / f"{name}.svg").read_text(encoding="utf-8")
        assert "<text" in svg
        assert fig.meta.title.split(",")[0] in svg
        assert "Source: " in svg


def test_pdf_embeds_truetype_and_png_is_200_dpi(exported):
    a, _ = exported
    pdf = (a / "merida-by-account.pdf").read_bytes()
    assert b"/FontFile2" in pdf            # embedded TrueType (Type 42), editable text
    assert b"/CreationDate" not in pdf     # no timestamp: identical bytes run to run
    from PIL import Image

    with Image.open(a / "merida-by-account.png") as img:
        assert img.info["dpi"][0] == pytest.approx(200, abs=1)
        assert img.width == 1500
        assert img.text["Title"].startswith("US money for Mexico")


def test_manifest_and_data_files(exported, figs):
    a, _ = exported
    manifest = json.loads((a / "manifest.json").read_text())
    assert [m["id"] for m in manifest] == list(CHARTS)
    for entry in manifest:
        assert entry["alt_text"] and entry["sources"] and entry["source_line"]
        data = pd.read_csv(a / entry["files"]["csv"])
        assert len(data) == len(figs[entry["id"]].meta.data)


def test_render_in_notebooks_shows_png_with_alt_text(figs):
    bundle, metadata = figs["uac-apprehensions"]._repr_mimebundle_()
    assert bundle["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert re.search("unaccompanied children", bundle["text/plain"])
    assert metadata == {"image/png": {"width": 825}}  # 7.5 in at screen size


def test_render_svg_metadata(figs):
    svg = render(figs["uac-apprehensions"], "svg", figs["uac-apprehensions"].meta).decode()
    assert "<dc:title>Unaccompanied children apprehended" in svg


def test_uac_rates_panel_draws_the_table_rates(figs, t):
    fig = figs["uac-apprehensions"]
    data = fig.meta.data
    rates = data[data["panel"].str.startswith("Per 100,000")]
    c = t["child_deportations_by_year"].set_index(["series", "year", "nationality"])
    gtm = rates[(rates["nationality"] == "GTM") & (rates["year"] == 2014)].iloc[0]
    assert gtm["value"] == c.loc[("us_uac_apprehensions", 2014, "GTM"), "per_100k_children"]
    assert gtm["value"] == pytest.approx(303.6)  # 17,057 children / 5.6 million aged 0-14
    assert "wdi24206_pop0014_gtm_2014" in gtm["figure_ids"]
    assert set(rates["nationality"]) == {"GTM", "HND", "SLV", "MEX"}  # no rate for "all"
    assert "World Bank WDI" in fig.meta.source_line
    assert any("calendar-year population" in n for n in fig.meta.notes)
    lower = fig.axes[1]
    assert {ln.get_label() for ln in lower.get_lines() if not ln.get_label().startswith("_")
            } >= {"Guatemala", "Honduras", "El Salvador", "Mexico"}


# -- parameters that work everywhere ----------------------------------------------------

@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(only=["nope"]), "unknown chart id ['nope']"),
    (dict(years="2016-2012"), "first year 2016 is after last year 2012"),
    (dict(years="1990-2012"), "the data cover 2005-"),
    (dict(years="2012"), "years must be a range such as 2010-2016"),
    (dict(countries="GTM,XXX"), "unknown country ['XXX']"),
    (dict(only="mexico-vs-us", countries="GTM"), "countries apply to"),
    (dict(only="uac-apprehensions", countries="GTM", formats="svg,gif"),
     "unknown format ['gif']"),
])
def test_export_refuses_bad_choices_and_writes_nothing(t, tmp_path, kwargs, message):
    from usmx.analysis.params import ParameterError
    from usmx.charts import export

    with pytest.raises(ParameterError, match=re.escape(message)):
        export(t, outdir=tmp_path, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_export_honours_years_countries_formats_and_keeps_other_entries(t, tmp_path):
    from usmx.charts import export

    export(t, only="mexico-vs-us", formats="csv", outdir=tmp_path, lang="en")
    written = export(t, only=["child-deportations", "uac-apprehensions"], years="2012-2015",
                     countries=["HND"], formats=["svg", "csv"], outdir=tmp_path, lang="en")
    names = sorted(p.name for p in written)
    assert names == ["child-deportations.csv", "child-deportations.svg", "manifest.json",
                     "uac-apprehensions.csv", "uac-apprehensions.svg"]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in manifest] == ["child-deportations", "uac-apprehensions",
                                           "mexico-vs-us"]  # catalog order, kept
    assert manifest[0]["files"] == {"svg": "child-deportations.svg",
                                    "csv": "child-deportations.csv"}
    child = pd.read_csv(tmp_path / "child-deportations.csv")
    assert child["year"].between(2012, 2015).all()
    assert set(child["panel"]) == {"Honduras", "All nationalities", "Mexico"}
    uac = pd.read_csv(tmp_path / "uac-apprehensions.csv")
    assert set(uac["nationality"]) == {"HND", "ALL"}
    assert "2012-2015" in manifest[0]["subtitle"]


def test_cli_charts_options(tmp_path, capsys):
    from usmx.cli import main

    code = main(["charts", "--only", "uac-apprehensions", "--years", "2013-2016",
                 "--countries", "GTM,MEX", "--formats", "csv", "--outdir", str(tmp_path)])
    assert code == 0
    data = pd.read_csv(tmp_path / "uac-apprehensions.csv")
    assert set(data["nationality"]) == {"GTM", "MEX", "ALL"}
    assert main(["charts", "--years", "2017-2013", "--outdir", str(tmp_path)]) == 2
    assert "first year 2017 is after last year 2013" in capsys.readouterr().err


def test_savefig_writes_what_export_writes(figs, tmp_path):
    fig = figs["uac-apprehensions"]
    fig.savefig(tmp_path / "chart.svg")
    data = (tmp_path / "chart.svg").read_bytes()
    assert data == render(fig, "svg", fig.meta)
    assert b"<text" in data or b"font-family" in data  # text kept as text


@pytest.mark.parametrize("fmt", ["pdf", "png", None])
def test_savefig_writes_to_an_open_file(figs, fmt):
    """As matplotlib's savefig does: an open binary file, the format named (PNG if not)."""
    import io

    fig = figs["uac-apprehensions"]
    buf = io.BytesIO()
    fig.savefig(buf, **({"format": fmt} if fmt else {}))
    assert buf.getvalue() == render(fig, fmt or "png", fig.meta)
    other = io.BytesIO()
    fig.savefig(other, format="png", dpi=50)  # other options: matplotlib's own drawing
    assert other.getvalue().startswith(b"\x89PNG") and len(other.getvalue()) < len(
        buf.getvalue() if fmt == "png" else render(fig, "png", fig.meta))


def test_every_notebook_passes_its_parameters_to_its_charts():
    """A chart call in a notebook passes each notebook parameter the chart accepts."""
    import ast
    import inspect

    from usmx import charts

    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        given = set()
        for cell in tagged:
            for node in ast.walk(ast.parse("".join(cell["source"]))):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    given.add(node.id)
        wants = {"first": "first_year", "last": "last_year", "countries": "countries"}
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(ast.parse("".join(cell["source"]))):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and isinstance(node.func.value, ast.Name) \
                        and node.func.value.id == "charts":
                    accepted = inspect.signature(getattr(charts, node.func.attr)).parameters
                    passed = {a.id for a in node.args if isinstance(a, ast.Name)}
                    for param, name in wants.items():
                        if param in accepted and name in given:
                            assert name in passed, f"{path.name}: {node.func.attr} ignores {name}"


# -- Spanish editions ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def figs_es(t):
    from usmx.charts import i18n

    with i18n.language("es"):
        return {name: make(t) for name, make in CHARTS.items()}


def _english_phrases():
    """Phrases of the translation table that differ in Spanish (no placeholders, two words
    or more): none may appear in a Spanish chart."""
    import csv

    from usmx.charts import i18n

    with i18n.TABLE.open(encoding="utf-8") as handle:
        return [row["en"] for row in csv.DictReader(handle)
                if row["en"] != row["es"] and "{" not in row["en"] and " " in row["en"]]


def _all_texts(fig) -> list[str]:
    meta = fig.meta
    found = [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    found += [tick.get_text() for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
              for tick in axis.get_majorticklabels()]
    found += [meta.title, meta.subtitle, meta.description, meta.alt_text, meta.source_line,
              *meta.notes]
    for column in ("panel", "label"):
        if column in meta.data.columns:
            found += [str(v) for v in meta.data[column].dropna()]
    return found


def test_every_chart_has_a_spanish_edition_with_no_english_left(figs_es, t):
    phrases = _english_phrases()
    assert len(phrases) > 100
    for name, fig in figs_es.items():
        texts_es = _all_texts(fig)
        for phrase in phrases:
            hits = [x for x in texts_es if phrase in x.replace("\n", " ")]
            assert not hits, (name, phrase, hits[:1])
        assert fig.meta.source_line.startswith("Fuente: ")
        fiscal = [x for x in texts_es if re.search(r"\bFY\d", x)]
        assert not fiscal, (name, fiscal[:2])  # the table writes US fiscal years "AF"
        assert "Gráfico:" in " ".join(texts(fig, "usmx-credit"))
    assert texts(figs_es["mexico-vs-us"], "comparison-")[0] == (
        "México más alto en 2015, 2023, 2024; EE. UU., en 2010, 2014, 2016-2018, 2020-2022")


def test_no_doubled_full_stop_in_either_language(figs, figs_es):
    """A sentence ending in an abbreviation ('EE. UU.') takes one full stop, not two."""
    from usmx.charts import i18n

    assert i18n.tr("Vermillion: Mexico; blue: the US.", "es") == \
        "Bermellón: México; azul: EE. UU."
    for edition in (figs, figs_es):
        for name, fig in edition.items():
            doubled = [x for x in _all_texts(fig) if re.search(r"(?<!\.)\.\.(?!\.)", x)]
            assert not doubled, (name, doubled[:1])


def test_a_text_without_translation_stops_the_spanish_chart(t, monkeypatch):
    from usmx.charts import i18n

    exact, templates = i18n._table("es")
    monkeypatch.setattr(i18n, "_table", lambda code: (
        {k: v for k, v in exact.items() if k != "Children apprehended"}, templates))
    with i18n.language("es"), pytest.raises(i18n.MissingTranslation,
                                            match="Children apprehended"):
        CHARTS["mexico-vs-us"](t)


def test_translation_table_rows_are_whole(tmp_path, monkeypatch):
    from usmx.charts import i18n

    bad = tmp_path / "translations.csv"
    bad.write_text("en,es,note\nChildren,,\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "TABLE", bad)
    i18n._table.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"translations\.csv:2: empty"):
            i18n.tr("Children", "es")
    finally:
        monkeypatch.undo()
        i18n._table.cache_clear()


def test_each_money_stage_has_its_own_spanish_term_everywhere():
    """The glossary rows of the translation table give each stage of the money (request,
    appropriation, allocation, obligation, disbursement) one Spanish term, no two alike;
    and every row says a stage in Spanish exactly where it says it in English (so
    'asignación' never stands for an appropriation again)."""
    import csv

    from usmx.charts import i18n

    with i18n.TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    stems = {}
    for row in rows:
        found = re.match(r"glossary: stage \(en stem: (\w+); es stem: (\w+)\)", row["note"])
        if found:
            stems[row["en"]] = found.groups()
            assert row["es"].casefold().startswith(found[2]), row
    assert set(stems) == {"request", "appropriation", "allocation", "obligation",
                          "disbursement"}
    spanish = [row["es"] for row in rows if row["en"] in stems]
    assert len(set(spanish)) == len(spanish), spanish
    assert len({es for _, es in stems.values()}) == len(stems)
    wrong = [(stage, row["en"][:60]) for row in rows for stage, (en, es) in stems.items()
             if (en in row["en"].casefold()) != (es in row["es"].casefold())]
    assert not wrong, wrong


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_text_runs_off_the_figure(t, lang):
    from usmx.charts import i18n

    with i18n.language(lang):
        for name, make in CHARTS.items():
            for kwargs in ({}, {"first": 2012, "last": 2016}):
                fig = make(t, **kwargs)
                with house_style():  # measured as drawn
                    boxes = _boxes(fig)
                width, height = fig.bbox.width, fig.bbox.height
                for text, box in boxes:
                    assert box.x0 >= -1 and box.x1 <= width + 1 and box.y0 >= -1 \
                        and box.y1 <= height + 1, (lang, name, kwargs, text.get_text()[:40])


def _boxes(fig) -> list:
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    return [(text, text.get_window_extent(renderer))
            for text in fig.findobj(matplotlib.text.Text)
            if text.get_text() and text.get_visible()]


def _value_label_clashes(fig) -> list[str]:
    """Value labels that cover one another, a data point other than their own or a tick
    label, or that a rule across the panel cuts (a label on a paper ground is not cut);
    measured in the house style, as drawn."""
    with house_style():
        return _clashes(fig)


def _clashes(fig) -> list[str]:
    renderer = fig.canvas.get_renderer()
    clashes = []

    def cover(a, b) -> bool:
        return min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5

    for ax in fig.axes:
        labels = [t for t in ax.texts if (t.get_gid() or "").startswith("value-")]
        boxes = [(t, t.get_window_extent(renderer)) for t in labels]
        for i, (one, box) in enumerate(boxes):
            clashes += [f"{one.get_gid()} covers {other.get_gid()}"
                        for other, box2 in boxes[i + 1:] if cover(box, box2)]
            clashes += [f"{one.get_gid()} covers tick {tick.get_text()}"
                        for tick in [*ax.get_xticklabels(), *ax.get_yticklabels()]
                        if tick.get_text() and cover(box, tick.get_window_extent(renderer))]
            own = ax.transData.transform(one.xy)
            for line in ax.get_lines():
                if line.get_transform() != ax.transData:  # a rule across the panel
                    x = ax.transData.transform((line.get_xdata()[0], 0))[0]
                    if box.x0 < x < box.x1 and one.get_bbox_patch() is None:
                        clashes.append(f"{one.get_gid()} is cut by a rule")
                    continue
                if line.get_marker() in (None, "None", ""):
                    continue
                r = line.get_markersize() * fig.dpi / 72 / 2
                for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
                    px, py = ax.transData.transform((x, y)) if y == y else (None, None)
                    if px is None or (abs(px - own[0]) < 0.01 and abs(py - own[1]) < 0.01):
                        continue
                    if box.x0 < px + r and px - r < box.x1 and box.y0 < py + r and \
                            py - r < box.y1:
                        clashes.append(f"{one.get_gid()} covers a point of {line.get_label()}")
    return clashes


def test_value_labels_clear_of_each_other_points_ticks_and_rules(figs, figs_es, t):
    """The editor's read: a number written beside a line near zero can be read. Checked in
    both languages, and on narrower years and fewer countries."""
    from usmx.charts import i18n

    editions = [*figs.values(), *figs_es.values(),
                CHARTS["child-deportations"](t, 2012, 2016, ("HND",))]
    with i18n.language("es"):
        editions.append(CHARTS["child-deportations"](t, 2010, 2015, ("GTM", "SLV")))
    written = 0
    for fig in editions:
        written += sum((x.get_gid() or "").startswith("value-") for ax in fig.axes
                       for x in ax.texts)
        assert not _value_label_clashes(fig), (fig.meta.id, _value_label_clashes(fig)[:3])
    assert written > 50


def _symbol(handle):
    from matplotlib.lines import Line2D

    if isinstance(handle, Line2D):
        return ("line", str(handle.get_color()), str(handle.get_linestyle()),
                str(handle.get_marker()))
    return ("patch", tuple(handle.get_facecolor()), tuple(handle.get_edgecolor()),
            handle.get_hatch(), str(handle.get_linestyle()), handle.get_fill())


def test_no_two_legend_entries_look_alike(figs, figs_es):
    """A reader tells series apart by their key: within a legend, no two labels share
    colour, line style and marker (or fill, edge and hatch)."""
    for fig in [*figs.values(), *figs_es.values()]:
        for ax in fig.axes:
            legend = ax.get_legend()
            if legend is None:
                continue
            symbols = [_symbol(h) for h in legend.legend_handles]
            labels = [t.get_text() for t in legend.get_texts()]
            seen: dict = {}
            for symbol, label in zip(symbols, labels, strict=True):
                assert symbol not in seen, (fig.meta.id, label, seen.get(symbol))
                seen[symbol] = label


def _texts_drawn(fig):
    """Every text the figure draws, with its box: tick labels only for ticks in view
    (measured in the house style, as drawn)."""
    with house_style():
        return _texts_in_view(fig)


def _texts_in_view(fig):
    fig.draw_without_rendering()  # legends and ticks take their places
    renderer = fig.canvas.get_renderer()
    hidden = set()
    for ax in fig.axes:
        for axis, (low, high) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            low, high = min(low, high), max(low, high)
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    hidden.update({id(tick.label1), id(tick.label2)})
    found = []
    for text in fig.findobj(matplotlib.text.Text):
        if id(text) in hidden or not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        if box.width > 0 and box.height > 0:
            found.append((text, box))
    return found


def test_no_text_runs_over_another(figs, figs_es, t):
    """The editor's read: no title, label, note, legend entry, value or tick label covers
    another, in either language, with the default choices or narrower ones."""
    import itertools

    from usmx.charts import i18n

    editions = [*figs.values(), *figs_es.values(),
                CHARTS["child-deportations"](t, 2012, 2016, ("HND",)),
                CHARTS["mexico-vs-us"](t, 2013, 2016),
                CHARTS["funding-vs-child-deportations"](t, 2010, 2015, ("SLV",))]
    with i18n.language("es"):
        editions += [CHARTS["child-deportations"](t, 2010, 2015, ("GTM", "SLV")),
                     CHARTS["uac-apprehensions"](t, 2012, 2017, ("HND", "MEX"))]
    for fig in editions:
        drawn = _texts_drawn(fig)
        assert len(drawn) > 20
        over = [(a.get_text()[:30], b.get_text()[:30])
                for (a, box_a), (b, box_b) in itertools.combinations(drawn, 2)
                if min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > 1
                and min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > 1]
        assert not over, (fig.meta.id, over[:3])


def test_no_rule_cuts_through_a_text(figs, figs_es, t):
    """The editor's read: a dated rule or a reference line across a panel never runs
    through the letters of a label; a label it must cross sits on a paper ground."""
    from usmx.charts import i18n

    editions = [*figs.values(), *figs_es.values(),
                CHARTS["child-deportations"](t, 2012, 2016, ("HND",)),
                CHARTS["funding-vs-child-deportations"](t, 2013, 2016, ("SLV",))]
    with i18n.language("es"):
        editions.append(CHARTS["mexico-vs-us"](t, 2013, 2016))
    cut = []
    for fig in editions:
        drawn = _texts_drawn(fig)
        for ax in fig.axes:
            rules = [ax.transData.transform((float(line.get_xdata()[0]), 0))[0]
                     for line in ax.get_lines()
                     if line.get_transform() != ax.transData and len(line.get_xdata())
                     and len(set(map(float, line.get_xdata()))) == 1]
            legend = ax.get_legend()
            grounded = {id(x) for x in legend.get_texts()} if legend is not None and \
                legend.get_frame_on() else set()  # a legend's frame is their ground
            for text, box in drawn:
                if text.axes is ax and text.get_bbox_patch() is None and \
                        id(text) not in grounded and any(
                        box.x0 + 1 < x < box.x1 - 1 and box.y0 < y1 and y0 < box.y1
                        for x in rules for y0, y1 in [(ax.bbox.y0, ax.bbox.y1)]):
                    cut.append((fig.meta.id, text.get_text()[:40]))
    assert not cut, cut[:5]


def test_numbers_in_words_carry_thousands_separators(figs, figs_es):
    """Alt text, notes and titles print 1,008.7 and 16,404, not 1008.7 or 16404."""
    bare = re.compile(r"(?<![\w,.])(\d{4,}\.\d|\d{5,})(?![\w,])")
    for fig in [*figs.values(), *figs_es.values()]:
        meta = fig.meta
        for text in (meta.title, meta.subtitle, meta.description, meta.alt_text, *meta.notes):
            assert not bare.search(text), (meta.id, bare.search(text).group(), text[:120])


def test_percentages_print_one_way_in_both_languages(figs, figs_es):
    """"+791%" and "3.6%" everywhere a chart writes (pixels and metadata), never "3.6 %"
    beside them."""
    spaced = re.compile(r"\d %")
    for fig in [*figs.values(), *figs_es.values()]:
        meta = fig.meta
        texts = [meta.title, meta.subtitle, meta.description, meta.alt_text, *meta.notes,
                 *(t.get_text() for t in fig.findobj(matplotlib.text.Text))]
        found = [text[:80] for text in texts if spaced.search(text)]
        assert not found, (meta.id, found)


def test_svg_text_names_a_fallback_of_close_metrics(figs):
    """SVG keeps text as text; a browser without DejaVu Sans falls back to fonts of close
    metrics (the same stack on every text), then to its own sans-serif."""
    svg = render(figs["uac-apprehensions"], "svg", figs["uac-apprehensions"].meta).decode()
    stacks = set(re.findall(r"font-family: ([^;\"]+)", svg))
    assert stacks == {"'DejaVu Sans', 'Verdana', 'Bitstream Vera Sans', sans-serif"}


def test_every_legend_keeps_its_entries_in_both_languages(figs, figs_es):
    """A legend is drawn from the translated spec: the Spanish edition lists as many keys
    as the English one, none empty (a key matched by its English name once came out
    empty)."""
    def keys(fig):
        return [[t.get_text() for t in ax.get_legend().get_texts()]
                for ax in fig.axes if ax.get_legend() is not None]

    for name, fig in figs.items():
        english, spanish = keys(fig), keys(figs_es[name])
        assert [len(k) for k in english] == [len(k) for k in spanish], name
        assert all(k and all(k) for k in spanish), (name, spanish)


def test_a_fiscal_year_axis_labels_fiscal_years_under_their_points(figs, figs_es):
    """A panel of US fiscal years only: its bands begin in October and its labels say FY
    (AF in Spanish), each right under the points of its year, not half a year off."""
    for fig, prefix in ((figs["uac-apprehensions"], "FY"), (figs_es["uac-apprehensions"],
                                                             "AF")):
        ax = fig.axes[-1]
        ticks = {label.get_text(): x for x, label in zip(ax.get_xticks(),
                                                          ax.get_xticklabels(), strict=True)}
        assert ticks and all(text.startswith(prefix) for text in ticks)
        points = {float(x) for line in ax.get_lines() for x in line.get_xdata()
                  if line.get_transform() == ax.transData}
        for text, x in ticks.items():
            assert x == pytest.approx(int(text[2:]) + 0.25)
            assert any(abs(x - p) < 1e-9 for p in points), text
