"""A Griffe extension for the API reference: docstrings written as plain text stay plain.

MiniGrad's docstrings are written for ``help()`` and the source, not for
Markdown. Two things in them would be misread by the site's Markdown:

* examples under ``Example:`` are interactive sessions (``>>> x = Value(2.0)``);
  Griffe reads only ``Examples:`` (plural) as code, so elsewhere ``>>>`` would
  become nested quotes and ``[1.0, 2.0]`` in an output line a link. Every run
  of ``>>>`` lines, with its continuation and output lines up to the next
  blank line, is fenced as a ``pycon`` code block, keeping its indentation;
* shapes written as ``[rows][columns]`` are Markdown's reference-link syntax;
  outside code, ``][`` is escaped so that it shows as written.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_PROMPT = re.compile(r"^(\s*)>>> ?")
_FENCE = re.compile(r"^\s*```")
_CODE_SPAN = re.compile(r"(``.*?``|`[^`]*`)")


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


def escape_reference_links(text: str) -> str:
    """``text`` with ``][`` escaped outside code spans and fenced blocks."""
    lines = []
    in_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            parts = _CODE_SPAN.split(line)
            parts[::2] = [part.replace("][", "]\\[") for part in parts[::2]]
            line = "".join(parts)
        lines.append(line)
    return "\n".join(lines)


class PlainTextDocstrings(griffe.Extension):
    """Make every docstring Griffe loads read as its author wrote it."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite ``obj``'s docstring, if it has one."""
        if obj.docstring is not None:
            obj.docstring.value = escape_reference_links(fence_doctests(obj.docstring.value))
