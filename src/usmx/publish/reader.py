"""The reader edition of an executed notebook: one light HTML page for readers without
JupyterLab.

The prose (Markdown cells) and the outputs are shown and the code is not: tables as the
display layer made them, charts as images with their alt text, printed text as text. A
line under the title links the notebook and names the command that reruns it. The page
holds no script and loads nothing (it works offline), and its style is a few lines of CSS.
"""

from __future__ import annotations

import base64
import functools
import html
from pathlib import Path

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
 max-width:56rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1,h2,h3{line-height:1.25;margin:1.6em 0 .5em}
a{color:#0b5cab}
.usmx-reader-note{font-size:.9em;color:#444;border-bottom:1px solid #ddd;padding-bottom:.8em}
.usmx-output{margin:1em 0;overflow-x:auto}
.usmx-output img{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{padding:.3em .6em;border-bottom:1px solid #e2e2e2}
thead th{border-bottom:2px solid #999}
tbody tr:nth-child(even){background:#f7f7f7}
pre{background:#f6f6f6;padding:.6em .8em;overflow-x:auto;font-size:.85em}
code{font-size:.9em}
""".strip()


@functools.cache
def _markdown():
    import mistune

    return mistune.create_markdown(escape=False, plugins=["table", "strikethrough", "url"])


def _image(mime: str, data, alt: str, width) -> str:
    if isinstance(data, bytes):
        data = base64.b64encode(data).decode("ascii")
    size = f' width="{int(width)}"' if isinstance(width, (int, float)) else ""
    return (f'<img src="data:{mime};base64,{data.strip()}" alt="{html.escape(alt, quote=True)}"'
            f'{size}>')


def output_html(output) -> str:
    """One output of a code cell as HTML (empty for what a reader need not see)."""
    kind = output.get("output_type")
    if kind == "stream":
        return f'<pre class="usmx-stream">{html.escape(output.get("text", ""))}</pre>'
    if kind not in ("display_data", "execute_result"):
        return ""
    data = output.get("data", {})
    plain = str(data.get("text/plain", "")).strip("'\"")
    for mime in ("image/png", "image/jpeg"):
        if mime in data:  # a chart: its alt text rides along as text/plain
            width = output.get("metadata", {}).get(mime, {}).get("width")
            return _image(mime, data[mime], plain, width)
    if "text/html" in data:
        return str(data["text/html"])
    if "text/markdown" in data:
        return _markdown()(str(data["text/markdown"]))
    return f"<pre>{html.escape(plain)}</pre>" if plain else ""


def page(nb, title: str, source: Path | None = None, rerun: str = "") -> bytes:
    """The reader edition of the executed notebook ``nb`` as UTF-8 HTML."""
    body = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            body.append(_markdown()(cell.source))
        elif cell.cell_type == "code":
            body += [f'<div class="usmx-output">{shown}</div>'
                     for shown in map(output_html, cell.get("outputs", [])) if shown]
    note = ""
    if source is not None:
        link = f"../notebooks/{source.name}"
        note = (f'<p class="usmx-reader-note">Reader edition of <a href="{html.escape(link)}">'
                f"notebooks/{html.escape(source.name)}</a> (code hidden). To rerun: "
                f'{html.escape(rerun)}. <a href="index.html">All reports and charts</a></p>')
    lines = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{html.escape(title)}</title>", f"<style>{CSS}</style>", "</head>",
             "<body>", note, *body, "</body>", "</html>", ""]
    return "\n".join(line for line in lines if line).encode("utf-8")
