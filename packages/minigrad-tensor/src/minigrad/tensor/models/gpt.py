"""A GPT in the shape of nanoGPT: token and position embeddings, pre-norm blocks, an LM head.

Every line reads as it would with PyTorch (``nn.ModuleDict``, ``nn.Embedding``,
``F.scaled_dot_product_attention(..., is_causal=True)``, ``F.cross_entropy``),
and the parameter names are nanoGPT's (``transformer.h.0.attn.c_attn.weight``).
:class:`GPTConfig` chooses the details that differ between GPTs: LayerNorm or
RMSNorm (with or without a learned weight), biases, the MLP's activation
(``relu``, ``gelu``, ``gelu_tanh``), a norm right after the embeddings and a
final norm. Configured as microgpt is (``GPTConfig.like_microgpt``), the model
computes the loss of ``minigrad.scalar.gpt.GPT`` and its gradients, which a
cross-engine test checks.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor import manual_seed
    >>> from minigrad.tensor.models import GPT, GPTConfig
    >>> _ = manual_seed(0)
    >>> model = GPT(GPTConfig(vocab_size=5, block_size=4, n_layer=1, n_head=2, n_embd=8))
    >>> logits, loss = model(np.array([[0, 1, 2]]), np.array([[1, 2, 0]]))
    >>> logits.shape, round(loss.item(), 1)
    ((1, 3, 5), 1.6)
    >>> model.generate(np.array([[0]]), 3, generator=np.random.default_rng(0)).shape
    (1, 4)
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from minigrad.tensor.autograd.modes import no_grad
from minigrad.tensor.nn import functional as F
from minigrad.tensor.nn import init
from minigrad.tensor.nn.layers.activation import GELU, ReLU
from minigrad.tensor.nn.layers.container import ModuleDict, ModuleList
from minigrad.tensor.nn.layers.dropout import Dropout
from minigrad.tensor.nn.layers.embedding import Embedding
from minigrad.tensor.nn.layers.linear import Identity, Linear
from minigrad.tensor.nn.layers.normalization import LayerNorm, RMSNorm
from minigrad.tensor.nn.module import Module
from minigrad.tensor.ops.join import concatenate, split
from minigrad.tensor.sampling import sample_logits
from minigrad.tensor.tensor import Tensor

__all__ = ["GPT", "MLP", "Block", "CausalSelfAttention", "GPTConfig"]

ACTIVATIONS = ("relu", "gelu", "gelu_tanh")
NORMS = ("layernorm", "rmsnorm")


@dataclass(frozen=True)
class GPTConfig:
    """The sizes and choices of a :class:`GPT`.

    Attributes:
        vocab_size: tokens (27 for the names: a-z and the boundary).
        block_size: the longest context, in tokens.
        n_layer: transformer blocks.
        n_head: attention heads; must divide ``n_embd``.
        n_embd: features per position.
        dropout: dropout probability in training (embeddings, attention, residuals).
        bias: biases in the Linear layers and LayerNorms.
        norm: ``"layernorm"`` or ``"rmsnorm"``.
        norm_affine: the norms learn a weight (and, for LayerNorm with ``bias``, a bias).
        norm_eps: the norms' epsilon.
        activation: the MLP's activation, ``"relu"``, ``"gelu"`` (exact) or ``"gelu_tanh"``.
        embedding_norm: normalise right after adding the embeddings (as microgpt does).
        final_norm: normalise before the LM head (as GPT-2 does).
        dtype: the parameters' dtype, ``"float32"`` or ``"float64"``.
    """

    vocab_size: int = 27
    block_size: int = 16
    n_layer: int = 2
    n_head: int = 4
    n_embd: int = 64
    dropout: float = 0.0
    bias: bool = True
    norm: str = "layernorm"
    norm_affine: bool = True
    norm_eps: float = 1e-5
    activation: str = "gelu"
    embedding_norm: bool = False
    final_norm: bool = True
    dtype: str = "float32"

    def __post_init__(self) -> None:
        for name in ("vocab_size", "block_size", "n_layer", "n_head", "n_embd"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"GPTConfig: {name} must be a positive int, got {value!r}")
        if self.n_embd % self.n_head:
            raise ValueError(
                f"GPTConfig: n_head must divide n_embd, got n_embd {self.n_embd} and "
                f"n_head {self.n_head}"
            )
        if self.activation not in ACTIVATIONS:
            raise ValueError(
                f"GPTConfig: activation must be one of {ACTIVATIONS}, got {self.activation!r}"
            )
        if self.norm not in NORMS:
            raise ValueError(f"GPTConfig: norm must be one of {NORMS}, got {self.norm!r}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"GPTConfig: dropout must be in [0, 1), got {self.dropout}")
        if np.dtype(self.dtype).kind != "f":
            raise ValueError(f"GPTConfig: dtype must be a float type, got {self.dtype!r}")

    @classmethod
    def like_microgpt(cls, **sizes: Any) -> GPTConfig:
        """The architecture of ``minigrad.scalar.gpt`` (microgpt): see that module's docstring.

        RMSNorm without weight (eps 1e-5) after the embeddings and before each
        sub-block, no biases, no final norm, ReLU unless ``activation`` says otherwise.
        """
        defaults: dict[str, Any] = {
            "bias": False,
            "norm": "rmsnorm",
            "norm_affine": False,
            "norm_eps": 1e-5,
            "activation": "relu",
            "embedding_norm": True,
            "final_norm": False,
        }
        return cls(**{**defaults, **sizes})

    def to_dict(self) -> dict[str, Any]:
        """The configuration as plain values (for a checkpoint's metadata)."""
        return dataclasses.asdict(self)


def _norm(config: GPTConfig) -> Module:
    if config.norm == "rmsnorm":
        return RMSNorm(
            config.n_embd,
            eps=config.norm_eps,
            elementwise_affine=config.norm_affine,
            dtype=config.dtype,
        )
    return LayerNorm(
        config.n_embd,
        eps=config.norm_eps,
        elementwise_affine=config.norm_affine,
        bias=config.bias,
        dtype=config.dtype,
    )


class CausalSelfAttention(Module):
    """Multi-head self-attention in which position t sees positions 0..t only."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.n_head = config.n_head
        self.n_embd = config.n_embd
        self.dropout = config.dropout
        # The query, key and value projections of every head, in one Linear.
        self.c_attn = Linear(config.n_embd, 3 * config.n_embd, bias=config.bias, dtype=config.dtype)
        self.c_proj = Linear(config.n_embd, config.n_embd, bias=config.bias, dtype=config.dtype)
        self.resid_dropout = Dropout(config.dropout)

    def forward(self, x: Tensor) -> Tensor:
        """``(B, T, C)`` -> ``(B, T, C)``."""
        B, T, C = x.shape
        q, k, v = split(self.c_attn(x), 3, axis=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        p = self.dropout if self.training else 0.0
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True)
        y = y.transpose(1, 2).reshape(B, T, C)  # the heads side by side again
        out: Tensor = self.resid_dropout(self.c_proj(y))
        return out


class MLP(Module):
    """Two Linear layers with the configured activation between them (4x wider inside)."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.c_fc = Linear(config.n_embd, 4 * config.n_embd, bias=config.bias, dtype=config.dtype)
        self.act: Module = (
            ReLU()
            if config.activation == "relu"
            else GELU(approximate="tanh" if config.activation == "gelu_tanh" else "none")
        )
        self.c_proj = Linear(4 * config.n_embd, config.n_embd, bias=config.bias, dtype=config.dtype)
        self.dropout = Dropout(config.dropout)

    def forward(self, x: Tensor) -> Tensor:
        """``(..., C)`` -> ``(..., C)``."""
        out: Tensor = self.dropout(self.c_proj(self.act(self.c_fc(x))))
        return out


class Block(Module):
    """A pre-norm transformer block: ``x + attn(norm(x))``, then ``x + mlp(norm(x))``."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.ln_1 = _norm(config)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = _norm(config)
        self.mlp = MLP(config)

    def forward(self, x: Tensor) -> Tensor:
        """``(B, T, C)`` -> ``(B, T, C)``."""
        x = x + self.attn(self.ln_1(x))
        out: Tensor = x + self.mlp(self.ln_2(x))
        return out


class GPT(Module):
    """A decoder-only transformer over tokens (see the module docstring).

    Args:
        config: the sizes and choices.

    The weights start as in nanoGPT: N(0, 0.02) for Linear and Embedding weights,
    N(0, 0.02 / sqrt(2 n_layer)) for the projections into the residual stream,
    zero biases.
    """

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = config
        self.transformer = ModuleDict(
            {
                "wte": Embedding(config.vocab_size, config.n_embd, dtype=config.dtype),
                "wpe": Embedding(config.block_size, config.n_embd, dtype=config.dtype),
                "ln_e": _norm(config) if config.embedding_norm else Identity(),
                "drop": Dropout(config.dropout),
                "h": ModuleList([Block(config) for _ in range(config.n_layer)]),
                "ln_f": _norm(config) if config.final_norm else Identity(),
            }
        )
        self.lm_head = Linear(config.n_embd, config.vocab_size, bias=False, dtype=config.dtype)
        self.apply(self._init_weights)
        for name, parameter in self.named_parameters():
            if name.endswith("c_proj.weight"):
                init.normal_(parameter, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init_weights(module: Module) -> None:
        if isinstance(module, (Linear, Embedding)):
            init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, Linear) and module.bias is not None:
            init.zeros_(module.bias)

    def forward(self, idx: Any, targets: Any = None) -> tuple[Tensor, Tensor | None]:
        """Logits ``(B, T, vocab_size)`` for token ids ``idx`` ``(B, T)``, and the loss.

        With ``targets`` (``(B, T)`` token ids; -1 marks a position without a target)
        the loss is the mean cross-entropy over the positions with a target.
        """
        tokens = idx if isinstance(idx, Tensor) else Tensor(np.asarray(idx))
        if tokens.ndim != 2:
            raise ValueError(f"GPT: expected token ids of shape (B, T), got {tokens.shape}")
        B, T = tokens.shape
        if self.config.block_size < T:
            raise ValueError(
                f"GPT: a sequence of {T} tokens is longer than block_size {self.config.block_size}"
            )
        pos = np.arange(T, dtype=np.int64)
        tok_emb = self.transformer["wte"](tokens)  # (B, T, n_embd)
        pos_emb = self.transformer["wpe"](pos)  # (T, n_embd)
        x = self.transformer["drop"](self.transformer["ln_e"](tok_emb + pos_emb))
        blocks = self.transformer["h"]
        assert isinstance(blocks, ModuleList)
        for block in blocks:
            x = block(x)
        x = self.transformer["ln_f"](x)
        logits = self.lm_head(x)
        if targets is None:
            return logits, None
        target = targets.data if isinstance(targets, Tensor) else np.asarray(targets)
        loss = F.cross_entropy(
            logits.reshape(B * T, self.config.vocab_size), target.reshape(-1), ignore_index=-1
        )
        return logits, loss

    @no_grad()
    def generate(
        self,
        idx: Any,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        generator: np.random.Generator | None = None,
    ) -> Tensor:
        """Extend each row of ``idx`` ``(B, T)`` by ``max_new_tokens`` sampled tokens.

        Each step feeds the last ``block_size`` tokens, divides the last position's
        logits by ``temperature``, keeps the ``top_k`` largest (if given) and draws
        the next token from ``generator`` (or the package's generator).
        """
        tokens = idx if isinstance(idx, Tensor) else Tensor(np.asarray(idx, dtype=np.int64))
        was_training = self.training
        self.eval()
        try:
            for _ in range(max_new_tokens):
                context = tokens[:, -self.config.block_size :]
                logits, _ = self(context)
                next_token = sample_logits(logits[:, -1, :], temperature, top_k, generator)
                tokens = concatenate([tokens, next_token], axis=1)
        finally:
            self.train(was_training)
        return tokens
