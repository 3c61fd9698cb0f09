"""The one preference engine behind every preferred-figure table (funding and deportations).

Competing published figures (rows as dicts) are ranked by a list of written rules, each a
name and a sort key; the first rule whose keys differ decides, and its name is reported so
that every preferred cell can say why it holds the figure it holds. The written rules of
the data dictionary list the orderings from the rules themselves (:func:`describe`), so
each ordering is written once. A cell with no published figure may be derived as a sum of
parts, which takes the loosest qualifier and the weakest confidence of its parts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

KIND_ORDER = {"official": 0, "secondary": 1}
CONFIDENCE_ORDER = {"high": 0, "medium": 1, "low": 2}
FILLING_CONFIDENCE = ("high", "medium")  # low-confidence figures never fill a preferred cell


@dataclass(frozen=True)
class Rule:
    """One ordering: ``key(row)`` sorts the better figure first; ``name`` says it in words
    (a preferred cell's rule names the ordering that decided by it); ``text``, when given,
    is how a written rule lists it among the others (``name`` otherwise)."""

    name: str
    key: Callable[[dict], object]
    text: str | None = None

    @property
    def listed(self) -> str:
        return self.name if self.text is None else self.text


def describe(rules: Sequence[Rule]) -> str:
    """The orderings in the order they decide, as a written rule lists them: ';'-separated,
    the last after 'then' (adding or moving a rule changes the text, and nothing else need
    change with it)."""
    *before, last = (rule.listed for rule in rules)
    return "; ".join([*before, f"then {last}"]) if before else last


def is_na(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or \
        type(value).__name__ == "NAType"


def _latest_key(row: dict) -> tuple:
    """Later source versions first; a partial date (YYYY or YYYY-MM) sorts after the dated
    versions of the same year or month; an undated source last."""
    date = row.get("date_published")
    if is_na(date) or date == "":
        return (float("inf"),)
    parts = [-int(p) for p in str(date).split("-")]
    return (*parts, *([0] * (3 - len(parts))))


def order(column: str, ranking: Mapping[str, int] | Sequence[str], name: str) -> Rule:
    """A rule that puts values of ``column`` in the given order (others after them)."""
    if not isinstance(ranking, Mapping):
        ranking = {value: i for i, value in enumerate(ranking)}
    last = len(ranking)
    return Rule(name, lambda r: ranking.get(r[column], last))


CARRIER_ORDER = {"originator": 0, "official_reprint": 1, "research": 2, "news": 2,
                 "partisan": 3}  # research and news rank alike: exactness etc. decide
ORIGINATOR_FIRST = Rule("the originator's own document before an official reprint, before "
                        "research or news, before a partisan outlet",
                        lambda r: CARRIER_ORDER[r.get("carrier_kind") or "partisan"],
                        "the originator's own document, then an official reprint (CRS, GAO, "
                        "testimony), then research or news, and a partisan outlet last")
OFFICIAL_FIRST = Rule("official source before secondary",
                      lambda r: KIND_ORDER[r["source_kind"]])
OWN_FILE_FIRST = Rule("the originator's own release before a copy of it kept by another body",
                      lambda r: not is_na(r.get("carrier")) and bool(r.get("carrier")))
HIGHER_CONFIDENCE = Rule("higher confidence", lambda r: CONFIDENCE_ORDER[r["confidence"]],
                         "confidence " + ", ".join(sorted(CONFIDENCE_ORDER,
                                                          key=CONFIDENCE_ORDER.get)))
EXACT_FIRST = Rule("exact before qualified", lambda r: r["qualifier"] != "exact",
                   "qualifier exact before qualified")
PRINTED_FIRST = Rule("a figure printed for the whole period before a sum of months",
                     lambda r: r.get("summed") is True)
LATEST_FIRST = Rule("latest source version", _latest_key, "the latest source version first")
FIGURE_ID = Rule("figure id (only to break a tie)", lambda r: r["figure_id"],
                 "figure id (only to make ties deterministic)")

STANDARD_RULES = (ORIGINATOR_FIRST, OFFICIAL_FIRST, OWN_FILE_FIRST, HIGHER_CONFIDENCE,
                  EXACT_FIRST, PRINTED_FIRST, LATEST_FIRST, FIGURE_ID)


def rank(rows: Iterable[dict], first: Sequence[Rule] = ()) -> list[dict]:
    """Competing figures, best first: the ``first`` rules, then the standard ones."""
    rules = (*first, *STANDARD_RULES)
    return sorted(rows, key=lambda r: tuple(rule.key(r) for rule in rules))


@dataclass(frozen=True)
class Choice:
    best: dict
    ranked: list[dict]
    decided_by: str | None  # the rule that put the best ahead of the runner-up

    @property
    def rivals(self) -> int:
        return len(self.ranked) - 1

    def explain(self, what: str = "whole-year figure") -> str:
        """``what``, and, when figures competed, how many and which rule decided."""
        if not self.rivals:
            return what
        return f"{what}; preferred over {self.rivals} rival(s): {self.decided_by}"


def pick(rows: Iterable[dict], first: Sequence[Rule] = ()) -> Choice | None:
    """The best of the competing figures by the rules, or None when there are none."""
    ranked = rank(rows, first)
    if not ranked:
        return None
    decided = None
    if len(ranked) > 1:
        best, runner_up = ranked[0], ranked[1]
        decided = next((rule.name for rule in (*first, *STANDARD_RULES)
                        if rule.key(best) != rule.key(runner_up)), FIGURE_ID.name)
    return Choice(ranked[0], ranked, decided)


def fills(row: dict) -> bool:
    """May this figure's confidence fill a preferred cell?"""
    return row["confidence"] in FILLING_CONFIDENCE


def weakest(confidences: Iterable[str]) -> str:
    return max(confidences, key=CONFIDENCE_ORDER.get)


def sum_of_parts(parts: Sequence[dict], value: str) -> dict:
    """A value derived as the sum of published parts: exact only when every part is exact,
    otherwise 'about'; the weakest confidence of the parts; the parts' figure and source
    ids (each part may carry several, ';'-separated, under figure_ids/source_ids)."""
    def ids(row: dict, many: str, one: str) -> list[str]:
        got = row.get(many) or row.get(one)
        return str(got).split(";") if got else []

    return {
        "value": sum(int(p[value]) for p in parts),
        "qualifier": "exact" if all(p["qualifier"] == "exact" for p in parts) else "about",
        "confidence": weakest(p["confidence"] for p in parts),
        "figure_ids": [i for p in parts for i in ids(p, "figure_ids", "figure_id")],
        "source_ids": list(dict.fromkeys(i for p in parts
                                         for i in ids(p, "source_ids", "source_id"))),
    }
