"""Checkpoints: nested training state in one safetensors file, written atomically.

:func:`save` takes a nested structure such as ``{"model": model.state_dict(),
"optimizer": opt.state_dict(), "epoch": 3}``. Every array (ndarray, Tensor or
NumPy scalar) becomes a safetensors tensor named by its path, e.g.
``model/0.weight`` or ``optimizer/state/0/exp_avg``, so the file opens in any
safetensors reader. Everything else (numbers, strings, lists, tuples, dicts
with int or str keys, the layout of the structure) goes into the file's
metadata as JSON, with a format marker and a checksum of the array data.
:func:`load` rebuilds the same structure. Nothing is pickled, so loading a
file cannot run code.

Example:
    >>> import tempfile, pathlib, numpy as np
    >>> from minigrad.tensor.checkpoint import load, save
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "ckpt.safetensors"
    >>> save({"model": {"0.weight": np.ones((2, 3), np.float32)}, "epoch": 3}, path)
    >>> state = load(path)
    >>> state["epoch"], state["model"]["0.weight"].shape
    (3, (2, 3))
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np
import safetensors
import safetensors.numpy

from minigrad.tensor.tensor import Tensor

__all__ = ["FORMAT", "FORMAT_VERSION", "CheckpointError", "check_shapes", "load", "save"]

FORMAT = "minigrad-checkpoint"
FORMAT_VERSION = 1

Structure = Any  # JSON-compatible description of the nested state


class CheckpointError(ValueError):
    """A file that is not a readable minigrad checkpoint: truncated, corrupted or foreign."""


# ---------------------------------------------------------------- flattening


class _Flattener:
    """Splits a nested state into named arrays and a JSON description of the rest."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def visit(self, value: Any, path: tuple[str, ...]) -> Structure:
        if isinstance(value, Tensor):
            node: dict[str, Any] = {"tensor": self._add(value.data, path)}
            if value.requires_grad:
                node["requires_grad"] = True
            return node
        if isinstance(value, np.ndarray):
            return {"array": self._add(value, path)}
        if isinstance(value, np.generic):
            return {"scalar": self._add(np.asarray(value), path)}
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, Mapping):
            items = []
            for key, item in value.items():
                if isinstance(key, bool) or not isinstance(key, (str, int)):
                    raise TypeError(
                        f"save: dict keys must be str or int, got {type(key).__name__} "
                        f"{key!r} at {_describe(path)}"
                    )
                items.append([key, self.visit(item, (*path, str(key)))])
            return {"dict": items}
        if isinstance(value, (list, tuple)):
            kind = "list" if isinstance(value, list) else "tuple"
            return {kind: [self.visit(item, (*path, str(i))) for i, item in enumerate(value)]}
        raise TypeError(
            "save: can store arrays, Tensors, numbers, strings, None and lists, tuples or "
            f"dicts of them; got {type(value).__name__} at {_describe(path)}"
        )

    def _add(self, array: np.ndarray, path: tuple[str, ...]) -> str:
        name = "/".join(path)
        if name in self.arrays:
            raise ValueError(
                f"save: two arrays would be stored under the same name {name!r}; "
                "rename a key that contains '/'"
            )
        if array.dtype.byteorder == ">":
            array = array.astype(array.dtype.newbyteorder("<"))
        # Not np.ascontiguousarray: it would turn a 0-d array into shape (1,).
        self.arrays[name] = array if array.flags.c_contiguous else array.copy(order="C")
        return name


def _describe(path: tuple[str, ...]) -> str:
    return repr("/".join(path)) if path else "the top level"


def _checksum(arrays: Mapping[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for name in sorted(arrays):
        array = arrays[name]
        digest.update(f"{name}\0{array.dtype.str}\0{array.shape}\0".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


# -------------------------------------------------------------------- saving


def save(state: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Write ``state`` to ``path`` as a safetensors file, atomically.

    The bytes go to a temporary file in the same folder, which is flushed to
    disk and then renamed over ``path``: a crash or an exception (including
    Ctrl-C) during the save leaves any previous file at ``path`` whole.

    Args:
        state: a dict whose values are arrays, Tensors, NumPy scalars, numbers,
            strings, None, or lists, tuples and dicts (str or int keys) of them.
        path: the file to write; its folder must exist.

    Raises:
        TypeError: a value or key of a type that cannot be stored (the message
            names its path in ``state``) or an array dtype safetensors lacks.
    """
    if not isinstance(state, Mapping):
        raise TypeError(f"save: state must be a dict, got {type(state).__name__}")
    flattener = _Flattener()
    structure = flattener.visit(state, ())
    metadata = {
        "format": FORMAT,
        "format_version": str(FORMAT_VERSION),
        "structure": json.dumps(structure, separators=(",", ":")),
        "sha256": _checksum(flattener.arrays),
    }
    try:
        payload = safetensors.numpy.save(flattener.arrays, metadata=metadata)
    except safetensors.SafetensorError as error:
        raise TypeError(f"save: safetensors cannot store this state: {error}") from error
    _write_atomically(Path(path), payload)


def _write_all(file: IO[bytes], payload: bytes) -> None:
    """Write the whole payload (a separate step so tests can interrupt it midway)."""
    file.write(payload)


def _write_atomically(path: Path, payload: bytes) -> None:
    if not path.parent.is_dir():
        raise FileNotFoundError(f"save: the folder {path.parent} does not exist")
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # 0o666 and O_EXCL: the usual umask-governed permissions, and never
    # someone else's file.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(temporary, flags, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            _write_all(file, payload)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


# ------------------------------------------------------------------- loading


def load(path: str | os.PathLike[str], *, like: Any = None) -> Any:
    """Read a checkpoint written by :func:`save` and rebuild its nested structure.

    Arrays come back as ndarrays (Tensors as Tensors, NumPy scalars as NumPy
    scalars), ints as ints, floats as floats, tuples as tuples and int dict
    keys as ints.

    Args:
        path: the checkpoint file.
        like: optionally, an existing state of the same layout (e.g.
            ``{"model": model.state_dict()}``); every array present in both
            must have the same shape, or a ValueError names each mismatched
            key with both shapes (see :func:`check_shapes`).

    Raises:
        FileNotFoundError: no file at ``path``.
        CheckpointError: the file is truncated, corrupted, not a safetensors
            file, or a safetensors file that minigrad did not write.
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        arrays = safetensors.numpy.load(raw)
    except safetensors.SafetensorError as error:
        raise CheckpointError(
            f"{path}: not a valid safetensors file (truncated, corrupted or another format): "
            f"{error}"
        ) from error
    metadata = _header_metadata(raw)
    if metadata.get("format") != FORMAT:
        raise CheckpointError(
            f"{path}: a safetensors file, but not a minigrad checkpoint (its metadata has no "
            f"'format': {FORMAT!r} marker); it was written by another program"
        )
    version = metadata.get("format_version", "")
    if version != str(FORMAT_VERSION):
        raise CheckpointError(
            f"{path}: minigrad checkpoint format version {version!r}; this minigrad reads "
            f"version {FORMAT_VERSION}"
        )
    if metadata.get("sha256") != _checksum(arrays):
        raise CheckpointError(f"{path}: corrupted: the array data does not match its checksum")
    try:
        structure = json.loads(metadata["structure"])
        state = _Rebuilder(arrays).visit(structure)
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(f"{path}: corrupted checkpoint structure: {error}") from error
    if like is not None:
        check_shapes(state, like)
    return state


def _header_metadata(raw: bytes) -> dict[str, str]:
    # safetensors has validated the header by now: 8 bytes of length, then JSON.
    header_size = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + header_size])
    metadata = header.get("__metadata__") or {}
    return {str(key): str(value) for key, value in metadata.items()}


class _Rebuilder:
    """Turns the JSON description and the named arrays back into the nested state."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.arrays = arrays
        self.used: set[str] = set()

    def visit(self, node: Structure) -> Any:
        state = self._visit(node)
        unused = set(self.arrays) - self.used
        if unused:
            raise ValueError(f"arrays not referenced by the structure: {sorted(unused)}")
        return state

    def _visit(self, node: Structure) -> Any:
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if not isinstance(node, dict) or len(node) not in (1, 2):
            raise ValueError(f"unexpected node {node!r}")
        if "tensor" in node:
            return Tensor(
                self._array(node["tensor"]), requires_grad=bool(node.get("requires_grad"))
            )
        (kind, body), *_ = node.items()
        if kind == "array":
            return self._array(body)
        if kind == "scalar":
            return self._array(body)[()]
        if kind == "list":
            return [self._visit(item) for item in body]
        if kind == "tuple":
            return tuple(self._visit(item) for item in body)
        if kind == "dict":
            return {key: self._visit(item) for key, item in body}
        raise ValueError(f"unknown node kind {kind!r}")

    def _array(self, name: str) -> np.ndarray:
        if name not in self.arrays:
            raise ValueError(f"the structure refers to a missing array {name!r}")
        self.used.add(name)
        return self.arrays[name]


# ---------------------------------------------------------- shape checking


def check_shapes(loaded: Any, existing: Any) -> None:
    """Raise a ValueError naming every array whose shape differs between two states.

    Arrays are matched by their path (``model/0.weight``); paths present in
    only one of the states are ignored (``load_state_dict`` reports those).

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor.checkpoint import check_shapes
        >>> try:
        ...     check_shapes({"w": np.zeros(3)}, {"w": np.zeros(2)})
        ... except ValueError as error:
        ...     print(error)
        shape mismatch: 'w' is (3,) in the checkpoint but (2,) in the existing state
    """
    ours = _shapes(loaded, ())
    theirs = _shapes(existing, ())
    problems = [
        f"{name!r} is {ours[name]} in the checkpoint but {theirs[name]} in the existing state"
        for name in ours
        if name in theirs and ours[name] != theirs[name]
    ]
    if problems:
        raise ValueError("shape mismatch: " + "; ".join(problems))


def _shapes(value: Any, path: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    if isinstance(value, (Tensor, np.ndarray)):
        return {"/".join(path): tuple(value.shape)}
    found: dict[str, tuple[int, ...]] = {}
    if isinstance(value, Mapping):
        for key, item in value.items():
            found.update(_shapes(item, (*path, str(key))))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found.update(_shapes(item, (*path, str(index))))
    return found
