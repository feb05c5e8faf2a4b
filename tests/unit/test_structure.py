"""The library stays readable: no module over 400 lines, no function over 60.

Measured with `ast` on plugins/newswire; the local test site (HTML renderers that are
long by nature, owned with the fixtures) is left out. The failure lists every offender.
"""

from __future__ import annotations

import ast
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[2] / "plugins" / "newswire"
EXEMPT = ("testsite",)
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return [
        path
        for path in sorted(LIBRARY.rglob("*.py"))
        if not set(EXEMPT) & set(path.relative_to(LIBRARY).parts)
        and "sql" not in path.relative_to(LIBRARY).parts[:1]
    ]


def test_the_walk_sees_the_library() -> None:
    names = {path.relative_to(LIBRARY).as_posix() for path in _modules()}
    assert {"config.py", "stages/fetch.py", "parse/select.py"} <= names
    assert not any(name.startswith("testsite/") for name in names)


def test_no_module_over_400_lines() -> None:
    offenders = [
        f"{path.relative_to(LIBRARY)}: {lines} lines"
        for path in _modules()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert offenders == []


def test_no_function_over_60_lines() -> None:
    offenders = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    offenders.append(f"{path.relative_to(LIBRARY)}:{node.lineno} {node.name}")
    assert offenders == []
