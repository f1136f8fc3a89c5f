"""`Embedding`: a lookup table of learned vectors, one per index."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from minigrad.tensor.nn import init
from minigrad.tensor.nn.functional import embedding
from minigrad.tensor.nn.functional._embedding import check_padding_idx
from minigrad.tensor.nn.layers._dtype import check_size, float_dtype
from minigrad.tensor.nn.module import Module
from minigrad.tensor.nn.parameter import Parameter
from minigrad.tensor.tensor import Tensor

__all__ = ["Embedding"]


class Embedding(Module):
    """A table of ``num_embeddings`` vectors of size ``embedding_dim``, drawn from N(0, 1).

    With ``padding_idx`` (negative: counted from the end, as PyTorch), that row starts
    as zeros and never gets a gradient, so it stays what it is (a padding token's vector).

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import nn
        >>> table = nn.Embedding(10, 3)
        >>> table(np.array([[1, 2], [4, 9]])).shape
        (2, 2, 3)
    """

    weight: Parameter

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        dtype: npt.DTypeLike | None = None,
    ) -> None:
        super().__init__()
        self.num_embeddings = check_size(num_embeddings, "Embedding", "num_embeddings")
        self.embedding_dim = check_size(embedding_dim, "Embedding", "embedding_dim")
        self.padding_idx = check_padding_idx(padding_idx, self.num_embeddings, "Embedding")
        wanted = float_dtype(dtype, "Embedding")
        self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=wanted))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh vectors from N(0, 1), as PyTorch; the padding row is zeros."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight.data[self.padding_idx] = 0

    def forward(self, input: Any) -> Tensor:
        """The vectors of the integer indices ``input``, shape ``(*input.shape, embedding_dim)``."""
        return embedding(input, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        """The table's size."""
        padding = "" if self.padding_idx is None else f", padding_idx={self.padding_idx}"
        return f"{self.num_embeddings}, {self.embedding_dim}{padding}"
