"""Stage 6, publishing: the README's generated section (``docs``), notebooks executed into
reader editions in HTML (``report``: run by nbclient in a real kernel; pages written by
``reader``) and the index, notebook outputs stripped before a commit (``nbstrip``).

May import the stages before it (``paths``, ``rawio``, ``schema``, ``engine``,
``analysis``, ``charts``); not ``domains``.
"""
