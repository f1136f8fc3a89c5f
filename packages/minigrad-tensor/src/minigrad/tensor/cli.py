"""The ``minigrad`` command: train a network on digits or a GPT on names; score or sample it.

Examples (in a shell)::

    minigrad train                                  # MLP, 30 epochs, prints the test accuracy
    minigrad train --model cnn --plot curves.png
    minigrad train --data mnist --data-dir ~/mnist  # your MNIST IDX files (gzipped or not)
    minigrad train --data names --checkpoint-dir runs/gpt   # a character GPT on surnames
    minigrad sample --checkpoint runs/gpt/last.safetensors --num 10 --temperature 0.8
    minigrad train --checkpoint-dir runs/a          # a checkpoint after every epoch
    minigrad train --checkpoint-dir runs/a --resume --epochs 40
    minigrad train --checkpoint-dir runs/a --overwrite  # start afresh over runs/a
    minigrad train --eager                          # no compiled steps (see --help)
    minigrad eval --checkpoint runs/a/last.safetensors

Every failure the user can fix (a bad argument, a missing or damaged file, a
loss that diverged) ends with one line on stderr and a non-zero exit status:
2 for arguments, 1 for everything else, 130 after Ctrl-C.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TypeVar

import numpy as np
from threadpoolctl import threadpool_limits

from minigrad.tensor._allocator import retain_freed_memory
from minigrad.tensor.checkpoint import CheckpointError
from minigrad.tensor.lm_training import (
    LMConfig,
    checkpoint_gpt,
    is_lm_checkpoint,
    load_lm_checkpoint,
    name_rows,
    names_data,
    sample_names,
    train_lm,
    validation_loss,
)
from minigrad.tensor.run_checkpoint import CHECKPOINT_NAME
from minigrad.tensor.training import (
    DATASETS,
    DEFAULT_LR,
    MODELS,
    OPTIMIZERS,
    DivergenceError,
    History,
    TrainConfig,
    TrainingInterrupted,
    checkpoint_model,
    describe_checkpoint,
    digits_split,
    evaluate,
    load_checkpoint,
    train,
)

__all__ = ["main"]

_EXIT_ERROR, _EXIT_USAGE, _EXIT_INTERRUPTED = 1, 2, 130
_PLOT_HINT = "pip install minigrad-tensor[plot]"


_N = TypeVar("_N", int, float)


class _UsageError(Exception):
    """A bad command line, already described in one line."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are exceptions instead of usage dumps and exits."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: error: {message}")


def _checked(
    convert: Callable[[str], _N], accept: Callable[[_N], bool], expected: str
) -> Callable[[str], _N]:
    """An argparse ``type=`` that converts a word and refuses values outside a range."""

    def parse(text: str) -> _N:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None
        if not accept(value):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value

    return parse


_positive_int = _checked(int, lambda v: v >= 1, "a positive integer")
_non_negative_int = _checked(int, lambda v: v >= 0, "an integer >= 0")
_positive_float = _checked(float, lambda v: 0 < v < float("inf"), "a positive number")


def _path(text: str) -> Path:
    """An argparse ``type=`` for a path: an empty word is refused (Path('') would be '.')."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"expected a path, got {text!r}")
    return Path(text)


def _parser() -> _Parser:
    parser = _Parser(
        prog="minigrad",
        description="Train a small network on the 8x8 digits shipped with minigrad-tensor.",
    )
    commands = parser.add_subparsers(
        dest="command", metavar="{train,eval,sample}", parser_class=_Parser
    )
    commands.required = True

    defaults = TrainConfig()
    train_parser = commands.add_parser(
        "train",
        help="train a model and print its test accuracy",
        description="Train a model on the bundled digits and print its test accuracy.",
    )
    train_parser.add_argument(
        "--data",
        choices=(*DATASETS, "names"),
        default=None,
        help="the bundled 8x8 digits (default), MNIST files in --data-dir, or the bundled "
        "surnames (a character GPT)",
    )
    train_parser.add_argument(
        "--data-dir",
        type=_path,
        default=None,
        metavar="DIR",
        help="with --data mnist: the folder of the IDX files (train-images-idx3-ubyte ...)",
    )
    # None means "not given": a resumed run takes these from its checkpoint.
    train_parser.add_argument(
        "--model", choices=MODELS, default=None, help=f"architecture (default {defaults.model})"
    )
    train_parser.add_argument(
        "--steps",
        type=_positive_int,
        default=None,
        help=f"with --data names: total training steps (default {LMConfig().steps})",
    )
    train_parser.add_argument(
        "--epochs",
        type=_positive_int,
        default=None,
        help=f"total epochs (default {defaults.epochs}; with --resume, the checkpoint's)",
    )
    train_parser.add_argument(
        "--batch-size", type=_positive_int, default=None, help=f"default {defaults.batch_size}"
    )
    train_parser.add_argument(
        "--lr",
        type=_positive_float,
        default=None,
        help=f"learning rate (default: Adam {DEFAULT_LR['adam']:g}, SGD {DEFAULT_LR['sgd']:g})",
    )
    train_parser.add_argument(
        "--optimizer", choices=OPTIMIZERS, default=None, help=f"default {defaults.optimizer}"
    )
    train_parser.add_argument(
        "--dropout",
        type=_checked(float, lambda v: 0 <= v < 1, "a probability in [0, 1)"),
        default=None,
        help=f"dropout before the last layer (default {defaults.dropout:g})",
    )
    train_parser.add_argument(
        "--seed", type=_non_negative_int, default=None, help=f"default {defaults.seed}"
    )
    train_parser.add_argument(
        "--checkpoint-dir",
        type=_path,
        default=None,
        help=f"write {CHECKPOINT_NAME} here after every epoch",
    )
    train_parser.add_argument(
        "--resume",
        action="store_true",
        help="continue from the checkpoint in --checkpoint-dir up to --epochs",
    )
    train_parser.add_argument(
        "--overwrite",
        action="store_true",
        help=f"start afresh even if --checkpoint-dir holds a {CHECKPOINT_NAME} (replacing it)",
    )
    train_parser.add_argument(
        "--plot", type=_path, default=None, metavar="PATH", help="save loss/accuracy curves (PNG)"
    )
    train_parser.add_argument(
        "--quiet", "-q", action="store_true", help="print only the final accuracy"
    )
    train_parser.add_argument(
        "--eager",
        action="store_true",
        help="run every training step eagerly (digits, MNIST and names alike); by default "
        "each step is compiled: recorded once per batch shape, then replayed, giving the "
        "same numbers bit for bit, faster",
    )

    eval_parser = commands.add_parser(
        "eval",
        help="report the test accuracy of a saved model",
        description="Report the test accuracy of a model saved by `minigrad train`.",
    )
    eval_parser.add_argument("--checkpoint", type=_path, required=True, metavar="PATH")

    sample_parser = commands.add_parser(
        "sample",
        help="print names made up by a GPT trained with --data names",
        description="Print names generated by a model saved by `minigrad train --data names`.",
    )
    sample_parser.add_argument("--checkpoint", type=_path, required=True, metavar="PATH")
    sample_parser.add_argument("--num", type=_positive_int, default=10, help="names (default 10)")
    sample_parser.add_argument(
        "--temperature",
        type=_positive_float,
        default=1.0,
        help="below 1: likelier names, above 1: wilder ones (default 1)",
    )
    sample_parser.add_argument(
        "--top-k", type=_positive_int, default=None, help="draw from the k likeliest characters"
    )
    sample_parser.add_argument("--seed", type=_non_negative_int, default=0, help="default 0")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``minigrad`` with ``argv`` (default ``sys.argv[1:]``) and return the exit status."""
    try:
        args = _parser().parse_args(argv)
    except _UsageError as error:
        print(error, file=sys.stderr)
        return _EXIT_USAGE
    except SystemExit as exit_:  # --help
        return exit_.code if isinstance(exit_.code, int) else 0
    try:
        # The networks trained here are small: OpenBLAS's worker threads cost more
        # in synchronisation than they save (measured: the default run 2x and the
        # CNN 2.7x slower with 2 threads on 2 cores), so BLAS runs on one thread.
        with threadpool_limits(limits=1, user_api="blas"):
            if args.command == "train":
                # A step frees and reallocates the same large arrays: keeping freed
                # memory in the process saves the page faults of fresh pages (the
                # CNN step ran 3x faster in one measurement; docs/benchmarks.md).
                retain_freed_memory()
                if args.data == "names":
                    return _train_names(args)
                return _train(args)
            if args.command == "sample":
                return _sample(args)
            return _eval(args)
    except _UsageError as error:
        print(error, file=sys.stderr)
        return _EXIT_USAGE
    except KeyboardInterrupt:  # before training started, or during eval
        print(f"\nminigrad {args.command}: interrupted", file=sys.stderr)
        return _EXIT_INTERRUPTED
    except (CheckpointError, FileNotFoundError, ValueError, OSError) as error:
        print(f"minigrad {args.command}: error: {_one_line(str(error))}", file=sys.stderr)
        return _EXIT_ERROR
    except Exception as error:  # the last guard: one line, never a traceback
        detail = _one_line(f"{type(error).__name__}: {error}")
        print(f"minigrad {args.command}: unexpected error: {detail}", file=sys.stderr)
        return _EXIT_ERROR


def _one_line(text: str) -> str:
    """``text`` with its line breaks folded, for an error that must fit on one line."""
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


def _check_run_options(args: argparse.Namespace) -> None:
    """Options that exclude each other, or that the chosen --data does not take."""
    if args.resume and args.checkpoint_dir is None:
        raise _UsageError("minigrad train: error: --resume needs --checkpoint-dir")
    if args.resume and args.overwrite:
        raise _UsageError("minigrad train: error: --resume and --overwrite exclude each other")
    if args.data is None and not args.resume:
        args.data = "digits"
    if args.data == "mnist" and args.data_dir is None:
        raise _UsageError("minigrad train: error: --data mnist needs --data-dir DIR")
    if args.data not in ("mnist", None) and args.data_dir is not None:
        raise _UsageError("minigrad train: error: --data-dir goes with --data mnist only")
    image_only = {"--model": args.model, "--optimizer": args.optimizer, "--dropout": args.dropout}
    image_only["--epochs"] = args.epochs
    image_only["--plot"] = args.plot
    if args.data == "names":
        given = [name for name, value in image_only.items() if value is not None]
        if given:
            raise _UsageError(
                f"minigrad train: error: --data names does not take {', '.join(given)} "
                "(it takes --steps, --batch-size, --lr, --seed)"
            )
    elif args.steps is not None:
        raise _UsageError("minigrad train: error: --steps goes with --data names (use --epochs)")


def _train_names(args: argparse.Namespace) -> int:
    _check_run_options(args)
    chosen = {
        name: value
        for name, value in {
            "steps": args.steps,
            "batch_size": args.batch_size,
            "lr": args.lr,
            "seed": args.seed,
        }.items()
        if value is not None
    }
    config = LMConfig(**chosen)
    if args.resume:
        path = args.checkpoint_dir / CHECKPOINT_NAME
        if not path.is_file():
            raise FileNotFoundError(f"no checkpoint to resume from: {path} does not exist")
        saved, _ = load_lm_checkpoint(path)
        config = dataclasses.replace(saved, **chosen)
    try:
        result = train_lm(
            config,
            checkpoint_dir=args.checkpoint_dir,
            resume=args.resume,
            overwrite=args.overwrite,
            progress=not args.quiet,
            log=None if args.quiet else print,
            compiled=not args.eager,
        )
    except TrainingInterrupted as stop:
        where = (
            f"; saved in {stop.checkpoint_path} at step {stop.epochs_completed}, "
            "continue with --resume"
            if stop.checkpoint_path is not None
            else " (nothing saved)"
        )
        print(f"\ninterrupted{where}", file=sys.stderr)
        return _EXIT_INTERRUPTED
    except DivergenceError as diverged:
        print(f"minigrad train: error: {diverged}", file=sys.stderr)
        return _EXIT_ERROR
    if not args.quiet:
        samples = sample_names(
            result.model, result.vocab, 200, generator=np.random.default_rng(config.seed)
        )
        known = set(result.train_names)
        novel = sum(name not in known for name in samples) / len(samples)
        print(f"samples: {', '.join(samples[:8])}")
        print(f"{novel:.0%} of 200 sampled names are not in the training set")
    print(f"bigram val loss: {result.bigram_loss:.4f}")
    print(f"val loss: {result.val_loss:.4f}")
    return 0


def _sample(args: argparse.Namespace) -> int:
    path: Path = args.checkpoint
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint file at {path}")
    _, model, vocab = checkpoint_gpt(path)
    names = sample_names(
        model, vocab, args.num, args.temperature, args.top_k, np.random.default_rng(args.seed)
    )
    for name in names:
        print(name)
    return 0


def _train(args: argparse.Namespace) -> int:
    _check_run_options(args)
    if args.resume and args.checkpoint_dir is None:
        raise _UsageError("minigrad train: error: --resume needs --checkpoint-dir")
    if args.resume and args.overwrite:
        raise _UsageError("minigrad train: error: --resume and --overwrite exclude each other")
    if args.plot is not None:
        _check_plot_path(args.plot)
    if args.plot is not None and not _matplotlib_available():
        print(
            f"minigrad train: error: --plot needs matplotlib; install it with: {_PLOT_HINT}",
            file=sys.stderr,
        )
        return _EXIT_ERROR
    config = _config(args)
    try:
        result = train(
            config,
            checkpoint_dir=args.checkpoint_dir,
            resume=args.resume,
            overwrite=args.overwrite,
            progress=not args.quiet,
            log=None if args.quiet else print,
            compiled=not args.eager,
        )
    except TrainingInterrupted as stop:
        where = (
            f"; saved in {stop.checkpoint_path}, continue with --resume"
            if stop.checkpoint_path is not None
            else _nothing_saved(args.checkpoint_dir)
        )
        print(
            f"\ninterrupted after {stop.epochs_completed} complete epoch(s){where}",
            file=sys.stderr,
        )
        return _EXIT_INTERRUPTED
    except DivergenceError as diverged:
        print(f"minigrad train: error: {diverged}", file=sys.stderr)
        return _EXIT_ERROR
    plot_error = None
    if args.plot is not None:
        try:
            _plot(result.history, args.plot)
        except (OSError, ValueError, RuntimeError) as error:  # e.g. the folder vanished
            plot_error = _one_line(str(error))
        else:
            if not args.quiet:
                print(f"curves saved to {args.plot}")
    epochs = result.epochs_completed
    print(f"test accuracy: {result.test_accuracy:.2%} after {epochs} epoch{'s' * (epochs != 1)}")
    if plot_error is not None:
        print(f"minigrad train: error: could not save the curves: {plot_error}", file=sys.stderr)
        return _EXIT_ERROR
    return 0


def _check_plot_path(path: Path) -> None:
    """Refuse a --plot target that cannot be written, before any training time is spent."""
    if path.is_dir():
        raise _UsageError(f"minigrad train: error: --plot: {path} is a folder, expected a file")
    if not path.parent.is_dir():
        raise _UsageError(f"minigrad train: error: --plot: no folder {path.parent}")
    writable = os.access(path, os.W_OK) if path.exists() else os.access(path.parent, os.W_OK)
    if not writable:
        raise _UsageError(f"minigrad train: error: --plot: {path} is not writable")


def _nothing_saved(folder: Path | None) -> str:
    """Why nothing was saved, and what an older file in the folder holds (not this run)."""
    if folder is None:
        return " (nothing saved: no --checkpoint-dir)"
    path = folder / CHECKPOINT_NAME
    if not path.exists():
        return " (nothing saved: interrupted before the first epoch ended)"
    return (
        " (nothing saved: interrupted before the first epoch ended; "
        f"{path} still holds an earlier run: {describe_checkpoint(path)})"
    )


def _config(args: argparse.Namespace) -> TrainConfig:
    """The run's config: the checkpoint's when resuming, with the options given on top."""
    given = {
        "data": args.data,
        "data_dir": None if args.data_dir is None else str(args.data_dir.expanduser()),
        "model": args.model,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "optimizer": args.optimizer,
        "seed": args.seed,
        "dropout": args.dropout,
    }
    chosen = {name: value for name, value in given.items() if value is not None}
    if args.epochs is not None:
        chosen["epochs"] = args.epochs
    if not args.resume:
        return TrainConfig(**chosen)
    path = args.checkpoint_dir / CHECKPOINT_NAME
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint to resume from: {path} does not exist")
    saved, _ = load_checkpoint(path)
    # Options that contradict the checkpoint are reported by train().
    return dataclasses.replace(saved, **chosen)


def _eval(args: argparse.Namespace) -> int:
    path: Path = args.checkpoint
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint file at {path}")
    if is_lm_checkpoint(path):
        lm_config, gpt, vocab = checkpoint_gpt(path)
        _, val_names, _ = names_data(lm_config)
        loss = validation_loss(gpt, *name_rows(val_names, vocab, lm_config.block_size))
        print(f"val loss: {loss:.4f} ({len(val_names)} validation surnames)")
        return 0
    config, model = checkpoint_model(path)
    inputs, labels = digits_split(config, "test")
    accuracy = evaluate(model, inputs, labels)
    print(
        f"test accuracy: {accuracy:.2%} ({round(accuracy * len(labels))}/{len(labels)} digits), "
        f"model {config.model}"
    )
    return 0


def _matplotlib_available() -> bool:
    """Checked before training, so that a missing extra does not cost a whole run."""
    try:
        importlib.import_module("matplotlib.figure")
    except ImportError:
        return False
    return True


def _plot(history: History, path: Path) -> None:
    """Save the loss and accuracy curves as a PNG (matplotlib, without pyplot's global state)."""
    # Imported by name: matplotlib is an optional extra, absent from type checks.
    Figure = importlib.import_module("matplotlib.figure").Figure
    epochs = range(1, len(history.loss) + 1)
    figure = Figure(figsize=(9, 3.5), layout="constrained")
    loss_axes, accuracy_axes = figure.subplots(1, 2)
    loss_axes.plot(epochs, history.loss, marker="o")
    loss_axes.set(title="training loss", xlabel="epoch", ylabel="cross-entropy")
    accuracy_axes.plot(epochs, history.train_accuracy, marker="o", label="train")
    accuracy_axes.plot(epochs, history.test_accuracy, marker="o", label="test")
    accuracy_axes.set(title="accuracy", xlabel="epoch", ylabel="accuracy")
    accuracy_axes.legend()
    figure.savefig(path, format="png", dpi=100)
