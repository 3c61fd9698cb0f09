"""The package uses libraries through their public APIs only: no underscore name of
another package (imported, or reached as an attribute of a name that is not our own), no
library attribute set or swapped, no edit of ``sys.modules``. A minor release of a
library then cannot silently break the charts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "usmx"
# Underscore names that are a public API by design (namedtuple's).
ALLOWED = {"_asdict", "_replace", "_fields", "_make"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__")) \
        and name not in ALLOWED


_MUTATORS = {"setdefault", "update", "pop", "popitem", "clear", "__setitem__",
             "__delitem__"}


def _is_sys_modules(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "modules" \
        and isinstance(node.value, ast.Name) and node.value.id == "sys"


def problems(tree: ast.AST) -> list[str]:
    """What a module does that only private or patched library code would allow."""
    found = []
    library_names: set[str] = set()  # names bound to another package's modules or objects
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not alias.name.startswith("usmx"):
                    library_names.add((alias.asname or alias.name).split(".")[0])
                    if any(_private(part) for part in alias.name.split(".")):
                        found.append(f"line {node.lineno}: imports {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and not node.module.startswith("usmx"):
            if any(_private(part) for part in node.module.split(".")):
                found.append(f"line {node.lineno}: imports from {node.module}")
            for alias in node.names:
                library_names.add(alias.asname or alias.name)
                if _private(alias.name):
                    found.append(f"line {node.lineno}: imports {node.module}.{alias.name}")
    own_roots = {"self", "cls"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            root = node.value
            while isinstance(root, ast.Attribute | ast.Call | ast.Subscript):
                root = root.func if isinstance(root, ast.Call) else root.value
            if not (isinstance(root, ast.Name) and root.id in own_roots):
                found.append(f"line {node.lineno}: reaches .{node.attr}")
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
        for target in targets:
            base = target.value if isinstance(target, ast.Attribute | ast.Subscript) else None
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in library_names:
                found.append(f"line {node.lineno}: sets an attribute or item of "
                             f"{base.id} (a library's)")
        if isinstance(node, ast.Attribute) and node.attr in _MUTATORS \
                and _is_sys_modules(node.value):
            found.append(f"line {node.lineno}: changes sys.modules")
        if isinstance(node, ast.Delete) and any(
                isinstance(t, ast.Subscript) and _is_sys_modules(t.value) for t in node.targets):
            found.append(f"line {node.lineno}: changes sys.modules")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("setattr", "delattr") and node.args \
                and isinstance(node.args[0], ast.Name) and node.args[0].id in library_names:
            found.append(f"line {node.lineno}: {node.func.id} on {node.args[0].id}")
    return found


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: p.name)
def test_public_apis_only(path):
    assert problems(ast.parse(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("code", [
    "import matplotlib.text\nmatplotlib.text._get_text_metrics_with_cache = f",
    "from matplotlib.backends import _backend_pdf_ps",
    "from matplotlib.font_manager import fontManager\nfontManager._find_fonts_by_props(p)",
    "import sys\nsys.modules['x'] = None",
    "import sys\nsys.modules.setdefault('x', None)",
    "import matplotlib\nsetattr(matplotlib, 'rcParams', {})",
    "def f(renderer):\n    return renderer._renderer",
    "import numpy as np\nnp.lib._index_tricks_impl",
])
def test_the_scan_finds_private_access_and_patching(code):
    found = problems(ast.parse(code))
    assert found, code


def test_the_scan_leaves_our_own_names_and_public_ones_alone():
    code = ("from usmx.rawio import _private_helper\nimport matplotlib as mpl\n"
            "class A:\n    def f(self):\n        return self._cache\n"
            "mpl.rcParams.get('x')\nrow._asdict()\n")
    assert problems(ast.parse(code)) == []
