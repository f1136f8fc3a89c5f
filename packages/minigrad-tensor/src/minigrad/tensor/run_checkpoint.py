"""What the training commands share about their checkpoints: reading a run back, checked.

``minigrad train`` on images (:mod:`minigrad.tensor.training`) and on names
(:mod:`minigrad.tensor.lm_training`) save a run as one dict through
:mod:`minigrad.tensor.checkpoint`, which guarantees every byte. What that
guarantee cannot cover is a file that is intact but not what a loader expects
(another kind of run, a config field that no longer exists, weights of another
model), or a forged one with a valid checksum. These helpers turn each such
case into a one-line :class:`~minigrad.tensor.checkpoint.CheckpointError`, and
compare a saved config with the one a resume asks for.

Example:
    >>> import dataclasses
    >>> @dataclasses.dataclass(frozen=True)
    ... class Config:
    ...     lr: float = 0.1
    ...     steps: int = 10
    >>> setup_differences(Config(lr=0.2, steps=5), Config(), ignore="steps")
    ['lr 0.2 (checkpoint: 0.1)']
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from minigrad.tensor import checkpoint
from minigrad.tensor.nn.module import Module

__all__ = [
    "CHECKPOINT_NAME",
    "copy_arrays",
    "run_paths",
    "load_run_checkpoint",
    "load_weights",
    "restoring",
    "setup_differences",
]

ConfigT = TypeVar("ConfigT")

CHECKPOINT_NAME = "last.safetensors"
"""The file a run writes in its checkpoint folder (and resumes from)."""


def run_paths(
    checkpoint_dir: str | Path | None,
    *,
    resume: bool,
    overwrite: bool,
    describe: Callable[[Path], str] | None = None,
) -> tuple[Path | None, Path | None]:
    """A run's checkpoint folder and file, refusing to resume without one or to overwrite one.

    A fresh run (neither ``resume`` nor ``overwrite``) whose folder already holds
    a checkpoint raises FileExistsError; ``describe(path)``, when given, says
    what that checkpoint holds.
    """
    folder = Path(checkpoint_dir) if checkpoint_dir is not None else None
    path = folder / CHECKPOINT_NAME if folder is not None else None
    if resume and path is None:
        raise ValueError("resume needs a checkpoint folder")
    if not resume and not overwrite and path is not None and path.exists():
        held = f" ({describe(path)})" if describe is not None else ""
        raise FileExistsError(
            f"{path} already holds a checkpoint{held}; continue it with --resume or replace "
            "it with --overwrite (in Python: resume=True or overwrite=True)"
        )
    return folder, path


def load_run_checkpoint(
    path: str | Path,
    *,
    kind: str,
    parts: Sequence[str],
    config_type: type[ConfigT],
    command: str,
) -> tuple[ConfigT, dict[str, Any]]:
    """Read a run's checkpoint: its config (rebuilt as ``config_type``) and its whole state.

    Args:
        path: the checkpoint file.
        kind: the ``"kind"`` entry the writer stored; any other is refused.
        parts: the top-level entries the state must have.
        config_type: the dataclass the saved ``"config"`` dict rebuilds.
        command: the command that writes such files, for the error message.

    Raises:
        FileNotFoundError: no file at ``path``.
        checkpoint.CheckpointError: the file is damaged, foreign, or not ``kind``.
    """
    state = checkpoint.load(path)
    if state.get("kind") != kind:
        raise checkpoint.CheckpointError(
            f"{path}: a minigrad checkpoint, but not one written by `{command}`"
        )
    missing = sorted(set(parts) - set(state))
    if missing:
        raise checkpoint.CheckpointError(f"{path}: its state lacks {', '.join(missing)}")
    saved = state["config"]
    if not isinstance(saved, dict) or not all(isinstance(key, str) for key in saved):
        raise checkpoint.CheckpointError(f"{path}: its training config is not a dict of names")
    try:
        config = config_type(**saved)
    except (TypeError, ValueError) as error:
        raise checkpoint.CheckpointError(
            f"{path}: its training config is invalid: {error}"
        ) from None
    return config, state


def load_weights(model: Module, weights: Any, path: Path, what: str) -> None:
    """``model.load_state_dict(weights)``; a misfit is one line naming ``what`` the model is."""
    try:
        model.load_state_dict(weights)
    except RuntimeError as error:
        # load_state_dict lists one problem per line; a command's error is one line.
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        problems = "; ".join(lines[1:] or lines)
        raise checkpoint.CheckpointError(
            f"{path}: its weights do not fit the {what}: {problems}"
        ) from None
    except TypeError as error:
        raise checkpoint.CheckpointError(
            f"{path}: its weights are not stored by name: {error}"
        ) from None


@contextlib.contextmanager
def restoring(path: Path, part: str) -> Iterator[None]:
    """Turn any error while restoring ``part`` of a checkpoint into a one-line CheckpointError."""
    try:
        yield
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError) as error:
        detail = " ".join(str(error).split())
        raise checkpoint.CheckpointError(
            f"{path}: its {part} state cannot be restored: {type(error).__name__}: {detail}"
        ) from None


def setup_differences(config: Any, saved: Any, *, ignore: str) -> list[str]:
    """The fields (all but ``ignore``) in which two config dataclasses differ, for a message."""
    return [
        f"{field.name} {getattr(config, field.name)!r} (checkpoint: {getattr(saved, field.name)!r})"
        for field in dataclasses.fields(config)
        if field.name != ignore and getattr(config, field.name) != getattr(saved, field.name)
    ]


def copy_arrays(value: Any) -> Any:
    """``value`` with every NumPy array in its dicts and lists copied (a snapshot to save)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {key: copy_arrays(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_arrays(item) for item in value]
    return value
