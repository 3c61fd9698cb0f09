"""What a chart says of its sources, from the registry (never typed by hand): the source
line drawn in the image, every source's details for the CSV and manifest, and the notes a
chart needs when it mixes year bases or counting units. Data only: no drawing."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from usmx.charts.i18n import MissingTranslation, tr

MAX_CARRIERS = 3  # carriers named per originator in a source line; the rest are counted

_YEAR = re.compile(r" \(\d{4}\)$")


def source_entries(source_ids: Iterable[str], sources: pd.DataFrame) -> list[dict]:
    """Every source of a chart with its originators and carrier kind (for the manifest and
    the source line)."""
    known = sources.set_index("source_id")
    missing = sorted(set(source_ids) - set(known.index))
    if missing:
        raise KeyError(f"sources not in the registry: {missing}")
    return [{"source_id": i, "attribution": known.loc[i, "attribution_short"],
             "originators": str(known.loc[i, "originators"]).split(";"),
             "carrier_kind": known.loc[i, "carrier_kind"], "url": known.loc[i, "url"]}
            for i in sorted(set(source_ids))]


def _by_originator(details: list[dict], code: str) -> dict[str, dict]:
    """A chart's sources by who counted (the originators' short names in language
    ``code``): the originator's own documents, the documents that carried its figures
    (names as the registry gives them) and how many sources it has. A research body's
    report of its own figures ('MPI (2015)') is its own document."""
    from usmx.schema import ORIGINATOR_SHORT

    groups: dict[str, dict] = {}
    for entry in details:
        name = entry["attribution"]
        who = ", ".join(name_of(ORIGINATOR_SHORT[o], code) for o in entry["originators"])
        group = groups.setdefault(who, {"own": set(), "via": set(), "n": 0})
        group["n"] += 1
        if entry["carrier_kind"] == "originator" or _YEAR.sub("", name) == who:
            group["own"].add(name)
        else:
            group["via"].add(name)
    return groups


def source_line(details: list[dict], code: str = "en") -> str:
    """'Source: ...' in language ``code`` from a chart's source entries: the originator
    first and the document that carried its figures after it ('CBP, via Pew (2014)'); an
    originator's own document by its own name. Past three carriers an originator's list is
    counted, not named: the chart's CSV and manifest list every source."""
    groups = _by_originator(details, code)
    own = {name for group in groups.values() for name in group["own"]}
    via = {who: group["via"] for who, group in groups.items() if group["via"]}
    parts = sorted((name_of(name, code) for name in own), key=str.casefold)
    for who in sorted(via, key=str.casefold):
        names = sorted(via[who], key=str.casefold)
        if len(names) > MAX_CARRIERS:
            names = [*names[:MAX_CARRIERS - 1],
                     tr(f"{len(names) - MAX_CARRIERS + 1} others", code)]
        parts.append(f"{who}, {tr('via', code)} {', '.join(name_of(n, code) for n in names)}")
    return tr("Source:", code) + " " + "; ".join(parts) + "."


def footer_source(details: list[dict], code: str = "en", width: int = 128) -> str:
    """The source line of the image, one line of at most ``width`` characters: who counted
    (each originator), and the first document that carried an originator's figures when it
    was not the originator's own ('CBP, via Pew (2014) and 2 more'). What does not fit is
    counted; the methodology page and the manifest name every source."""
    groups = _by_originator(details, code)

    def part(who: str, detail: int) -> str:
        """An originator at a level of detail: 2 names its first carrier, 1 counts its
        carriers, 0 names the originator alone."""
        via = sorted({name_of(name, code) for name in groups[who]["via"]}, key=str.casefold)
        if not via or detail == 0:
            return who
        if detail == 2:
            carried = via[0] + (f" {tr(f'and {len(via) - 1} more', code)}"
                                if len(via) > 1 else "")
            return (f"{who} ({tr('also via', code)} {carried})" if groups[who]["own"]
                    else f"{who}, {tr('via', code)} {carried}")
        count = tr(f"{len(via)} documents" if len(via) > 1 else "1 document", code)
        return f"{who} ({tr('also via' if groups[who]['own'] else 'via', code)} {count})"

    def more(n: int) -> str:
        return tr(f"{n} more originators" if n > 1 else "1 more originator", code)

    # every originator named, with as much of its carriers as fits; when even the names
    # do not fit, the originators of most sources first and the rest counted
    head = tr("Source:", code)
    order = sorted(groups, key=lambda who: (-groups[who]["n"], who.casefold()))
    carried = any(group["via"] for group in groups.values())
    hint = f"; {tr('some via other documents', code)}" if carried else ""
    for detail in (2, 1, 0):
        line = f"{head} {'; '.join(part(w, detail) for w in order)}{hint if not detail else ''}."
        if len(line) <= width:
            return line
    for keep in range(len(order) - 1, 0, -1):
        line = f"{head} {'; '.join(order[:keep])}; {more(len(order) - keep)}{hint}."
        if len(line) <= width:
            return line
    return f"{head} {more(len(order))}{hint}."


def name_of(name: str, code: str = "en") -> str:
    """A source's or body's name in language ``code``: translated where the table has it
    ('US State Dept. (2008)'), else as it is (a newspaper keeps its name)."""
    try:
        return tr(name, code)
    except MissingTranslation:
        return name


def ids_from(frame: pd.DataFrame, column: str = "source_ids") -> list[str]:
    """Source ids of the rows drawn (a column of ';'-separated ids)."""
    out: list[str] = []
    for value in frame[column].dropna():
        out += str(value).split(";")
    return out


def period_notes(data: pd.DataFrame) -> list[str]:
    """Notes required whenever a chart mixes year bases or counting units."""
    notes = []
    if "year_basis" in data and data["year_basis"].dropna().nunique() > 1:
        notes.append("US figures are fiscal years (October-September); Mexican and Central "
                     "American figures are calendar years. Each point sits at the middle of "
                     "its period.")
    if "unit" in data and data["unit"].dropna().nunique() > 1:
        notes.append("Some counts are events (a person returned twice counts twice), others "
                     "are persons; the lines are not directly comparable.")
    return notes

