"""The scalar GPT's weights in the tensor GPT, and the tensor GPT's gradients in the scalar layout.

``minigrad.scalar.gpt.GPT`` keeps its weights in a dict of matrices named
``wte``, ``wpe``, ``layer{i}.attn_wq`` ... ``lm_head`` (each a list of rows,
``[out][in]``); :class:`~minigrad.tensor.models.gpt.GPT` configured with
``GPTConfig.like_microgpt`` has the same numbers under nanoGPT's names, with
the query, key and value matrices of a layer stacked in one ``c_attn``.
:func:`scalar_layout` says where each scalar matrix lives,
:func:`load_scalar_weights` copies the scalar GPT's weights in, and
:func:`scalar_layout_gradients` hands the tensor GPT's gradients back under the
scalar names, ready to compare with the scalar engine's (the oracle at model
scale). Nothing here imports the scalar engine: its ``Value`` is read through
``.data``.

Example:
    >>> from minigrad.tensor.models.gpt import GPTConfig
    >>> layout = scalar_layout(GPTConfig.like_microgpt(n_layer=1, n_embd=8, n_head=2))
    >>> layout["layer0.attn_wk"]
    ('transformer.h.0.attn.c_attn.weight', slice(8, 16, None))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from minigrad.tensor.models.gpt import GPT, GPTConfig

__all__ = ["load_scalar_weights", "scalar_layout", "scalar_layout_gradients"]

_ATTENTION_THIRDS = {"attn_wq": 0, "attn_wk": 1, "attn_wv": 2}


def scalar_layout(config: GPTConfig) -> dict[str, tuple[str, slice]]:
    """Each scalar GPT matrix name -> (the tensor GPT parameter that holds it, its rows there).

    The names come in the scalar GPT's order (``GPT.params``); the rows are
    ``slice(None)`` (all of them) except for the query, key and value matrices,
    which are the first, second and third ``n_embd`` rows of ``c_attn``.
    """
    n = config.n_embd
    layout: dict[str, tuple[str, slice]] = {
        "wte": ("transformer.wte.weight", slice(None)),
        "wpe": ("transformer.wpe.weight", slice(None)),
    }
    for i in range(config.n_layer):
        block = f"transformer.h.{i}"
        for part, third in _ATTENTION_THIRDS.items():
            layout[f"layer{i}.{part}"] = (
                f"{block}.attn.c_attn.weight",
                slice(third * n, (third + 1) * n),
            )
        layout[f"layer{i}.attn_wo"] = (f"{block}.attn.c_proj.weight", slice(None))
        layout[f"layer{i}.mlp_fc1"] = (f"{block}.mlp.c_fc.weight", slice(None))
        layout[f"layer{i}.mlp_fc2"] = (f"{block}.mlp.c_proj.weight", slice(None))
    layout["lm_head"] = ("lm_head.weight", slice(None))
    return layout


def _checked_layout(model: GPT) -> dict[str, tuple[str, slice]]:
    """The layout, after checking that it covers every parameter of ``model`` exactly."""
    layout = scalar_layout(model.config)
    covered = {name for name, _ in layout.values()}
    extra = sorted(set(dict(model.named_parameters())) - covered)
    if extra:
        raise ValueError(
            f"the tensor GPT has parameters the scalar GPT has not: {extra}; configure it "
            f"with GPTConfig.like_microgpt (no biases, RMSNorm without weight)"
        )
    return layout


def _as_array(matrix: Any) -> np.ndarray:
    """A matrix of Values (read through ``.data``), numbers or an array, as float64."""
    rows = [[getattr(x, "data", x) for x in row] for row in matrix]
    return np.array(rows, dtype=np.float64)


def load_scalar_weights(model: GPT, params: Mapping[str, Any]) -> None:
    """Copy the scalar GPT's weights (``minigrad.scalar.gpt.GPT.params``) into ``model``.

    ``params`` maps each scalar name to a matrix ``[out][in]`` of ``Value``
    objects or numbers. ``model`` must be configured alike
    (``GPTConfig.like_microgpt`` with the same sizes); float64 makes the two
    engines agree to rounding. A missing or unknown name, a wrong shape or a
    tensor parameter that the scalar GPT has no counterpart for raises a
    ValueError naming it.

    Example:
        >>> from minigrad.scalar.gpt import GPT as ScalarGPT
        >>> from minigrad.tensor.models.gpt import GPT, GPTConfig
        >>> scalar = ScalarGPT(chars="ab", n_embd=4, n_head=1, block_size=4)
        >>> config = GPTConfig.like_microgpt(
        ...     vocab_size=3, block_size=4, n_layer=1, n_head=1, n_embd=4, dtype="float64")
        >>> model = GPT(config)
        >>> load_scalar_weights(model, scalar.params)
        >>> float(model.lm_head.weight.data[0, 0]) == scalar.params["lm_head"][0][0].data
        True
    """
    layout = _checked_layout(model)
    missing, unknown = sorted(set(layout) - set(params)), sorted(set(params) - set(layout))
    if missing or unknown:
        raise ValueError(
            f"expected the scalar GPT's matrices {list(layout)}; missing {missing}, "
            f"unknown {unknown}"
        )
    parameters = dict(model.named_parameters())
    for scalar_name, (tensor_name, rows) in layout.items():
        target = parameters[tensor_name].data[rows]
        source = _as_array(params[scalar_name])
        if source.shape != target.shape:
            raise ValueError(
                f"{scalar_name}: expected a matrix of shape {target.shape} for {tensor_name}, "
                f"got {source.shape}"
            )
        target[...] = source  # a view into the parameter: written in place


def scalar_layout_gradients(model: GPT) -> dict[str, np.ndarray]:
    """``model``'s parameter gradients (after ``backward()``), cut and named as the scalar GPT's.

    Returns a dict scalar name -> a copy of the gradient's rows, in the order of
    `scalar_layout`. A parameter without a gradient raises a ValueError.
    """
    layout = _checked_layout(model)
    parameters = dict(model.named_parameters())
    gradients: dict[str, np.ndarray] = {}
    for scalar_name, (tensor_name, rows) in layout.items():
        grad = parameters[tensor_name].grad
        if grad is None:
            raise ValueError(f"{tensor_name} has no gradient yet: run loss.backward() first")
        gradients[scalar_name] = np.array(grad[rows], dtype=np.float64)
    return gradients
