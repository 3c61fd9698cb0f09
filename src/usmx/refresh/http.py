"""Where a refresh reads its files: over HTTPS with the project's session (a User-Agent
naming the project, a timeout on every call, urllib3 Retry with backoff on 429 and 5xx
that honours Retry-After), or from a local copy of the same files (a checkout of a
carrier's repository at a named commit), so that a committed snapshot is made by the
very parser a download goes through.

Every reader fails with a :class:`RefreshError` that says what went wrong: a bad status,
a timeout, a redirect off HTTPS, a truncated body, text that is not UTF-8, a body or a line
larger than the limit.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from usmx import __version__

USER_AGENT = f"usmx/{__version__} (reproducible data analysis; refresh of public statistics)"
TIMEOUT = (10, 60)  # seconds to connect, to read
MAX_BODY = 64 << 20  # a JSON document or a binary file: at most 64 MiB held in memory
MAX_LINE = 1 << 20  # a line of a streamed text file: at most 1 MiB


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
    """GET over HTTPS with the project's timeout; a clear error if the request fails or
    was redirected off HTTPS."""
    if not url.startswith("https://"):
        raise RefreshError(f"{url}: only HTTPS URLs are fetched")
    try:
        response = http.get(url, timeout=TIMEOUT, **kwargs)
    except requests.exceptions.ChunkedEncodingError as exc:
        raise RefreshError(f"{url}: truncated body (the connection broke off: {exc})") from None
    except requests.Timeout as exc:
        raise RefreshError(f"{url}: timed out ({exc.__class__.__name__})") from None
    except requests.RequestException as exc:
        raise RefreshError(f"{url}: request failed ({exc.__class__.__name__}: {exc})") from None
    if not str(response.url).startswith("https://"):
        response.close()
        raise RefreshError(f"{url}: redirected to {response.url}, which is not HTTPS")
    return response


def _body(http: requests.Session, url: str, progress: Callable[[int], object] = lambda n: None,
          limit: int = MAX_BODY, **kwargs) -> tuple[str, bytes]:
    """The whole body of a GET, read in chunks and refused past ``limit`` bytes."""
    response = _get(http, url, stream=True, **kwargs)
    with response:
        if response.status_code != 200:
            raise RefreshError(f"{response.url}: HTTP {response.status_code} after retries")
        declared = response.headers.get("Content-Length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise RefreshError(f"{response.url}: the body is {int(declared):,} bytes, over the "
                               f"limit of {limit:,}")
        chunks, received = [], 0
        try:
            for chunk in response.iter_content(1 << 16):
                received += len(chunk)
                if received > limit:
                    raise RefreshError(f"{response.url}: the body is over the limit of "
                                       f"{limit:,} bytes")
                progress(len(chunk))
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise RefreshError(f"{response.url}: truncated body: the download broke off after "
                               f"{received} bytes ({exc.__class__.__name__})") from None
        if declared is not None and declared.isdigit() and int(declared) != received:
            raise RefreshError(f"{response.url}: truncated body ({received} of {declared} "
                               f"bytes)")
        return str(response.url), b"".join(chunks)


def get_json(http: requests.Session, url: str, params: dict | None = None):
    """GET a JSON document, with a clear error for every way it can fail."""
    where, data = _body(http, url, params=params)
    return _json(where, data)


def _json(where: str, data: bytes):
    try:
        return json.loads(data)
    except ValueError as exc:
        raise RefreshError(f"{where}: not valid JSON ({exc})") from None


def _lines(chunks: Iterator[bytes], where: str, progress) -> Iterator[str]:
    """Text lines from byte chunks, decoded as UTF-8, each at most MAX_LINE characters."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
    received, pending = 0, ""
    try:
        for chunk in chunks:
            received += len(chunk)
            progress(len(chunk))
            pending += decoder.decode(chunk)
            *lines, pending = pending.split("\n")
            if len(pending) > MAX_LINE:
                raise RefreshError(f"{where}: a line longer than {MAX_LINE:,} characters near "
                                   f"byte {received} (not the CSV file expected)")
            for line in lines:
                yield line + "\n"
        pending += decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise RefreshError(f"{where}: not UTF-8 text near byte {received} ({exc.reason})"
                           ) from None
    if pending:
        yield pending


def stream_lines(http: requests.Session, url: str, progress,
                 chunk_size: int = 1 << 16) -> Iterator[str]:
    """GET a large text file and yield it line by line as it arrives (never whole in
    memory), with a clear error for a failed request, a bad status or a truncated body."""
    response = _get(http, url, stream=True)
    with response:
        if response.status_code != 200:
            raise RefreshError(f"{response.url}: HTTP {response.status_code} after retries")
        declared = response.headers.get("Content-Length")
        counted = [0]

        def chunks():
            try:
                for chunk in response.iter_content(chunk_size):
                    counted[0] += len(chunk)
                    yield chunk
            except requests.RequestException as exc:
                raise RefreshError(f"{url}: truncated body: the download broke off after "
                                   f"{counted[0]} bytes ({exc.__class__.__name__})") from None

        yield from _lines(chunks(), url, progress)
        if declared is not None and declared.isdigit() and int(declared) != counted[0]:
            raise RefreshError(f"{url}: truncated body ({counted[0]} of {declared} bytes)")


def csv_records(lines, url: str, columns) -> Iterator[tuple[int, dict[str, str]]]:
    """The records of a downloaded CSV file as (line, {column: value stripped}) for the
    ``columns`` asked for, blank lines skipped; a clear error for an empty file, HTML in
    place of CSV, a column missing or given twice, a record of the wrong length, or broken
    CSV (with its line)."""
    reader = csv.reader(lines, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise RefreshError(f"{url}: the file is empty") from None
    except csv.Error as exc:
        raise RefreshError(f"{url}: not CSV ({exc})") from None
    if header and header[0].lstrip().startswith("<"):
        raise RefreshError(f"{url}: HTML, not the CSV file expected")
    missing = [c for c in columns if c not in header]
    if missing:
        raise RefreshError(f"{url}: column(s) {missing} missing; the source's format has "
                           f"changed (found: {header})")
    twice = [c for c in columns if header.count(c) > 1]
    if twice:
        raise RefreshError(f"{url}: column(s) {twice} appear more than once in the header")
    at = {c: header.index(c) for c in columns}
    line = 1
    try:
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise RefreshError(f"{url}: line {line} has {len(fields)} fields, the header "
                                   f"{len(header)} (truncated or malformed file)")
            yield line, {c: fields[i].strip() for c, i in at.items()}
    except csv.Error as exc:
        raise RefreshError(f"{url}: CSV syntax near line {line}: {exc}") from None


class Remote:
    """The files of a refresh, read over HTTPS with one session."""

    local = False

    def __init__(self, http: requests.Session | None = None):
        self.http = http or session()

    def json(self, url: str, params: dict | None = None):
        return get_json(self.http, url, params)

    def bytes(self, url: str, progress=lambda n: None, limit: int = MAX_BODY) -> bytes:
        return _body(self.http, url, progress, limit)[1]

    def text(self, url: str, progress=lambda n: None, limit: int = MAX_BODY) -> str:
        data = self.bytes(url, progress, limit)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RefreshError(f"{url}: not UTF-8 text ({exc.reason})") from None

    def lines(self, url: str, progress=lambda n: None) -> Iterator[str]:
        return stream_lines(self.http, url, progress)


class LocalCopy:
    """The files of a refresh, read from a folder holding copies of them (a checkout of
    the carrier's repository, or the downloaded files): a URL's file is found under the
    folder by the URL's path, tried from its full path down to its file name. JSON
    look-ups (APIs) have no local copy."""

    local = True

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise RefreshError(f"{self.folder}: no such folder to read copies from")

    def find(self, url: str) -> Path:
        parts = [p for p in urlparse(url).path.split("/") if p]
        root = self.folder.resolve()
        for start in range(len(parts)):
            candidate = (root / "/".join(parts[start:])).resolve()
            if candidate.is_file() and candidate.is_relative_to(root):
                return candidate
        raise RefreshError(f"{url}: no copy of it under {self.folder} (looked for "
                           f"{'/'.join(parts[-2:]) or url})")

    def json(self, url: str, params: dict | None = None):
        raise RefreshError(f"{url}: an API has no local copy; refresh this source online")

    def bytes(self, url: str, progress=lambda n: None, limit: int = MAX_BODY) -> bytes:
        path = self.find(url)
        if path.stat().st_size > limit:
            raise RefreshError(f"{path}: {path.stat().st_size:,} bytes, over the limit of "
                               f"{limit:,}")
        data = path.read_bytes()
        progress(len(data))
        return data

    def text(self, url: str, progress=lambda n: None, limit: int = MAX_BODY) -> str:
        try:
            return self.bytes(url, progress, limit).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RefreshError(f"{self.find(url)}: not UTF-8 text ({exc.reason})") from None

    def lines(self, url: str, progress=lambda n: None) -> Iterator[str]:
        path = self.find(url)

        def chunks():
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 16):
                    yield chunk

        return _lines(chunks(), str(path), progress)
