"""The DataLoader: mini-batches of a dataset in a seeded, reproducible order.

Shuffling is deterministic and resumable. The order of epoch ``e`` is a
permutation drawn from a NumPy generator seeded with ``(seed, e)``, so it
depends on nothing but the loader's seed and the epoch number: a run resumed
at epoch ``e`` (``loader.set_epoch(e)``, or ``load_state_dict``) sees exactly
the batches an uninterrupted run would have seen.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor.data import DataLoader, TensorDataset
    >>> ds = TensorDataset(np.arange(10, dtype=np.float32).reshape(5, 2), np.arange(5))
    >>> loader = DataLoader(ds, batch_size=2, shuffle=True, seed=0)
    >>> [tuple(x.shape) for x, y in loader]
    [(2, 2), (2, 2), (1, 2)]
    >>> len(loader)
    3
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from minigrad.tensor.creation import default_generator
from minigrad.tensor.data.dataset import Dataset, TensorDataset
from minigrad.tensor.tensor import Tensor

__all__ = ["DataLoader", "default_collate"]


def default_collate(samples: Sequence[Any]) -> Any:
    """Stack a list of samples into one batch, field by field.

    Tensors, ndarrays and numbers become a Tensor with a new first axis; tuples
    and lists are collated position by position (a tuple of batches comes
    back), dicts key by key.

    Example:
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.data import default_collate
        >>> x, y = default_collate([(Tensor([1.0, 2.0]), 0), (Tensor([3.0, 4.0]), 1)])
        >>> x.shape, y.tolist()
        ((2, 2), [0, 1])
    """
    if not samples:
        raise ValueError("default_collate: expected at least one sample, got an empty list")
    first = samples[0]
    if isinstance(first, Tensor):
        return Tensor(np.stack([_as_array(s) for s in samples]))
    if isinstance(first, (np.ndarray, np.generic)):
        return Tensor(np.stack([np.asarray(s) for s in samples]))
    if isinstance(first, (bool, numbers.Number)):
        return Tensor(list(samples))
    if isinstance(first, Mapping):
        return {key: default_collate([s[key] for s in samples]) for key in first}
    if isinstance(first, (tuple, list)):
        lengths = {len(s) for s in samples}
        if len(lengths) != 1:
            raise ValueError(
                "default_collate: samples must have the same number of fields, "
                f"got {sorted(lengths)}"
            )
        return tuple(default_collate(list(field)) for field in zip(*samples, strict=True))
    raise TypeError(
        "default_collate: samples must be Tensors, ndarrays, numbers, or tuples/lists/dicts "
        f"of them, got {type(first).__name__}"
    )


def _as_array(sample: Any) -> np.ndarray:
    if isinstance(sample, Tensor):
        return sample.data
    return np.asarray(sample)


def _indexes_whole_arrays(dataset: Dataset[Any]) -> bool:
    """Whether a batch can be cut from the dataset's arrays in one indexing step.

    A subclass that overrides ``__getitem__`` (say, to augment samples) gets
    the generic per-sample path, so its override is honoured.
    """
    return (
        isinstance(dataset, TensorDataset)
        and type(dataset).__getitem__ is TensorDataset.__getitem__
    )


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"DataLoader: seed must be a non-negative int, got {seed!r}")
    return int(seed)


class DataLoader:
    """Iterate over a dataset in mini-batches.

    Args:
        dataset: a :class:`Dataset`; a :class:`TensorDataset` is batched by
            indexing its whole arrays at once.
        batch_size: samples per batch (the last batch may be smaller).
        shuffle: visit the samples in a new random order every epoch.
        drop_last: skip the last batch when it is smaller than ``batch_size``.
        seed: the shuffling seed. The order of epoch ``e`` depends only on
            ``(seed, e)``.
        generator: a NumPy ``Generator`` to draw the seed from when ``seed`` is
            not given (one draw, at construction). With neither, the seed is
            drawn from the package's generator, so ``manual_seed`` fixes it.
        collate_fn: turns a list of samples into a batch for a generic dataset
            (default: :func:`default_collate`).

    Each ``for`` loop over the loader is one epoch and moves on to the next
    epoch's order; :meth:`set_epoch` picks the epoch explicitly, and
    :meth:`state_dict` / :meth:`load_state_dict` save and restore the position.
    """

    def __init__(
        self,
        dataset: Dataset[Any],
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        seed: int | None = None,
        generator: np.random.Generator | None = None,
        collate_fn: Callable[[list[Any]], Any] | None = None,
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive int, got {batch_size!r}")
        if seed is not None and generator is not None:
            raise ValueError("DataLoader: pass either seed or generator, not both")
        if seed is None:
            rng = generator if generator is not None else default_generator()
            seed = int(rng.integers(0, 2**63))
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.seed = _check_seed(seed)
        self.collate_fn = collate_fn if collate_fn is not None else default_collate
        self.epoch = 0

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def set_epoch(self, epoch: int) -> None:
        """Make the next ``for`` loop use the order of ``epoch`` (counted from 0)."""
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
            raise ValueError(f"set_epoch: epoch must be a non-negative int, got {epoch!r}")
        self.epoch = epoch

    def state_dict(self) -> dict[str, int]:
        """The seed and the epoch the next ``for`` loop will use."""
        return {"seed": self.seed, "epoch": self.epoch}

    def load_state_dict(self, state: Mapping[str, int]) -> None:
        """Restore a position saved by :meth:`state_dict`."""
        missing = {"seed", "epoch"} - set(state)
        if missing:
            raise KeyError(f"DataLoader.load_state_dict: missing keys {sorted(missing)}")
        self.seed = _check_seed(state["seed"])
        self.set_epoch(int(state["epoch"]))

    def order(self, epoch: int) -> np.ndarray:
        """The sample indices of ``epoch`` in the order they are visited."""
        n = len(self.dataset)
        if not self.shuffle:
            return np.arange(n)
        return np.random.default_rng((self.seed, epoch)).permutation(n)

    def __iter__(self) -> Iterator[Any]:
        # Computed now rather than lazily, so that the epoch counter moves on
        # at the start of the loop, as ``set_epoch`` and resuming expect.
        order = self.order(self.epoch)
        self.epoch += 1
        return self._batches(order)

    def _batches(self, order: np.ndarray) -> Iterator[Any]:
        stop = len(self) * self.batch_size if self.drop_last else len(order)
        if _indexes_whole_arrays(self.dataset):
            assert isinstance(self.dataset, TensorDataset)
            arrays = [t.data for t in self.dataset.tensors]
            for start in range(0, stop, self.batch_size):
                index = order[start : start + self.batch_size]
                yield tuple(Tensor(array[index]) for array in arrays)
        else:
            for start in range(0, stop, self.batch_size):
                index = order[start : start + self.batch_size]
                yield self.collate_fn([self.dataset[int(i)] for i in index])

    def __repr__(self) -> str:
        return (
            f"DataLoader({self.dataset!r}, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_last={self.drop_last}, seed={self.seed})"
        )
