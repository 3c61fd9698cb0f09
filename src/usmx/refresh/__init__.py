"""`python -m usmx refresh [SOURCE...]`: bring machine-readable sources in over HTTPS.

Each source is downloaded with one requests Session (a User-Agent naming the project, a
timeout on every call, urllib3 Retry with backoff on 429 and 5xx that honours Retry-After),
normalised to the project's raw schema, validated, and written as a new dated snapshot
under data/raw/snapshots/<source>/ with a manifest entry (URL, date accessed, sha256,
size, rows). Earlier snapshots are kept; the build reads the newest. On any failure nothing
is written and the command exits non-zero. This is the only code that writes into data/raw/.

    http.py     the session, bounded reads, and local copies read in place of a download
    apis.py     UNHCR and World Bank APIs; ForeignAssistance.gov's country file
    gdidata.py  UPM, IGM and CBP monthly tables in IOM's R data package (.rda, via rdata)
    cbp.py      CBP's own Nationwide Encounters files
    core.py     the sources, snapshots, diffs and the refresh itself
"""

from usmx.refresh.apis import FA_URL, UNHCR_URL, WB_URL, YEARS  # noqa: F401
from usmx.refresh.core import (  # noqa: F401
    API_SOURCE_IDS,
    GROUPS,
    SOURCES,
    Job,
    Source,
    diff,
    groups_of,
    names_of,
    refresh,
)
from usmx.refresh.http import (  # noqa: F401
    USER_AGENT,
    LocalCopy,
    RefreshError,
    Remote,
    get_json,
    session,
    stream_lines,
)
