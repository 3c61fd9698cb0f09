"""Every table of the project, in the order the dictionary and the data package list them.

A new table is defined in its domain's ``*_tables.py`` and named here once.
"""

from __future__ import annotations

from usmx.schema.claim_tables import CLAIMS, CLAIMS_JUDGED, CLAIMS_RAW, EVENTS, EVENTS_RAW
from usmx.schema.country_tables import COUNTRIES_RAW, COUNTRIES_STUDIED
from usmx.schema.deportation_tables import (
    ALL_AGES_BY_YEAR,
    CHILD_BY_YEAR,
    DEPORTATION_CHECKS,
    DEPORTATIONS,
    DEPORTATIONS_RAW,
    DEPORTATIONS_SNAPSHOT,
    MONTHLY,
    MONTHLY_SUMS,
    POPULATION_RAW,
)
from usmx.schema.funding_tables import (
    FUNDING,
    FUNDING_CHECKS,
    FUNDING_RAW,
    FUNDING_SERIES,
    FUNDING_SNAPSHOT,
    MERIDA_BY_FY,
    MEXICO_FUNDING,
    PRICES_RAW,
)
from usmx.schema.provenance_tables import CONFLICTS, SOURCES, SOURCES_PROCESSED, UNUSED

RAW_TABLES = (SOURCES, COUNTRIES_RAW, FUNDING_RAW, FUNDING_SNAPSHOT, DEPORTATIONS_RAW,
              DEPORTATIONS_SNAPSHOT, EVENTS_RAW, CLAIMS_RAW, CLAIMS_JUDGED, PRICES_RAW,
              POPULATION_RAW)
PROCESSED_TABLES = (FUNDING, MERIDA_BY_FY, FUNDING_SERIES, MEXICO_FUNDING, FUNDING_CHECKS,
                    DEPORTATIONS, MONTHLY, MONTHLY_SUMS, CHILD_BY_YEAR, ALL_AGES_BY_YEAR,
                    DEPORTATION_CHECKS, CONFLICTS, UNUSED, EVENTS, CLAIMS, SOURCES_PROCESSED,
                    COUNTRIES_STUDIED)
