"""Only searchkit/codec/ touches Whoosh's private attributes.

The rule, checked by an AST walk of every module in searchkit/ outside codec/:
an attribute access `x._name` (a single leading underscore; dunders such as
`__class__` are Python's, not Whoosh's) is allowed only when `x` is `self`,
`cls` or `super()`, or a name bound to a searchkit module by an import
(`store._damaged`: our own module's private helper). Anything else — a
searcher, a reader, a matcher, an index, a writer — may be a Whoosh object,
and its private attributes are codec/'s business (`searchkit.codec.probe`
decides whether they are the layout it knows). Likewise a private name imported
from Whoosh (`from whoosh.codec.whoosh3 import _lenfield`). Nothing else is
allow-listed: a module that needs a private attribute asks codec/ for it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "searchkit"
CODEC = PACKAGE / "codec"

#: Modules reshaped in a parallel branch (search/ moves its private reads into codec/readers.py).
#: The lead removes each entry after merging that branch.
PENDING: set[str] = set()


def _own_modules(tree: ast.AST) -> set[str]:
    """Names bound to searchkit modules by this module's imports."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "searchkit":
                    names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("searchkit")):
            base = Path(*(node.module or "").split(".")) if node.module else None
            for alias in node.names:
                parts = (node.module or "").split(".") + [alias.name]
                if (
                    (PACKAGE.parent / Path(*parts)).with_suffix(".py").is_file()
                    or (PACKAGE.parent / Path(*parts) / "__init__.py").is_file()
                    or (node.level and base is None)
                ):
                    names.add(alias.asname or alias.name)
    return names


def _is_ours(value: ast.expr, modules: set[str]) -> bool:
    if isinstance(value, ast.Name):
        return value.id in {"self", "cls"} or value.id in modules
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return value.func.id == "super"
    return False


def private_accesses(path: Path) -> list[str]:
    """`line: expression` of every access to a private attribute of an object that may be Whoosh's."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    modules = _own_modules(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "whoosh":
            found += [f"{node.lineno}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
        if not isinstance(node, ast.Attribute):
            continue
        name = node.attr
        if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
            continue
        if not _is_ours(node.value, modules):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def _modules() -> list[str]:
    paths = sorted(p for p in PACKAGE.rglob("*.py") if CODEC not in p.parents)
    return [str(p.relative_to(PACKAGE.parent)) for p in paths]


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(m, marks=pytest.mark.xfail(strict=False, reason="reshaped in a parallel branch"))
        if m in PENDING
        else m
        for m in _modules()
    ],
)
def test_no_private_whoosh_attribute_outside_codec(module: str) -> None:
    assert private_accesses(PACKAGE.parent / module) == []


def test_the_rule_sees_what_it_should(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from searchkit.indexing import store\n"
        "from whoosh.codec.whoosh3 import W3Codec, _lenfield\n"
        "class A:\n"
        "    def f(self, searcher, ix):\n"
        "        self._x = store._damaged\n"
        "        super()._y()\n"
        "        n = type(ix).__name__\n"
        "        return searcher._reader, ix._read_toc(), searcher.reader()._perdoc\n",
        encoding="utf-8",
    )
    assert sorted(private_accesses(sample)) == [
        "2: whoosh.codec.whoosh3._lenfield",
        "8: ix._read_toc",
        "8: searcher._reader",
        "8: searcher.reader()._perdoc",
    ]
