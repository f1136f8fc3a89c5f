"""The training loop behind ``minigrad train``: digits, a model, checkpoints and resuming.

A run is fully determined by its :class:`TrainConfig`: the run's own random
generator, seeded with ``seed`` (and made the default generator for the run's
thread with :func:`~minigrad.tensor.creation.use_generator`), fixes the initial
weights and dropout masks, the DataLoader's seed fixes the order of every
epoch, and a checkpoint written after each epoch holds everything else that
changes (weights, optimizer state, the loader's epoch, the run's generator,
the history). Runs in several threads at once do not disturb each other.
Resuming from the checkpoint of epoch ``k`` therefore replays epochs
``k+1, ...`` exactly as an uninterrupted run does, and ends with the same
weights.

Example:
    >>> from minigrad.tensor.training import TrainConfig, train
    >>> result = train(TrainConfig(epochs=1), progress=False, log=None)  # doctest: +SKIP
    >>> result.test_accuracy > 0.9  # doctest: +SKIP
    True
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import numpy as np
from tqdm import tqdm

from minigrad.tensor import checkpoint, nn, optim
from minigrad.tensor.autograd import no_grad
from minigrad.tensor.compile.compiled import compile
from minigrad.tensor.creation import use_generator
from minigrad.tensor.data import DataLoader, TensorDataset, load_digits, load_mnist
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

__all__ = [
    "DEFAULT_LR",
    "MODELS",
    "OPTIMIZERS",
    "DivergenceError",
    "History",
    "TrainConfig",
    "TrainResult",
    "TrainingInterrupted",
    "build_model",
    "build_optimizer",
    "checkpoint_model",
    "describe_checkpoint",
    "digits_split",
    "evaluate",
    "load_checkpoint",
    "train",
]

_CHECKPOINT_KIND = "minigrad-train"
MODELS = ("mlp", "cnn")
DATASETS = ("digits", "mnist")
"""The image datasets :func:`train` learns: the bundled 8x8 digits, or the user's MNIST files."""
OPTIMIZERS = ("adam", "sgd")
DEFAULT_LR = {"adam": 3e-3, "sgd": 0.05}
"""The learning rate of each optimizer when none is given (``TrainConfig.lr=None``)."""
_EVAL_BATCH = 512
_STATE_PARTS = ("kind", "config", "epoch", "model", "optimizer", "loader", "rng", "history")
_OPTIMIZER_STATE_KEYS = {"adam": {"step", "exp_avg", "exp_avg_sq"}, "sgd": {"momentum_buffer"}}

Log = Callable[[str], None]


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """Everything that determines a training run on the bundled digits.

    Attributes:
        model: ``"mlp"`` (64-128-10 with ReLU) or ``"cnn"`` (a 3x3 convolution
            with 32 channels, ReLU, 2x2 max pooling and a linear layer).
        epochs: the total number of epochs (a resumed run continues up to it).
        batch_size: samples per optimizer step.
        lr: the learning rate; None picks the optimizer's default (Adam 3e-3,
            SGD 0.05 with momentum 0.9).
        optimizer: ``"adam"`` or ``"sgd"``.
        label_smoothing: of the cross-entropy loss; 0.1 lifts the test
            accuracy on these small images by about a point.
        dropout: the probability of the Dropout layer before the last Linear
            (0, the default, leaves the layer out).
        seed: fixes the initial weights and the shuffling order.
        test_fraction: the share of each digit held out for testing.
        split_seed: the seed of the train/test split (fixed, so that every
            run is scored on the same test digits).
        data: ``"digits"`` (bundled, 8x8) or ``"mnist"`` (28x28, the IDX files in
            ``data_dir``, with their own train/test split).
        data_dir: the folder of the MNIST files (only with ``data="mnist"``).
    """

    model: Literal["mlp", "cnn"] = "mlp"
    epochs: int = 30
    batch_size: int = 32
    lr: float | None = None
    optimizer: Literal["adam", "sgd"] = "adam"
    label_smoothing: float = 0.1
    dropout: float = 0.0
    seed: int = 0
    test_fraction: float = 0.2
    split_seed: int = 0
    data: Literal["digits", "mnist"] = "digits"
    data_dir: str | None = None

    def __post_init__(self) -> None:
        if self.data not in DATASETS:
            raise ValueError(f"data must be one of {', '.join(DATASETS)}, got {self.data!r}")
        if (self.data == "mnist") != (self.data_dir is not None):
            raise ValueError("data_dir is needed with data 'mnist', and only then")
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {', '.join(MODELS)}, got {self.model!r}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(
                f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {self.optimizer!r}"
            )
        for name in ("epochs", "batch_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if self.lr is not None and not (math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr must be a positive number, got {self.lr!r}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must lie in [0, 1), got {self.dropout!r}")
        if not 0.0 <= self.label_smoothing < 1.0:
            raise ValueError(f"label_smoothing must lie in [0, 1), got {self.label_smoothing!r}")
        for name in ("seed", "split_seed"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        if not 0.0 < self.test_fraction < 1.0:
            raise ValueError(f"test_fraction must lie in (0, 1), got {self.test_fraction!r}")

    @property
    def learning_rate(self) -> float:
        """The learning rate in use: ``lr``, or the optimizer's default."""
        return self.lr if self.lr is not None else DEFAULT_LR[self.optimizer]


@dataclasses.dataclass
class History:
    """Per-epoch training loss, training accuracy and test accuracy."""

    loss: list[float] = dataclasses.field(default_factory=list)
    train_accuracy: list[float] = dataclasses.field(default_factory=list)
    test_accuracy: list[float] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class TrainResult:
    """What :func:`train` hands back."""

    model: nn.Module
    history: History
    epochs_completed: int
    test_accuracy: float
    checkpoint_path: Path | None


class DivergenceError(FloatingPointError):
    """The loss stopped being a finite number (NaN or infinite); training stopped there.

    Usually a learning rate far too high. The weights at that point are
    useless, so no checkpoint is written for the epoch; the last saved one
    (if any) is untouched.

    Attributes:
        epoch: the 1-based epoch in which it happened.
        step: the 1-based optimizer step within that epoch.
        loss: the loss value (nan, inf or -inf).
    """

    def __init__(self, epoch: int, step: int, loss: float, lr: float) -> None:
        super().__init__(
            f"the loss is {loss} (not a finite number) at epoch {epoch}, step {step}; "
            f"training stopped. The learning rate {lr:g} is probably too high"
        )
        self.epoch, self.step, self.loss = epoch, step, loss


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`train`, after the last complete epoch's checkpoint was saved.

    Attributes:
        epochs_completed: the epochs finished before the interruption.
        checkpoint_path: where they are saved; None when nothing was saved (no
            checkpoint folder, or Ctrl-C before the first epoch ended).
    """

    def __init__(self, epochs_completed: int, checkpoint_path: Path | None) -> None:
        super().__init__(epochs_completed, checkpoint_path)
        self.epochs_completed = epochs_completed
        self.checkpoint_path = checkpoint_path


# ------------------------------------------------------------ the ingredients


def build_model(name: str, dropout: float = 0.0, side: int = 8) -> nn.Module:
    """A fresh model for ``side`` x ``side`` digits, initialised from the default generator.

    ``"mlp"`` takes inputs of shape (N, side**2), ``"cnn"`` of shape (N, 1, side, side);
    both return (N, 10) logits. With ``dropout`` > 0 a Dropout layer sits
    before the last Linear (its masks come from the same generator).
    """
    regularise = [nn.Dropout(dropout)] if dropout > 0 else []
    if name == "mlp":
        return nn.Sequential(
            nn.Linear(side * side, 128), nn.ReLU(), *regularise, nn.Linear(128, 10)
        )
    if name == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            *regularise,
            nn.Linear(32 * (side // 2) * (side // 2), 10),
        )
    raise ValueError(f"unknown model {name!r}; expected one of {', '.join(MODELS)}")


def build_optimizer(config: TrainConfig, model: nn.Module) -> optim.Optimizer:
    """The optimizer the config names, over the model's parameters."""
    if config.optimizer == "adam":
        return optim.Adam(model.parameters(), lr=config.learning_rate)
    return optim.SGD(model.parameters(), lr=config.learning_rate, momentum=0.9)


def image_side(config: TrainConfig) -> int:
    """The side of the run's square images: 8 for the digits, 28 for MNIST."""
    return 28 if config.data == "mnist" else 8


def _model_inputs(model_name: str, images: Tensor) -> Tensor:
    side = images.shape[-1]
    shape = (-1, side * side) if model_name == "mlp" else (-1, 1, side, side)
    return Tensor(images.data.reshape(shape))


def digits_split(config: TrainConfig, split: Literal["train", "test"]) -> tuple[Tensor, Tensor]:
    """The ``split`` part of the run's images (bundled digits or MNIST), shaped for its model."""
    if config.data == "mnist":
        assert config.data_dir is not None
        images, labels = load_mnist(config.data_dir, split)
        if images.shape[1:] != (28, 28):
            raise ValueError(
                f"{config.data_dir}: expected 28x28 MNIST images, got {images.shape[1:]}"
            )
        return _model_inputs(config.model, images), labels
    images, labels = load_digits(split, test_fraction=config.test_fraction, seed=config.split_seed)
    return _model_inputs(config.model, images), labels


def evaluate(model: nn.Module, inputs: Tensor, labels: Tensor) -> float:
    """The share of ``inputs`` whose highest logit is the label (in eval mode, no graph)."""
    was_training = model.training
    model.eval()
    correct = 0
    with no_grad():
        for start in range(0, len(inputs), _EVAL_BATCH):
            logits = model(Tensor(inputs.data[start : start + _EVAL_BATCH]))
            predicted = logits.data.argmax(axis=1)
            correct += int((predicted == labels.data[start : start + _EVAL_BATCH]).sum())
    model.train(was_training)
    return correct / len(inputs)


# ------------------------------------------------------------- checkpoints


def _checkpoint_state(
    config: TrainConfig,
    epoch: int,
    model: nn.Module,
    optimizer: optim.Optimizer,
    loader: DataLoader,
    history: History,
    generator: np.random.Generator,
) -> dict[str, Any]:
    """A self-contained snapshot (every array copied) of the run after ``epoch`` epochs."""
    return {
        "kind": _CHECKPOINT_KIND,
        "config": dataclasses.asdict(config),
        "epoch": epoch,
        "model": model.state_dict(),
        "optimizer": copy_arrays(optimizer.state_dict()),
        "loader": loader.state_dict(),
        "rng": generator.bit_generator.state,
        "history": dataclasses.asdict(history),
    }


def load_checkpoint(path: str | Path) -> tuple[TrainConfig, dict[str, Any]]:
    """Read a checkpoint written by :func:`train`: its config and its whole state.

    Raises:
        FileNotFoundError: no file at ``path``.
        checkpoint.CheckpointError: the file is damaged, foreign, or a minigrad
            checkpoint that ``minigrad train`` did not write.
    """
    return load_run_checkpoint(
        path,
        kind=_CHECKPOINT_KIND,
        parts=_STATE_PARTS,
        config_type=TrainConfig,
        command="minigrad train",
    )


def describe_checkpoint(path: str | Path) -> str:
    """A short description of what ``path`` holds, for messages ("mlp, adam, 2 of 30 epochs").

    Never raises: an unreadable file is described as such.
    """
    try:
        config, state = load_checkpoint(path)
    except (checkpoint.CheckpointError, OSError) as error:
        return f"not a readable minigrad train checkpoint: {error}"
    return (
        f"model {config.model}, optimizer {config.optimizer}, seed {config.seed}, "
        f"{state['epoch']!r} of {config.epochs} epochs"
    )


def checkpoint_model(path: str | Path) -> tuple[TrainConfig, nn.Module]:
    """The config and the trained model stored in a ``minigrad train`` checkpoint."""
    config, state = load_checkpoint(path)
    model = build_model(config.model, config.dropout, image_side(config))
    load_weights(model, state["model"], Path(path), f"{config.model} model")
    return config, model


def _checked_history(state: dict[str, Any], path: Path) -> tuple[History, int]:
    """The saved epoch count and history, which must list one number per epoch."""
    epoch, saved = state["epoch"], state["history"]
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
        raise checkpoint.CheckpointError(f"{path}: its epoch is {epoch!r}, not a count")
    fields = [field.name for field in dataclasses.fields(History)]
    if not isinstance(saved, dict) or sorted(saved) != sorted(fields):
        raise checkpoint.CheckpointError(f"{path}: its history does not hold {', '.join(fields)}")
    for name in fields:
        values = saved[name]
        if (
            not isinstance(values, list)
            or len(values) != epoch
            or not all(isinstance(v, float) for v in values)
        ):
            raise checkpoint.CheckpointError(
                f"{path}: its history's {name} is not a list of {epoch} numbers"
            )
    return History(**{name: list(saved[name]) for name in fields}), epoch


def _check_optimizer_state(
    saved: Any, fresh: optim.Optimizer, config: TrainConfig, path: Path
) -> None:
    """The saved optimizer must be the one ``config`` builds, with per-parameter state it uses."""
    if not isinstance(saved, dict) or set(saved) != {"state", "param_groups"}:
        raise checkpoint.CheckpointError(f"{path}: its optimizer state is not a state dict")

    def settings(groups: Any) -> Any:
        if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
            raise checkpoint.CheckpointError(f"{path}: its optimizer groups are not dicts")
        return [{key: value for key, value in g.items() if key != "params"} for g in groups]

    expected = settings(fresh.state_dict()["param_groups"])
    if settings(saved["param_groups"]) != expected:
        raise checkpoint.CheckpointError(
            f"{path}: its optimizer settings {settings(saved['param_groups'])} are not those of "
            f"the run's config {expected}"
        )
    allowed = _OPTIMIZER_STATE_KEYS[config.optimizer]
    entries = saved["state"]
    if not isinstance(entries, dict):
        raise checkpoint.CheckpointError(
            f"{path}: its optimizer's per-parameter state is not a dict"
        )
    for index, entry in entries.items():
        if not isinstance(entry, dict) or not set(entry) <= allowed:
            raise checkpoint.CheckpointError(
                f"{path}: the optimizer state of parameter {index!r} is not a dict of "
                f"{', '.join(sorted(allowed))}"
            )
        for key, value in entry.items():
            if key == "step":
                valid = isinstance(value, int) and not isinstance(value, bool) and value >= 1
            else:
                valid = isinstance(value, np.ndarray) and value.dtype.kind == "f"
            if not valid:
                raise checkpoint.CheckpointError(
                    f"{path}: the optimizer state {key!r} of parameter {index!r} is invalid"
                )


# --------------------------------------------------------------- the loop


def train(
    config: TrainConfig,
    *,
    checkpoint_dir: str | Path | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = True,
    log: Log | None = print,
    compiled: bool = True,
) -> TrainResult:
    """Train ``config.model`` on the bundled digits and score it on the test split.

    Args:
        config: the run. With ``resume``, the model, optimizer, learning rate,
            batch size and seeds come from the checkpoint and must agree with
            ``config``; only ``epochs`` (the total to reach) may differ.
        checkpoint_dir: a folder for ``last.safetensors``, written atomically
            after every epoch. Created if missing.
        resume: continue from ``checkpoint_dir/last.safetensors``.
        overwrite: start afresh even if ``checkpoint_dir`` holds a checkpoint
            (replaced after the first epoch). Without it, a fresh run refuses
            a folder that holds one.
        progress: show a tqdm bar per epoch (on stderr, when it is a terminal).
        log: receives one line per epoch; None for silence.
        compiled: run each training step through :func:`minigrad.tensor.compile.compile`
            (recorded once per batch shape, then replayed; the same numbers bit for
            bit, faster). False runs every step eagerly.

    Raises:
        TrainingInterrupted: on Ctrl-C, once the last complete epoch is saved.
        DivergenceError: the loss became NaN or infinite (NumPy's overflow
            warnings on the way there are silenced; this is the one message).
        FileNotFoundError: ``resume`` without a checkpoint to resume from.
        FileExistsError: a fresh run (neither ``resume`` nor ``overwrite``)
            whose folder holds a checkpoint; the message says what it holds.
        ValueError: ``resume`` with a config that contradicts the checkpoint.
    """
    folder, path = run_paths(
        checkpoint_dir, resume=resume, overwrite=overwrite, describe=describe_checkpoint
    )

    # The run's own generator, not the process-wide one: two runs in two
    # threads draw the same numbers as they would one after the other.
    with use_generator(np.random.default_rng(config.seed)) as generator:
        return _run(config, folder, path, resume, progress, log, generator, compiled)


def _run(
    config: TrainConfig,
    folder: Path | None,
    path: Path | None,
    resume: bool,
    progress: bool,
    log: Log | None,
    generator: np.random.Generator,
    compiled: bool,
) -> TrainResult:
    """The body of :func:`train`, with ``generator`` the default generator of this thread."""
    train_x, train_y = digits_split(config, "train")
    model = build_model(config.model, config.dropout, image_side(config))
    optimizer = build_optimizer(config, model)
    step = training_step(model, optimizer, config.label_smoothing)
    if compiled:
        step = compile(step)
    test_x, test_y = digits_split(config, "test")
    loader = DataLoader(
        TensorDataset(train_x, train_y),
        batch_size=config.batch_size,
        shuffle=True,
        seed=config.seed,
    )
    history = History()
    start_epoch = 0

    if resume:
        assert path is not None
        history, start_epoch = _restore(path, config, model, optimizer, loader, generator)
        if start_epoch >= config.epochs and log is not None:
            log(f"the checkpoint already holds {start_epoch} epochs; nothing left to train")
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)

    # Only a file this run wrote, or resumed from, is worth naming after Ctrl-C.
    saved_epoch, saved_path = start_epoch, path if resume else None
    finished = start_epoch
    snapshot: dict[str, Any] | None = None
    epoch = start_epoch
    try:
        for epoch in range(start_epoch, config.epochs):
            loader.set_epoch(epoch)
            loss, accuracy = _run_epoch(model, step, loader, config, epoch, progress)
            test_accuracy = evaluate(model, test_x, test_y)
            history.loss.append(loss)
            history.train_accuracy.append(accuracy)
            history.test_accuracy.append(test_accuracy)
            if log is not None:
                log(
                    f"epoch {epoch + 1}/{config.epochs}: loss {loss:.4f}, "
                    f"train accuracy {accuracy:.2%}, test accuracy {test_accuracy:.2%}"
                )
            finished = epoch + 1
            if path is not None:
                snapshot = _checkpoint_state(
                    config, epoch + 1, model, optimizer, loader, history, generator
                )
                checkpoint.save(snapshot, path)
                saved_epoch, saved_path, snapshot = epoch + 1, path, None
    except KeyboardInterrupt:
        # A Ctrl-C that hit the save itself left the previous file whole (the
        # save is atomic); the finished epoch's snapshot is still good to write.
        if path is not None and snapshot is not None:
            checkpoint.save(snapshot, path)
            saved_epoch, saved_path = int(snapshot["epoch"]), path
        # With a folder, the count is what the file holds; without, what was trained.
        raise TrainingInterrupted(saved_epoch if path else finished, saved_path) from None

    final_accuracy = (
        history.test_accuracy[-1] if history.test_accuracy else evaluate(model, test_x, test_y)
    )
    return TrainResult(model, history, max(start_epoch, config.epochs), final_accuracy, path)


def _restore(
    path: Path,
    config: TrainConfig,
    model: nn.Module,
    optimizer: optim.Optimizer,
    loader: DataLoader,
    generator: np.random.Generator,
) -> tuple[History, int]:
    """Put the run back where the checkpoint left it; return its history and epoch count."""
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint to resume from: {path} does not exist")
    saved_config, state = load_checkpoint(path)
    _check_resumable(config, saved_config, path)
    # Everything is checked, or restored into scratch objects, before the
    # first assignment: a bad checkpoint leaves the run untouched.
    history, epoch = _checked_history(state, path)
    _check_optimizer_state(state["optimizer"], optimizer, config, path)
    saved_generator = np.random.default_rng()
    with restoring(path, "random generator"):
        saved_generator.bit_generator.state = state["rng"]
    scratch_loader = DataLoader(loader.dataset, batch_size=config.batch_size, seed=config.seed)
    with restoring(path, "data loader"):
        scratch_loader.load_state_dict(state["loader"])
    if (scratch_loader.seed, scratch_loader.epoch) != (config.seed, epoch):
        raise checkpoint.CheckpointError(
            f"{path}: its data loader stands at seed {scratch_loader.seed}, epoch "
            f"{scratch_loader.epoch}; the run at seed {config.seed}, epoch {epoch}"
        )
    scratch_model = build_model(config.model, config.dropout, image_side(config))
    load_weights(scratch_model, state["model"], path, f"{config.model} model")
    scratch_optimizer = build_optimizer(config, scratch_model)
    with restoring(path, "optimizer"):
        scratch_optimizer.load_state_dict(state["optimizer"])

    model.load_state_dict(scratch_model.state_dict())
    optimizer.load_state_dict(state["optimizer"])
    loader.load_state_dict(state["loader"])
    # The generator drew the initial weights since it was seeded; the saved
    # state is where an uninterrupted run's generator stands now.
    generator.bit_generator.state = saved_generator.bit_generator.state
    return history, epoch


def _check_resumable(config: TrainConfig, saved: TrainConfig, path: Path) -> None:
    # lr=None means "the optimizer's default": giving that default explicitly is no change.
    config = dataclasses.replace(config, lr=config.learning_rate)
    saved = dataclasses.replace(saved, lr=saved.learning_rate)
    differences = setup_differences(config, saved, ignore="epochs")
    if differences:
        raise ValueError(
            f"cannot resume from {path} with a different setup: " + ", ".join(differences)
        )


def training_step(
    model: nn.Module, optimizer: optim.Optimizer, label_smoothing: float
) -> Callable[[Tensor, Tensor], tuple[Tensor, Tensor]]:
    """One optimizer step on a batch: returns the loss (before the step) and the logits.

    A function of tensors only, so that :func:`~minigrad.tensor.compile.compile`
    can record it: the loss is checked for divergence by the caller, after the
    step (reading its value inside would be frozen in a compiled step).
    """

    def step(inputs: Tensor, labels: Tensor) -> tuple[Tensor, Tensor]:
        logits = model(inputs)
        loss = cross_entropy(logits, labels, label_smoothing=label_smoothing)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss, logits

    return step


def _run_epoch(
    model: nn.Module,
    step: Callable[[Tensor, Tensor], tuple[Tensor, Tensor]],
    loader: DataLoader,
    config: TrainConfig,
    epoch: int,
    progress: bool,
) -> tuple[float, float]:
    """One pass over the loader: the mean loss and the accuracy on the batches seen."""
    model.train()
    total_loss, correct, seen = 0.0, 0, 0
    bar = tqdm(
        loader,
        desc=f"epoch {epoch + 1}/{config.epochs}",
        leave=False,
        disable=None if progress else True,
        unit="batch",
    )
    # A diverging run overflows somewhere before its loss turns NaN; the check
    # below reports that once, instead of a stream of NumPy RuntimeWarnings.
    with bar, np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for number, (inputs, labels) in enumerate(bar, start=1):
            loss, logits = step(inputs, labels)
            value = float(loss.item())
            if not math.isfinite(value):
                raise DivergenceError(epoch + 1, number, value, config.learning_rate)
            batch = len(labels)
            total_loss += value * batch
            correct += int((logits.data.argmax(axis=1) == labels.data).sum())
            seen += batch
            bar.set_postfix(
                loss=f"{total_loss / seen:.4f}", acc=f"{correct / seen:.2%}", refresh=False
            )
    return total_loss / seen, correct / seen
