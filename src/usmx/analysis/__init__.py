"""Stage 4, reading the processed record: loading it (``processed``), Mexico against the US
(``compare``), the article's claims and their verdicts (``evidence``, ``claims``), checked
notebook parameters (``params``) and the tables notebooks show (``views``).

May import: the stages before it (``paths``, ``rawio``, ``schema``, ``engine``); not
``domains`` (analysis reads processed tables, never raw ones).
"""
