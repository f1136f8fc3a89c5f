"""The layers of :mod:`minigrad.tensor.nn`, one small module per kind.

``activation`` (ReLU, GELU, ...), ``attention`` (MultiheadAttention),
``container`` (Sequential, ModuleList, ModuleDict), ``conv``, ``dropout``,
``embedding``, ``flatten``, ``linear`` (Linear, Identity), ``mlp``,
``normalization`` (BatchNorm1d/2d, LayerNorm, RMSNorm) and ``pooling``.
Import them from :mod:`minigrad.tensor.nn`, which lists them once.
"""
