"""Reading raw CSV files with their line numbers, clear errors, and atomic writes."""

from __future__ import annotations

import csv
import io
import json
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

    def __reduce__(self):  # pickles with its problems (a build run in a child process)
        return (type(self), (self.problems,))

    def report(self, limit: int = 50) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more problems")
        return "\n".join(lines)


def read_raw_csv(source: Path | bytes | str, columns: list[str], label: str) -> pd.DataFrame:
    """Read a raw CSV as strings, one row per record, with its line number in ``_line``.

    ``source`` is a file's path, or its content (bytes, or already decoded text): a download
    is checked by the same code as a file on disk. Checks the header (every expected column
    present, no unknown ones) and that each record has as many fields as the header. Cell
    values are stripped of surrounding whitespace; empty cells are empty strings. ``label``
    is the path shown in messages.
    """
    try:
        if isinstance(source, str):
            text = source.removeprefix("\ufeff")
        else:
            data = source if isinstance(source, bytes) else source.read_bytes()
            text = data.decode("utf-8-sig")
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


JOURNAL = ".usmx-commit.json"  # the moves of a commit in progress
JOURNAL_STEM = ".usmx-commit"  # every journal's name begins so
TMP_SUFFIX = ".tmp"


def write_atomic(files: Mapping[Path, bytes], journal_name: str = JOURNAL) -> list[Path]:
    """Write every file or none, even across an interruption.

    Each file goes to a temporary file beside its target. Then a journal listing every
    (temporary, target) pair is written in the targets' common folder, the temporaries are
    moved into place, and the journal is removed. If the process dies while moving,
    :func:`recover` (run by every command before it reads anything) finishes the moves from
    the journal; if it dies before the journal exists, the targets are untouched and
    :func:`recover` removes the temporaries. Files whose bytes are unchanged are not touched.
    Writers that commit into one folder at the same time (the report's parallel tasks)
    give each commit its own ``journal_name`` (``.usmx-commit-<what>.json``).
    Returns the paths written."""
    if not (journal_name.startswith(JOURNAL_STEM) and journal_name.endswith(".json")
            and "/" not in journal_name and "\\" not in journal_name):
        raise ValueError(f"a journal is named {JOURNAL_STEM}...json, not {journal_name!r}")
    staged: list[tuple[Path, str]] = []
    umask = os.umask(0)
    os.umask(umask)
    try:
        for path, data in files.items():
            if path.exists() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX,
                                       dir=path.parent)
            staged.append((path, tmp))
            os.chmod(tmp, 0o666 & ~umask)  # as a plain open() would create it
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        if not staged:
            return []
        folder = Path(os.path.commonpath([str(p.parent) for p, _ in staged]))
        journal = folder / journal_name
        moves = [[tmp, str(path)] for path, tmp in staged]
        _write_journal(journal, moves)
    except BaseException:
        for _, tmp in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for path, tmp in staged:
        os.replace(tmp, path)
    journal.unlink()
    return [path for path, _ in staged]


def _write_journal(journal: Path, moves: list[list[str]]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f"{JOURNAL}.", suffix=TMP_SUFFIX, dir=journal.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(moves, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, journal)


def recover(folders: Mapping[Path, tuple[str, ...] | None]) -> list[str]:
    """Finish or undo a commit that was interrupted, in each folder: moves listed in a
    journal are completed (the new files were all written before the journal was), and
    temporary files no journal lists are removed (their targets were never touched). A
    folder maps to the names whose temporaries may be removed there (None: any).
    Returns what was done, one line each."""
    done = []
    for folder, names in folders.items():
        folder = Path(folder)
        journals = sorted(folder.glob(f"{JOURNAL_STEM}*.json")) if folder.is_dir() else []
        for journal in journals:
            try:
                moves = json.loads(journal.read_text(encoding="utf-8"))
            except ValueError:
                moves = []
            for tmp, target in moves:
                if Path(tmp).exists():
                    os.replace(tmp, target)
                    done.append(f"completed {target}")
            journal.unlink()
        if folder.is_dir():
            for stray in sorted(folder.glob(f".*{TMP_SUFFIX}")):
                base = stray.name[1:].rsplit(".", 2)[0]
                if names is None or base in (*names, JOURNAL):
                    stray.unlink(missing_ok=True)
                    done.append(f"removed {stray}")
    return done
