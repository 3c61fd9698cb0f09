"""The yearly sources: UNHCR's asylum applications and the World Bank's indicators (JSON
APIs), and ForeignAssistance.gov's country summary (a large CSV, streamed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from usmx.refresh.http import RefreshError, csv_records

YEARS = (2005, 2024)
UNHCR_URL = "https://api.unhcr.org/population/v1/asylum-applications/"
WB_URL = "https://api.worldbank.org/v2/country/{countries}/indicator/{indicator}"
ASYLUM = ("USA", "MEX")  # the countries of asylum the article's claim compares


def field(item: dict, name: str, where: str):
    if not isinstance(item, dict) or name not in item:
        found = sorted(item) if isinstance(item, dict) else repr(item)
        raise RefreshError(f"{where}: field {name!r} is missing; the source's format has "
                           f"changed (found: {found})")
    return item[name]


def unhcr(remote, progress, origins: Iterable[str]) -> list[dict]:
    rows = []
    for coa in ASYLUM:
        for coo in origins:
            if coo == coa:
                continue
            page, pages = 1, 1
            while page <= pages:
                params = {"coo": coo, "coa": coa, "yearFrom": YEARS[0], "yearTo": YEARS[1],
                          "cf_type": "ISO", "limit": 1000, "page": page}
                doc = remote.json(UNHCR_URL, params)
                where = f"{UNHCR_URL} (coo={coo}, coa={coa}, page {page})"
                items = field(doc, "items", where)
                pages = int(doc.get("maxPages", 1) or 1)
                for number, item in enumerate(items):
                    place = f"{where}, item {number}"
                    year = int(field(item, "year", place))
                    code = (f"{field(item, 'procedure_type', place)}"
                            f"{field(item, 'app_type', place)}"
                            f"{field(item, 'app_pc', place)}").lower()
                    unit = {"P": "persons", "C": "cases"}.get(field(item, "app_pc", place))
                    if unit is None:
                        raise RefreshError(f"{place}: unknown app_pc {item['app_pc']!r}")
                    measure = ("asylum_applications" if item["app_type"] == "N"
                               else "asylum_applications_appeal")
                    rows.append({
                        "figure_id": f"unhcr_api_{coa.lower()}_{coo.lower()}_{year}_{code}_"
                                     f"{str(item.get('dec_level', '')).lower() or 'x'}",
                        "period_start": f"{year}-01", "period_end": f"{year}-12",
                        "year_basis": "calendar", "reporter": "UNHCR",
                        "deporting_state": coa, "nationality": coo, "age_group": "all",
                        "accompaniment": "all", "measure": measure, "unit": unit,
                        "detail": f"procedure {item['procedure_type']}, level "
                                  f"{item.get('dec_level', '') or 'n/a'}",
                        "value": str(int(field(item, "applied", place))), "qualifier": "exact",
                        "source_id": "UNHCR_API",
                        "locator": f"asylum-applications, coo={coo}, coa={coa}, year={year}, "
                                   f"procedure_type={item['procedure_type']}, "
                                   f"app_type={item['app_type']}, app_pc={item['app_pc']}",
                        "confidence": "high", "note": "",
                    })
                page += 1
                progress(1)
    return rows


def world_bank(remote, progress, indicator: str, countries: Iterable[str],
               make: Callable[[dict, str], dict]) -> list[dict]:
    url = WB_URL.format(countries=";".join(countries), indicator=indicator)
    rows, page, pages = [], 1, 1
    while page <= pages:
        doc = remote.json(url, {"format": "json", "date": f"{YEARS[0]}:{YEARS[1]}",
                                "per_page": 1000, "page": page})
        where = f"{url} (page {page})"
        if not isinstance(doc, list) or len(doc) < 2:
            raise RefreshError(f"{where}: expected [metadata, rows], got "
                               f"{type(doc).__name__}")
        pages = int(field(doc[0], "pages", where) or 1)
        for number, item in enumerate(doc[1] or []):
            place = f"{where}, item {number}"
            if field(item, "value", place) is None:
                continue  # the Bank has no figure for that year: a gap, not a row
            rows.append(make(item, place))
        page += 1
        progress(1)
    return rows


def population_row(item: dict, where: str) -> dict:
    country = field(item, "countryiso3code", where)
    year = int(field(item, "date", where))
    return {"figure_id": f"wb_pop0014_{country.lower()}_{year}", "country": country,
            "year": str(year), "value": str(round(float(item["value"]))),
            "source_id": "WORLDBANK_API",
            "locator": f"indicator SP.POP.0014.TO, country {country}, date {year}",
            "confidence": "high", "note": ""}


def cpi_row(item: dict, where: str) -> dict:
    year = int(field(item, "date", where))
    return {"figure_id": f"wb_cpi_usa_{year}", "year": str(year),
            "value": f"{float(item['value']):.3f}", "base": "2010=100",
            "source_id": "WORLDBANK_API",
            "locator": f"indicator FP.CPI.TOTL, country USA, date {year}",
            "confidence": "high", "note": ""}


FA_URL = "https://s3.amazonaws.com/files.explorer.devtechlab.com/us_foreign_aid_country.csv"
FA_FILE = "us_foreign_aid_country.csv"
FA_STAGES = {"1": "planned", "2": "obligated", "3": "disbursed", "18": "requested",
             "19": "initial_allocation"}  # Transaction Type ID -> stage code
FA_FLOWS = ("obligated", "disbursed")  # counted as the year goes: partial until it is over
FA_COLUMNS = ("Country Code", "Transaction Type ID", "Transaction Type Name", "Fiscal Year",
              "current_amount")


def foreign_assistance(remote, progress, recipients: Iterable[str], source_id: str,
                       vintage: dt.date, url: str = FA_URL) -> list[dict]:
    """ForeignAssistance.gov's country summary, streamed: only the rows of the countries
    and transaction types the project uses are kept (the file holds every country).

    Obligations and disbursements of a fiscal year not over on the file's ``vintage`` date
    are what had been counted by then: they carry that date in ``as_of`` and never stand
    for the whole year."""
    recipients = set(recipients)
    rows = []
    for line, cell in csv_records(remote.lines(url, progress), url, FA_COLUMNS):
        code, kind = cell["Country Code"], cell["Transaction Type ID"]
        year = cell["Fiscal Year"]
        if (code not in recipients or kind not in FA_STAGES or not year.isdigit()
                or not YEARS[0] <= int(year) <= YEARS[1]):
            continue
        amount = cell["current_amount"]
        whole = amount[:-2] if amount.endswith(".0") else amount
        if not whole.lstrip("-").isdigit():
            raise RefreshError(f"{url}: line {line}, column current_amount: {amount!r} is "
                               "not a whole number of dollars")
        name = cell["Transaction Type Name"]
        stage = FA_STAGES[kind]
        unfinished = stage in FA_FLOWS and vintage < dt.date(int(year), 9, 30)
        rows.append({
            "figure_id": f"fagov_{code.lower()}_fy{year}_{stage}",
            "fy_start": year, "fy_end": year, "donor": "USA", "recipient": code,
            "program": "all_us_assistance", "account": "TOTAL", "stage": stage,
            "vehicle": "all", "component": "", "amount_usd": whole, "qualifier": "exact",
            "as_of": vintage.isoformat() if unfinished else "", "source_id": source_id,
            "locator": f"{FA_FILE}, line {line} (Country Code {code}, Transaction Type ID "
                       f"{kind} '{name}', Fiscal Year {year}), column current_amount",
            "confidence": "high",
            "note": (f"FY{year} was not over when the file was made ({vintage.isoformat()}): "
                     "the amount counted by then, not the year's" if unfinished else "")})
    return rows
