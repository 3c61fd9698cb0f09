"""CBP's own Nationwide Encounters files (cbp.gov/document/stats/nationwide-encounters):
US Border Patrol encounters of unaccompanied children at the Southwest land border, by
month, sector, authority and citizenship.

The landing page links one CSV per release ("...-aor.csv", by area of responsibility). Each
is streamed line by line (the files run to tens of MB) and only the rows the project uses
are kept: the Border Patrol, the Southwest land border, the unaccompanied-children category
(printed "UC / Single Minors" in the releases up to 2024 and "UAC" in later ones: one
category, renamed), and the citizenships of data/raw/countries.csv. Where two releases give
the same month, the newer release's row is kept (CBP revises its counts); each row's
locator names its file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urljoin

from usmx.refresh.gdidata import BORDER_PATROL, uac_figure
from usmx.refresh.http import RefreshError, csv_records

PAGE_URL = "https://www.cbp.gov/document/stats/nationwide-encounters"
LINK = re.compile(r"""href=["']([^"']*nationwide-encounters-fy\d{2}-fy\d{2}[^"']*-aor\.csv)["']""",
                  re.IGNORECASE)
COLUMNS = ("Fiscal Year", "Month (abbv)", "Component", "Land Border Region",
           "Area of Responsibility", "Demographic", "Citizenship", "Title of Authority",
           "Encounter Type", "Encounter Count")
SOUTHWEST = "Southwest Land Border"
MONTHS = ("OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP")
FISCAL_YEAR = re.compile(r"^(\d{4})(?: \(FYTD\))?$")


def _uploaded(url: str) -> tuple[str, str]:
    """A release's upload folder ('.../files/2025-06/...'), then its URL: the sort key."""
    folder = re.search(r"/(\d{4}-\d{2})/", url)
    return (folder.group(1) if folder else "", url)


def release_links(page: str, where: str = PAGE_URL) -> list[str]:
    """The AOR files a landing page links, oldest release first (by upload folder)."""
    links = sorted({urljoin(where, link) for link in LINK.findall(page)}, key=_uploaded)
    if not links:
        raise RefreshError(f"{where}: links no Nationwide Encounters AOR file "
                           "('nationwide-encounters-fyNN-fyNN-...-aor.csv'); the page has "
                           "changed, or it is not the page expected")
    return links


def calendar_month(fiscal_year: str, month: str, where: str) -> str:
    """A US fiscal year ('2022', '2025 (FYTD)') and month ('OCT') as a calendar YYYY-MM."""
    found = FISCAL_YEAR.match(fiscal_year.strip())
    if not found or month.strip().upper() not in MONTHS:
        raise RefreshError(f"{where}: fiscal year {fiscal_year!r} and month {month!r} are not "
                           "a year such as 2022 or '2025 (FYTD)' and a month such as OCT")
    year, index = int(found.group(1)), MONTHS.index(month.strip().upper())
    calendar_year = year - 1 if index < 3 else year
    return f"{calendar_year}-{(index + 9) % 12 + 1:02d}"


def release_figures(url: str, lines: Iterable[str], names: dict[str, str]) -> list[dict]:
    """The figures the project keeps of one release file (``names``: citizenship as CBP
    prints it -> country code)."""
    file = url.rsplit("/", 1)[-1]
    out = []
    for line, cell in csv_records(lines, url, COLUMNS):
        if cell["Component"] != BORDER_PATROL or cell["Land Border Region"] != SOUTHWEST:
            continue
        nat = names.get(cell["Citizenship"].upper())
        if nat is None:
            continue
        where = f"{url}, line {line}"
        month = calendar_month(cell["Fiscal Year"], cell["Month (abbv)"], where)
        figure = uac_figure(
            month, cell["Title of Authority"], cell["Encounter Type"], cell["Demographic"],
            cell["Area of Responsibility"], nat, cell["Encounter Count"].replace(",", ""),
            where, {nat}, "cbp",
            f"{file}, line {line}: Fiscal Year '{cell['Fiscal Year']}', Month "
            f"{cell['Month (abbv)']}, Area of Responsibility "
            f"'{cell['Area of Responsibility']}', Citizenship '{cell['Citizenship']}', "
            f"{cell['Title of Authority']}, {cell['Encounter Type']}")
        if figure is not None:
            out.append({**figure, "source_id": "CBP_ENCOUNTERS_LIVE"})
    return out


def newest_first(releases: list[list[dict]]) -> list[dict]:
    """One figure per id: a month given by several releases keeps the newest release's."""
    kept: dict[str, dict] = {}
    for figures in reversed(releases):  # newest release first
        for figure in figures:
            kept.setdefault(figure["figure_id"], figure)
    months_of = [{f["period_start"] for f in figures} for figures in releases]
    out = []
    for index, figures in enumerate(releases):
        newer = set().union(*months_of[index + 1:]) if index + 1 < len(releases) else set()
        out += [f for f in figures if f["period_start"] not in newer
                and kept[f["figure_id"]] is f]
    return out


def fetch(remote, progress: Callable[[int], object], countries) -> list[dict]:
    """Every release the landing page links, read and merged (see the module's text)."""
    page = remote.text(PAGE_URL, progress)
    names = {str(name).upper(): code for code, name in
             zip(countries["code"], countries["name_en"], strict=True)}
    return newest_first([release_figures(url, remote.lines(url, progress), names)
                         for url in release_links(page)])
