"""The building blocks of a table definition: `Field`, `Table`, and the columns several
tables share (provenance, attribution, the chosen-figure columns).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from usmx.schema.vocabulary import (
    CARRIER_KINDS,
    CONFIDENCES,
    DATE_RE,
    FY_MAX,
    FY_MIN,
    INT_RE,
    MAX_USD,
    SOURCE_ID_RE,
    SOURCE_KINDS,
    STATUSES,
)

# The pandas dtype of each field type (processed tables are read and validated with these).
PANDAS_DTYPES = {"string": "str", "integer": "Int64", "number": "Float64", "date": "str",
                 "month": "str"}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # "string" | "integer" | "date" (ISO partial date: YYYY, YYYY-MM, YYYY-MM-DD)
    description: str
    required: bool = True
    codes: Mapping[str, str] | None = None
    codes_name: str | None = None
    pattern: str | None = None
    pattern_hint: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    raw: bool = False
    foreign_keys: Mapping[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


def _fy(name: str, what: str) -> Field:
    return Field(
        name, "integer", f"{what} US fiscal year (FY N runs 1 Oct N-1 to 30 Sep N)",
        minimum=FY_MIN, maximum=FY_MAX, unit="US fiscal year",
        pattern=INT_RE, pattern_hint="a four-digit fiscal year",
    )


_AMOUNT = Field(
    "amount_usd", "integer", "The figure, in current (nominal) US dollars, as printed "
    "(millions written out in full)", unit="US dollars (nominal)", minimum=0,
    maximum=MAX_USD, pattern=INT_RE,
    pattern_hint="a whole number of US dollars: digits only, no sign, separators, decimals, "
    "currency symbols or footnote marks",
)
_SOURCE_ID = Field("source_id", "string", "The source the figure was read in "
                   "(a row of sources.csv)", pattern=SOURCE_ID_RE,
                   pattern_hint="an upper-case id such as CRS_R41349_2017_06")
_PROVENANCE = (
    _SOURCE_ID,
    Field("locator", "string", "Where in the source: table, row and column, page or "
          "paragraph"),
    Field("confidence", "string", "How sure we are of the reading", codes=CONFIDENCES,
          codes_name="confidence"),
    Field("note", "string", "What the source says around the figure, caveats, "
          "cross-checks", required=False),
)


_ATTRIBUTION = (
    Field("attribution_short", "string", "Short attribution of the source (chart footers)"),
    Field("publisher", "string", "Publisher of the source (whose figures these are)"),
    Field("originators", "string", "Whose figures the source carries (';'-separated)"),
    Field("carrier_kind", "string", "What kind of document carries them",
          codes=CARRIER_KINDS, codes_name="carrier kind"),
    Field("carrier", "string", "Who made the copy read, when not the publisher's own "
          "release", required=False),
    Field("document", "string", "Document number of the source", required=False),
    Field("source_kind", "string", "Official or secondary source", codes=SOURCE_KINDS,
          codes_name="source kind"),
    Field("date_published", "date", "Date of the source version", required=False,
          pattern=DATE_RE),
    Field("url", "string", "URL of the source"),
)



def _choice_fields(competing: str, note: str) -> tuple[Field, ...]:
    """The columns every preferred-figure table ends with: why this figure, and which."""
    return (
        Field("status", "string", "published, derived or gap", codes=STATUSES,
              codes_name="status"),
        Field("rule", "string", "The rule that chose the figure, or why there is none"),
        Field("n_candidates", "integer", competing, minimum=0, unit="count"),
        Field("figure_ids", "string", "The figure(s) used, separated by ';'", required=False),
        Field("source_ids", "string", "Their sources, separated by ';'", required=False),
        Field("note", "string", note, required=False),
        Field("other_figure_ids", "string", "The cell's other figures: rivals the rule put "
              "behind the chosen one, and those listed in the note; separated by ';'",
              required=False),
    )
