"""The training loop behind ``minigrad train --data names``: a character GPT on the surnames.

Each name becomes one row of token ids, ``[".", c1, ..., cn]`` with targets
``[c1, ..., cn, "."]``, padded to ``block_size`` with targets of -1 (ignored), so
every character and every end of a name is predicted once, from the start of its
name: the validation loss is in the same units (nats per character) as the
count-based bigram model printed next to it.

A run is fully determined by its :class:`LMConfig`. Its own random generator,
seeded with ``seed``, draws the initial weights and every batch; a checkpoint
written at each validation holds the weights, the AdamW state, the generator and
the history, so resuming replays the rest of the run exactly.
:func:`training_step` is the one training step, kept apart from the loop
(:func:`train_step` runs it once); by default the loop compiles it
(:func:`minigrad.tensor.compile.compile`: recorded once per batch width, then
replayed, the same numbers bit for bit).

Example:
    >>> from minigrad.tensor.lm_training import LMConfig, train_lm
    >>> result = train_lm(LMConfig(steps=20, eval_interval=10), progress=False, log=None)
    >>> len(result.history.val_loss)
    2
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from tqdm import tqdm

from minigrad.tensor import checkpoint, optim
from minigrad.tensor.autograd import no_grad
from minigrad.tensor.compile.compiled import compile
from minigrad.tensor.creation import use_generator
from minigrad.tensor.data.names import CharVocab, bigram_nll, load_names
from minigrad.tensor.models.gpt import GPT, GPTConfig
from minigrad.tensor.nn.functional import cross_entropy
from minigrad.tensor.run_checkpoint import (
    copy_arrays,
    load_run_checkpoint,
    load_weights,
    restoring,
    run_paths,
    setup_differences,
)
from minigrad.tensor.tensor import Tensor
from minigrad.tensor.training import DivergenceError, TrainingInterrupted

__all__ = [
    "LMConfig",
    "LMHistory",
    "LMResult",
    "checkpoint_gpt",
    "is_lm_checkpoint",
    "load_lm_checkpoint",
    "name_rows",
    "names_data",
    "sample_names",
    "train_lm",
    "train_step",
    "training_step",
    "validation_loss",
]

LM_CHECKPOINT_KIND = "minigrad-train-names"
_STATE_PARTS = ("kind", "config", "step", "model", "optimizer", "rng", "history")
_EVAL_BATCH = 512
_WARMUP_STEPS = 100

Log = Callable[[str], None]


@dataclasses.dataclass(frozen=True)
class LMConfig:
    """Everything that determines a language-model run on the bundled surnames.

    Attributes:
        steps: AdamW steps in all (a resumed run continues up to it).
        eval_interval: steps between validations (each followed by a checkpoint).
        batch_size: names per step.
        lr: the peak learning rate (linear warm-up over 100 steps, then cosine decay
            to a tenth of it).
        weight_decay: AdamW's decoupled weight decay.
        seed: fixes the initial weights and the batches.
        split_seed: the seed of the train/validation split of the names.
        block_size, n_layer, n_head, n_embd, activation, norm: the GPT's
            (:class:`~minigrad.tensor.models.GPTConfig`).
    """

    data: Literal["names"] = "names"
    steps: int = 1200
    eval_interval: int = 400
    batch_size: int = 64
    lr: float = 1e-2
    weight_decay: float = 0.01
    seed: int = 0
    split_seed: int = 0
    block_size: int = 16
    n_layer: int = 2
    n_head: int = 4
    n_embd: int = 64
    activation: str = "gelu"
    norm: str = "layernorm"

    def __post_init__(self) -> None:
        if self.data != "names":
            raise ValueError(f"data must be 'names', got {self.data!r}")
        for name in ("steps", "eval_interval", "batch_size", "block_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        for name in ("seed", "split_seed"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr must be a positive number, got {self.lr!r}")
        if not (math.isfinite(self.weight_decay) and self.weight_decay >= 0):
            raise ValueError(f"weight_decay must be a number >= 0, got {self.weight_decay!r}")
        self.gpt_config(27)  # the model's own checks

    def gpt_config(self, vocab_size: int) -> GPTConfig:
        """The GPT this run trains."""
        return GPTConfig(
            vocab_size=vocab_size,
            block_size=self.block_size,
            n_layer=self.n_layer,
            n_head=self.n_head,
            n_embd=self.n_embd,
            activation=self.activation,
            norm=self.norm,
        )

    def learning_rate(self, step: int) -> float:
        """The learning rate of 0-based ``step``: warm-up, then cosine decay to lr / 10."""
        if step < _WARMUP_STEPS:
            return self.lr * (step + 1) / _WARMUP_STEPS
        progress = (step - _WARMUP_STEPS) / max(1, self.steps - _WARMUP_STEPS)
        return self.lr * (0.1 + 0.45 * (1.0 + math.cos(math.pi * min(progress, 1.0))))


@dataclasses.dataclass
class LMHistory:
    """At each validation: the step, the mean training loss since the last one, the val loss."""

    step: list[int] = dataclasses.field(default_factory=list)
    train_loss: list[float] = dataclasses.field(default_factory=list)
    val_loss: list[float] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class LMResult:
    """What :func:`train_lm` hands back."""

    model: GPT
    vocab: CharVocab
    history: LMHistory
    val_loss: float
    bigram_loss: float
    train_names: list[str]
    checkpoint_path: Path | None


# ------------------------------------------------------------------- data


def name_rows(names: Sequence[str], vocab: CharVocab, block_size: int) -> tuple[Tensor, Tensor]:
    """Token rows ``(N, block_size)`` of the names and their targets (-1 where there is none).

    Row i is ``[0, c1, ..., cn, 0, ...]`` and its targets ``[c1, ..., cn, 0, -1, ...]``:
    each character and the end of the name (the boundary 0) are predicted from the
    name's start. A name longer than ``block_size - 1`` characters is cut.

    Example:
        >>> from minigrad.tensor.data import CharVocab
        >>> x, y = name_rows(["ab"], CharVocab("ab"), 4)
        >>> x.tolist(), y.tolist()
        ([[0, 1, 2, 0]], [[1, 2, 0, -1]])
    """
    inputs = np.zeros((len(names), block_size), dtype=np.int64)
    targets = np.full((len(names), block_size), -1, dtype=np.int64)
    for row, name in enumerate(names):
        ids = [0, *vocab.encode(name), 0][: block_size + 1]
        inputs[row, : len(ids) - 1] = ids[:-1]
        targets[row, : len(ids) - 1] = ids[1:]
    return Tensor(inputs), Tensor(targets)


def names_data(config: LMConfig) -> tuple[list[str], list[str], CharVocab]:
    """The training and validation surnames of the run's split, and their vocabulary."""
    train_names = load_names("last", split="train", seed=config.split_seed)
    val_names = load_names("last", split="val", seed=config.split_seed)
    vocab = CharVocab.from_words(load_names("last"))
    return train_names, val_names, vocab


# ------------------------------------------------------------------- steps


def _batch(
    inputs: np.ndarray, targets: np.ndarray, lengths: np.ndarray, rows: np.ndarray
) -> tuple[Tensor, Tensor]:
    """The rows' tokens, cut after the longest row's last target rounded up to a multiple of 4.

    Padding past every row's end changes no loss (causal attention: later positions
    never reach earlier ones); rounding keeps the number of distinct shapes small.
    """
    width = min(inputs.shape[1], -(-int(lengths[rows].max()) // 4) * 4)
    return Tensor(inputs[rows, :width]), Tensor(targets[rows, :width])


def training_step(model: GPT, optimizer: optim.Optimizer) -> Callable[[Tensor, Tensor], Tensor]:
    """One training step on a batch: forward, loss, backward, AdamW update; returns the loss.

    A function of tensors only, which reads the batch and the parameters and
    changes only the parameters, their gradients and the optimizer's state, so
    that :func:`~minigrad.tensor.compile.compile` can record it. The loss is
    returned as a tensor (before the update) and read by the caller: reading its
    value inside would be frozen in a compiled step.
    """

    def step(inputs: Tensor, targets: Tensor) -> Tensor:
        logits_and_loss: tuple[Tensor, Tensor | None] = model(inputs, targets)
        loss = logits_and_loss[1]
        assert loss is not None
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    return step


def train_step(model: GPT, optimizer: optim.Optimizer, inputs: Tensor, targets: Tensor) -> float:
    """One eager training step on a batch (:func:`training_step`, run once); returns the loss.

    For a notebook or a test that steps by hand; the training loop keeps the
    function :func:`training_step` makes, so that it can compile it.
    """
    return float(training_step(model, optimizer)(inputs, targets).item())


def validation_loss(model: GPT, inputs: Tensor, targets: Tensor) -> float:
    """The mean cross-entropy per predicted token (nats per character), in eval mode, no graph."""
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    # Rows sorted by length and cut after their longest target: padding costs nothing.
    lengths = (targets.data != -1).sum(axis=1)
    order = np.argsort(lengths, kind="stable")
    with no_grad():
        for start in range(0, len(order), _EVAL_BATCH):
            rows = order[start : start + _EVAL_BATCH]
            width = max(int(lengths[rows].max()), 1)
            x = Tensor(inputs.data[rows, :width])
            y = targets.data[rows, :width]
            logits, _ = model(x)
            flat = logits.reshape(-1, logits.shape[-1])
            total += float(cross_entropy(flat, y.reshape(-1), ignore_index=-1, reduction="sum"))
            count += int((y != -1).sum())
    model.train(was_training)
    return total / count


def sample_names(
    model: GPT,
    vocab: CharVocab,
    count: int,
    temperature: float = 1.0,
    top_k: int | None = None,
    generator: np.random.Generator | None = None,
) -> list[str]:
    """``count`` names drawn from the model, each ending at its first boundary token."""
    start = np.zeros((count, 1), dtype=np.int64)
    tokens = model.generate(start, model.config.block_size - 1, temperature, top_k, generator).data[
        :, 1:
    ]
    names = []
    for row in tokens:
        ends = np.flatnonzero(row == 0)
        names.append(vocab.decode(row[: ends[0]] if ends.size else row))
    return names


# ------------------------------------------------------------------- checkpoints


def load_lm_checkpoint(path: str | Path) -> tuple[LMConfig, dict[str, Any]]:
    """Read a checkpoint written by :func:`train_lm`: its config and its whole state.

    Raises:
        FileNotFoundError: no file at ``path``.
        checkpoint.CheckpointError: the file is damaged or not a names-model checkpoint.
    """
    return load_run_checkpoint(
        path,
        kind=LM_CHECKPOINT_KIND,
        parts=_STATE_PARTS,
        config_type=LMConfig,
        command="minigrad train --data names",
    )


def is_lm_checkpoint(path: str | Path) -> bool:
    """Whether ``path`` is a readable checkpoint of ``minigrad train --data names``."""
    try:
        return bool(checkpoint.load(path).get("kind") == LM_CHECKPOINT_KIND)
    except (checkpoint.CheckpointError, OSError):
        return False


def checkpoint_gpt(path: str | Path) -> tuple[LMConfig, GPT, CharVocab]:
    """The config, the trained GPT and the vocabulary of a names checkpoint."""
    config, state = load_lm_checkpoint(path)
    _, _, vocab = names_data(config)
    model = GPT(config.gpt_config(vocab.size))
    load_weights(model, state["model"], Path(path), "GPT")
    return config, model, vocab


def _history_of(state: dict[str, Any], path: Path) -> tuple[LMHistory, int]:
    step, saved = state["step"], state["history"]
    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        raise checkpoint.CheckpointError(f"{path}: its step is {step!r}, not a count")
    fields = [field.name for field in dataclasses.fields(LMHistory)]
    if not isinstance(saved, dict) or sorted(saved) != sorted(fields):
        raise checkpoint.CheckpointError(f"{path}: its history does not hold {', '.join(fields)}")
    lengths = {len(saved[name]) if isinstance(saved[name], list) else -1 for name in fields}
    if len(lengths) != 1 or -1 in lengths:
        raise checkpoint.CheckpointError(f"{path}: its history's lists do not match")
    return LMHistory(**{name: list(saved[name]) for name in fields}), step


def _check_resumable(config: LMConfig, saved: LMConfig, path: Path) -> None:
    differences = setup_differences(config, saved, ignore="steps")
    if differences:
        raise ValueError(
            f"cannot resume from {path} with a different setup: " + ", ".join(differences)
        )


def _restore(
    path: Path,
    config: LMConfig,
    model: GPT,
    optimizer: optim.Optimizer,
    generator: np.random.Generator,
) -> tuple[LMHistory, int]:
    """Put the run back where the checkpoint left it (checked before anything is changed)."""
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint to resume from: {path} does not exist")
    saved_config, state = load_lm_checkpoint(path)
    _check_resumable(config, saved_config, path)
    history, step = _history_of(state, path)
    scratch = GPT(model.config)
    load_weights(scratch, state["model"], path, "GPT")
    scratch_optimizer = _optimizer(config, scratch)
    saved_generator = np.random.default_rng()
    with restoring(path, "optimizer"):
        scratch_optimizer.load_state_dict(state["optimizer"])
    with restoring(path, "random generator"):
        saved_generator.bit_generator.state = state["rng"]
    model.load_state_dict(scratch.state_dict())
    optimizer.load_state_dict(state["optimizer"])
    generator.bit_generator.state = saved_generator.bit_generator.state
    return history, step


def _optimizer(config: LMConfig, model: GPT) -> optim.Optimizer:
    return optim.AdamW(
        model.parameters(), lr=config.lr, betas=(0.9, 0.99), weight_decay=config.weight_decay
    )


def _snapshot(
    config: LMConfig,
    step: int,
    model: GPT,
    optimizer: optim.Optimizer,
    history: LMHistory,
    generator: np.random.Generator,
) -> dict[str, Any]:
    return {
        "kind": LM_CHECKPOINT_KIND,
        "config": dataclasses.asdict(config),
        "step": step,
        "model": model.state_dict(),
        "optimizer": copy_arrays(optimizer.state_dict()),
        "rng": generator.bit_generator.state,
        "history": dataclasses.asdict(history),
    }


# ------------------------------------------------------------------- the loop


def train_lm(
    config: LMConfig,
    *,
    checkpoint_dir: str | Path | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = True,
    log: Log | None = print,
    compiled: bool = True,
) -> LMResult:
    """Train the GPT on the surnames, validating (and checkpointing) every ``eval_interval`` steps.

    Arguments as for :func:`minigrad.tensor.training.train`: with ``resume`` only
    ``steps`` may differ from the checkpoint's config; ``compiled`` runs each step
    through :func:`~minigrad.tensor.compile.compile` (one plan per batch width:
    the same numbers bit for bit, faster), False runs every step eagerly.

    Raises:
        TrainingInterrupted: on Ctrl-C, once the last validation's checkpoint is saved.
        DivergenceError: the loss became NaN or infinite.
        FileExistsError: a fresh run whose folder holds a checkpoint.
    """
    folder, path = run_paths(checkpoint_dir, resume=resume, overwrite=overwrite)
    with use_generator(np.random.default_rng(config.seed)) as generator:
        return _run(config, folder, path, resume, progress, log, generator, compiled)


def _run(
    config: LMConfig,
    folder: Path | None,
    path: Path | None,
    resume: bool,
    progress: bool,
    log: Log | None,
    generator: np.random.Generator,
    compiled: bool,
) -> LMResult:
    train_names, val_names, vocab = names_data(config)
    train_x, train_y = name_rows(train_names, vocab, config.block_size)
    lengths = (train_y.data != -1).sum(axis=1)
    val_x, val_y = name_rows(val_names, vocab, config.block_size)
    bigram = bigram_nll(train_names, val_names, vocab)
    if log is not None:
        log(
            f"{len(train_names)} training and {len(val_names)} validation surnames; "
            f"bigram model val loss {bigram:.4f}"
        )
    model = GPT(config.gpt_config(vocab.size))
    optimizer = _optimizer(config, model)
    train_step = training_step(model, optimizer)
    if compiled:
        # One plan per batch width (_batch rounds widths to multiples of 4).
        train_step = compile(train_step, max_plans=max(8, -(-config.block_size // 4)))
    history, step = LMHistory(), 0
    if resume:
        assert path is not None
        history, step = _restore(path, config, model, optimizer, generator)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    saved_step, saved_path = step, path if resume else None
    losses: list[float] = []
    bar = tqdm(
        total=config.steps,
        initial=min(step, config.steps),
        desc="training",
        disable=None if progress else True,
        unit="step",
        leave=False,
    )
    try:
        with bar, np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            while step < config.steps:
                rows = generator.integers(0, len(train_names), config.batch_size)
                for group in optimizer.param_groups:
                    group["lr"] = config.learning_rate(step)
                inputs, targets = _batch(train_x.data, train_y.data, lengths, rows)
                loss = float(train_step(inputs, targets).item())
                if not math.isfinite(loss):
                    raise DivergenceError(1, step + 1, loss, config.lr)
                losses.append(loss)
                step += 1
                bar.update(1)
                bar.set_postfix(loss=f"{loss:.4f}", refresh=False)
                if step % config.eval_interval == 0 or step == config.steps:
                    val = validation_loss(model, val_x, val_y)
                    history.step.append(step)
                    history.train_loss.append(float(np.mean(losses)))
                    history.val_loss.append(val)
                    losses = []
                    if log is not None:
                        bar.clear()
                        log(
                            f"step {step}/{config.steps}: train loss "
                            f"{history.train_loss[-1]:.4f}, val loss {val:.4f}"
                        )
                    if path is not None:
                        snapshot = _snapshot(config, step, model, optimizer, history, generator)
                        checkpoint.save(snapshot, path)
                        saved_step, saved_path = step, path
    except KeyboardInterrupt:
        raise TrainingInterrupted(saved_step, saved_path) from None
    val_loss = history.val_loss[-1] if history.val_loss else validation_loss(model, val_x, val_y)
    return LMResult(model, vocab, history, val_loss, bigram, train_names, path)
