"""Workload 9's model: a microgpt-sized GPT training step, for any ``Value`` class.

The model code is microgpt's recipe (Karpathy, February 2026), written the way
a learner writes it: plain ``+ * ** exp log relu`` and Python's ``sum``. Only
the ``Value`` class changes between contenders (and, in one variant, the
weighted sum): 1 layer, n_embd 16, 4 heads, block size 8, a 27-character
vocabulary (a-z and a boundary token), RMSNorm, causal self-attention over a
list of keys and values, a ReLU MLP, mean cross-entropy over the positions,
and Adam (lr 0.01 decaying linearly, betas 0.85 and 0.99).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

N_EMBD, N_HEAD, N_LAYER, BLOCK_SIZE = 16, 4, 1, 8
HEAD_DIM = N_EMBD // N_HEAD
CHARS = "abcdefghijklmnopqrstuvwxyz"
BOS = len(CHARS)  # the boundary token, before and after every name
VOCAB_SIZE = len(CHARS) + 1
NAMES = ["isabella", "theodore", "margaret", "nathaniel", "josephine", "frederick", "catherine"]
"""Names of at least 7 letters, so every step fills the whole block of 8 positions."""

WeightedSum = Callable[[Sequence[Any], Sequence[Any]], Any]


def plain_sum(weights: Sequence[Any], inputs: Sequence[Any]) -> Any:
    """``w . x`` as a learner writes it: one ``*`` and one ``+`` per term."""
    return sum(w * x for w, x in zip(weights, inputs, strict=True))


def init_weights(value: type, seed: int = 0) -> dict[str, list[list[Any]]]:
    """Every weight matrix, ``[out][in]``, drawn from N(0, 0.08) by a seeded generator."""
    rng = random.Random(seed)

    def matrix(rows: int, columns: int) -> list[list[Any]]:
        return [[value(rng.gauss(0.0, 0.08)) for _ in range(columns)] for _ in range(rows)]

    state = {"wte": matrix(VOCAB_SIZE, N_EMBD), "wpe": matrix(BLOCK_SIZE, N_EMBD)}
    for layer in range(N_LAYER):
        for name in ("wq", "wk", "wv", "wo"):
            state[f"layer{layer}.attn_{name}"] = matrix(N_EMBD, N_EMBD)
        state[f"layer{layer}.mlp_fc1"] = matrix(4 * N_EMBD, N_EMBD)
        state[f"layer{layer}.mlp_fc2"] = matrix(N_EMBD, 4 * N_EMBD)
    state["lm_head"] = matrix(VOCAB_SIZE, N_EMBD)
    return state


class GPTStep:
    """One training step per call, on the next name; ``losses`` records each step's loss."""

    def __init__(self, value: type, dot: WeightedSum = plain_sum, seed: int = 0) -> None:
        self.dot = dot
        self.state = init_weights(value, seed)
        self.params = [p for matrix in self.state.values() for row in matrix for p in row]
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.step_count = 0
        self.losses: list[float] = []

    def linear(self, x: list[Any], w: list[list[Any]]) -> list[Any]:
        return [self.dot(row, x) for row in w]

    def rmsnorm(self, x: list[Any]) -> list[Any]:
        mean_square = self.dot(x, x) / len(x)
        scale = (mean_square + 1e-5) ** -0.5
        return [xi * scale for xi in x]

    @staticmethod
    def softmax(logits: list[Any]) -> list[Any]:
        largest = max(v.data for v in logits)
        exps = [(v - largest).exp() for v in logits]
        total = sum(exps)
        return [e / total for e in exps]

    def forward(self, token: int, pos: int, keys: list[list[Any]], values: list[list[Any]]) -> Any:
        s = self.state
        x = [t + p for t, p in zip(s["wte"][token], s["wpe"][pos], strict=True)]
        x = self.rmsnorm(x)
        for layer in range(N_LAYER):
            residual = x
            x = self.rmsnorm(x)
            q = self.linear(x, s[f"layer{layer}.attn_wq"])
            keys[layer].append(self.linear(x, s[f"layer{layer}.attn_wk"]))
            values[layer].append(self.linear(x, s[f"layer{layer}.attn_wv"]))
            attended: list[Any] = []
            for head in range(N_HEAD):
                lo, hi = head * HEAD_DIM, (head + 1) * HEAD_DIM
                logits = [self.dot(q[lo:hi], k[lo:hi]) / HEAD_DIM**0.5 for k in keys[layer]]
                weights = self.softmax(logits)
                for j in range(lo, hi):
                    attended.append(self.dot(weights, [v[j] for v in values[layer]]))
            x = [
                a + r
                for a, r in zip(
                    self.linear(attended, s[f"layer{layer}.attn_wo"]), residual, strict=True
                )
            ]
            residual = x
            x = [h.relu() for h in self.linear(self.rmsnorm(x), s[f"layer{layer}.mlp_fc1"])]
            x = [
                a + r
                for a, r in zip(self.linear(x, s[f"layer{layer}.mlp_fc2"]), residual, strict=True)
            ]
        return self.linear(x, s["lm_head"])

    def loss(self, name: str) -> Any:
        tokens = [BOS, *(CHARS.index(c) for c in name), BOS]
        n = min(BLOCK_SIZE, len(tokens) - 1)
        keys: list[list[Any]] = [[] for _ in range(N_LAYER)]
        values: list[list[Any]] = [[] for _ in range(N_LAYER)]
        losses = []
        for pos in range(n):
            probs = self.softmax(self.forward(tokens[pos], pos, keys, values))
            losses.append(-probs[tokens[pos + 1]].log())
        return (1 / n) * sum(losses)

    def __call__(self, total_steps: int = 1000) -> None:
        loss = self.loss(NAMES[self.step_count % len(NAMES)])
        loss.backward()
        lr, beta1, beta2 = 0.01 * (1 - self.step_count / total_steps), 0.85, 0.99
        t = self.step_count + 1
        for i, p in enumerate(self.params):
            self.m[i] = beta1 * self.m[i] + (1 - beta1) * p.grad
            self.v[i] = beta2 * self.v[i] + (1 - beta2) * p.grad**2
            m_hat = self.m[i] / (1 - beta1**t)
            v_hat = self.v[i] / (1 - beta2**t)
            p.data -= lr * m_hat / (v_hat**0.5 + 1e-8)
            p.grad = 0
        self.losses.append(loss.data)
        self.step_count += 1
