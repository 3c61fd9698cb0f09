"""Chart editions in other languages, from one translation table a translator can edit
without touching code: ``src/usmx/charts/translations.csv`` (columns ``en``, ``es``,
``note``).

Charts are drawn in English; an edition translates every text of the finished chart (its
title, subtitle, panel titles, legends, tick labels, notes, alt text, description, source
line and the labels of its data) at the end of ``style.finish``. A row of the table is an
exact text or a template: ``{name}`` stands for a run of text (a year, a number, a list of
countries) that is copied across, itself translated when it is words. Long texts (notes,
descriptions, alt text) are translated sentence by sentence.

Numbers keep the form the region's newsrooms print (Mexico and Central America: 12,345 and
12.5). A text with no translation raises :class:`MissingTranslation`, so a chart cannot
ship half translated; tests draw every chart in every language.
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import functools
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

TABLE = Path(__file__).with_name("translations.csv")
LANGUAGES = ("en", "es")
_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("usmx_language", default="en")
# Names that come with the data (the countries table's English and Spanish names): a chart
# passes them in (spec.ChartMeta.names), so a country added to the table needs no row here.
_NAMES: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "usmx_names", default=None)
# Texts that are the same in every language: numbers, years, codes, ids, file names.
_NEUTRAL = re.compile(r"^[\s\d.,:;%+\-–()/$×·]*$|^[A-Z]{2,}[\d\s,/-]*$|^FY\d{2}$"
                      r"|^https?://\S+$|^[\w.-]+\.(csv|ipynb|md|json)$"
                      r"|^(?:[A-Z]{2,} FY\d{4}(?:, )?)+$")
# A run copied into a template that is a proper name ('El Economista', 'Rioaxaca (2019)')
# stays as it is when the table does not translate it.
_NAME = re.compile(r"^(?:(?:[A-ZÁÉÍÓÚÑ][\w.'&-]*|\(\d{4}\)|\d+|de|del|la|el|y|en|vía)\s?)+$")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9)%'\"])\. (?=[A-Z0-9$+])")


class MissingTranslation(KeyError):
    """A chart text has no row in translations.csv for the language asked."""


@contextlib.contextmanager
def language(code: str) -> Iterator[None]:
    """Draw the charts of the block in ``code`` (one of :data:`LANGUAGES`)."""
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; known: {list(LANGUAGES)}")
    token = _LANGUAGE.set(code)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def current() -> str:
    return _LANGUAGE.get()


@contextlib.contextmanager
def names(pairs) -> Iterator[None]:
    """Translate each (English, Spanish) name of ``pairs`` in the block's Spanish texts."""
    token = _NAMES.set({**(_NAMES.get() or {}), **{en: es for en, es in pairs if en and es}})
    try:
        yield
    finally:
        _NAMES.reset(token)


@functools.cache
def _table(code: str) -> tuple[dict[str, str], list[tuple[re.Pattern, str]]]:
    exact: dict[str, str] = {}
    templates: list[tuple[re.Pattern, str]] = []
    with TABLE.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            source, target = row["en"], row.get(code, "")
            if not source or not target:
                raise ValueError(f"{TABLE.name}:{line}: empty 'en' or '{code}' cell")
            if _PLACEHOLDER.search(source):
                pattern = "".join(
                    f"(?P<{part}>.+?)" if index % 2 else re.escape(part)
                    for index, part in enumerate(_PLACEHOLDER.split(source)))
                templates.append((re.compile(f"^{pattern}$"), target))
            else:
                exact[source] = target
    # longer templates first: the most specific wins
    templates.sort(key=lambda item: -len(item[0].pattern))
    return exact, templates


def tr(text: str, code: str | None = None) -> str:
    """``text`` in the language of the block (or ``code``); English is returned as is.
    US fiscal years are written as the table's row for ``FY{yy}`` says, everywhere in the
    text (a year copied into a sentence too)."""
    code = code or current()
    if code == "en" or not text:
        return text
    said = text if _NEUTRAL.match(text) else _translate(text, code)
    return _FISCAL_YEAR.sub(_fiscal_prefix(code), said)


_FISCAL_YEAR = re.compile(r"\bFY(?=\d{2}(?:\d{2})?\b)")


@functools.cache
def _fiscal_prefix(code: str) -> str:
    """How ``code`` writes the US fiscal-year prefix: the table's row for 'FY{yy}'."""
    for pattern, target in _table(code)[1]:
        if pattern.match("FY08"):
            return target.split("{", 1)[0]
    return "FY"


def _translate(text: str, code: str) -> str:
    exact, templates = _table(code)
    if text in exact:
        return exact[text]
    named = _NAMES.get() or {}
    if code == "es" and text in named:
        return named[text]
    if "\n" in text:  # a wrapped label: whole and wrapped again, or line by line
        lines = text.split("\n")
        with contextlib.suppress(MissingTranslation):
            whole = tr(" ".join(lines), code)
            return "\n".join(textwrap.wrap(whole, max(len(line) for line in lines)))
        return "\n".join(tr(line, code) for line in lines)
    for pattern, target in templates:
        match = pattern.match(text)
        if match:
            try:
                return target.format(**{k: _value(v, code)
                                        for k, v in match.groupdict().items()})
            except MissingTranslation:
                continue  # a looser template caught words it cannot carry: try the next
    if _SENTENCE_END.search(text):  # a long text: sentence by sentence
        parts = [tr(part, code) for part in _SENTENCE_END.split(text)]
        return " ".join([*(p if p.endswith(".") else p + "." for p in parts[:-1]),
                         parts[-1]])
    if text.endswith(".") and not text.endswith(".."):
        with contextlib.suppress(MissingTranslation):
            said = tr(text[:-1], code)  # one full stop after an abbreviation ("EE. UU.")
            return said if said.endswith(".") else said + "."
    raise MissingTranslation(f"no {code!r} translation for {text!r}: add a row to "
                             f"{TABLE.name}")


def _value(value: str, code: str) -> str:
    """A run copied into a template: numbers as they are, words translated, a list of
    names ('Guatemala, Honduras and El Salvador') item by item."""
    if _NEUTRAL.match(value):
        return value
    with contextlib.suppress(MissingTranslation):
        return tr(value, code)
    if "; " in value:
        return "; ".join(_value(item, code) for item in value.split("; "))
    if _NAME.match(value):
        try:
            return tr(value, code)
        except MissingTranslation:
            return value
    items = re.split(r", | and ", value)
    if len(items) > 1:
        words = [tr(item, code) for item in items]
        return ", ".join(words[:-1]) + f" {tr('and', code)} " + words[-1]
    return tr(value, code)
