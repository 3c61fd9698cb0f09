"""Tables of the sources registry, conflicts and unused figures (shared by every domain)."""

from __future__ import annotations

from usmx.schema.fields import _SOURCE_ID, Field, Table
from usmx.schema.vocabulary import (
    CARRIER_KINDS,
    CONFLICT_KINDS,
    DATE_RE,
    ORIGINATORS,
    SOURCE_KINDS,
)

SOURCES = Table(
    name="sources",
    path="data/raw/sources.csv",
    raw=True,
    description="The sources registry: every document a figure was read in.",
    primary_key=("source_id",),
    fields=(
        _SOURCE_ID,
        Field("title", "string", "Title of the document or page"),
        Field("publisher", "string", "Publisher and, where known, author: whose figures these "
              "are (the originating body)"),
        Field("originators", "string", "Whose counts or figures the document carries (the "
              "originating bodies), separated by ';'", pattern=r"^(" + "|".join(ORIGINATORS)
              + r")(;(" + "|".join(ORIGINATORS) + r"))*$",
              pattern_hint="one or more originator codes separated by ';' (see *originator* "
              "codes)"),
        Field("carrier_kind", "string", "What kind of document carries them", codes=CARRIER_KINDS,
              codes_name="carrier kind"),
        Field("carrier", "string", "Who made the copy that was read, when it is not the "
              "publisher's own release: a transcription or a public repository holding the "
              "data file (with its commit)", required=False),
        Field("document", "string", "Document number or series (e.g. CRS R41349, "
              "GAO-13-771, P.L. 111-32)", required=False),
        Field("kind", "string", "Official or secondary source", codes=SOURCE_KINDS,
              codes_name="source kind"),
        Field("date_published", "date", "Date of the version read", required=False,
              pattern=DATE_RE, pattern_hint="YYYY, YYYY-MM or YYYY-MM-DD"),
        Field("url", "string", "Where the version read can be found", pattern=r"^https?://",
              pattern_hint="an http(s) URL"),
        Field("date_accessed", "date", "When we read it", pattern=DATE_RE,
              pattern_hint="YYYY, YYYY-MM or YYYY-MM-DD"),
        Field("licence", "string", "Terms of the document (US government works are in the "
              "public domain; figures from others are cited as facts)"),
        Field("attribution_short", "string", "Short attribution for chart footers"),
        Field("citation", "string", "Full citation"),
    ),
)


CONFLICTS = Table(
    name="conflicts",
    path="data/processed/conflicts.csv",
    description="Where the record disagrees: every key with more than one differing figure, "
    "and every cumulative total that disagrees with its annual parts.",
    primary_key=("table", "kind", "key"),
    fields=(
        Field("table", "string", "Table the figures come from"),
        Field("kind", "string", "Kind of disagreement", codes=CONFLICT_KINDS,
              codes_name="conflict kind"),
        Field("key", "string", "What the figures measure (the key they share)"),
        Field("n_figures", "integer", "Number of figures", minimum=2, unit="count"),
        Field("min_value", "integer", "Smallest figure", minimum=0),
        Field("max_value", "integer", "Largest figure", minimum=0),
        Field("spread_pct", "string", "(max − min) / min, in percent, one decimal",
              unit="percent"),
        Field("figure_ids", "string", "The figures, separated by ';'"),
        Field("source_ids", "string", "Their sources, separated by ';'"),
        Field("detail", "string", "Each figure with its source and qualifier"),
    ),
)

UNUSED = Table(
    name="unused_figures",
    path="data/processed/unused_figures.csv",
    description="Published figures that no preferred table, check, rate or claim uses — "
    "neither chosen for, nor competing for, nor noted in any cell — each with the reason. "
    "Nothing in data/raw/ is dropped without a word: a figure here is kept in funding.csv or "
    "deportations.csv, and this table says why no series shows it.",
    primary_key=("table", "figure_id"),
    fields=(
        Field("table", "string", "The table of all figures it is in (funding or "
              "deportations)"),
        Field("figure_id", "string", "The figure"),
        Field("period", "string", "Its period (fiscal years, or first..last month)"),
        Field("value", "integer", "The figure (US dollars, or its count's unit)", minimum=0),
        Field("source_id", "string", "Its source"),
        Field("reason", "string", "Why no series, check or claim uses it"),
    ),
)

SOURCES_PROCESSED = Table(
    name="sources_processed",
    path="data/processed/sources.csv",
    description="The sources registry, as validated, with the number of figures read in "
    "each source.",
    primary_key=("source_id",),
    fields=(*SOURCES.fields, Field("n_figures", "integer", "Figures taken from this source",
                                   minimum=0, unit="count")),
)
