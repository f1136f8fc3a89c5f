"""Complete models built from :mod:`minigrad.tensor.nn`: a character-level GPT.

Example:
    >>> from minigrad.tensor.models import GPT, GPTConfig
    >>> model = GPT(GPTConfig(vocab_size=27, block_size=8, n_layer=1, n_head=2, n_embd=16))
    >>> sum(p.size for p in model.parameters())
    4304
"""

from __future__ import annotations

from minigrad.tensor.models.gpt import GPT, MLP, Block, CausalSelfAttention, GPTConfig

__all__ = ["GPT", "MLP", "Block", "CausalSelfAttention", "GPTConfig"]
