"""Reading raw CSV files with their line numbers, clear errors, and atomic writes."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

LINE = "_line"  # column holding each record's line number in its file (1 = header)


@dataclass(frozen=True)
class Problem:
    """One bad value: where it is and what is wrong with it."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = ""
        if self.column is not None:
            what = f" column {self.column!r}"
            if self.value is not None:
                what += f" value {self.value!r}"
            what += ":"
        return f"{where}:{what} {self.message}"


class DataError(Exception):
    """Raised when input data is malformed; lists every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(
            problems, key=lambda p: (p.file, p.line or 0, p.column or "", p.message)
        )
        super().__init__(self.report())

    def report(self, limit: int = 50) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more problems")
        return "\n".join(lines)


def read_raw_csv(path: Path, columns: list[str], label: str) -> pd.DataFrame:
    """Read a raw CSV as strings, one row per record, with its line number in ``_line``.

    Checks the header (every expected column present, no unknown ones) and that each record
    has as many fields as the header. Cell values are stripped of surrounding whitespace;
    empty cells are empty strings. ``label`` is the path shown in messages.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError([Problem(label, None, None, None, "file not found")]) from None
    except UnicodeDecodeError as exc:
        problem = Problem(label, None, None, None, f"not UTF-8 text ({exc.reason})")
        raise DataError([problem]) from None
    if not text.strip():
        raise DataError([Problem(label, 1, None, None, "file is empty (no header, no rows)")])

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    try:
        header = [h.strip() for h in next(reader)]
        missing = [c for c in columns if c not in header]
        unknown = [c for c in header if c not in columns]
        problems += [Problem(label, 1, c, None, "missing column in header") for c in missing]
        problems += [Problem(label, 1, c, None, "unknown column in header") for c in unknown]
        dupes = sorted({c for c in header if header.count(c) > 1})
        problems += [Problem(label, 1, c, None, "column appears twice in header") for c in dupes]
        if problems:
            raise DataError(problems)

        records: list[list[str]] = []
        lines: list[int] = []
        start = reader.line_num + 1
        for fields in reader:
            if not any(f.strip() for f in fields):  # blank line
                start = reader.line_num + 1
                continue
            if len(fields) != len(header):
                problems.append(
                    Problem(label, start, None, None,
                            f"has {len(fields)} fields, the header has {len(header)}")
                )
            else:
                records.append([f.strip() for f in fields])
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problem = Problem(label, reader.line_num, None, None, f"CSV syntax: {exc}")
        raise DataError([problem]) from None
    if problems:
        raise DataError(problems)
    if not records:
        raise DataError([Problem(label, 2, None, None, "file has a header but no data rows")])

    frame = pd.DataFrame(records, columns=header, dtype="str")[columns]
    frame.insert(0, LINE, lines)
    return frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame as deterministic CSV bytes (UTF-8, LF line ends, no index)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def write_atomic(files: Mapping[Path, bytes]) -> list[Path]:
    """Write every file or none: each goes to a temporary file beside its target, then all
    are moved into place. Files whose bytes are unchanged are not touched. Returns the paths
    actually written."""
    staged: list[tuple[Path, str]] = []
    umask = os.umask(0)
    os.umask(umask)
    try:
        for path, data in files.items():
            if path.exists() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((path, tmp))
            os.chmod(tmp, 0o666 & ~umask)  # as a plain open() would create it
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        for _, tmp in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for path, tmp in staged:
        os.replace(tmp, path)
    return [path for path, _ in staged]
