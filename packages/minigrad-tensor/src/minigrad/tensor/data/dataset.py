"""Datasets: indexable collections of samples, as in PyTorch.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor.data import TensorDataset
    >>> ds = TensorDataset(np.zeros((5, 3), dtype=np.float32), np.arange(5))
    >>> len(ds)
    5
    >>> x, y = ds[2]
    >>> x.shape, int(y)
    ((3,), 2)
"""

from __future__ import annotations

import abc
from typing import Any, Generic, TypeVar

import numpy as np

from minigrad.tensor.tensor import Tensor

__all__ = ["Dataset", "TensorDataset"]

SampleT_co = TypeVar("SampleT_co", covariant=True)


class Dataset(abc.ABC, Generic[SampleT_co]):
    """A collection of samples with a length, read one sample at a time by index.

    Subclasses implement ``__getitem__`` (an int in ``range(len(self))`` to one
    sample, usually a tuple such as ``(image, label)``) and ``__len__``. A
    :class:`~minigrad.tensor.data.DataLoader` batches them.

    Example:
        >>> from minigrad.tensor.data import Dataset
        >>> class Squares(Dataset[tuple[float, float]]):
        ...     def __getitem__(self, index: int) -> tuple[float, float]:
        ...         return float(index), float(index * index)
        ...     def __len__(self) -> int:
        ...         return 4
        >>> Squares()[3]
        (3.0, 9.0)
    """

    @abc.abstractmethod
    def __getitem__(self, index: int) -> SampleT_co:
        """The sample at ``index``."""

    @abc.abstractmethod
    def __len__(self) -> int:
        """The number of samples."""


class TensorDataset(Dataset[tuple[Tensor, ...]]):
    """Samples are the rows (first-axis slices) of equally long tensors.

    Args:
        *tensors: Tensors or ndarrays with the same first dimension, e.g.
            inputs of shape (N, 64) and labels of shape (N,).

    A :class:`~minigrad.tensor.data.DataLoader` batches a TensorDataset by
    indexing the whole arrays at once (no per-sample Python loop).

    Raises:
        ValueError: no tensors, a 0-d tensor, or first dimensions that differ
            (the message lists every shape).
    """

    def __init__(self, *tensors: Tensor | np.ndarray) -> None:
        if not tensors:
            raise ValueError("TensorDataset: expected at least one tensor, got none")
        converted = tuple(t if isinstance(t, Tensor) else Tensor(t) for t in tensors)
        shapes = [t.shape for t in converted]
        if any(len(shape) == 0 for shape in shapes):
            raise ValueError(
                f"TensorDataset: every tensor needs a first (sample) dimension, got shapes {shapes}"
            )
        if len({shape[0] for shape in shapes}) != 1:
            raise ValueError(
                "TensorDataset: all tensors must have the same size in the first dimension, "
                f"got shapes {shapes}"
            )
        self.tensors: tuple[Tensor, ...] = converted

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(Tensor(t.data[index]) for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]

    def __repr__(self) -> str:
        shapes = ", ".join(str(t.shape) for t in self.tensors)
        return f"TensorDataset({shapes})"
