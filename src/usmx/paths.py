"""Every path the project reads or writes, in one place.

The project root is the folder holding ``pyproject.toml`` above this package (an editable
install from a clone). ``USMX_ROOT`` overrides it, which is how the tests build a scratch copy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        return self.data / "raw"

    @property
    def processed(self) -> Path:
        return self.data / "processed"

    @property
    def sources_raw(self) -> Path:
        return self.raw / "sources.csv"

    @property
    def countries_raw(self) -> Path:
        return self.raw / "countries.csv"

    @property
    def funding_raw(self) -> Path:
        return self.raw / "funding.csv"

    @property
    def deportations_raw(self) -> Path:
        return self.raw / "deportations.csv"

    @property
    def events_raw(self) -> Path:
        return self.raw / "events.csv"

    @property
    def claims_raw(self) -> Path:
        return self.raw / "claims.csv"

    @property
    def claims_judged(self) -> Path:
        return self.raw / "claims_judged.csv"

    @property
    def readme(self) -> Path:
        return self.root / "README.md"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def figures(self) -> Path:
        return self.reports / "figures"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def commit_folders(self) -> dict[Path, tuple[str, ...] | None]:
        """Folders the project writes atomically, with the file names whose leftover
        temporaries may be cleaned there (None: any; the root holds only README.md)."""
        return {self.root: ("README.md",), self.processed: None, self.raw: None,
                self.reports: None, self.figures: None, self.notebooks: None,
                **{p: None for p in sorted(self.raw.glob("snapshots/*")) if p.is_dir()}}

    def rel(self, path: Path) -> str:
        """A path as shown to users: relative to the project root when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def edition_folder(figures: str | Path, lang: str) -> Path:
    """Where a language's edition of the charts goes: English in ``figures``, another
    language in ``figures/<lang>/``."""
    return Path(figures) if lang == "en" else Path(figures) / lang


def project_paths(root: str | Path | None = None) -> Paths:
    """Paths under ``root``, else ``$USMX_ROOT``, else the clone this package lives in."""
    if root is None:
        root = os.environ.get("USMX_ROOT") or _PACKAGE_ROOT
    return Paths(Path(root).resolve())
