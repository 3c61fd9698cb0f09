"""usmx: sourced tables and charts on US funding of Mexican security and immigration
enforcement, and on the deportation of children.

The package by stage (a module imports only from its own stage or the stages before it;
ARCHITECTURE.md has the flow and the rule):

    0  paths.py, rawio.py      every path; reading CSV with line numbers, errors, atomic writes
    1  schema/                 the vocabulary and every table's columns, codes and checks
    2  engine/                 provenance, snapshots, the preference engine, build steps
    3  domains/                funding, deportations, events, claims: raw -> processed tables
    4  analysis/               the processed record: loading, comparisons, claims, views
    5  charts/                 publication charts
    6  publish/                README section, notebook reports, notebook stripping
    7  build.py, tasks.py,     the build pipeline; the report as one task graph (doit);
       refresh/                downloads into dated snapshots
    8  cli.py, __main__.py     ``python -m usmx ...``
"""

__version__ = "0.1.0"
