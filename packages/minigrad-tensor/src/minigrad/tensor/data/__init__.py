"""Datasets and mini-batches: ``Dataset``, ``TensorDataset``, ``DataLoader``, two digit sets, names.

Example:
    >>> from minigrad.tensor.data import DataLoader, TensorDataset, load_digits
    >>> images, labels = load_digits(split="train")
    >>> loader = DataLoader(TensorDataset(images, labels), batch_size=64, shuffle=True, seed=0)
    >>> x, y = next(iter(loader))
    >>> x.shape, y.shape
    ((64, 8, 8), (64,))
"""

from __future__ import annotations

from minigrad.tensor.data.dataset import Dataset, TensorDataset
from minigrad.tensor.data.digits import DIGITS_CLASSES, load_digits, stratified_split
from minigrad.tensor.data.loader import DataLoader, default_collate
from minigrad.tensor.data.mnist import load_mnist, read_idx
from minigrad.tensor.data.names import (
    BOUNDARY,
    CharVocab,
    bigram_nll,
    load_names,
    make_examples,
)

__all__ = [
    "BOUNDARY",
    "CharVocab",
    "DIGITS_CLASSES",
    "DataLoader",
    "Dataset",
    "TensorDataset",
    "bigram_nll",
    "default_collate",
    "load_digits",
    "load_mnist",
    "load_names",
    "make_examples",
    "read_idx",
    "stratified_split",
]
