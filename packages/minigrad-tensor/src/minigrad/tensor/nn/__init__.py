"""Neural networks on tensors: `Module`, layers, `functional`, `init` and `utils`.

Names, arguments, parameter names and shapes follow ``torch.nn``, so a model
built here has the state dict of the same model in PyTorch. The layout is
NCHW, the default dtype float32, and parameters are drawn from the package's
generator (``minigrad.tensor.manual_seed``).

Example:
    >>> import numpy as np
    >>> from minigrad.tensor import Tensor, nn
    >>> from minigrad.tensor.nn import functional as F
    >>> model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    >>> x = Tensor(np.zeros((32, 64), dtype=np.float32))
    >>> loss = F.cross_entropy(model(x), np.zeros(32, dtype=np.int64))
    >>> loss.backward()
    >>> model[0].weight.grad.shape
    (128, 64)
"""

from __future__ import annotations

from minigrad.tensor.nn import functional, init, utils
from minigrad.tensor.nn.layers.activation import (
    GELU,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
)
from minigrad.tensor.nn.layers.attention import MultiheadAttention
from minigrad.tensor.nn.layers.container import ModuleDict, ModuleList, Sequential
from minigrad.tensor.nn.layers.conv import Conv2d
from minigrad.tensor.nn.layers.dropout import Dropout
from minigrad.tensor.nn.layers.embedding import Embedding
from minigrad.tensor.nn.layers.flatten import Flatten
from minigrad.tensor.nn.layers.linear import Identity, Linear
from minigrad.tensor.nn.layers.mlp import MLP
from minigrad.tensor.nn.layers.normalization import BatchNorm1d, BatchNorm2d, LayerNorm, RMSNorm
from minigrad.tensor.nn.layers.pooling import AvgPool2d, MaxPool2d
from minigrad.tensor.nn.module import IncompatibleKeys, Module
from minigrad.tensor.nn.parameter import Parameter

__all__ = [
    "GELU",
    "MLP",
    "AvgPool2d",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv2d",
    "Dropout",
    "Embedding",
    "Flatten",
    "Identity",
    "IncompatibleKeys",
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MaxPool2d",
    "Module",
    "ModuleDict",
    "ModuleList",
    "MultiheadAttention",
    "Parameter",
    "RMSNorm",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
    "functional",
    "init",
    "utils",
]
