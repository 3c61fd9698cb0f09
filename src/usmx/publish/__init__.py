"""Stage 6, publishing: the README's generated section (``docs``), notebooks executed into
reader editions in HTML (``report``; pages written by ``reader``; notebooks run in
workers forked from the report's process by ``warm``), notebook outputs stripped before a
commit (``nbstrip``).

May import the stages before it (``paths``, ``rawio``, ``schema``, ``engine``,
``analysis``, ``charts``); not ``domains``.
"""
