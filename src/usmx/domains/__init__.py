"""Stage 3, the domains: each reads its raw tables, declares its series and preference
rules, and makes its processed tables (``funding`` with ``funding_series``; ``deportations``
with ``deportation_series``; ``events``; ``claims``, the article's claims, which the analysis
judges). Each declares its build ``STEPS``.

May import: ``usmx.paths``, ``usmx.rawio``, ``usmx.schema``, ``usmx.engine``.
"""
