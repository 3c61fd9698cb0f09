"""Reruns that do only what changed: every output of `python -m usmx report` is stamped with
a digest of its inputs (the files it read, the code and style version, its options), kept in
``reports/.usmx-stamps.json``. A step whose stamp still matches, and whose outputs exist, is
skipped.

Which processed tables a chart or notebook reads is recorded when it runs (``Reads``), so a
change to one raw figure redoes only the tables, charts and notebooks that read it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
TRACK_ENV = "USMX_TRACK_READS"  # a file where processed.load() records the tables read


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the package's code, style sheet and translation table: any change to
    them redoes every output."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".csv", ".mplstyle") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def digest_files(paths: Iterable[Path], *extra: str) -> str:
    """A digest of files' bytes (a missing file counts as missing) and extra strings."""
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.exists() else b"\0missing")
    for item in extra:
        digest.update(b"\0" + item.encode())
    return digest.hexdigest()


def chart_digest(lang: str, chart: str, reads, options, formats, table_paths) -> str:
    """The stamp of one chart in one language: the tables it read, the code, its options."""
    return digest_files([table_paths[name] for name in reads if name in table_paths],
                        code_version(), lang, chart, json.dumps(options, sort_keys=True),
                        ",".join(formats))


def edition_files(folder: Path, chart: str, formats, contents=None) -> str | None:
    """A digest of a chart edition's files as they are on disk, or as ``contents`` (path
    -> bytes) holds them before they are written; None if one is missing."""
    digest = hashlib.sha256()
    for fmt in formats:
        path = folder / f"{chart}.{fmt}"
        if contents is not None:
            data = contents.get(path)
        else:
            data = path.read_bytes() if path.exists() else None
        if data is None:
            return None
        digest.update(fmt.encode() + b"\0" + data)
    return digest.hexdigest()


_UNREAD = object()


def chart_current(stamps: Stamps, lang: str, chart: str, folder: Path, options, formats,
                  table_paths, on_disk=_UNREAD) -> bool:
    """Whether a chart edition's files are the ones its stamp recorded (not written over,
    say by `python -m usmx charts --years ...`) and the stamp matches its inputs now.
    ``on_disk``: the files' digest (edition_files), when the caller has it already."""
    stamp = stamps.get(f"chart:{lang}:{chart}")
    if on_disk is _UNREAD:
        on_disk = edition_files(folder, chart, formats)
    return bool(stamp) and on_disk == stamp.get("files") \
        and stamp["digest"] == chart_digest(lang, chart, stamp["reads"], options, formats,
                                            table_paths)


class Stamps:
    """The stamps file: key -> {"digest": ..., "reads": [...]}; written atomically."""

    def __init__(self, path: Path):
        self.path = path
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            self.entries: dict = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            self.entries = {}

    def get(self, key: str) -> dict | None:
        entry = self.entries.get(key)
        return entry if isinstance(entry, dict) else None

    def set(self, key: str, digest: str, reads: Iterable[str] = ()) -> None:
        self.entries[key] = {"digest": digest, "reads": sorted(set(reads))}

    def save(self) -> None:
        from usmx.rawio import write_atomic

        data = (json.dumps(self.entries, indent=1, sort_keys=True) + "\n").encode("utf-8")
        if not self.path.exists() or self.path.read_bytes() != data:
            write_atomic({self.path: data})


class Reads(dict):
    """A dict of processed tables that remembers which tables were read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key):
        log = os.environ.get(TRACK_ENV)
        if log and key not in self.read:  # each table once in the log
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(f"{key}\n")
        self.read.add(key)
        return super().__getitem__(key)
