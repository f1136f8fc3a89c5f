"""The GPT on scalars: its documented layout, its gradients, training, sampling and CLI."""

from __future__ import annotations

import math
import random
import subprocess
import sys

import pytest

from minigrad.scalar import gpt
from minigrad.scalar.engine import Value
from minigrad.scalar.gpt import GPT, sample, train

NAMES = ["emma", "olivia", "ava", "mia", "liam", "noah", "lucas", "leo", "nora", "ella"]
CHARS = "".join(NAMES)


def _small(activation: str = "relu", seed: int = 0) -> GPT:
    return GPT(chars=CHARS, n_embd=8, n_head=2, block_size=6, activation=activation, seed=seed)


def test_parameters_are_named_matrices_stored_out_by_in() -> None:
    model = GPT(chars=CHARS, n_embd=8, n_head=2, n_layer=2, block_size=6)
    vocab = len(set(CHARS)) + 1
    shapes = {name: (len(m), len(m[0])) for name, m in model.params.items()}
    expected = {"wte": (vocab, 8), "wpe": (6, 8)}
    for i in range(2):
        expected |= {f"layer{i}.attn_{n}": (8, 8) for n in ("wq", "wk", "wv", "wo")}
        expected |= {f"layer{i}.mlp_fc1": (32, 8), f"layer{i}.mlp_fc2": (8, 32)}
    expected["lm_head"] = (vocab, 8)
    assert shapes == expected
    assert list(shapes) == list(expected)  # the documented initialisation order
    assert len(model.parameters()) == sum(r * c for r, c in expected.values())


def test_tokens_are_sorted_characters_then_bos() -> None:
    model = GPT(chars="cab")
    assert (model.chars, model.bos) == ("abc", 3)
    assert model.encode("cab") == [3, 2, 0, 1, 3]


def test_encode_names_characters_outside_the_vocabulary() -> None:
    with pytest.raises(ValueError, match=r"not in the vocabulary 'abc': \['z'\]"):
        GPT(chars="abc").encode("abz")


def test_bad_configuration_names_what_was_given() -> None:
    with pytest.raises(ValueError, match=r"activation must be one of.*'tanh'"):
        GPT(chars="ab", activation="tanh")
    with pytest.raises(ValueError, match="n_head must divide n_embd, got n_embd 10, n_head 4"):
        GPT(chars="ab", n_embd=10, n_head=4)


def test_initial_loss_is_close_to_uniform_guessing() -> None:
    model = _small()
    assert model.loss("emma").data == pytest.approx(math.log(model.vocab_size), rel=0.05)


def test_same_seed_gives_the_same_losses_and_samples() -> None:
    runs = []
    for _ in range(2):
        model = _small(seed=3)
        losses = train(model, NAMES, steps=4, seed=3)
        rng = random.Random(3)
        runs.append((losses, [sample(model, rng) for _ in range(3)]))
    assert runs[0] == runs[1]


@pytest.mark.parametrize("activation", ["relu", "gelu_tanh"])
def test_loss_gradient_matches_central_differences(activation: str) -> None:
    model = _small(activation)
    loss = model.loss("olivia")
    loss.backward()
    rng = random.Random(0)
    checked = rng.sample(model.parameters(), 12)
    for p in checked:
        analytic = p.grad
        original = p.data
        p.data = original + 1e-6
        up = model.loss("olivia").data
        p.data = original - 1e-6
        down = model.loss("olivia").data
        p.data = original
        assert analytic == pytest.approx((up - down) / 2e-6, rel=1e-4, abs=1e-7)


def test_gelu_tanh_activation_is_pytorchs_tanh_approximation() -> None:
    model = _small("gelu_tanh")
    for x in (-2.0, -0.3, 0.0, 1.5):
        expected = 0.5 * x * (1 + math.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
        assert model._activate(Value(x)).data == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_training_lowers_the_loss() -> None:
    model = _small()
    before = sum(model.loss(name).data for name in NAMES)
    train(model, NAMES, steps=30, seed=0)
    after = sum(model.loss(name).data for name in NAMES)
    assert after < before - 1.0


def test_samples_use_the_vocabulary_and_fit_the_block() -> None:
    model = _small()
    rng = random.Random(1)
    for name in (sample(model, rng) for _ in range(20)):
        assert set(name) <= set(CHARS)
        assert len(name) <= model.block_size


def test_cli_trains_and_prints_made_up_names(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(gpt, "_load_names", lambda: NAMES)
    assert gpt.main(["--steps", "2", "--num-samples", "3", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "2 steps in" in out
    assert out.splitlines()[-1].startswith("names it made up: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--steps", "0"], "argument --steps: expected a positive integer, got '0'"),
        (["--num-samples", "x"], "argument --num-samples: expected a positive integer, got 'x'"),
        (["--seed", "1.5"], "argument --seed: expected an integer, got '1.5'"),
    ],
)
def test_cli_rejects_bad_values_in_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        gpt.main(argv)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == f"python -m minigrad.scalar gpt: error: {message}\n"


def test_python_m_minigrad_scalar_gpt_trains_on_the_bundled_names() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "minigrad.scalar", "gpt", "--steps", "2", "--num-samples", "2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("5163 names, vocabulary 27, ")
    assert "names it made up: " in result.stdout


def test_python_m_minigrad_scalar_gpt_reports_a_bad_value_without_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "minigrad.scalar", "gpt", "--steps", "-1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
