"""Build the HTML API reference from the docstrings with pdoc; any warning fails the build.

Run by ``python3 -m nox -s docs``, which installs pdoc and both packages::

    python docs/build_api.py docs/api

pdoc documents the modules it is given and the submodules their ``__all__``
lists. ``minigrad.tensor`` does not list ``nn``, ``optim``, ``data``,
``testing`` or ``graph`` there, so every public module (no ``_`` in its dotted
name) is named explicitly, except those a listed package already brings in:
pdoc warns about a module added twice.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import warnings
from pathlib import Path

import pdoc
import pdoc.render

PACKAGES = ("minigrad.scalar", "minigrad.tensor")


def public_modules(package_name: str) -> list[str]:
    """``package_name`` and all its public submodules, parents before children."""
    package = importlib.import_module(package_name)
    names = [package_name]
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def _brought_in_by_parent(name: str, documented: set[str]) -> bool:
    """Whether pdoc adds ``name`` on its own, as a submodule its documented parent lists."""
    parent_name, _, leaf = name.rpartition(".")
    if parent_name not in documented:
        return False
    listed = getattr(importlib.import_module(parent_name), "__all__", None)
    return listed is None or leaf in listed


def module_specs() -> tuple[list[str], set[str]]:
    """The module names to hand to pdoc, and every module that will get a page."""
    specs: list[str] = []
    documented: set[str] = set()
    for package in PACKAGES:
        for name in public_modules(package):
            if not _brought_in_by_parent(name, documented):
                specs.append(name)
            documented.add(name)
    return specs, documented


def main(output: str) -> int:
    """Write the reference to ``output``; return 1 (listing them) if pdoc warned."""
    specs, documented = module_specs()
    pdoc.render.configure(docformat="google", footer_text="MiniGrad API reference")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdoc.pdoc(*specs, output_directory=Path(output))
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    missing = sorted(
        name
        for name in documented
        if not (Path(output) / f"{name.replace('.', '/')}.html").exists()
    )
    for name in missing:
        print(f"error: no page for {name}", file=sys.stderr)
    if caught or missing:
        return 1
    print(f"API reference for {len(documented)} modules in {output}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/api"))
