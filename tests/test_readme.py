"""The README's tour runs as written, and its pictures are MiniGrad's drawings of its code.

Every fenced ```python block of the README is executed in order, in one
namespace, as a reader pasting them into one session would. The committed
SVGs cannot be re-rendered here (that needs Graphviz's ``dot``), so their
text is checked instead: every label ``to_dot`` gives for the README's graphs
appears in the picture.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
IMAGES = ROOT / "docs" / "images"


def _python_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def _run_blocks(count: int | None = None) -> tuple[dict[str, Any], str]:
    """The namespace after running the first ``count`` blocks (all by default), and stdout."""
    namespace: dict[str, Any] = {"__name__": "readme"}
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        for number, block in enumerate(_python_blocks()[:count], start=1):
            exec(compile(block, f"README.md python block {number}", "exec"), namespace)
    return namespace, output.getvalue()


def _record_fields(dot: str) -> set[str]:
    """Every field of every record label and every operation name in DOT text."""
    fields: set[str] = set()
    for label in re.findall(r'label="(.*?)"', dot):
        unescaped = re.sub(r"\\(.)", r"\1", label.strip("{} "))
        fields.update(part.strip() for part in re.split(r" \| ", unescaped))
    return fields


def _svg_texts(path: Path) -> set[str]:
    svg = path.read_text(encoding="utf-8")
    return {html.unescape(text).strip() for text in re.findall(r"<text[^>]*>(.*?)</text>", svg)}


def test_the_readme_has_python_blocks_for_each_stop_of_the_tour() -> None:
    assert len(_python_blocks()) >= 4


@pytest.mark.slow
def test_the_readme_python_blocks_run_in_order() -> None:
    namespace, output = _run_blocks()
    assert "test accuracy" in output
    assert namespace["accuracy"] > 0.9


def test_the_readme_prints_the_gradients_it_shows() -> None:
    _, output = _run_blocks(1)
    shown = re.search(r"^# (c = .*)$", _python_blocks()[0], flags=re.MULTILINE)
    assert shown is not None
    assert output.strip() == shown.group(1)


def _rounded(text: str) -> str:
    """``text`` with every float to 6 digits: central differences round differently per libm."""
    return re.sub(r"-?\d+\.\d+(?:e-?\d+)?", lambda m: f"{float(m.group()):.6g}", text)


def test_the_oracle_reports_in_the_readme_are_what_the_code_prints() -> None:
    _, output = _run_blocks(3)
    text = README.read_text(encoding="utf-8")
    reports = re.search(r"^```text\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    assert reports is not None
    assert _rounded(reports.group(1)) in _rounded(output)


def test_the_value_graph_picture_shows_the_readme_expression() -> None:
    from minigrad.scalar import to_dot

    namespace, _ = _run_blocks(1)
    missing = _record_fields(to_dot(namespace["c"])) - _svg_texts(IMAGES / "value_graph.svg")
    assert not missing, "docs/images/value_graph.svg is stale; see docs/images/make_images.py"


def test_the_tensor_graph_picture_shows_the_readme_expression() -> None:
    namespace, _ = _run_blocks(2)
    missing = _record_fields(namespace["picture"].source) - _svg_texts(IMAGES / "tensor_graph.svg")
    assert not missing, "docs/images/tensor_graph.svg is stale; see docs/images/make_images.py"


def test_the_readme_links_only_to_files_that_exist() -> None:
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\(((?:docs|packages|tests)/[^)#]+)\)", text)
    assert links
    missing = [link for link in links if not (ROOT / link).exists()]
    # docs/benchmarks.md is written by `nox -s bench`; it may not exist in a fresh clone yet.
    assert [link for link in missing if link != "docs/benchmarks.md"] == []
