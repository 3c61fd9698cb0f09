"""Stage 2, the engine every domain shares: reading and checking raw tables with their
provenance (``provenance``), the manifest and dated snapshots (``snapshots``), the ranking of
competing figures by written rules (``preference``) and the build's steps (``pipeline``).

May import: ``usmx.paths``, ``usmx.rawio``, ``usmx.schema``.
"""
