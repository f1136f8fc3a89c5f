"""The layers of :mod:`minigrad.tensor.nn`, one small module per kind.

``activation`` (ReLU, GELU, ...), ``container`` (Sequential, ModuleList),
``conv``, ``dropout``, ``embedding``, ``flatten``, ``linear`` (Linear,
Identity), ``mlp``, ``normalization`` (BatchNorm1d/2d, LayerNorm) and
``pooling``. Import them from :mod:`minigrad.tensor.nn`, which lists them once.
"""
