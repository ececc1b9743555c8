"""The checks of the house that neither import-linter, mypy nor ruff makes (run by ``.ci/run``).

- **Module size**: no product module (``bot``, ``core``, ``features``, ``knowledge``,
  ``storage``) over :data:`MAX_LINES` lines; split by concern above that.
- **Surfaces without a database session**: no line of ``bot/`` names ``sqlmodel`` or
  ``Session`` (code, docstrings and comments alike: say "unit of work").
- **Texts in core/texts** (``--texts``, not yet in ``.ci/run``): no string literal with
  Vietnamese letters in ``bot/``, ``features/`` or ``storage/`` outside docstrings.

Each violation is printed as ``path:line: what`` and the exit status is 1 when there is one::

    python tools/check_house.py            # size and surfaces
    python tools/check_house.py --texts    # and the texts
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_LINES = 400
PRODUCT_PACKAGES = ("bot", "core", "features", "knowledge", "storage")
SURFACE_PACKAGE = "bot"
SURFACE_FORBIDDEN = re.compile(r"sqlmodel|Session")
TEXT_PACKAGES = ("bot", "features", "storage")
VIETNAMESE = re.compile(r"[À-ỹĐđ]")


def _modules(root: Path, packages: tuple[str, ...]) -> Iterator[Path]:
    for package in packages:
        yield from sorted((root / package).rglob("*.py"))


def long_modules(root: Path, limit: int = MAX_LINES) -> list[str]:
    """The product modules over ``limit`` lines, as ``path:1: N lines (limit L)``."""
    found = []
    for path in _modules(root, PRODUCT_PACKAGES):
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > limit:
            found.append(f"{path.relative_to(root)}:1: {count} lines (limit {limit})")
    return found


def database_in_surfaces(root: Path) -> list[str]:
    """The lines of ``bot/`` naming ``sqlmodel`` or ``Session``, as ``path:line: the line``."""
    found = []
    for path in _modules(root, (SURFACE_PACKAGE,)):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SURFACE_FORBIDDEN.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def _docstrings(tree: ast.Module) -> set[int]:
    nodes = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, nodes) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def texts_outside_core(root: Path) -> list[str]:
    """String literals with Vietnamese letters outside ``core/texts``, as ``path:line: text``."""
    found = []
    for path in _modules(root, TEXT_PACKAGES):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and VIETNAMESE.search(node.value)
            ):
                text = node.value.strip().splitlines()[0][:60] if node.value.strip() else ""
                found.append(f"{path.relative_to(root)}:{node.lineno}: {text!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    """Run the checks on the repository (or ``--root``); 1 when something is found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--texts", action="store_true", help="also the texts outside core")
    args = parser.parse_args(argv)
    checks = [
        (f"modules over {MAX_LINES} lines", long_modules(args.root)),
        ("sqlmodel/Session named in bot/", database_in_surfaces(args.root)),
    ]
    if args.texts:
        checks.append(("Vietnamese literals outside core/texts", texts_outside_core(args.root)))
    failed = False
    for title, found in checks:
        if found:
            failed = True
            print(f"{title}: {len(found)}")
            print("\n".join(f"  {line}" for line in found))
        else:
            print(f"{title}: none")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
