"""A compiled function never gives a silently wrong answer: guards re-record or refuse."""

from __future__ import annotations

import numpy as np
import pytest

from minigrad.tensor import Tensor, manual_seed, nn, no_grad, optim, randn
from minigrad.tensor.compile import CompileError, compile
from minigrad.tensor.nn import functional as F


def _data(*shape: int, seed: int = 0) -> Tensor:
    return Tensor(np.random.default_rng(seed).standard_normal(shape).astype(np.float32))


def test_a_new_input_shape_records_a_second_plan_and_both_are_kept() -> None:
    double = compile(lambda x: x * 2)
    double(_data(2, 3))
    double(_data(4, 3))
    assert np.array_equal(double(_data(2, 3, seed=1)).data, _data(2, 3, seed=1).data * 2)
    assert len(double.plans) == 2
    assert double.recordings[1] == "argument 0: shape was (2, 3), now (4, 3)"


def test_a_new_dtype_or_requires_grad_is_recorded_again() -> None:
    double = compile(lambda x: x * 2)
    double(_data(2))
    out = double(Tensor(np.ones(2)))
    assert out.dtype == np.float64
    assert "dtype" in double.recordings[1]


def test_grad_mode_is_part_of_the_key() -> None:
    w = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    scaled = compile(lambda x: (x * w).sum())
    with no_grad():
        scaled(_data(3))
    with pytest.raises(CompileError, match="still has a graph"):
        scaled(_data(3))  # grad mode on: a different recording, which returns a graph


def test_switching_a_module_to_eval_records_again() -> None:
    manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
    forward = compile(lambda x: model(x))
    x = _data(3, 4)
    with no_grad():
        forward(x)
        model.eval()
        assert np.array_equal(forward(x).data, model(x).data)
    assert forward.recordings[1].endswith("was recorded in train() mode, now in eval()")


def test_refusing_to_record_again_says_what_changed() -> None:
    double = compile(lambda x: x * 2, recompile=False)
    double(_data(2))
    with pytest.raises(CompileError, match=r"shape was \(2,\), now \(3,\)"):
        double(_data(3))


def test_a_replaced_layer_is_never_replayed_with_the_old_one() -> None:
    class Wrapper(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layer = nn.Linear(2, 2)

        def forward(self, x: Tensor) -> Tensor:
            return self.layer(x)

    model = Wrapper()
    forward = compile(lambda x: model(x))
    x = _data(1, 2)
    with no_grad():
        forward(x)
        model.layer = nn.Linear(2, 2)
        assert np.array_equal(forward(x).data, model(x).data)
    assert "replaced" in forward.recordings[1]


def test_a_frozen_parameter_records_again() -> None:
    model = nn.Linear(2, 1)

    @compile
    def step(x: Tensor) -> None:
        model.zero_grad()
        model(x).sum().backward()

    step(_data(3, 2))
    model.bias.requires_grad_(False)
    step(_data(3, 2))
    assert model.bias.grad is None
    assert "requires_grad" in step.recordings[1]


def test_a_scheduler_changing_the_learning_rate_is_honoured() -> None:
    w = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    opt = optim.SGD([w], lr=1.0)

    @compile
    def step() -> None:
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()

    step()
    step()  # replay, lr 1.0: w = 1 -> -1 -> 1
    opt.param_groups[0]["lr"] = 0.25
    step()  # replay, lr 0.25: w = 1 - 0.25 * 2 = 0.5
    assert w.tolist() == [0.5, 0.5]
    assert step.recordings == ["first call"]


@pytest.mark.parametrize(
    ("read", "name"),
    [
        (lambda t: t.item(), r"Tensor.item\(\)"),
        (lambda t: bool(t > 0), r"bool\(tensor\)"),
        (lambda t: t.tolist(), r"Tensor.tolist\(\)"),
        (lambda t: t.numpy(), r"Tensor.numpy\(\)"),
        (lambda t: float(t), r"Tensor.item\(\)"),
    ],
)
def test_reading_a_value_inside_a_compiled_function_is_refused(read, name) -> None:  # type: ignore[no-untyped-def]
    compiled = compile(lambda x: read(x.sum()))
    with pytest.raises(CompileError, match=name + " inside a compiled function"):
        compiled(_data(2))


def test_drawing_a_random_tensor_inside_is_refused() -> None:
    noisy = compile(lambda x: x + randn(2))
    with pytest.raises(CompileError, match="random tensor"):
        noisy(_data(2))


def test_an_argument_with_a_graph_is_refused() -> None:
    w = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    with pytest.raises(CompileError, match="carries a graph"):
        compile(lambda x: x * 2)(w * 3)


def test_a_python_value_argument_picks_its_own_plan() -> None:
    scale = compile(lambda x, k: x * k)
    x = _data(2)
    assert np.array_equal(scale(x, 2.0).data, x.data * 2)
    assert np.array_equal(scale(x, 3.0).data, x.data * 3)
    assert np.array_equal(scale(x, 2.0).data, x.data * 2)
    assert len(scale.plans) == 2


def test_batch_norm_running_statistics_are_updated_on_every_replay() -> None:
    manual_seed(0)
    bn_eager, bn_compiled = nn.BatchNorm1d(3), nn.BatchNorm1d(3)
    forward = compile(lambda x: bn_compiled(x))
    with no_grad():
        for seed in range(4):
            x = _data(5, 3, seed=seed)
            assert np.array_equal(forward(x).data, bn_eager(x).data)
    for name, value in bn_eager.state_dict().items():
        assert np.array_equal(value, bn_compiled.state_dict()[name]), name


def test_a_loaded_state_dict_is_used_by_the_next_replay() -> None:
    model = nn.Linear(2, 2)
    forward = compile(lambda x: F.relu(model(x)))
    x = _data(1, 2)
    with no_grad():
        forward(x)
        model.load_state_dict(nn.Linear(2, 2).state_dict())
        assert np.array_equal(forward(x).data, F.relu(model(x)).data)


def test_another_default_generator_records_again() -> None:
    from minigrad.tensor.creation import use_generator

    x = Tensor(np.ones((4, 50), dtype=np.float32))
    masked = compile(lambda x: F.dropout(x, 0.5))
    with use_generator(np.random.default_rng(1)):
        masked(x)
    with use_generator(np.random.default_rng(2)):
        replayed = masked(x).data
    with use_generator(np.random.default_rng(2)):
        assert np.array_equal(replayed, F.dropout(x, 0.5).data)
    assert "generator" in masked.recordings[1]


def test_a_replayed_optimizer_step_counts_as_an_in_place_write() -> None:
    w = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    opt = optim.SGD([w], lr=0.1)

    @compile
    def step() -> None:
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()

    step()
    stale = (w * w).sum()  # recorded before the replayed step below
    step()
    with pytest.raises(RuntimeError, match=r"changed in place by SGD\.step"):
        stale.backward()


def test_a_tensor_made_from_a_reshaped_input_array_follows_the_input() -> None:
    logits = _data(6, 3)
    loss_of = compile(lambda x, y: F.cross_entropy(x, y.data.reshape(-1)))
    with no_grad():
        for seed in range(3):
            y = Tensor(np.random.default_rng(seed).integers(0, 3, (2, 3)))
            want = F.cross_entropy(logits, y.data.reshape(-1)).data
            assert np.array_equal(loss_of(logits, y).data, want)
    assert ".reshape((6,))" in loss_of.source


def test_a_tensor_made_from_another_view_of_an_input_array_is_refused() -> None:
    first_column = compile(lambda x: Tensor(x.data[:, 0]) * 2)
    with pytest.raises(CompileError, match="not a reshape"):
        first_column(_data(3, 2))


def test_a_scheduler_stepped_inside_advances_on_every_replay() -> None:
    w = Tensor(np.ones(1, dtype=np.float32), requires_grad=True)
    opt = optim.SGD([w], lr=1.0)
    schedule = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)

    @compile
    def step() -> None:
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
        schedule.step()

    for _ in range(3):
        step()
    assert opt.param_groups[0]["lr"] == 0.125
    assert schedule.last_epoch == 3


def test_detect_anomaly_runs_the_function_eagerly_with_its_checks() -> None:
    from minigrad.tensor import detect_anomaly

    w = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)

    @compile
    def log_loss(x: Tensor) -> Tensor:
        loss = (x * w).log().sum()
        loss.backward()
        return loss

    log_loss(_data(2).abs())
    log_loss(_data(2).abs())  # a replay
    with detect_anomaly(), pytest.raises(FloatingPointError, match="log produced"):
        log_loss(Tensor(np.array([-1.0, 1.0], dtype=np.float32)))
    assert log_loss.recordings == ["first call"]


def test_an_argument_viewing_an_input_array_is_refused() -> None:
    pick = compile(lambda x, rows: x[rows.data[:2]])
    with pytest.raises(CompileError, match="view of x1"):
        pick(_data(4, 2), Tensor(np.array([0, 1, 2])))


@pytest.mark.parametrize("bad_class", [-1, 3])
def test_a_replay_refuses_a_target_class_out_of_range_as_eager_does(bad_class: int) -> None:
    model = nn.Linear(4, 3)
    optimizer = optim.SGD(model.parameters(), lr=0.1)

    @compile
    def step(x: Tensor, y: Tensor) -> Tensor:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    x = Tensor(np.ones((2, 4), dtype=np.float32))
    step(x, Tensor(np.array([0, 1])))  # records
    step(x, Tensor(np.array([0, 2])))  # replays
    with pytest.raises(IndexError, match=f"target holds class {bad_class}, outside"):
        step(x, Tensor(np.array([0, bad_class])))


def test_a_replay_refuses_an_embedding_index_out_of_range_as_eager_does() -> None:
    table = nn.Embedding(5, 2)

    @compile
    def total(indices: Tensor) -> Tensor:
        out = table(indices).sum()
        out.backward()
        return out

    total(Tensor(np.array([0, 1])))  # records
    total(Tensor(np.array([3, 4])))  # replays
    with pytest.raises(IndexError, match="index -1 is outside"):
        total(Tensor(np.array([0, -1])))


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"max_plans": 0}, ValueError, "max_plans must be at least 1, got 0"),
        ({"max_plans": "2"}, TypeError, "max_plans must be an int, got '2'"),
        ({"max_plans": True}, TypeError, "max_plans must be an int, got True"),
    ],
)
def test_compile_refuses_a_bad_max_plans_naming_it(
    arguments: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        compile(lambda x: x, **arguments)  # type: ignore[arg-type]


def test_compile_refuses_what_is_not_a_function() -> None:
    with pytest.raises(TypeError, match="expected a function, got int"):
        compile(5)  # type: ignore[call-overload]
