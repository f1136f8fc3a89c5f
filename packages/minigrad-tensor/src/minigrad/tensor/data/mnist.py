"""MNIST from local IDX files (the format of Yann LeCun's original distribution).

Nothing is downloaded: point :func:`load_mnist` at a folder that holds
``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, each optionally
gzipped (``.gz``); the ``train-images.idx3-ubyte`` spelling is accepted too.
Fashion-MNIST and KMNIST use the same files and load the same way.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number
of dimensions), one big-endian uint32 per dimension, then the values in
big-endian C order.

Example:
    >>> from minigrad.tensor.data import load_mnist
    >>> images, labels = load_mnist("~/data/mnist", split="test")  # doctest: +SKIP
    >>> images.shape, labels.shape  # doctest: +SKIP
    ((10000, 28, 28), (10000,))
"""

from __future__ import annotations

import gzip
import math
import os
import zlib
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from minigrad.tensor.tensor import Tensor

__all__ = ["load_mnist", "read_idx"]

# IDX type code -> big-endian NumPy dtype.
_IDX_TYPES: dict[int, np.dtype[np.generic]] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"
_SPLIT_PREFIX = {"train": "train", "test": "t10k"}


def _read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as error:
        raise ValueError(
            f"{path}: not a readable gzip file (truncated or corrupted?): {error}"
        ) from error


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read one IDX file (gzipped or not) into an ndarray of native byte order.

    Raises:
        ValueError: naming the file and what is wrong with it: a bad magic
            number, an unknown type code, or a size that does not match the
            dimensions in the header (truncated or padded files).

    Example:
        >>> import tempfile, pathlib, numpy as np
        >>> from minigrad.tensor.data import read_idx
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte"
        >>> _ = path.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
        >>> read_idx(path)
        array([7, 2, 1], dtype=uint8)
    """
    path = Path(path)
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise ValueError(f"{path}: not an IDX file: {len(raw)} bytes, shorter than the header")
    zero0, zero1, type_code, ndim = raw[:4]
    if zero0 != 0 or zero1 != 0 or type_code not in _IDX_TYPES or ndim == 0:
        raise ValueError(
            f"{path}: not an IDX file: bad magic number 0x{raw[:4].hex()} (expected 0x0000, "
            "a type code in 08 09 0B 0C 0D 0E and a dimension count >= 1)"
        )
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise ValueError(
            f"{path}: truncated IDX header: {ndim} dimensions need {header_size} bytes, "
            f"the file has {len(raw)}"
        )
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    dtype = _IDX_TYPES[type_code]
    expected = math.prod(shape) * dtype.itemsize
    actual = len(raw) - header_size
    if actual != expected:
        problem = "truncated" if actual < expected else "has trailing bytes"
        raise ValueError(
            f"{path}: IDX file {problem}: its header declares shape {shape} of {dtype.name} "
            f"({expected} data bytes), the file holds {actual} data bytes"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def _find(folder: Path, prefix: str, kind: str, idx: str) -> Path:
    names = [f"{prefix}-{kind}-{idx}-ubyte", f"{prefix}-{kind}.{idx}-ubyte"]
    candidates = [folder / (name + suffix) for name in names for suffix in ("", ".gz")]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"load_mnist: no {kind} file in {folder}; looked for "
        + ", ".join(c.name for c in candidates)
    )


def _expect(path: Path, array: np.ndarray, ndim: int, what: str) -> None:
    if array.dtype != np.uint8 or array.ndim != ndim:
        raise ValueError(
            f"{path}: expected {what} as unsigned bytes with {ndim} dimension(s), "
            f"got {array.dtype.name} with shape {array.shape}"
        )


def load_mnist(
    path: str | os.PathLike[str],
    split: Literal["train", "test"] = "train",
    *,
    dtype: npt.DTypeLike = np.float32,
) -> tuple[Tensor, Tensor]:
    """Read MNIST-style IDX files from the folder ``path`` as ``(images, labels)``.

    Args:
        path: the folder with the four IDX files (see the module docstring).
        split: ``"train"`` (the ``train-*`` files) or ``"test"`` (``t10k-*``).
        dtype: the floating dtype of the images.

    Returns:
        images of shape (N, rows, cols) scaled from 0..255 to 0..1, and int64
        labels of shape (N,).

    Raises:
        FileNotFoundError: the folder or one of the two files is missing.
        ValueError: a file is not a valid IDX file of the expected kind, or
            the image and label counts differ; the message names the file.
    """
    if split not in _SPLIT_PREFIX:
        raise ValueError(f"load_mnist: split must be 'train' or 'test', got {split!r}")
    wanted = np.dtype(dtype)
    if wanted.kind != "f":
        raise TypeError(f"load_mnist: dtype must be a floating type, got {wanted}")
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"load_mnist: {folder} is not a folder")
    prefix = _SPLIT_PREFIX[split]
    images_path = _find(folder, prefix, "images", "idx3")
    labels_path = _find(folder, prefix, "labels", "idx1")
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    _expect(images_path, images, 3, "images")
    _expect(labels_path, labels, 1, "labels")
    if len(images) != len(labels):
        raise ValueError(
            f"load_mnist: {images_path.name} holds {len(images)} images but "
            f"{labels_path.name} holds {len(labels)} labels"
        )
    scaled = images.astype(wanted) / wanted.type(255)
    return Tensor(scaled), Tensor(labels.astype(np.int64))
