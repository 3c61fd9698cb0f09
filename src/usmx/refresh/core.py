"""The refreshable sources, and how a download becomes a dated snapshot: validated against
the raw schema, compared with the previous snapshot, written with its manifest entry, all
or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from usmx import schema
from usmx.domains import countries as country_table
from usmx.engine import provenance, snapshots
from usmx.paths import Paths
from usmx.rawio import DataError, csv_bytes, write_atomic
from usmx.refresh import apis, cbp, gdidata
from usmx.refresh.http import LocalCopy, RefreshError, Remote


@dataclass
class Job:
    """What one refresh shares across its sources."""

    remote: Remote | LocalCopy
    countries: pd.DataFrame
    today: dt.date
    commit: str | None = None  # the commit of a carrier's repository, when one is read
    progress: Callable[[int], object] = lambda n: None

    def gdidata_commit(self) -> str:
        """The gdidata commit to read: the one asked for; for a local copy, the pinned one
        the committed snapshots were read at; online, the repository's newest."""
        if self.commit is None:
            if self.remote.local:
                self.commit = gdidata.PINNED_COMMIT
            else:
                sha = apis.field(self.remote.json(gdidata.COMMIT_API), "sha",
                                 gdidata.COMMIT_API)
                if not (isinstance(sha, str) and len(sha) == 40
                        and all(c in "0123456789abcdef" for c in sha)):
                    raise RefreshError(f"{gdidata.COMMIT_API}: {sha!r} is not a commit id")
                self.commit = sha
        return self.commit


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    table: schema.Table
    url: str  # where it is read ("<...>": filled in by the refresh); the manifest records
    # the URL actually read
    fetch: Callable[[Job], tuple[list[dict], str]]  # -> (rows, the URL read)
    key: tuple[str, ...]
    value: str = "value"  # the column whose changes the diff reports
    unit: str = "request"  # what the progress bar counts
    carry: bool = False  # keep figures a newer release no longer holds (see refresh())
    group: str | None = None  # the group that names it with the others of its carrier


def _unhcr(job: Job):
    return apis.unhcr(job.remote, job.progress, country_table.studied(job.countries)), \
        apis.UNHCR_URL


def _world_bank(indicator: str, make, only: tuple[str, ...] | None = None):
    def fetch(job: Job):
        countries = only or country_table.studied(job.countries)
        url = apis.WB_URL.format(countries=";".join(countries), indicator=indicator)
        return apis.world_bank(job.remote, job.progress, indicator, countries, make), url
    return fetch


# A copy of ForeignAssistance.gov's file kept in a public repository: `refresh
# foreign_assistance --from DIR` reads it (DIR holding us_foreign_aid_country.csv) as the
# committed snapshot was read.
FA_COPY = {"source_id": "FAGOV_COUNTRY_2023", "vintage": dt.date(2023, 9, 29),
           "url": "https://github.com/lublog/ForeignAssistance/blob/"
                  "fbcdca2f90cfe86155544f41c10d679fa4807372/data/us_foreign_aid_country.csv"}


def _foreign_assistance(job: Job):
    recipients = country_table.studied(job.countries)
    if job.remote.local:
        return apis.foreign_assistance(job.remote, job.progress, recipients,
                                       FA_COPY["source_id"], FA_COPY["vintage"]), FA_COPY["url"]
    return apis.foreign_assistance(job.remote, job.progress, recipients, "FAGOV_COUNTRY_LIVE",
                                   job.today), apis.FA_URL


def _gdidata(name: str):
    dataset = gdidata.DATASETS[name]

    def fetch(job: Job):
        commit = job.gdidata_commit()
        url = dataset.url(commit)
        data = job.remote.bytes(url, job.progress, gdidata.MAX_RDA)
        return gdidata.figures(dataset, data, commit, country_table.kept(job.countries)), url
    return fetch


def _cbp(job: Job):
    return cbp.fetch(job.remote, job.progress, job.countries), cbp.PAGE_URL


_MONTHLY_KEY = ("figure_id",)
GDIDATA = "iom_gdidata"  # the group of the sources read from IOM's gdidata


def _gdidata_source(name: str, dataset: str, title: str) -> Source:
    """A source read from one dataset of IOM's gdidata package (monthly; carried over)."""
    return Source(name, f"{title}, via IOM's gdidata", schema.DEPORTATIONS_SNAPSHOT,
                  gdidata.RAW_URL.format(commit="<commit>", name=dataset), _gdidata(dataset),
                  _MONTHLY_KEY, unit="B", carry=True, group=GDIDATA)


SOURCES = {
    "unhcr_asylum": Source("unhcr_asylum", "UNHCR asylum applications (USA, Mexico)",
                           schema.DEPORTATIONS_SNAPSHOT, apis.UNHCR_URL, _unhcr,
                           ("deporting_state", "nationality", "period_start", "measure",
                            "unit", "detail")),
    "wb_population_0_14": Source(
        "wb_population_0_14", "World Bank population aged 0-14", schema.POPULATION_RAW,
        apis.WB_URL.format(countries="<countries>", indicator="SP.POP.0014.TO"),
        _world_bank("SP.POP.0014.TO", apis.population_row), ("country", "year")),
    "us_cpi": Source("us_cpi", "World Bank consumer price index, United States",
                     schema.PRICES_RAW, apis.WB_URL.format(countries="USA",
                                                           indicator="FP.CPI.TOTL"),
                     _world_bank("FP.CPI.TOTL", apis.cpi_row, ("USA",)), ("year",)),
    "foreign_assistance": Source(
        "foreign_assistance", "ForeignAssistance.gov country totals by stage (the countries "
        "studied)", schema.FUNDING_SNAPSHOT, apis.FA_URL, _foreign_assistance,
        ("recipient", "fy_start", "stage"), value="amount_usd", unit="B"),
    "upm_returns": _gdidata_source(
        "upm_returns", "irreg_mexico_exp", "Mexico (UPM table 3.2.4): foreigners returned, by "
        "nationality and type (children's assisted return apart), monthly"),
    "upm_apprehensions": _gdidata_source(
        "upm_apprehensions", "irreg_mexico_nat", "Mexico (UPM table 3.1.1): foreigners "
        "presented to the migration authority, by nationality, monthly"),
    "upm_apprehensions_age": _gdidata_source(
        "upm_apprehensions_age", "irreg_mexico_dmg", "Mexico (UPM table 3.1.3): foreigners "
        "presented, all nationalities, by sex and age, monthly"),
    "igm_returns": _gdidata_source(
        "igm_returns", "irreg_guatemala", "Guatemala (IGM): Guatemalans returned from Mexico "
        "and the US, by sex and age, monthly"),
    "cbp_uac_gdidata": _gdidata_source(
        "cbp_uac_gdidata", "irreg_usa", "CBP: Border Patrol encounters of unaccompanied "
        "children at the Southwest border, by sector, authority and citizenship, monthly"),
    "cbp_encounters": Source(
        "cbp_encounters", "CBP's own Nationwide Encounters files: Border Patrol encounters of "
        "unaccompanied children at the Southwest border, monthly (large: streamed)",
        schema.DEPORTATIONS_SNAPSHOT, cbp.PAGE_URL, _cbp, _MONTHLY_KEY, unit="B", carry=True),
}
# Registry rows cited only by what a live refresh downloads (no committed snapshot cites them).
API_SOURCE_IDS = ("UNHCR_API", "WORLDBANK_API", "FAGOV_COUNTRY_LIVE", "CBP_ENCOUNTERS_LIVE")


def groups_of(sources: dict[str, Source]) -> dict[str, tuple[str, ...]]:
    """Each group (a name that stands for several sources read from one carrier) and its
    sources, from the sources' own ``group``, in the order of ``sources``."""
    groups: dict[str, tuple[str, ...]] = {}
    for name, source in sources.items():
        if source.group is not None:
            groups[source.group] = (*groups.get(source.group, ()), name)
    return groups


GROUPS = groups_of(SOURCES)


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


def _carried(old: pd.DataFrame | None, frame: pd.DataFrame) -> pd.DataFrame:
    """The previous snapshot's figures that the new release no longer holds (a release that
    drops its early years must not drop them from the record): kept as they were read, their
    locators naming the release they came from."""
    if old is None:
        return frame.iloc[0:0]
    return old[~old["figure_id"].isin(set(frame["figure_id"]))]


def names_of(names: Iterable[str] | None) -> list[str]:
    """Source names, groups expanded, in the order given, each once (all by default)."""
    groups = groups_of(SOURCES)
    asked = list(names or SOURCES)
    unknown = [n for n in asked if n not in SOURCES and n not in groups]
    if unknown:
        raise RefreshError(f"unknown source(s) {unknown}; known: {sorted(SOURCES)} and the "
                           f"group(s) {sorted(groups)}")
    return list(dict.fromkeys(m for n in asked for m in groups.get(n, (n,))))


def refresh(paths: Paths, names: Iterable[str] | None = None, http=None,
            today: dt.date | None = None, out=print, copy_from: str | Path | None = None,
            commit: str | None = None) -> list[Path]:
    """Download the named sources (all by default; a group name stands for its sources) and
    write their snapshots and the manifest atomically, all or nothing. ``copy_from`` reads
    the files from a local copy instead (see usmx.refresh.http.LocalCopy); ``commit`` names
    the commit of a carrier's repository to read."""
    from tqdm import tqdm

    names = names_of(names)
    remote = LocalCopy(copy_from) if copy_from is not None else Remote(http)
    today = today or dt.date.today()
    try:
        job = Job(remote, country_table.load(paths), today, commit)
        registry = provenance.load_raw(paths.sources_raw, schema.SOURCES,
                                       paths.rel(paths.sources_raw))
    except DataError as exc:
        raise RefreshError(f"the project's own tables do not read:\n{exc.report(10)}") from None
    manifest = snapshots.load(paths)
    files: dict[Path, bytes] = {}
    reports = []
    for name in names:
        src = SOURCES[name]
        with tqdm(total=None, desc=name, unit=src.unit, unit_scale=src.unit == "B",
                  disable=None) as bar:
            job.progress = bar.update
            rows, url = src.fetch(job)
        if not rows:
            raise RefreshError(f"{url}: the source returned no rows the project keeps")
        frame = _frame(rows, src.table)
        previous = snapshots.latest(paths, name)
        old = None if previous is None else pd.read_csv(previous, dtype=str,
                                                        keep_default_na=False)
        kept = _carried(old, frame) if src.carry else frame.iloc[0:0]
        if not kept.empty:
            frame = pd.concat([frame, kept[frame.columns]], ignore_index=True).sort_values(
                list(src.table.primary_key), ignore_index=True)
        data = csv_bytes(frame)
        path = _snapshot_path(paths, name, today)
        label = paths.rel(path)
        try:  # the snapshot must pass the same validation as every raw file
            provenance.load_raw(data, src.table, label, registry["source_id"])
        except DataError as exc:
            raise RefreshError(f"{name}: the download does not fit the raw schema:\n"
                               f"{exc.report(10)}") from None
        report = f"{name}: {diff(_as_used(name, old), frame, src.key, src.value)}"
        if not kept.empty:
            report += (f"\n  {len(kept)} figure(s) the source no longer holds were kept from "
                       f"{paths.rel(previous)}")
        if job.commit and src.group == GDIDATA:
            report += f"\n  read at {gdidata.REPOSITORY} commit {job.commit}"
        reports.append(report)
        files[path] = data
        entry = {"file": label, "url": url, "date_accessed": today.isoformat(),
                 **snapshots.digest(data)}
        if remote.local:
            entry["read_from"] = "a local copy of the file at this URL"
        manifest.setdefault("snapshots", {}).setdefault(name, []).append(entry)
    manifest = dict(manifest)
    manifest["files"] = {**manifest.get("files", {}),
                         **{paths.rel(p): snapshots.digest(d) for p, d in files.items()}}
    files[snapshots.manifest_path(paths)] = snapshots.dumps(manifest)
    written = write_atomic(files)
    for line in reports:
        out(line)
    return written
