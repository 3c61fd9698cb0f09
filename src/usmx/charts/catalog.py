"""Every publication chart, listed once: its id (the file name of its exports), the
function that computes it as data (``usmx.charts.spec``), the processed tables that
function reads with its default choices (it is given those and no others, so the list
cannot fall behind the code; the report reruns a chart when one of them changes) and, for
a chart drawn by country, the group of data/raw/countries.csv whose studied countries it
may show. A chart given a choice of years is also given the tables whose years bound that
choice (:data:`YEAR_TABLES`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from usmx.analysis.processed import ProcessedTables
from usmx.charts import child_charts, funding_charts, monthly_chart
from usmx.charts.draw import draw
from usmx.charts.page import ChartFigure
from usmx.charts.spec import ChartSpec


@dataclass(frozen=True)
class Chart:
    id: str
    make: Callable[..., ChartSpec]
    reads: tuple[str, ...]
    country_group: str | None = None  # None: every studied country (charts by country)

    def spec(self, record: ProcessedTables, *args, **options) -> ChartSpec:
        """The chart as data, from the tables it reads (KeyError names one it reads
        without declaring it)."""
        chosen = inspect.signature(self.make).bind(record, *args, **options).arguments
        years = any(chosen.get(name) is not None for name in ("first", "last"))
        return self.make(_Declared(record, self, years), *args, **options)

    def __call__(self, record: ProcessedTables, *args, **options) -> ChartFigure:
        """The chart drawn, in the language of the block (usmx.charts.i18n)."""
        return draw(self.spec(record, *args, **options))

    @property
    def options(self) -> set[str]:
        """The choices it honours: 'years' and 'countries' (read from its signature)."""
        names = set(inspect.signature(self.make).parameters)
        return ({"years"} if {"first", "last"} <= names else set()) | (
            {"countries"} if "countries" in names else set())


class _Declared(dict):
    """The tables a chart declared, and a KeyError naming any other it asks for."""

    def __init__(self, record: ProcessedTables, chart: Chart, years: bool):
        self.names = (*chart.reads, *(YEAR_TABLES if years else ()))
        super().__init__((name, record[name]) for name in self.names)
        self.chart = chart

    def __missing__(self, name: str):
        raise KeyError(f"chart {self.chart.id} reads table {name!r} but does not declare "
                       f"it in usmx.charts.catalog (given: {self.names})")


# The tables whose years bound a choice of years (analysis.views.covered_years).
YEAR_TABLES = ("funding_series_by_fy", "child_deportations_by_year",
               "deportations_all_ages_by_year")
_EVERY = ("countries", "sources_processed")  # names and colours; the sources registry
_MONEY = ("funding_series_by_fy", "merida_mexico_by_fy", "mexico_funding_by_fy")
_CHILDREN = ("child_deportations_by_year", "events")
CATALOG = (
    Chart("merida-by-account", funding_charts.merida_by_account_spec,
          reads=(*_EVERY, *_MONEY)),
    Chart("child-deportations", child_charts.child_deportations_spec,
          reads=(*_EVERY, *_CHILDREN, "deportations_all_ages_by_year"),
          country_group="central_america"),
    Chart("funding-vs-child-deportations", funding_charts.funding_vs_child_deportations_spec,
          reads=(*_EVERY, *_MONEY, *_CHILDREN), country_group="central_america"),
    Chart("uac-apprehensions", child_charts.uac_apprehensions_spec,
          reads=(*_EVERY, *_CHILDREN, "deportations_all_ages_by_year", "conflicts")),
    Chart("mexico-child-returns", monthly_chart.mexico_child_returns_spec,
          reads=(*_EVERY, "events", "deportations_monthly"),
          country_group="central_america"),
    Chart("mexico-vs-us", child_charts.mexico_vs_us_spec,
          reads=(*_EVERY, *_CHILDREN, "deportations_all_ages_by_year")),
)
CHARTS = {chart.id: chart for chart in CATALOG}
