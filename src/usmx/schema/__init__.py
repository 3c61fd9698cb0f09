"""Stage 1, the schema package: the one vocabulary, every table's columns, types, units and codes,
their validation, and the data dictionary written from them.

    vocabulary.py          code lists, display names, bounds, id and date shapes
    fields.py              Field, Table and the columns tables share
    *_tables.py            the tables of one domain (provenance, funding, deportations, claims)
    registry.py            every table, in dictionary order
    validation.py          raw (file, line, column, value) and processed validation
    docs.py                data/processed/README.md and datapackage.json

Import what you need from here (``from usmx import schema``; ``schema.FUNDING``).
May import: ``usmx.rawio`` (errors) only.
"""

from usmx.schema.claim_tables import *  # noqa: F403
from usmx.schema.country_tables import *  # noqa: F403
from usmx.schema.deportation_tables import *  # noqa: F403
from usmx.schema.docs import datapackage_json, dictionary_markdown  # noqa: F401
from usmx.schema.fields import PANDAS_DTYPES, Field, Table  # noqa: F401
from usmx.schema.funding_tables import *  # noqa: F403
from usmx.schema.provenance_tables import *  # noqa: F403
from usmx.schema.registry import PROCESSED_TABLES, RAW_TABLES  # noqa: F401
from usmx.schema.validation import *  # noqa: F403
from usmx.schema.vocabulary import *  # noqa: F403
