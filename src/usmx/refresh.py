"""`python -m usmx refresh [SOURCE...]`: bring machine-readable sources in over HTTPS.

Each source is downloaded with one requests Session (a User-Agent naming the project, a
timeout on every call, urllib3 Retry with backoff on 429 and 5xx that honours Retry-After),
normalised to the project's raw schema, validated, and written as a new dated snapshot
under data/raw/snapshots/<source>/ with a manifest entry (URL, date accessed, sha256,
size, rows). Earlier snapshots are kept; the build reads the newest. On any failure nothing
is written and the command exits non-zero. This is the only code that writes into data/raw/.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from usmx import __version__, schema
from usmx.engine import provenance, snapshots
from usmx.paths import Paths
from usmx.rawio import DataError, csv_bytes, write_atomic

USER_AGENT = f"usmx/{__version__} (reproducible data analysis; refresh of public statistics)"
TIMEOUT = (10, 60)  # seconds to connect, to read
YEARS = (2005, 2024)


class RefreshError(Exception):
    """A download that cannot become a snapshot; nothing was written."""


def session(retries: int = 4, backoff: float = 0.5) -> requests.Session:
    """A Session that retries 429 and 5xx with exponential backoff and honours Retry-After.
    Only HTTPS is mounted."""
    retry = Retry(total=retries, connect=retries, read=retries, backoff_factor=backoff,
                  status_forcelist=(429, 500, 502, 503, 504), allowed_methods=("GET",),
                  respect_retry_after_header=True, raise_on_status=False)
    client = requests.Session()
    client.headers["User-Agent"] = USER_AGENT
    client.mount("https://", HTTPAdapter(max_retries=retry))
    return client


def _get(http: requests.Session, url: str, **kwargs) -> requests.Response:
    """GET over HTTPS with the project's timeout; a clear error if the request fails."""
    if not url.startswith("https://"):
        raise RefreshError(f"{url}: only HTTPS URLs are fetched")
    try:
        return http.get(url, timeout=TIMEOUT, **kwargs)
    except requests.exceptions.ChunkedEncodingError as exc:
        raise RefreshError(f"{url}: truncated body (the connection broke off: {exc})") from None
    except requests.Timeout as exc:
        raise RefreshError(f"{url}: timed out ({exc.__class__.__name__})") from None
    except requests.RequestException as exc:
        raise RefreshError(f"{url}: request failed ({exc.__class__.__name__}: {exc})") from None


def get_json(http: requests.Session, url: str, params: dict | None = None):
    """GET a JSON document, with a clear error for every way it can fail."""
    response = _get(http, url, params=params)
    if response.status_code != 200:
        raise RefreshError(f"{response.url}: HTTP {response.status_code} after retries")
    declared = response.headers.get("Content-Length")
    if declared is not None and int(declared) != len(response.content):
        raise RefreshError(f"{response.url}: truncated body ({len(response.content)} of "
                           f"{declared} bytes)")
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise RefreshError(f"{response.url}: not valid JSON ({exc})") from None


def stream_lines(http: requests.Session, url: str, progress,
                 chunk_size: int = 1 << 16) -> Iterator[str]:
    """GET a large text file and yield it line by line as it arrives (never whole in
    memory), with a clear error for a failed request, a bad status or a truncated body."""
    response = _get(http, url, stream=True)
    with response:
        if response.status_code != 200:
            raise RefreshError(f"{response.url}: HTTP {response.status_code} after retries")
        declared = response.headers.get("Content-Length")
        decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        received, pending = 0, ""
        try:
            for chunk in response.iter_content(chunk_size):
                received += len(chunk)
                progress(len(chunk))
                pending += decoder.decode(chunk)
                *lines, pending = pending.split("\n")
                for line in lines:
                    yield line + "\n"
            pending += decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise RefreshError(f"{url}: not UTF-8 text near byte {received} ({exc.reason})"
                               ) from None
        except requests.RequestException as exc:
            raise RefreshError(f"{url}: truncated body: the download broke off after "
                               f"{received} bytes ({exc.__class__.__name__})") from None
        if declared is not None and int(declared) != received:
            raise RefreshError(f"{url}: truncated body ({received} of {declared} bytes)")
        if pending:
            yield pending


def _field(item: dict, name: str, where: str):
    if not isinstance(item, dict) or name not in item:
        found = sorted(item) if isinstance(item, dict) else repr(item)
        raise RefreshError(f"{where}: field {name!r} is missing; the source's format has "
                           f"changed (found: {found})")
    return item[name]


# --------------------------------------------------------------------------------------
# sources
# --------------------------------------------------------------------------------------

API_SOURCE_IDS = ("UNHCR_API", "WORLDBANK_API", "FAGOV_COUNTRY_LIVE")  # cited by downloads
UNHCR_URL = "https://api.unhcr.org/population/v1/asylum-applications/"
WB_URL = "https://api.worldbank.org/v2/country/{countries}/indicator/{indicator}"
ORIGINS = ("GTM", "HND", "SLV", "MEX")
ASYLUM = ("USA", "MEX")


def _unhcr(http: requests.Session, progress) -> list[dict]:
    rows = []
    for coa in ASYLUM:
        for coo in ORIGINS:
            if coo == coa:
                continue
            page, pages = 1, 1
            while page <= pages:
                params = {"coo": coo, "coa": coa, "yearFrom": YEARS[0], "yearTo": YEARS[1],
                          "cf_type": "ISO", "limit": 1000, "page": page}
                doc = get_json(http, UNHCR_URL, params)
                where = f"{UNHCR_URL} (coo={coo}, coa={coa}, page {page})"
                items = _field(doc, "items", where)
                pages = int(doc.get("maxPages", 1) or 1)
                for number, item in enumerate(items):
                    place = f"{where}, item {number}"
                    year = int(_field(item, "year", place))
                    code = (f"{_field(item, 'procedure_type', place)}"
                            f"{_field(item, 'app_type', place)}"
                            f"{_field(item, 'app_pc', place)}").lower()
                    unit = {"P": "persons", "C": "cases"}.get(_field(item, "app_pc", place))
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
                        "value": str(int(_field(item, "applied", place))), "qualifier": "exact",
                        "source_id": "UNHCR_API",
                        "locator": f"asylum-applications, coo={coo}, coa={coa}, year={year}, "
                                   f"procedure_type={item['procedure_type']}, "
                                   f"app_type={item['app_type']}, app_pc={item['app_pc']}",
                        "confidence": "high", "note": "",
                    })
                page += 1
                progress(1)
    return rows


def _world_bank(indicator: str, countries: Iterable[str],
                make: Callable[[dict, str], dict]) -> Callable:
    def fetch(http: requests.Session, progress) -> list[dict]:
        url = WB_URL.format(countries=";".join(countries), indicator=indicator)
        rows, page, pages = [], 1, 1
        while page <= pages:
            doc = get_json(http, url, {"format": "json", "date": f"{YEARS[0]}:{YEARS[1]}",
                                       "per_page": 1000, "page": page})
            where = f"{url} (page {page})"
            if not isinstance(doc, list) or len(doc) < 2:
                raise RefreshError(f"{where}: expected [metadata, rows], got "
                                   f"{type(doc).__name__}")
            pages = int(_field(doc[0], "pages", where) or 1)
            for number, item in enumerate(doc[1] or []):
                place = f"{where}, item {number}"
                if _field(item, "value", place) is None:
                    continue  # the Bank has no figure for that year: a gap, not a row
                rows.append(make(item, place))
            page += 1
            progress(1)
        return rows
    return fetch


def _population_row(item: dict, where: str) -> dict:
    country = _field(item, "countryiso3code", where)
    year = int(_field(item, "date", where))
    return {"figure_id": f"wb_pop0014_{country.lower()}_{year}", "country": country,
            "year": str(year), "value": str(round(float(item["value"]))),
            "source_id": "WORLDBANK_API",
            "locator": f"indicator SP.POP.0014.TO, country {country}, date {year}",
            "confidence": "high", "note": ""}


def _cpi_row(item: dict, where: str) -> dict:
    year = int(_field(item, "date", where))
    return {"figure_id": f"wb_cpi_usa_{year}", "year": str(year),
            "value": f"{float(item['value']):.3f}", "base": "2010=100",
            "source_id": "WORLDBANK_API",
            "locator": f"indicator FP.CPI.TOTL, country USA, date {year}",
            "confidence": "high", "note": ""}


FA_URL = "https://s3.amazonaws.com/files.explorer.devtechlab.com/us_foreign_aid_country.csv"
FA_FILE = "us_foreign_aid_country.csv"
FA_COUNTRIES = ("MEX", "GTM", "HND", "SLV")
FA_STAGES = {"1": "planned", "2": "obligated", "3": "disbursed", "18": "requested",
             "19": "initial_allocation"}  # Transaction Type ID -> stage code
FA_COLUMNS = ("Country Code", "Transaction Type ID", "Transaction Type Name", "Fiscal Year",
              "current_amount")


def _foreign_assistance(http: requests.Session, progress, url: str = FA_URL) -> list[dict]:
    """ForeignAssistance.gov's country summary, streamed: only the rows of the countries
    and transaction types the project uses are kept (the file holds every country)."""
    lines = stream_lines(http, url, progress)
    reader = csv.reader(lines, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise RefreshError(f"{url}: the file is empty") from None
    except csv.Error as exc:
        raise RefreshError(f"{url}: not CSV ({exc})") from None
    missing = [c for c in FA_COLUMNS if c not in header]
    if missing:
        raise RefreshError(f"{url}: column(s) {missing} missing; the source's format has "
                           f"changed (found: {header})")
    at = {c: header.index(c) for c in FA_COLUMNS}
    rows = []
    line = 1
    try:
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise RefreshError(f"{url}: line {line} has {len(fields)} fields, the header "
                                   f"{len(header)} (truncated or malformed file)")
            code = fields[at["Country Code"]].strip()
            kind = fields[at["Transaction Type ID"]].strip()
            year = fields[at["Fiscal Year"]].strip()
            if (code not in FA_COUNTRIES or kind not in FA_STAGES or not year.isdigit()
                    or not YEARS[0] <= int(year) <= YEARS[1]):
                continue
            amount = fields[at["current_amount"]].strip()
            whole = amount[:-2] if amount.endswith(".0") else amount
            if not whole.lstrip("-").isdigit():
                raise RefreshError(f"{url}: line {line}, column current_amount: {amount!r} is "
                                   "not a whole number of dollars")
            name = fields[at["Transaction Type Name"]].strip()
            rows.append({
                "figure_id": f"fagov_{code.lower()}_fy{year}_{FA_STAGES[kind]}",
                "fy_start": year, "fy_end": year, "donor": "USA", "recipient": code,
                "program": "all_us_assistance", "account": "TOTAL", "stage": FA_STAGES[kind],
                "vehicle": "all", "component": "", "amount_usd": whole, "qualifier": "exact",
                "as_of": "", "source_id": "FAGOV_COUNTRY_LIVE",
                "locator": f"{FA_FILE}, line {line} (Country Code {code}, Transaction Type ID "
                           f"{kind} '{name}', Fiscal Year {year}), column current_amount",
                "confidence": "high", "note": ""})
    except csv.Error as exc:
        raise RefreshError(f"{url}: CSV syntax near line {line}: {exc}") from None
    return rows


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    table: schema.Table
    url: str
    fetch: Callable[[requests.Session, Callable], list[dict]]
    key: tuple[str, ...]
    value: str = "value"  # the column whose changes the diff reports
    unit: str = "request"  # what the progress bar counts


SOURCES = {
    "unhcr_asylum": Source("unhcr_asylum", "UNHCR asylum applications (USA, Mexico)",
                           schema.DEPORTATIONS_RAW, UNHCR_URL, _unhcr,
                           ("deporting_state", "nationality", "period_start", "measure",
                            "unit", "detail")),
    "wb_population_0_14": Source(
        "wb_population_0_14", "World Bank population aged 0-14", schema.POPULATION_RAW,
        WB_URL.format(countries=";".join(ORIGINS), indicator="SP.POP.0014.TO"),
        _world_bank("SP.POP.0014.TO", ORIGINS, _population_row), ("country", "year")),
    "us_cpi": Source("us_cpi", "World Bank consumer price index, United States",
                     schema.PRICES_RAW, WB_URL.format(countries="USA",
                                                       indicator="FP.CPI.TOTL"),
                     _world_bank("FP.CPI.TOTL", ("USA",), _cpi_row), ("year",)),
    "foreign_assistance": Source(
        "foreign_assistance", "ForeignAssistance.gov country totals by stage (Mexico, "
        "Guatemala, Honduras, El Salvador)", schema.FUNDING_SNAPSHOT, FA_URL,
        _foreign_assistance, ("recipient", "fy_start", "stage"), value="amount_usd",
        unit="B"),
}


# --------------------------------------------------------------------------------------
# snapshots and diffs
# --------------------------------------------------------------------------------------


def _snapshot_path(paths: Paths, source: str, today: dt.date) -> Path:
    folder = paths.raw / "snapshots" / source
    path = folder / f"{today.isoformat()}.csv"
    suffix = 2
    while path.exists():
        path = folder / f"{today.isoformat()}-{suffix}.csv"
        suffix += 1
    return path


def _frame(rows: list[dict], table: schema.Table) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=table.columns).fillna("").astype(str)
    return frame.sort_values(list(table.primary_key), ignore_index=True)


def diff(old: pd.DataFrame | None, new: pd.DataFrame, key: tuple[str, ...],
         value: str = "value") -> str:
    """A table-level summary of what a new snapshot changes against the previous one."""
    if old is None:
        return f"new source: {len(new)} rows"
    columns = list(key)
    merged = old.merge(new, on=columns, how="outer", suffixes=("_old", "_new"), indicator=True)
    added = merged[merged["_merge"] == "right_only"]
    removed = merged[merged["_merge"] == "left_only"]
    both = merged[merged["_merge"] == "both"]
    changed = both[both[f"{value}_old"] != both[f"{value}_new"]]
    lines = [f"{len(new)} rows (was {len(old)}): {len(added)} added, {len(removed)} removed, "
             f"{len(changed)} changed"]
    for _, row in changed.head(10).iterrows():
        lines.append("  changed " + ", ".join(str(row[c]) for c in columns)
                     + f": {row[f'{value}_old']} -> {row[f'{value}_new']}")
    return "\n".join(lines)


def _as_used(name: str, old: pd.DataFrame | None) -> pd.DataFrame | None:
    """The rows of a previous snapshot that the build used: a population snapshot may hold
    several releases of a figure, of which the diff compares only the preferred one."""
    if old is None or name != "wb_population_0_14":
        return old
    from usmx.domains.deportations import preferred_population

    used = {fid for _, fid, _ in preferred_population(old).values()}
    return old[old["figure_id"].isin(used)]


def refresh(paths: Paths, names: Iterable[str] | None = None,
            http: requests.Session | None = None, today: dt.date | None = None,
            out=print) -> list[Path]:
    """Download the named sources (all by default) and write their snapshots and the
    manifest atomically, all or nothing."""
    from tqdm import tqdm

    names = list(names or SOURCES)
    unknown = [n for n in names if n not in SOURCES]
    if unknown:
        raise RefreshError(f"unknown source(s) {unknown}; known: {sorted(SOURCES)}")
    http = http or session()
    today = today or dt.date.today()
    manifest = snapshots.load(paths)
    files: dict[Path, bytes] = {}
    reports = []
    for name in names:
        src = SOURCES[name]
        with tqdm(total=None, desc=name, unit=src.unit, unit_scale=src.unit == "B",
                  disable=None) as bar:
            rows = src.fetch(http, bar.update)
            if not rows:
                raise RefreshError(f"{src.url}: the source returned no rows")
            frame = _frame(rows, src.table)
            data = csv_bytes(frame)
            path = _snapshot_path(paths, name, today)
            label = paths.rel(path)
            try:  # the snapshot must pass the same validation as every raw file
                sources = provenance.load_raw(paths.sources_raw, schema.SOURCES,
                                              paths.rel(paths.sources_raw))
                provenance.load_raw(data, src.table, label, sources["source_id"])
            except DataError as exc:
                raise RefreshError(f"{name}: the download does not fit the raw schema:\n"
                                   f"{exc.report(10)}") from None
            previous = snapshots.latest(paths, name)
            old = None if previous is None else pd.read_csv(
                previous, dtype=str, keep_default_na=False)
            reports.append(f"{name}: {diff(_as_used(name, old), frame, src.key, src.value)}")
            files[path] = data
            entry = {"file": label, "url": src.url, "date_accessed": today.isoformat(),
                     **snapshots.digest(data)}
            manifest.setdefault("snapshots", {}).setdefault(name, []).append(entry)
    manifest = dict(manifest)
    manifest["files"] = {**manifest.get("files", {}),
                         **{paths.rel(p): snapshots.digest(d) for p, d in files.items()}}
    files[snapshots.manifest_path(paths)] = snapshots.dumps(manifest)
    written = write_atomic(files)
    for line in reports:
        out(line)
    return written
