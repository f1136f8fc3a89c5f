"""The layers of :mod:`minigrad.tensor.nn`, one small module per kind."""

from __future__ import annotations

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
    "LayerNorm",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MaxPool2d",
    "ModuleDict",
    "ModuleList",
    "MultiheadAttention",
    "RMSNorm",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Tanh",
]
