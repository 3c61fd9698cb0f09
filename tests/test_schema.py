"""The schema module is also the data dictionary: every column is documented."""

from __future__ import annotations

import json
import os

import pytest

from usmx import schema
from usmx.build import PREFERENCE_RULES
from usmx.rawio import write_atomic


def test_dictionary_documents_every_column_and_code():
    text = schema.dictionary_markdown(PREFERENCE_RULES)
    for table in (*schema.PROCESSED_TABLES, *schema.RAW_TABLES):
        assert f"## `{table.path}`" in text
        for f in table.fields:
            assert f"| `{f.name}` |" in text
            assert f.description
    for code in (*schema.ACCOUNTS, *schema.STAGES, *schema.RECIPIENTS):
        assert f"| `{code}` |" in text


def test_committed_dictionary_is_generated(repo):
    committed = (repo.processed / "README.md").read_text(encoding="utf-8")
    assert committed == schema.dictionary_markdown(PREFERENCE_RULES)


def test_datapackage_describes_every_processed_file(repo):
    package = json.loads(schema.datapackage_json())
    paths = {r["path"] for r in package["resources"]}
    assert paths == {t.path.removeprefix("data/processed/") for t in schema.PROCESSED_TABLES}
    for resource in package["resources"]:
        header = (repo.processed / resource["path"]).read_text().splitlines()[0]
        assert header.split(",") == [f["name"] for f in resource["schema"]["fields"]]


def test_raw_headers_match_schema(repo):
    """Every raw file's header is its table's columns (snapshots: every dated file)."""
    for table in schema.RAW_TABLES:
        files = sorted(repo.root.glob(table.path.replace("<date>", "*")))
        if "<date>" not in table.path:
            assert files, table.path
        for path in files:
            header = path.read_text(encoding="utf-8").splitlines()[0]
            assert header.split(",") == table.columns, path


def test_write_atomic_writes_all_or_nothing(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "sub" / "b.csv"
    a.write_bytes(b"old")
    written = write_atomic({a: b"new", b: b"fresh"})
    assert a.read_bytes() == b"new" and b.read_bytes() == b"fresh"
    assert set(written) == {a, b}
    assert write_atomic({a: b"new"}) == []  # unchanged bytes: not touched
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.csv", "b.csv", "sub"]


def test_write_atomic_cleans_up_on_failure(tmp_path, monkeypatch):
    a = tmp_path / "a.csv"
    a.write_bytes(b"old")

    calls = {"n": 0}
    real_fdopen = os.fdopen

    def failing_fdopen(fd, mode):
        calls["n"] += 1
        if calls["n"] == 2:
            os.close(fd)
            raise OSError("disk full")
        return real_fdopen(fd, mode)

    monkeypatch.setattr("usmx.rawio.os.fdopen", failing_fdopen)
    with pytest.raises(OSError, match="disk full"):
        write_atomic({a: b"new", tmp_path / "b.csv": b"x"})
    assert a.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]
