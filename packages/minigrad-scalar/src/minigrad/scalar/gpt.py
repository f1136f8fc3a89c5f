"""A GPT on scalars: a character model of first names, microgpt-sized, on `Value`.

The recipe is Karpathy's microgpt (February 2026), written with this package:
every number is a `Value`, every gradient comes from ``loss.backward()``.
``python -m minigrad.scalar gpt`` trains it on first names and prints names
it makes up.

The architecture, exactly (a tensor GPT configured alike gives the same loss
and gradients, which is what a cross-engine test checks):

- Tokens: one id per character of the vocabulary (``GPT.chars``, sorted) and
  one more, ``bos = len(chars)``, that starts and ends every name. A name is
  ``[bos, c1, ..., cn, bos]``; the model predicts token t+1 from tokens <= t,
  for the first ``min(block_size, n + 1)`` positions.
- Parameters (``GPT.params``, a dict name -> matrix, a matrix being a list of
  rows of Values) store weights ``[out][in]`` as PyTorch's ``nn.Linear``
  does, with no biases anywhere: ``wte`` [vocab][n_embd] and ``wpe``
  [block_size][n_embd] (embedding rows), for each layer ``i``
  ``layer{i}.attn_wq``, ``attn_wk``, ``attn_wv``, ``attn_wo`` [n_embd][n_embd],
  ``layer{i}.mlp_fc1`` [4 n_embd][n_embd] and ``layer{i}.mlp_fc2``
  [n_embd][4 n_embd], then ``lm_head`` [vocab][n_embd]. Each is drawn from
  N(0, 0.08^2) by ``random.Random(seed)``, matrix by matrix in that order,
  row by row.
- ``rmsnorm(x) = x / sqrt(mean(x^2) + 1e-5)``, with no learnable weight.
- Per position: ``x = rmsnorm(wte[token] + wpe[pos])``; then per layer
  ``x = x + attn_wo @ attention(rmsnorm(x))`` and
  ``x = x + mlp_fc2 @ act(mlp_fc1 @ rmsnorm(x))``; then
  ``logits = lm_head @ x`` (no final norm).
- Attention: ``n_head`` heads of ``n_embd / n_head`` features; the key and
  value of each position are appended to a list (the KV cache), so position t
  attends to positions 0..t (causal); scores are ``q . k / sqrt(head_dim)``,
  softmax over positions, output the weighted sum of values, heads
  concatenated in order.
- ``act`` is ``"relu"`` or ``"gelu_tanh"`` (``0.5 x (1 + tanh(sqrt(2/pi)
  (x + 0.044715 x^3)))``, PyTorch's ``gelu(approximate="tanh")``).
- Loss: the mean over positions of the cross-entropy
  ``logsumexp(logits) - logits[target]``.
- Training (`train`): one name per step, names shuffled by the seed, Adam
  (lr 0.01 decaying linearly to 0, betas 0.85 and 0.99, eps 1e-8).

Example:
    >>> model = GPT(chars="abn", seed=0)
    >>> loss = model.loss("anna")
    >>> round(loss.data, 1)   # about log(4): four tokens, nothing learned yet
    1.4
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections.abc import Sequence
from typing import NoReturn

from minigrad.scalar.engine import Value
from minigrad.scalar.fused import linear
from minigrad.scalar.grad_mode import no_grad
from minigrad.scalar.names import load_first_names
from minigrad.scalar.optim import Adam

__all__ = ["ACTIVATIONS", "GPT", "main", "sample", "train"]

ACTIVATIONS = ("relu", "gelu_tanh")
"""The MLP activations `GPT` can use."""

Matrix = list[list[Value]]


class GPT:
    """The model: its parameters by name and the forward pass (see the module docstring).

    Args:
        chars: the vocabulary's characters (sorted and deduplicated here).
        n_embd: features per position.
        n_head: attention heads; must divide ``n_embd``.
        n_layer: transformer blocks.
        block_size: the longest context, in tokens.
        activation: ``"relu"`` or ``"gelu_tanh"``.
        seed: seeds the initial weights.
    """

    def __init__(
        self,
        chars: str,
        n_embd: int = 16,
        n_head: int = 4,
        n_layer: int = 1,
        block_size: int = 16,
        activation: str = "relu",
        seed: int = 0,
    ) -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        if n_embd % n_head != 0:
            raise ValueError(f"n_head must divide n_embd, got n_embd {n_embd}, n_head {n_head}")
        self.chars = "".join(sorted(set(chars)))
        self.bos = len(self.chars)
        self.vocab_size = len(self.chars) + 1
        self.n_embd, self.n_head, self.n_layer = n_embd, n_head, n_layer
        self.head_dim = n_embd // n_head
        self.block_size = block_size
        self.activation = activation
        rng = random.Random(seed)

        def matrix(rows: int, columns: int) -> Matrix:
            return [[Value(rng.gauss(0.0, 0.08)) for _ in range(columns)] for _ in range(rows)]

        self.params: dict[str, Matrix] = {
            "wte": matrix(self.vocab_size, n_embd),
            "wpe": matrix(block_size, n_embd),
        }
        for i in range(n_layer):
            for name in ("wq", "wk", "wv", "wo"):
                self.params[f"layer{i}.attn_{name}"] = matrix(n_embd, n_embd)
            self.params[f"layer{i}.mlp_fc1"] = matrix(4 * n_embd, n_embd)
            self.params[f"layer{i}.mlp_fc2"] = matrix(n_embd, 4 * n_embd)
        self.params["lm_head"] = matrix(self.vocab_size, n_embd)

    def parameters(self) -> list[Value]:
        """Every parameter, matrix by matrix (in ``params`` order), row by row."""
        return [p for matrix in self.params.values() for row in matrix for p in row]

    def encode(self, name: str) -> list[int]:
        """``[bos, ids of the characters, bos]``; a ValueError names a character not in chars."""
        unknown = sorted(set(name) - set(self.chars))
        if unknown:
            raise ValueError(f"characters not in the vocabulary {self.chars!r}: {unknown}")
        return [self.bos, *(self.chars.index(c) for c in name), self.bos]

    def forward(
        self, token: int, pos: int, keys: list[list[list[Value]]], values: list[list[list[Value]]]
    ) -> list[Value]:
        """The logits for the token after ``token`` at position ``pos``.

        ``keys[i]`` and ``values[i]`` are layer i's cache: this position's key
        and value are appended, and attention reads every entry so far.
        """
        p = self.params
        x = rmsnorm([t + q for t, q in zip(p["wte"][token], p["wpe"][pos], strict=True)])
        for i in range(self.n_layer):
            h = rmsnorm(x)
            q = matvec(p[f"layer{i}.attn_wq"], h)
            keys[i].append(matvec(p[f"layer{i}.attn_wk"], h))
            values[i].append(matvec(p[f"layer{i}.attn_wv"], h))
            heads: list[Value] = []
            for start in range(0, self.n_embd, self.head_dim):
                part = slice(start, start + self.head_dim)
                scale = 1.0 / math.sqrt(self.head_dim)
                scores = [linear(k[part], q[part]) * scale for k in keys[i]]
                weights = softmax(scores)
                for j in range(start, start + self.head_dim):
                    heads.append(linear([v[j] for v in values[i]], weights))
            x = [a + b for a, b in zip(x, matvec(p[f"layer{i}.attn_wo"], heads), strict=True)]
            hidden = [self._activate(u) for u in matvec(p[f"layer{i}.mlp_fc1"], rmsnorm(x))]
            x = [a + b for a, b in zip(x, matvec(p[f"layer{i}.mlp_fc2"], hidden), strict=True)]
        return matvec(p["lm_head"], x)

    def loss(self, name: str) -> Value:
        """The mean cross-entropy of predicting each next token of ``name`` (a Value)."""
        tokens = self.encode(name)
        n = min(self.block_size, len(tokens) - 1)
        keys: list[list[list[Value]]] = [[] for _ in range(self.n_layer)]
        values: list[list[list[Value]]] = [[] for _ in range(self.n_layer)]
        losses = [
            cross_entropy(self.forward(tokens[pos], pos, keys, values), tokens[pos + 1])
            for pos in range(n)
        ]
        return sum(losses, Value(0.0)) * (1.0 / n)

    def _activate(self, x: Value) -> Value:
        if self.activation == "relu":
            return x.relu()
        inner = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)
        return 0.5 * x * (1.0 + inner.tanh())


def matvec(w: Matrix, x: Sequence[Value]) -> list[Value]:
    """``w @ x`` for a matrix stored ``[out][in]``: one weighted sum per row.

    Each weighted sum is `linear`, not ``sum(wi * xi ...)``: the same numbers,
    bit for bit, but one graph node per output instead of two per weight, so
    the graph of a step is about ten times smaller and backward that much faster.
    """
    return [linear(x, row) for row in w]


def rmsnorm(x: list[Value]) -> list[Value]:
    """``x / sqrt(mean(x^2) + 1e-5)`` (the sum of squares is one `linear` node)."""
    scale = (linear(x, x) * (1.0 / len(x)) + 1e-5) ** -0.5
    return [xi * scale for xi in x]


def softmax(scores: list[Value]) -> list[Value]:
    """``exp(s) / sum(exp(s))``, shifted by the largest score so exp cannot overflow."""
    largest = max(s.data for s in scores)  # a constant: the shift does not change the result
    exps = [(s - largest).exp() for s in scores]
    total = sum(exps, Value(0.0))
    return [e / total for e in exps]


def cross_entropy(logits: list[Value], target: int) -> Value:
    """``-log(softmax(logits)[target])``, computed as ``logsumexp(logits) - logits[target]``."""
    largest = max(s.data for s in logits)
    total = sum(((s - largest).exp() for s in logits), Value(0.0))
    return total.log() - (logits[target] - largest)


def train(
    model: GPT, names: Sequence[str], steps: int, seed: int = 0, log_every: int = 0
) -> list[float]:
    """Train ``model`` for ``steps`` steps, one name per step; return each step's loss.

    The names are shuffled with ``seed`` and cycled. ``log_every`` > 0 prints
    the mean loss of the last that many steps, every that many steps.
    """
    order = list(names)
    random.Random(seed).shuffle(order)
    parameters = model.parameters()
    optimizer = Adam(parameters, lr=0.01, betas=(0.85, 0.99), eps=1e-8)
    losses = []
    for step in range(steps):
        loss = model.loss(order[step % len(order)])
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = 0.01 * (1.0 - step / steps)
        optimizer.step()
        losses.append(loss.data)
        if log_every and (step + 1) % log_every == 0:
            recent = losses[-log_every:]
            print(f"step {step + 1:4d}/{steps}  mean loss {sum(recent) / len(recent):.4f}")
    return losses


@no_grad()
def sample(model: GPT, rng: random.Random, temperature: float = 0.5) -> str:
    """A made-up name: tokens drawn one by one until ``bos`` or the block is full."""
    keys: list[list[list[Value]]] = [[] for _ in range(model.n_layer)]
    values: list[list[list[Value]]] = [[] for _ in range(model.n_layer)]
    token, name = model.bos, []
    for pos in range(model.block_size):
        logits = model.forward(token, pos, keys, values)
        largest = max(s.data for s in logits)
        weights = [math.exp((s.data - largest) / temperature) for s in logits]
        token = rng.choices(range(model.vocab_size), weights=weights)[0]
        if token == model.bos:
            break
        name.append(model.chars[token])
    return "".join(name)


class _OneLineErrors(argparse.ArgumentParser):
    """An argument parser whose errors are one line (no usage block)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _count(text: str) -> int:
    """An argparse type: an int >= 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return number


def _seed(text: str) -> int:
    """An argparse type: any int."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def _load_names() -> list[str]:
    """The bundled first names (lowercase a-z), from ``minigrad.scalar.names``."""
    return load_first_names()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m minigrad.scalar gpt``: train on first names, print made-up names.

    Args:
        argv: the arguments after ``gpt`` (None reads none: the defaults).
    """
    parser = _OneLineErrors(
        prog="python -m minigrad.scalar gpt",
        description="Train a microgpt-sized GPT on first names with scalar autograd, then "
        "sample names from it.",
    )
    parser.add_argument("--steps", type=_count, default=300, help="training steps (default 300)")
    parser.add_argument("--seed", type=_seed, default=0, help="seeds everything (default 0)")
    parser.add_argument(
        "--num-samples", type=_count, default=10, help="names to generate (default 10)"
    )
    args = parser.parse_args([] if argv is None else list(argv))
    names = _load_names()
    model = GPT(chars="".join(names), seed=args.seed)
    print(
        f"{len(names)} names, vocabulary {model.vocab_size}, {len(model.parameters())} parameters"
    )
    start = time.perf_counter()
    losses = train(model, names, args.steps, seed=args.seed, log_every=max(1, args.steps // 10))
    seconds = time.perf_counter() - start
    print(f"{args.steps} steps in {seconds:.1f} s; loss {losses[0]:.3f} -> {losses[-1]:.3f}")
    rng = random.Random(args.seed)
    print("names it made up:", ", ".join(sample(model, rng) for _ in range(args.num_samples)))
    return 0
