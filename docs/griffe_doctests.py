"""A Griffe extension for the API reference: doctest examples are shown as code.

MiniGrad's docstrings write examples under ``Example:`` as interactive sessions
(``>>> x = Value(2.0)``). Griffe reads only ``Examples:`` (plural) as a section
of code, so elsewhere the session would be read as Markdown: ``>>>`` as nested
quotes and ``[1.0, 2.0]`` in an output line as a link. This extension fences
every run of ``>>>`` lines, with their continuation and output lines up to the
next blank line, as a ``pycon`` code block, keeping its indentation.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_PROMPT = re.compile(r"^(\s*)>>> ?")


def fence_doctests(text: str) -> str:
    """``text`` with each interactive session wrapped in a ```pycon fence."""
    lines = text.splitlines()
    fenced: list[str] = []
    index = 0
    while index < len(lines):
        prompt = _PROMPT.match(lines[index])
        if prompt is None:
            fenced.append(lines[index])
            index += 1
            continue
        indent = prompt.group(1)
        fenced.append(f"{indent}```pycon")
        while index < len(lines) and lines[index].strip():
            fenced.append(lines[index])
            index += 1
        fenced.append(f"{indent}```")
    return "\n".join(fenced)


class DoctestFences(griffe.Extension):
    """Fence the doctest sessions of every docstring Griffe loads."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring, if it has one with a ``>>>`` prompt."""
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_doctests(obj.docstring.value)
