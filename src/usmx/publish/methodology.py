"""A methodology page per chart and language (reports/methodology/[<lang>/]<id>.html): what
the chart shows, its notes, and every source of its figures with the originators and the
kind of document that carried them. The chart's footer has two lines and points here.

Made from the chart's manifest entry (reports/figures/[<lang>/]manifest.json). Every text
from data is escaped, links go only to http(s) addresses and to the chart's own files, and
the page carries a policy that forbids script; it loads nothing from the network.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from urllib.parse import urlparse

from usmx.charts.i18n import tr
from usmx.charts.sources import name_of
from usmx.paths import Paths, edition_folder

KINDS = {"originator": "the originator's own document", "official_reprint": "official reprint",
         "research": "research report", "news": "news report", "partisan": "partisan outlet"}
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"
STYLE = ("body{font-family:sans-serif;max-width:48em;margin:2em auto;padding:0 1em;"
         "line-height:1.45}td,th{padding:.25em .6em;text-align:left;vertical-align:top}"
         "table{border-collapse:collapse}tr{border-top:1px solid #ddd}")


def folder(paths: Paths, lang: str) -> Path:
    return edition_folder(paths.reports / "methodology", lang)


def targets(paths: Paths, chart_ids, lang: str) -> list[Path]:
    return [folder(paths, lang) / f"{chart}.html" for chart in chart_ids]


def _link(url) -> str | None:
    """A source's address if it is a web address (nothing else becomes a link)."""
    text = str(url or "").strip()
    return text if urlparse(text).scheme in ("http", "https") else None


def page(entry: dict, lang: str, figures: str, index: str) -> bytes:
    """One chart's methodology page; ``figures`` and ``index``: the chart files' folder
    and the index, relative to the page."""
    from usmx.schema import ORIGINATOR_SHORT

    def esc(text) -> str:
        return html.escape(str(text), quote=True)

    def t(text: str) -> str:
        return esc(tr(text, lang))

    notes = entry.get("notes") or []
    rows = ["<!DOCTYPE html>", f'<html lang="{esc(lang)}">', "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{t('Methodology')}: {esc(entry['title'])}</title>",
            f"<style>{STYLE}</style>", "</head>", "<body>",
            f'<p><a href="{esc(index)}">{t("All reports, charts and data")}</a></p>',
            f"<h1>{esc(entry['title'])}</h1>", f"<p>{esc(entry.get('subtitle', ''))}</p>",
            f"<h2>{t('What the chart shows')}</h2>", f"<p>{esc(entry['description'])}</p>",
            f"<p><strong>{t('Text alternative')}:</strong> {esc(entry['alt_text'])}</p>",
            f"<h2>{t('Notes')}</h2>"]
    rows += (["<ul>", *(f"<li>{esc(note)}</li>" for note in notes), "</ul>"] if notes
             else [f"<p>{t('None.')}</p>"])
    rows += [f"<h2>{t('Sources')}</h2>", f"<p>{esc(entry['source_line'])}</p>", "<table>",
             f"<tr><th>{t('Document')}</th><th>{t('Whose count')}</th>"
             f"<th>{t('Kind of document')}</th></tr>"]
    for source in entry.get("source_details") or []:
        url = _link(source.get("url"))
        name = esc(name_of(source["attribution"], lang))
        document = f'<a href="{esc(url)}">{name}</a>' if url else name
        whose = ", ".join(esc(name_of(ORIGINATOR_SHORT.get(o, o), lang))
                          for o in source.get("originators") or [])
        kind = source.get("carrier_kind")
        rows.append(f"<tr><td>{document}</td><td>{whose}</td>"
                    f"<td>{t(KINDS[kind]) if kind in KINDS else esc(kind)}</td></tr>")
    rows += ["</table>", f"<h2>{t('Files')}</h2>", "<p>"]
    rows.append(" · ".join(
        f'<a href="{esc(figures)}/{esc(name)}">{esc(fmt.upper())}</a>'
        for fmt, name in (entry.get("files") or {}).items()))
    rows += ["</p>", "</body>", "</html>", ""]
    return "\n".join(rows).encode("utf-8")


def pages(paths: Paths, lang: str) -> dict[Path, bytes]:
    """The methodology pages of every chart in one language's manifest."""
    manifest = edition_folder(paths.figures, lang) / "manifest.json"
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    where = folder(paths, lang)
    figures = os.path.relpath(edition_folder(paths.figures, lang), where).replace(os.sep, "/")
    index = os.path.relpath(paths.reports / "index.html", where).replace(os.sep, "/")
    return {where / f"{entry['id']}.html": page(entry, lang, figures, index)
            for entry in entries if isinstance(entry, dict) and "id" in entry}

