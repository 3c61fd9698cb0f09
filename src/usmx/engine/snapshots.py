"""The raw-data manifest: the sha256, size and row count of every file in data/raw/, and the
list of dated snapshots each refreshable source has written.

``build`` verifies every raw file against its recorded hash before reading anything, so a
file changed behind the project's back (by an editor, a line-ending conversion, a partial
copy) stops the build with a clear message. After editing a hand-curated file on purpose,
``python -m usmx manifest`` records the new hashes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

from usmx.paths import Paths
from usmx.rawio import DataError, Problem, write_atomic

MANIFEST = "manifest.json"


def manifest_path(paths: Paths) -> Path:
    return paths.raw / MANIFEST


def digest(data: bytes) -> dict:
    """sha256, size in bytes, and data rows (CSV records after the header)."""
    text = data.decode("utf-8-sig", errors="replace")  # bad bytes are the reader's to report
    try:
        records = sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        records = text.count("\n")
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
            "rows": max(records - 1, 0)}


def raw_files(paths: Paths) -> list[Path]:
    """Every data file under data/raw/ (CSV), in a stable order."""
    return sorted(p for p in paths.raw.rglob("*.csv") if p.is_file())


FIX = "restore it with `git checkout data/raw/manifest.json`, or rebuild it with " \
      "`python -m usmx manifest`"


def load(paths: Paths) -> dict:
    """The manifest; a clear error (file and reason) if it is not valid."""
    path = manifest_path(paths)
    label = paths.rel(path)
    if not path.exists():
        return {"files": {}, "snapshots": {}}
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DataError([Problem(label, None, None, None,
                                 f"is not valid JSON ({exc}); {FIX}")]) from None
    problems = []
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files", {}), dict):
        raise DataError([Problem(label, None, None, None,
                                 f"is not a manifest (no 'files' table); {FIX}")])
    for name, entry in manifest.get("files", {}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            problems.append(Problem(label, None, "files", name,
                                    f"entry has no sha256; {FIX}"))
    for source, entries in manifest.get("snapshots", {}).items():
        if not isinstance(entries, list) or any(not isinstance(e, dict) or "file" not in e
                                                 for e in entries):
            problems.append(Problem(label, None, "snapshots", source,
                                    f"entry has no file; {FIX}"))
    if problems:
        raise DataError(problems)
    return manifest


def dumps(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(
        "utf-8")


def recorded(paths: Paths, manifest: dict | None = None) -> dict:
    """The manifest with every raw file's current hash (snapshot entries kept)."""
    manifest = dict(manifest or load(paths))
    manifest["files"] = {paths.rel(p): digest(p.read_bytes()) for p in raw_files(paths)}
    manifest.setdefault("snapshots", {})
    return manifest


def record(paths: Paths) -> list[Path]:
    """Record the current hashes of every raw file (after a deliberate hand edit)."""
    return write_atomic({manifest_path(paths): dumps(recorded(paths))})


def verify(paths: Paths) -> None:
    """Raise DataError unless every raw file matches its recorded sha256 and size."""
    label = paths.rel(manifest_path(paths))
    if not manifest_path(paths).exists():
        raise DataError([Problem(label, None, None, None,
                                 "missing: run `python -m usmx manifest` to record the raw "
                                 "files' hashes")])
    files = load(paths).get("files", {})
    problems = []
    present = {paths.rel(p): p for p in raw_files(paths)}
    for name, entry in sorted(files.items()):
        path = present.get(name)
        if path is None:
            problems.append(Problem(name, None, None, None,
                                    f"recorded in {label} but missing"))
            continue
        found = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()}  # (no row count)
        if found["sha256"] != entry["sha256"]:
            problems.append(Problem(
                name, None, None, None,
                f"sha256 {found['sha256'][:12]}… differs from the {entry['sha256'][:12]}… "
                f"recorded in {label}; if you changed it on purpose, run `python -m usmx "
                f"manifest`"))
    for name in sorted(set(present) - set(files)):
        problems.append(Problem(name, None, None, None,
                                f"not recorded in {label}; run `python -m usmx manifest`"))
    if problems:
        raise DataError(problems)


def latest(paths: Paths, source: str) -> Path | None:
    """The newest snapshot file of a refreshable source, or None if it has none."""
    entry = latest_entry(paths, source)
    return paths.root / entry["file"] if entry else None


def latest_entry(paths: Paths, source: str) -> dict | None:
    """The manifest entry of a source's newest snapshot (file, URL, date accessed, ...)."""
    entries = load(paths).get("snapshots", {}).get(source, [])
    return entries[-1] if entries else None


def load_latest(paths: Paths, source: str, table, source_ids):
    """The newest snapshot of a refreshable source, validated against ``table`` (an empty
    frame with the table's columns if it has none)."""
    import pandas as pd

    from usmx.engine import provenance

    path = latest(paths, source)
    if path is None:
        return pd.DataFrame(columns=[*table.columns])
    return provenance.drop_line(provenance.load_raw(path, table, paths.rel(path), source_ids))
