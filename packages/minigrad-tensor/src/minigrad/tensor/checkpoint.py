"""Checkpoints: nested training state in one safetensors file, written atomically.

:func:`save` takes a nested structure such as ``{"model": model.state_dict(),
"optimizer": opt.state_dict(), "epoch": 3}``. Every array (ndarray, Tensor or
NumPy scalar) becomes a safetensors tensor named by its path, e.g.
``model/0.weight`` or ``optimizer/state/0/exp_avg``, so the file opens in any
safetensors reader. Everything else (numbers, strings, lists, tuples, dicts
with int or str keys, the layout of the structure) goes into the file's
metadata as JSON, with a format marker, a format version and a SHA-256
checksum of every byte of the file (header, key names, metadata and arrays).
:func:`load` checks all of it before it builds anything, then rebuilds the
same structure: the whole state or a :class:`CheckpointError`, never a part.
Nothing is pickled, so loading a file cannot run code.

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

import glob
import hashlib
import json
import math
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np

from minigrad.tensor.tensor import Tensor

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "READABLE_DTYPES",
    "CheckpointError",
    "check_shapes",
    "load",
    "save",
]

FORMAT = "minigrad-checkpoint"
FORMAT_VERSION = 2
"""Version 1 checksummed only the arrays; version 2 checksums every byte of the file."""

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


# ------------------------------------------------------------ the file layout
#
# A safetensors file: 8 bytes of little-endian header length N, N bytes of JSON
# header (padded with spaces), then the data section. minigrad writes the header
# itself so that it starts with a fixed prefix followed by the checksum's 64 hex
# digits; the checksum is the SHA-256 of the whole file with those 64 digits
# set to "0". Every other byte (length, header, key names, structure, arrays)
# is covered, and the checksum's own bytes are covered by the comparison.

_CHECKSUM_PREFIX = b'{"__metadata__":{"checksum":"sha256:'
_CHECKSUM_AT = 8 + len(_CHECKSUM_PREFIX)
_CHECKSUM_HEX = 64
_UNSEALED = b"0" * _CHECKSUM_HEX
_MAX_HEADER_BYTES = 100 * 2**20  # the limit safetensors itself enforces
# JSON nesting accepted in the header and in the structure (a dict level of
# the state costs three); far below the recursion limit of json and the rebuilder.
_MAX_NESTING = 300

_DTYPES: dict[str, np.dtype[Any]] = {
    "BOOL": np.dtype("?"),
    "U8": np.dtype("u1"),
    "I8": np.dtype("i1"),
    "U16": np.dtype("<u2"),
    "I16": np.dtype("<i2"),
    "U32": np.dtype("<u4"),
    "I32": np.dtype("<i4"),
    "U64": np.dtype("<u8"),
    "I64": np.dtype("<i8"),
    "F16": np.dtype("<f2"),
    "F32": np.dtype("<f4"),
    "F64": np.dtype("<f8"),
}
_DTYPE_CODES = {dtype: code for code, dtype in _DTYPES.items()}
READABLE_DTYPES = tuple(_DTYPES)
"""The safetensors dtypes minigrad reads and writes (BF16 and the F8 types are not among them)."""


def _layout(arrays: Mapping[str, np.ndarray], structure: str, version: str) -> bytearray:
    """The unsealed file bytes (checksum digits all "0") of ``arrays`` and a JSON ``structure``."""
    entries: dict[str, Any] = {}
    offset = 0
    for name in sorted(arrays):
        array = arrays[name]
        code = _DTYPE_CODES.get(array.dtype.newbyteorder("<"))
        if code is None:
            raise TypeError(
                f"save: safetensors cannot store the {array.dtype} array {name!r}; "
                f"minigrad stores {', '.join(READABLE_DTYPES)}"
            )
        entries[name] = {
            "dtype": code,
            "shape": list(array.shape),
            "data_offsets": [offset, offset + array.nbytes],
        }
        offset += array.nbytes
    metadata = {
        "checksum": "sha256:" + _UNSEALED.decode(),
        "format": FORMAT,
        "format_version": version,
        "structure": structure,
    }
    header = json.dumps({"__metadata__": metadata, **entries}, separators=(",", ":")).encode()
    header += b" " * (-(8 + len(header)) % 8)  # the data section starts 8-byte aligned
    payload = bytearray(len(header).to_bytes(8, "little"))
    payload += header
    for name in sorted(arrays):
        payload += arrays[name].tobytes()
    return payload


def _digest(chunks: Any) -> bytes:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest().encode()


def _seal(payload: bytearray) -> bytes:
    """Write the checksum of ``payload`` (its digits first set to "0") into it."""
    if payload[8:_CHECKSUM_AT] != _CHECKSUM_PREFIX:
        raise ValueError("not an unsealed minigrad checkpoint layout")
    payload[_CHECKSUM_AT : _CHECKSUM_AT + _CHECKSUM_HEX] = _UNSEALED
    payload[_CHECKSUM_AT : _CHECKSUM_AT + _CHECKSUM_HEX] = _digest([payload])
    return bytes(payload)


# -------------------------------------------------------------------- saving


def save(state: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Write ``state`` to ``path`` as a safetensors file, atomically.

    The bytes go to a temporary file in the same folder, which is flushed to
    disk and then renamed over ``path``: a crash or an exception (including
    Ctrl-C) during the save leaves any previous file at ``path`` whole.
    Temporary files that a killed earlier save left behind for ``path`` are
    removed (so two processes must not save to the same ``path`` at once;
    neither would win cleanly anyway).

    Args:
        state: a dict whose values are arrays, Tensors, NumPy scalars, numbers,
            strings, None, or lists, tuples and dicts (str or int keys) of them.
        path: the file to write; its folder must exist.

    Raises:
        TypeError: a value or key of a type that cannot be stored (the message
            names its path in ``state``) or an array dtype safetensors lacks.
        ValueError: two arrays would share a name, or the state nests deeper
            than :func:`load` accepts (about 100 levels of dicts).
    """
    if not isinstance(state, Mapping):
        raise TypeError(f"save: state must be a dict, got {type(state).__name__}")
    flattener = _Flattener()
    structure = flattener.visit(state, ())
    text = json.dumps(structure, separators=(",", ":"))
    _check_nesting(text)  # refuse now what load would refuse
    _write_atomically(Path(path), _seal(_layout(flattener.arrays, text, str(FORMAT_VERSION))))


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
    _remove_stale_temporaries(path)


def _remove_stale_temporaries(path: Path) -> None:
    """Delete ``.NAME.xxxxxxxx.tmp`` files that a killed save of ``path`` left behind."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{8}}\.tmp")
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        if pattern.fullmatch(leftover.name):
            leftover.unlink(missing_ok=True)


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
    keys as ints. The file is checked before anything is built: the header
    length against the file size, the header against the data it declares,
    and the checksum against every byte; only what the header declares is
    read. Either the whole state comes back or CheckpointError is raised.

    Args:
        path: the checkpoint file.
        like: optionally, an existing state of the same layout (e.g.
            ``{"model": model.state_dict()}``); every array present in both
            must have the same shape, or a ValueError names each mismatched
            key with both shapes (see :func:`check_shapes`).

    Raises:
        FileNotFoundError: no file at ``path``.
        CheckpointError: the file is truncated, corrupted, not a safetensors
            file, holds a dtype minigrad does not read, or is a safetensors
            file (or a checkpoint format version) that this minigrad did not write.
    """
    path = Path(path)
    if path.is_dir():
        raise CheckpointError(f"{path}: a folder, not a checkpoint file")
    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        header, metadata, entries = _read_header(file, size, path)
        data_length = _check_entries(entries, path)
        declared = 8 + len(header) + data_length
        if size != declared:
            problem = "truncated" if size < declared else "extended (bytes after the data)"
            raise CheckpointError(
                f"{path}: {problem}: its header declares {declared} bytes, the file has {size}"
            )
        data = bytearray(data_length)
        if file.readinto(data) != data_length:
            raise CheckpointError(f"{path}: truncated while reading")
    stored = header[_CHECKSUM_AT - 8 : _CHECKSUM_AT - 8 + _CHECKSUM_HEX]
    computed = _digest(
        [
            len(header).to_bytes(8, "little"),
            header[: _CHECKSUM_AT - 8],
            _UNSEALED,
            header[_CHECKSUM_AT - 8 + _CHECKSUM_HEX :],
            data,
        ]
    )
    if stored != computed:
        raise CheckpointError(f"{path}: corrupted: the file does not match its checksum")
    arrays = {
        name: np.frombuffer(data, dtype, count=math.prod(shape), offset=begin).reshape(shape)
        for name, (dtype, shape, begin) in entries.items()
    }
    try:
        structure = _parse_json(metadata["structure"])
        state = _Rebuilder(arrays).visit(structure)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise CheckpointError(f"{path}: corrupted checkpoint structure: {error}") from None
    if like is not None:
        check_shapes(state, like)
    return state


def _read_header(
    file: IO[bytes], size: int, path: Path
) -> tuple[bytes, dict[str, Any], dict[str, Any]]:
    """The raw header, its metadata and its tensor entries; checks the format and version."""
    invalid = f"{path}: not a valid safetensors file (truncated, corrupted or another format)"
    if size < 8:
        raise CheckpointError(f"{invalid}: {size} bytes, shorter than the 8-byte header length")
    header_length = int.from_bytes(file.read(8), "little")
    if header_length > size - 8 or header_length > _MAX_HEADER_BYTES:
        raise CheckpointError(
            f"{invalid}: its header length says {header_length} bytes, but the file has "
            f"{size - 8} after the length field (and headers are at most {_MAX_HEADER_BYTES})"
        )
    header = file.read(header_length)
    try:
        parsed = _parse_json(header.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise CheckpointError(f"{invalid}: its header is not JSON: {error}") from None
    if not isinstance(parsed, dict):
        raise CheckpointError(f"{invalid}: its header is not a JSON object")
    metadata = parsed.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict):
        raise CheckpointError(f"{invalid}: its __metadata__ is not a JSON object")
    unreadable = sorted(
        {
            str(entry.get("dtype"))
            for entry in parsed.values()
            if isinstance(entry, dict)
            and isinstance(entry.get("dtype"), str)
            and entry["dtype"] not in READABLE_DTYPES
        }
    )
    if unreadable:
        raise CheckpointError(
            f"{path}: holds tensors of dtype {', '.join(unreadable)}, which minigrad does not "
            f"read; it reads {', '.join(READABLE_DTYPES)}"
        )
    if metadata.get("format") != FORMAT:
        raise CheckpointError(
            f"{path}: a safetensors file, but not a minigrad checkpoint (its metadata has no "
            f"'format': {FORMAT!r} marker); it was written by another program"
        )
    version = metadata.get("format_version", "")
    if version != str(FORMAT_VERSION):
        raise CheckpointError(
            f"{path}: minigrad checkpoint format version {version!r}; this minigrad reads "
            f"version {FORMAT_VERSION} only"
        )
    digits = header[_CHECKSUM_AT - 8 : _CHECKSUM_AT - 8 + _CHECKSUM_HEX]
    if not header.startswith(_CHECKSUM_PREFIX) or not _HEX.fullmatch(digits):
        raise CheckpointError(f"{path}: corrupted: the header does not start with its checksum")
    return header, metadata, parsed


_HEX = re.compile(rb"[0-9a-f]{64}")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def _parse_json(text: Any) -> Any:
    """``json.loads`` with at most ``_MAX_NESTING`` levels and no repeated keys."""
    if not isinstance(text, str):
        raise ValueError(f"expected a JSON string, got {type(text).__name__}")
    _check_nesting(text)
    return json.loads(text, object_pairs_hook=_unique_keys)


def _check_nesting(text: str) -> None:
    """Raise ValueError if the JSON ``text`` nests deeper than ``_MAX_NESTING`` levels."""
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > _MAX_NESTING:
            raise ValueError(f"JSON nested deeper than {_MAX_NESTING} levels")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("a JSON object repeats a key")
    return result


def _check_entries(entries: dict[str, Any], path: Path) -> int:
    """Check every tensor entry of the header; replace it by (dtype, shape, offset).

    Returns the length of the data section the entries declare: they must tile
    it without gaps or overlaps, each exactly as long as its dtype and shape say.
    """
    invalid = f"{path}: not a valid safetensors file"
    spans = []
    for name, entry in entries.items():
        if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
            raise CheckpointError(f"{invalid}: tensor {_short(name)} has entry {_short(entry)}")
        shape, offsets = entry["shape"], entry["data_offsets"]
        if not isinstance(shape, list) or not all(_is_count(n) for n in shape):
            raise CheckpointError(f"{invalid}: tensor {name!r} has shape {shape!r}")
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(map(_is_count, offsets))):
            raise CheckpointError(f"{invalid}: tensor {name!r} has data_offsets {offsets!r}")
        dtype = _DTYPES[entry["dtype"]]
        nbytes = math.prod(shape) * dtype.itemsize
        if offsets[1] - offsets[0] != nbytes:
            raise CheckpointError(
                f"{invalid}: tensor {name!r} of {entry['dtype']} {shape} needs {nbytes} bytes, "
                f"its data_offsets {offsets} give {offsets[1] - offsets[0]}"
            )
        spans.append((offsets[0], offsets[1], name))
        entries[name] = (dtype, tuple(shape), offsets[0])
    end = 0
    for begin, stop, name in sorted(spans):
        if begin != end:
            raise CheckpointError(
                f"{invalid}: tensor {name!r} starts at byte {begin} of the data, expected {end}"
            )
        end = stop
    return end


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**62


class _Rebuilder:
    """Turns the JSON description and the named arrays back into the nested state."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.arrays = arrays
        self.used: set[str] = set()

    def visit(self, node: Structure) -> Any:
        state = self._visit(node)
        if not isinstance(state, dict):
            raise ValueError(f"the top level is a {type(state).__name__}, not a dict")
        unused = set(self.arrays) - self.used
        if unused:
            raise ValueError(f"arrays not referenced by the structure: {sorted(unused)}")
        return state

    def _visit(self, node: Structure) -> Any:
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if not isinstance(node, dict) or (
            len(node) != 1 and set(node) != {"tensor", "requires_grad"}
        ):
            raise ValueError(f"unexpected node {_short(node)}")
        if "tensor" in node:
            requires_grad = node.get("requires_grad", False)
            if requires_grad not in (True, False):
                raise ValueError(f"requires_grad is {_short(requires_grad)}, not a bool")
            array = self._array(node["tensor"])
            if requires_grad and array.dtype.kind != "f":
                raise ValueError(f"a {array.dtype} tensor cannot require a gradient")
            return Tensor(array, requires_grad=requires_grad)
        ((kind, body),) = node.items()
        if kind == "array":
            return self._array(body)
        if kind == "scalar":
            array = self._array(body)
            if array.ndim != 0:
                raise ValueError(f"scalar {body!r} has shape {array.shape}")
            return array[()]
        if kind in ("list", "tuple", "dict") and not isinstance(body, list):
            raise ValueError(f"a {kind} node holds {_short(body)}, not a list")
        if kind == "list":
            return [self._visit(item) for item in body]
        if kind == "tuple":
            return tuple(self._visit(item) for item in body)
        if kind == "dict":
            return dict(self._item(item) for item in body)
        raise ValueError(f"unknown node kind {_short(kind)}")

    def _item(self, item: Any) -> tuple[str | int, Any]:
        if not isinstance(item, list) or len(item) != 2:
            raise ValueError(f"a dict item is {_short(item)}, not a [key, value] pair")
        key, value = item
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            raise ValueError(f"a dict key is {_short(key)}, not a str or int")
        return key, self._visit(value)

    def _array(self, name: Any) -> np.ndarray:
        if not isinstance(name, str) or name not in self.arrays:
            raise ValueError(f"the structure refers to a missing array {_short(name)}")
        if name in self.used:
            raise ValueError(f"the structure refers to array {name!r} twice")
        self.used.add(name)
        return self.arrays[name]


def _short(value: Any) -> str:
    """``repr(value)``, cut to one short line for an error message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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
