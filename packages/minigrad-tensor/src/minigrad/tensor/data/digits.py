"""The 8x8 handwritten digits shipped inside the package (no network needed).

1,797 grey-scale images of the digits 0-9, 8x8 pixels each: the test set of the
UCI "Optical Recognition of Handwritten Digits" data (E. Alpaydin and
C. Kaynak, 1998), in the copy scikit-learn ships. ``README.md`` next to this
module records the source and licences.

Example:
    >>> from minigrad.tensor.data import load_digits
    >>> images, labels = load_digits()
    >>> images.shape, images.dtype, labels.shape, labels.dtype
    ((1797, 8, 8), dtype('float32'), (1797,), dtype('int64'))
    >>> x_train, y_train = load_digits(split="train")
    >>> x_test, y_test = load_digits(split="test")
    >>> len(x_train), len(x_test)
    (1438, 359)
"""

from __future__ import annotations

import functools
import gzip
import io
from importlib import resources
from typing import Literal

import numpy as np
import numpy.typing as npt

from minigrad.tensor.tensor import Tensor

__all__ = ["DIGITS_CLASSES", "load_digits", "stratified_split"]

DIGITS_CLASSES = 10
_ROWS, _PIXELS, _MAX_PIXEL = 1797, 64, 16


@functools.lru_cache(maxsize=1)
def _read_bundled() -> tuple[np.ndarray, np.ndarray]:
    """Pixels (1797, 64) uint8 and labels (1797,) int64, parsed once per process."""
    source = resources.files("minigrad.tensor.data").joinpath("_files").joinpath("digits.csv.gz")
    text = gzip.decompress(source.read_bytes()).decode("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64, ndmin=2)
    if table.shape != (_ROWS, _PIXELS + 1):
        raise ValueError(
            f"load_digits: the bundled digits.csv.gz should hold a ({_ROWS}, {_PIXELS + 1}) "
            f"table, it holds {table.shape}; the installation is damaged"
        )
    pixels, labels = table[:, :_PIXELS], table[:, _PIXELS]
    if pixels.min() < 0 or pixels.max() > _MAX_PIXEL or labels.min() < 0 or labels.max() > 9:
        raise ValueError(
            "load_digits: the bundled digits.csv.gz holds values outside 0..16 (pixels) "
            "or 0..9 (labels); the installation is damaged"
        )
    # Read-only, so that the cached copy cannot be changed through a caller.
    pixels, labels = pixels.astype(np.uint8), labels.copy()
    pixels.setflags(write=False)
    labels.setflags(write=False)
    return pixels, labels


def stratified_split(
    labels: np.ndarray, test_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Train and test indices that keep each class's share in both parts.

    From every class, ``round(count * test_fraction)`` samples, picked by a
    generator seeded with ``seed``, go to the test part. Both index arrays are
    sorted, so samples keep their original order.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor.data import stratified_split
        >>> train, test = stratified_split(np.array([0, 0, 0, 0, 1, 1, 1, 1]), 0.25, seed=0)
        >>> len(train), len(test)
        (6, 2)
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    rng = np.random.default_rng(seed)
    test_parts = []
    for cls in np.unique(labels):
        members = np.flatnonzero(labels == cls)
        n_test = round(len(members) * test_fraction)
        test_parts.append(rng.permutation(members)[:n_test])
    test = np.sort(np.concatenate(test_parts)) if test_parts else np.zeros(0, dtype=np.int64)
    train = np.setdiff1d(np.arange(len(labels)), test)
    return train, test


def load_digits(
    split: Literal["train", "test"] | None = None,
    *,
    test_fraction: float = 0.2,
    seed: int = 0,
    dtype: npt.DTypeLike = np.float32,
) -> tuple[Tensor, Tensor]:
    """The bundled 8x8 digits as ``(images, labels)``.

    Args:
        split: None for all 1,797 samples; ``"train"`` or ``"test"`` for one part
            of a deterministic, stratified split (see :func:`stratified_split`).
        test_fraction: the share of each class that goes to the test part.
        seed: the seed of the split; the same seed gives the same split.
        dtype: the floating dtype of the images.

    Returns:
        images of shape (N, 8, 8), pixel values scaled from 0..16 to 0..1, and
        int64 labels 0-9 of shape (N,). Flatten the images with
        ``images.reshape(-1, 64)`` for an MLP, or add a channel axis with
        ``images.reshape(-1, 1, 8, 8)`` for a CNN (NCHW).
    """
    if split not in (None, "train", "test"):
        raise ValueError(f"load_digits: split must be 'train', 'test' or None, got {split!r}")
    wanted = np.dtype(dtype)
    if wanted.kind != "f":
        raise TypeError(f"load_digits: dtype must be a floating type, got {wanted}")
    pixels, labels = _read_bundled()
    if split is not None:
        train, test = stratified_split(labels, test_fraction, seed)
        chosen = train if split == "train" else test
        pixels, labels = pixels[chosen], labels[chosen]
    images = (pixels.astype(wanted) / wanted.type(_MAX_PIXEL)).reshape(-1, 8, 8)
    return Tensor(images), Tensor(labels.copy())
