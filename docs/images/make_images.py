"""Redraw the README's graph pictures from the README's own code.

Run from the root of a clone, with Graphviz installed (the ``graphviz``
package and the ``dot`` program)::

    python3 docs/images/make_images.py

It runs the README's first two ``python`` blocks and renders the scalar graph
``c`` of the first to ``value_graph.svg`` and the tensor graph ``picture`` of
the second to ``tensor_graph.svg``. ``tests/test_readme.py`` checks that the
committed pictures still show what that code builds.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import graphviz

from minigrad.scalar.graph import render

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "images"


def readme_namespace(blocks: int) -> dict[str, Any]:
    """The names defined by the README's first ``blocks`` python blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    namespace: dict[str, Any] = {}
    for block in code[:blocks]:
        exec(block, namespace)
    return namespace


def main() -> None:
    """Write both pictures and say where."""
    value_graph = render(readme_namespace(1)["c"], IMAGES / "value_graph.svg")
    tensor_source = readme_namespace(2)["picture"].source
    tensor_graph = graphviz.Source(tensor_source).render(
        filename=str(IMAGES / "tensor_graph"), format="svg", cleanup=True
    )
    print(f"wrote {value_graph} and {tensor_graph}")


if __name__ == "__main__":
    main()
