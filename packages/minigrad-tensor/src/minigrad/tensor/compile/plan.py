"""The plan: a recorded step turned into one straight-line Python function on arrays.

A :class:`Plan` takes the :class:`~minigrad.tensor.compile.record.Recorder`'s
instructions and writes them out as the source of a function, one line per
kernel, with local variables as slots. That function *is* the replay: Python
compiles it once, and each later call runs exactly the lines you can read with
``print(plan)``, with no Tensor, graph node or graph walk per operation.

Writing the plan out also makes two improvements easy to see:

* **dead code is dropped**: an operation whose result nothing reads (a metric
  computed and thrown away) is not replayed, unless it draws random numbers,
  which must advance the generator exactly as the eager step did;
* **arrays are freed at their last use** (``del v3, g5``), as the eager backward
  pass frees its graph, so a replay needs no more memory than an eager step.

Everything else is the eager engine's own code (each op's forward and backward
functions, its gradient bookkeeping, the optimizer's ``step``), called in the
same order on the same arrays, which is why a replay agrees with eager mode
bit for bit.
"""

from __future__ import annotations

import itertools
import linecache
from collections.abc import Callable, Sequence
from typing import Any

from minigrad.tensor.compile.fuse import fuse
from minigrad.tensor.compile.instructions import Instruction, Namespace
from minigrad.tensor.compile.record import External
from minigrad.tensor.tensor import Tensor

__all__ = ["Plan"]

_plan_numbers = itertools.count(1)


def _live(instructions: Sequence[Instruction], outputs: set[str]) -> list[Instruction]:
    """The instructions whose results are needed (by a later one or the outputs), in order."""
    live = set(outputs)
    kept: list[Instruction] = []
    for instruction in reversed(instructions):
        if instruction.pure and not any(w in live for w in instruction.writes):
            continue
        kept.append(instruction)
        live.update(instruction.reads)
    kept.reverse()
    return kept


def _frees(instructions: Sequence[Instruction], keep: set[str]) -> list[list[str]]:
    """For each instruction, the temporaries (``v``/``g`` slots) that die after it."""
    last: dict[str, int] = {}
    for i, instruction in enumerate(instructions):
        for name in (*instruction.reads, *instruction.writes):
            if name[0] in "vg" and name not in keep:
                last[name] = i
    frees: list[list[str]] = [[] for _ in instructions]
    for name, i in last.items():
        frees[i].append(name)
    return frees


class Plan:
    """One recorded step as a Python function on arrays (``print(plan)`` shows its source).

    Args:
        instructions: what the recorder wrote down, in order.
        inputs: how many tensors the call passes.
        externals: the tensors from outside the call that the step reads.
        output: the source of the returned value (e.g. ``"Tensor(v9)"``).
        output_slots: the slots that ``output`` reads.
        free: whether to ``del`` temporaries at their last use.
        optimize: whether to fuse (:mod:`~minigrad.tensor.compile.fuse`).
    """

    def __init__(
        self,
        instructions: Sequence[Instruction],
        inputs: int,
        externals: Sequence[External],
        output: str,
        output_slots: set[str],
        constants: dict[str, Any],
        free: bool = True,
        optimize: bool = True,
    ) -> None:
        self.recorded = len(instructions)
        self.instructions = _live(fuse(instructions) if optimize else instructions, output_slots)
        self.externals = list(externals)
        self.random = any(getattr(i, "random", False) for i in self.instructions)
        """Whether a replay draws random numbers (dropout): the guards watch the generator."""
        names = Namespace()
        names.values.update(constants)
        names.values["Tensor"] = Tensor
        for external in self.externals:
            names.values[external.name.upper()] = external.tensor
        used = {name for i in self.instructions for name in i.reads} | output_slots
        parameters = ", ".join(f"t{i}" for i in range(inputs))
        lines = [f"def replay({parameters}):"]
        lines += [f"    x{i} = t{i}.data" for i in range(inputs) if f"x{i}" in used]
        lines += [f"    {e.name} = {e.name.upper()}.data" for e in self.externals if e.name in used]
        if any(type(i).__name__ == "Leaf" for i in self.instructions):
            lines.append("    adopted = set()  # gradients handed to a leaf (see accumulate_leaf)")
        frees = _frees(self.instructions, output_slots) if free else [[]] * len(self.instructions)
        for instruction, dead in zip(self.instructions, frees, strict=True):
            lines.append("    " + instruction.line(names))
            if dead:
                lines.append(f"    del {', '.join(sorted(dead, key=_slot_order))}")
        lines.append(f"    return {output}")
        self.source = "\n".join(lines) + "\n"
        self.namespace = names.values
        filename = f"<minigrad plan {next(_plan_numbers)}>"
        # Registered with linecache, so a traceback through a replay shows the plan's line.
        lines_kept = self.source.splitlines(True)
        linecache.cache[filename] = (len(self.source), None, lines_kept, filename)
        exec(compile(self.source, filename, "exec"), self.namespace)
        self.run: Callable[..., Any] = self.namespace["replay"]

    @property
    def kernels(self) -> int:
        """How many lines of array work a replay runs."""
        return len(self.instructions)

    def __str__(self) -> str:
        return self.source

    def __repr__(self) -> str:
        return (
            f"<Plan: {len(self.instructions)} instructions "
            f"({self.recorded - len(self.instructions)} dropped), {len(self.externals)} tensors "
            "from outside the call>"
        )


def _slot_order(name: str) -> tuple[str, int, str]:
    digits = "".join(itertools.takewhile(str.isdigit, name[1:]))
    return name[0], int(digits or 0), name
