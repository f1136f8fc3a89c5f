"""The names corpus shipped inside the package, for character-level language models.

Two lowercase lists derived from the public-domain 1990 US Census name files (see
``README.md`` next to this module): 5,163 first names and 88,799 surnames, letters a-z
only. :func:`load_names` splits them reproducibly into training and validation names,
:class:`CharVocab` maps characters to token ids with a boundary token ``"."`` at id 0
(as in makemore), :func:`make_examples` cuts words into (context, next character) pairs,
and :func:`bigram_nll` scores the count-based bigram model that a language model has to beat.

Example:
    >>> from minigrad.tensor.data import CharVocab, load_names, make_examples
    >>> train = load_names("first", split="train", seed=0)
    >>> val = load_names("first", split="val", seed=0)
    >>> len(train), len(val)
    (4647, 516)
    >>> vocab = CharVocab.from_words(load_names("first"))
    >>> vocab.size, vocab.itos[0], vocab.encode("emma")
    (27, '.', [5, 13, 13, 1])
    >>> contexts, targets = make_examples(["emma"], vocab, block_size=3)
    >>> contexts.tolist()[:2], targets.tolist()[:2]
    ([[0, 0, 0], [0, 0, 5]], [5, 13])
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import math
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Literal

import numpy as np

from minigrad.tensor.tensor import Tensor

__all__ = ["BOUNDARY", "CharVocab", "bigram_nll", "load_names", "make_examples"]

BOUNDARY = "."
_FILES = {"first": "first_names.txt", "last": "last_names.txt.gz"}
_COUNTS = {"first": 5163, "last": 88799}
_SPLITS = ("train", "val", "all")


@functools.lru_cache(maxsize=2)
def _read_bundled(kind: str) -> tuple[str, ...]:
    """All names of one kind, in the bundled (alphabetical) order, read once per process."""
    source = resources.files("minigrad.tensor.data").joinpath("_files").joinpath(_FILES[kind])
    raw = source.read_bytes()
    text = (gzip.decompress(raw) if _FILES[kind].endswith(".gz") else raw).decode("ascii")
    names = tuple(text.split())
    if len(names) != _COUNTS[kind] or not all(name.isalpha() and name.islower() for name in names):
        raise ValueError(
            f"load_names: the bundled {_FILES[kind]} should hold {_COUNTS[kind]} lowercase "
            f"names of a-z, it holds {len(names)} lines; the installation is damaged"
        )
    return names


def _split_key(seed: int, name: str) -> bytes:
    # A hash of (seed, name) orders the names: the split depends on nothing but the
    # seed and the names, not on NumPy's generator streams, the platform or the list order.
    return hashlib.sha256(f"{seed}\x00{name}".encode("ascii")).digest()


def load_names(
    kind: Literal["first", "last"] = "first",
    split: Literal["train", "val", "all"] = "all",
    *,
    val_fraction: float = 0.1,
    seed: int = 0,
) -> list[str]:
    """The bundled first names or surnames, whole or one part of a reproducible split.

    The names are ordered by the sha256 of ``f"{seed}\\0{name}"``; the first
    ``round(val_fraction * count)`` form the validation part, the rest the training part.
    The same seed gives the same split on every machine and NumPy version, the parts are
    disjoint, and together they hold every name.

    Args:
        kind: ``"first"`` (5,163 first names) or ``"last"`` (88,799 surnames).
        split: ``"train"``, ``"val"``, or ``"all"`` for every name in alphabetical order.
        val_fraction: the share of names held out for validation, strictly between 0 and 1.
        seed: the seed of the split (any integer).

    Returns:
        Lowercase names of the letters a-z; ``"train"`` and ``"val"`` come in the
        seeded (shuffled) order of the split.

    Example:
        >>> from minigrad.tensor.data import load_names
        >>> len(load_names("last")), load_names("last")[:2]
        (88799, ['aaberg', 'aaby'])
        >>> len(load_names("last", split="val"))
        8880
    """
    if kind not in _FILES:
        raise ValueError(f"load_names: kind must be 'first' or 'last', got {kind!r}")
    if split not in _SPLITS:
        raise ValueError(f"load_names: split must be 'train', 'val' or 'all', got {split!r}")
    if isinstance(val_fraction, bool) or not isinstance(val_fraction, (int, float)):
        raise ValueError(f"load_names: val_fraction must be a number, got {val_fraction!r}")
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(
            f"load_names: val_fraction must lie strictly between 0 and 1, got {val_fraction}"
        )
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"load_names: seed must be an integer, got {seed!r}")
    names = _read_bundled(kind)
    if split == "all":
        return list(names)
    n_val = round(val_fraction * len(names))
    if not 0 < n_val < len(names):
        raise ValueError(
            f"load_names: val_fraction={val_fraction} leaves {n_val} of {len(names)} names "
            "for validation; both parts must hold at least one name"
        )
    shuffled = sorted(names, key=lambda name: _split_key(int(seed), name))
    return shuffled[:n_val] if split == "val" else shuffled[n_val:]


class CharVocab:
    """Characters to token ids and back, with the boundary token ``"."`` at id 0.

    The boundary token marks both the start (as padding of the context) and the end of a
    word, as in Karpathy's makemore; the other characters follow in sorted order.

    Args:
        chars: the characters of the words (the boundary token must not be among them).

    Example:
        >>> from minigrad.tensor.data import CharVocab
        >>> vocab = CharVocab("cab")
        >>> vocab.itos, vocab.size
        (['.', 'a', 'b', 'c'], 4)
        >>> vocab.encode("cab"), vocab.decode([3, 1, 2, 0])
        ([3, 1, 2], 'cab.')
    """

    __slots__ = ("itos", "stoi")

    def __init__(self, chars: Iterable[str]) -> None:
        distinct = sorted(set(chars))
        bad = [c for c in distinct if not isinstance(c, str) or len(c) != 1 or c == BOUNDARY]
        if bad:
            raise ValueError(
                f"CharVocab: expected single characters other than the boundary {BOUNDARY!r}, "
                f"got {bad[:5]!r}"
            )
        self.itos: list[str] = [BOUNDARY, *distinct]
        """Token id -> character; ``itos[0]`` is the boundary ``"."``."""
        self.stoi: dict[str, int] = {c: i for i, c in enumerate(self.itos)}
        """Character -> token id."""

    @classmethod
    def from_words(cls, words: Iterable[str]) -> CharVocab:
        """The vocabulary of every character that occurs in ``words``."""
        return cls(c for word in words for c in word)

    @property
    def size(self) -> int:
        """The number of tokens, the boundary included (27 for the names)."""
        return len(self.itos)

    @property
    def boundary_id(self) -> int:
        """The id of the boundary token (always 0)."""
        return 0

    def encode(self, text: str) -> list[int]:
        """The token ids of the characters of ``text`` (no boundary is added)."""
        try:
            return [self.stoi[c] for c in text]
        except KeyError as error:
            raise ValueError(
                f"CharVocab.encode: expected characters of {''.join(self.itos)!r}, "
                f"got {error.args[0]!r} in {text!r}"
            ) from None

    def decode(self, ids: Iterable[int]) -> str:
        """The characters of token ids (the boundary id decodes to ``"."``)."""
        chars = []
        for i in ids:
            index = int(i)
            if not 0 <= index < len(self.itos):
                raise ValueError(
                    f"CharVocab.decode: expected token ids in [0, {len(self.itos)}), got {index}"
                )
            chars.append(self.itos[index])
        return "".join(chars)

    def __repr__(self) -> str:
        return f"CharVocab({''.join(self.itos[1:])!r})"


def make_examples(words: Iterable[str], vocab: CharVocab, block_size: int) -> tuple[Tensor, Tensor]:
    """(context, next character) training pairs for a model that reads ``block_size`` tokens.

    Each word of length L gives L + 1 pairs: the context starts as ``block_size``
    boundary ids and slides over the word; the targets are its characters then the
    boundary (the end of the word), exactly as makemore's ``build_dataset``.

    Returns:
        contexts of shape (N, block_size) and targets of shape (N,), both int64.
    """
    if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 1:
        raise ValueError(
            f"make_examples: block_size must be a positive integer, got {block_size!r}"
        )
    contexts: list[list[int]] = []
    targets: list[int] = []
    for word in words:
        context = [0] * block_size
        for token in [*vocab.encode(word), 0]:
            contexts.append(context)
            targets.append(token)
            context = [*context[1:], token]
    x = np.array(contexts, dtype=np.int64).reshape(-1, block_size)
    return Tensor(x), Tensor(np.array(targets, dtype=np.int64))


def bigram_nll(
    train_words: Sequence[str],
    eval_words: Sequence[str],
    vocab: CharVocab,
    smoothing: float = 1.0,
) -> float:
    """The mean negative log-likelihood (nats per character) of a count-based bigram model.

    The model counts each (previous, next) token pair in ``train_words``, each word framed
    by the boundary on both sides, adds ``smoothing`` to every count (add-k smoothing) and
    normalises each row. The result is the mean of ``-log p(next | previous)`` over every
    character of ``eval_words`` and each word's end boundary: the same quantity as the
    cross-entropy of a language model on :func:`make_examples` of those words.

    Example:
        >>> from minigrad.tensor.data import CharVocab, bigram_nll
        >>> round(bigram_nll(["ab"], ["ab"], CharVocab("ab"), smoothing=0), 6)
        0.0
    """
    if isinstance(smoothing, bool) or not isinstance(smoothing, (int, float)) or smoothing < 0:
        raise ValueError(f"bigram_nll: smoothing must be a number >= 0, got {smoothing!r}")
    if isinstance(train_words, str) or isinstance(eval_words, str):
        raise ValueError("bigram_nll: expected sequences of words, got a single string")
    if len(eval_words) == 0:
        raise ValueError("bigram_nll: expected at least one evaluation word, got none")
    size = vocab.size
    train_prev, train_next = _transitions(train_words, vocab)
    pair_counts = np.bincount(train_prev * size + train_next, minlength=size * size)
    counts = pair_counts.reshape(size, size) + float(smoothing)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_probs = np.log(counts) - np.log(counts.sum(axis=1, keepdims=True))
    eval_prev, eval_next = _transitions(eval_words, vocab)
    # 0/0 (a context never seen, no smoothing) is an impossible prediction: inf nats.
    log_likelihood = np.nan_to_num(log_probs[eval_prev, eval_next], nan=-math.inf, neginf=-math.inf)
    return 0.0 - float(log_likelihood.sum()) / len(eval_prev)


def _transitions(words: Sequence[str], vocab: CharVocab) -> tuple[np.ndarray, np.ndarray]:
    """(previous, next) token ids of every character and end boundary of ``words``."""
    prev: list[int] = []
    nxt: list[int] = []
    for word in words:
        ids = [0, *vocab.encode(word), 0]
        prev.extend(ids[:-1])
        nxt.extend(ids[1:])
    return np.array(prev, dtype=np.int64), np.array(nxt, dtype=np.int64)
