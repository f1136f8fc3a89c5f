"""Workload 8: one training step of a tiny character GPT, MiniGrad's modules against PyTorch eager.

vocab 27, block 16, n_embd 64, 4 heads, 2 layers, batch 32, LayerNorm, exact GELU,
AdamW: ``minigrad.tensor.models.GPT`` and the same model written with ``torch.nn``
(nanoGPT's layout, so the state dict loads unchanged), both from the same weights
on the same batch, both on one core. A step is forward, cross-entropy, backward
and the AdamW update. MiniGrad runs eagerly and compiled
(``minigrad.tensor.compile``); ratios are to the compiled row. Beside them, the
step's compute floor: its matrix products alone, the same BLAS calls with the
same shapes and layouts (:mod:`gpt_floor`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gpt_floor
import numpy as np
from harness import Row, compare, rows_for

from minigrad.tensor import Tensor, manual_seed, optim
from minigrad.tensor.compile import compile
from minigrad.tensor.models import GPT, GPTConfig

CONFIG = GPTConfig(vocab_size=27, block_size=16, n_layer=2, n_head=4, n_embd=64, activation="gelu")
BATCH = 32
LR = 1e-3


def torch_gpt(torch: Any, config: GPTConfig) -> Any:
    """nanoGPT's model in PyTorch, with MiniGrad's ``GPT`` parameter names."""
    nn, F = torch.nn, torch.nn.functional

    class CausalSelfAttention(nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
            self.c_proj = nn.Linear(config.n_embd, config.n_embd)

        def forward(self, x: Any) -> Any:
            B, T, C = x.size()
            q, k, v = self.c_attn(x).split(config.n_embd, dim=2)
            q = q.view(B, T, config.n_head, C // config.n_head).transpose(1, 2)
            k = k.view(B, T, config.n_head, C // config.n_head).transpose(1, 2)
            v = v.view(B, T, config.n_head, C // config.n_head).transpose(1, 2)
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))

    class MLP(nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd)
            self.act = nn.GELU()
            self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd)

        def forward(self, x: Any) -> Any:
            return self.c_proj(self.act(self.c_fc(x)))

    class Block(nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.ln_1 = nn.LayerNorm(config.n_embd)
            self.attn = CausalSelfAttention()
            self.ln_2 = nn.LayerNorm(config.n_embd)
            self.mlp = MLP()

        def forward(self, x: Any) -> Any:
            x = x + self.attn(self.ln_1(x))
            return x + self.mlp(self.ln_2(x))

    class TorchGPT(nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.transformer = nn.ModuleDict(
                {
                    "wte": nn.Embedding(config.vocab_size, config.n_embd),
                    "wpe": nn.Embedding(config.block_size, config.n_embd),
                    "h": nn.ModuleList([Block() for _ in range(config.n_layer)]),
                    "ln_f": nn.LayerNorm(config.n_embd),
                }
            )
            self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)

        def forward(self, idx: Any, targets: Any) -> Any:
            T = idx.size(1)
            pos = torch.arange(T)
            x = self.transformer.wte(idx) + self.transformer.wpe(pos)
            for block in self.transformer.h:
                x = block(x)
            logits = self.lm_head(self.transformer.ln_f(x))
            return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))

    return TorchGPT()


def _minigrad_step() -> tuple[GPT, Callable[[Tensor, Tensor], Tensor]]:
    """A MiniGrad GPT (seeded weights) and its training step with AdamW."""
    manual_seed(0)
    model = GPT(CONFIG)
    optimizer = optim.AdamW(model.parameters(), lr=LR)

    def step(x: Tensor, y: Tensor) -> Tensor:
        _, loss = model(x, y)
        assert loss is not None
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    return model, step


def contenders(torch: Any | None) -> dict[str, Any]:
    """One training step per contender, from the same weights on the same batch.

    The eager and the compiled MiniGrad step train two copies of the model (the
    same weights), so neither changes what the other computes.
    """
    rng = np.random.default_rng(0)
    x = rng.integers(0, CONFIG.vocab_size, (BATCH, CONFIG.block_size))
    y = rng.integers(0, CONFIG.vocab_size, (BATCH, CONFIG.block_size))
    tx_mg, ty_mg = Tensor(x), Tensor(y)
    model, eager_step = _minigrad_step()
    compiled_step = compile(_minigrad_step()[1])
    products = gpt_floor.matrix_products(CONFIG, BATCH)

    steps: dict[str, Any] = {
        "MiniGrad compiled": lambda: compiled_step(tx_mg, ty_mg),
        "MiniGrad eager": lambda: eager_step(tx_mg, ty_mg),
        "matrix products alone (floor)": lambda: gpt_floor.run(products),
    }
    if torch is not None:
        torch.set_num_threads(1)
        torch_model = torch_gpt(torch, CONFIG)
        torch_model.load_state_dict(
            {k: torch.from_numpy(np.array(v)) for k, v in model.state_dict().items()}
        )
        torch_optimizer = torch.optim.AdamW(torch_model.parameters(), lr=LR)
        tx, ty = torch.from_numpy(x), torch.from_numpy(y)

        def torch_step() -> None:
            loss = torch_model(tx, ty)
            torch_optimizer.zero_grad()
            loss.backward()
            torch_optimizer.step()

        steps["PyTorch"] = torch_step
    return steps


def gpt_step(torch: Any | None, rounds: int) -> list[Row]:
    """Workload 8: the tiny GPT's training step, MiniGrad against PyTorch eager and the floor.

    ``run_all`` has the process keep freed memory for every workload, as
    ``minigrad train`` does.
    """
    targets = {
        "PyTorch": ("MiniGrad compiled >= 1.4x faster", lambda r: r >= 1.4),
        # The floor's ratio is floor / compiled: 0.8x means the step takes 1.25x its floor.
        "matrix products alone (floor)": (
            "MiniGrad compiled within 1.25x (ratio >= 0.8x)",
            lambda r: r >= 1 / 1.25,
        ),
    }
    return rows_for(
        "8. tiny GPT (27 tokens, block 16, 64 wide, 4 heads, 2 layers), batch 32, AdamW step",
        compare(contenders(torch), rounds=rounds * 4, warmup=5, number=5),
        "MiniGrad compiled",
        targets,
    )
