"""Stage 6, publishing: the README's generated section (``docs``), notebooks executed into
HTML (``report``), notebook outputs stripped before a commit (``nbstrip``).

May import: ``usmx.paths``, ``usmx.rawio``, ``usmx.schema``.
"""
