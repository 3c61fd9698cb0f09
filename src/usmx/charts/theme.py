"""The house look: the style sheet (applied in a context, never to global rcParams),
the colours by role, the page width and the credit line. Imports nothing from usmx."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
import matplotlib.style

STYLE = Path(__file__).with_name("usmx.mplstyle")

# Okabe-Ito colours, by role, so that a measure keeps its colour across charts.
COLORS = {
    "blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
    "purple": "#CC79A7", "sky": "#56B4E9", "black": "#000000", "grey": "#999999",
}
ACCOUNT_COLORS = {"INCLE": COLORS["blue"], "ESF": COLORS["green"], "FMF": COLORS["vermillion"]}
# Who returned the children sets the colour: Mexico vermillion (orange for its
# apprehensions), the US blue (sky for its apprehensions).
US_BLUE, US_SKY = COLORS["blue"], COLORS["sky"]
MX_ORANGE, MX_VERMILLION = COLORS["orange"], COLORS["vermillion"]

# Greys for text and keys, by role (the data's colours are above).
INK = {"title": "#111111", "tick": "#222222", "note": "#333333", "subtitle": "#444444",
       "footer": "#555555", "gap": "#666666", "key": "#777777", "boundary": "#f0f0f0",
       "paper": "white", "key_line": "black"}
# The colour of every role a chart spec can name (usmx.charts.spec): who acted, which
# country or account, and the inks. Restyle the charts here and nowhere else.
ROLES = {
    "mexico": COLORS["vermillion"], "mexico-apprehensions": COLORS["orange"],
    "us": COLORS["blue"], "us-apprehensions": COLORS["sky"],
    # a country's lines take the palette colour data/raw/countries.csv names for it
    **{f"palette:{name}": color for name, color in COLORS.items()},
    "country:ALL": COLORS["grey"],  # all nationalities together
    **{f"account:{account}": color for account, color in ACCOUNT_COLORS.items()},
    "reference": COLORS["black"],  # rules, and all US aid
    **{f"ink:{name}": color for name, color in INK.items()},
}


def color_of(role: str) -> str:
    """The colour of a role (see ROLES)."""
    try:
        return ROLES[role]
    except KeyError:
        raise KeyError(f"no colour role {role!r}; the roles are {sorted(ROLES)}") from None


# Fills that say what a bar is: a year with no figure in any series; a State allocation
# of a whole account.
GAP_HATCH = dict(facecolor="#f4f4f4", edgecolor="#bbbbbb", hatch="////", linewidth=0.5)
ROLES.update({"gap-fill": GAP_HATCH["facecolor"], "gap-edge": GAP_HATCH["edgecolor"]})
ALLOCATION_HATCH = "...."


def _credit() -> str:
    """The footer's credit: the project, where its data can be had (the repository URL of
    pyproject.toml's [project.urls], when one is set) and the licences."""
    from importlib import metadata

    try:
        urls = metadata.metadata("usmx").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    found = dict(u.split(", ", 1) for u in urls if ", " in u)
    where = found.get("Repository") or found.get("Homepage")
    home = f"usmx, {where}" if where else "the usmx project"
    return f"Chart: {home} · data CC BY 4.0, code MIT"


CREDIT = _credit()
WIDTH_IN = 7.5
WRAP = 128  # characters per footer line at the footer's font size (a footer has two)


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the usmx style sheet for the duration of the block only."""
    with mpl.rc_context(), mpl.style.context(str(STYLE)):
        yield


def latin1(text: str) -> str:
    """Text for the pixels, kept to Latin-1 so that each PDF embeds one subset per font
    (characters beyond U+00FF, such as an en dash, double the font-subsetting time)."""
    return text.translate(str.maketrans({"\u2013": "-", "\u2014": "-", "\u2026": "...",
                                         "\u2019": "'", "\u201c": '"', "\u201d": '"'}))
