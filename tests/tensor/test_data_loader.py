"""DataLoader: batch shapes, drop_last, seeded and resumable shuffling, the generic path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigrad.tensor import Tensor
from minigrad.tensor.creation import manual_seed
from minigrad.tensor.data import DataLoader, Dataset, TensorDataset, default_collate


def _dataset(n: int) -> TensorDataset:
    inputs = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    return TensorDataset(inputs, np.arange(n))


def _label_order(loader: DataLoader) -> list[int]:
    return [int(i) for _, labels in loader for i in labels.data]


class _Squares(Dataset[tuple[float, int]]):
    """A dataset without arrays: the generic per-sample path."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __getitem__(self, index: int) -> tuple[float, int]:
        return float(index) ** 2, index

    def __len__(self) -> int:
        return self.n


@given(n=st.integers(0, 40), batch_size=st.integers(1, 12), drop_last=st.booleans())
def test_batches_cover_the_dataset_in_the_announced_sizes(
    n: int, batch_size: int, drop_last: bool
) -> None:
    loader = DataLoader(_dataset(n), batch_size=batch_size, drop_last=drop_last)
    sizes = [len(labels) for _, labels in loader]
    assert len(sizes) == len(loader)
    assert all(size == batch_size for size in sizes[:-1])
    expected_total = (n // batch_size) * batch_size if drop_last else n
    assert sum(sizes) == expected_total


def test_batches_stack_the_rows_of_each_tensor() -> None:
    x, y = next(iter(DataLoader(_dataset(10), batch_size=4)))
    assert isinstance(x, Tensor)
    assert x.shape == (4, 3)
    assert x.dtype == np.float32
    assert y.tolist() == [0, 1, 2, 3]
    np.testing.assert_array_equal(x.data[1], [3.0, 4.0, 5.0])


def test_drop_last_skips_the_short_batch() -> None:
    loader = DataLoader(_dataset(10), batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert [len(y) for _, y in loader] == [4, 4]


def test_unshuffled_order_is_the_dataset_order() -> None:
    assert _label_order(DataLoader(_dataset(7), batch_size=3)) == list(range(7))


def test_same_seed_gives_the_same_shuffled_order() -> None:
    first = _label_order(DataLoader(_dataset(50), batch_size=8, shuffle=True, seed=3))
    second = _label_order(DataLoader(_dataset(50), batch_size=8, shuffle=True, seed=3))
    assert first == second
    assert sorted(first) == list(range(50))
    assert first != list(range(50))


def test_different_seeds_give_different_orders() -> None:
    first = _label_order(DataLoader(_dataset(50), batch_size=8, shuffle=True, seed=3))
    second = _label_order(DataLoader(_dataset(50), batch_size=8, shuffle=True, seed=4))
    assert first != second


def test_each_epoch_draws_a_new_permutation() -> None:
    loader = DataLoader(_dataset(50), batch_size=8, shuffle=True, seed=0)
    epoch0, epoch1 = _label_order(loader), _label_order(loader)
    assert epoch0 != epoch1
    assert loader.epoch == 2


def test_set_epoch_reproduces_that_epochs_order() -> None:
    straight = DataLoader(_dataset(30), batch_size=4, shuffle=True, seed=9)
    orders = [_label_order(straight) for _ in range(3)]
    resumed = DataLoader(_dataset(30), batch_size=4, shuffle=True, seed=9)
    resumed.set_epoch(2)
    assert _label_order(resumed) == orders[2]


def test_state_dict_round_trip_resumes_at_the_same_epoch() -> None:
    loader = DataLoader(_dataset(30), batch_size=4, shuffle=True, seed=5)
    _label_order(loader)
    state = loader.state_dict()
    expected = _label_order(loader)
    fresh = DataLoader(_dataset(30), batch_size=4, shuffle=True, seed=99)
    fresh.load_state_dict(state)
    assert _label_order(fresh) == expected


def test_generator_seeds_the_loader_reproducibly() -> None:
    first = DataLoader(_dataset(20), shuffle=True, generator=np.random.default_rng(1))
    second = DataLoader(_dataset(20), shuffle=True, generator=np.random.default_rng(1))
    assert first.seed == second.seed
    assert _label_order(first) == _label_order(second)


def test_generic_dataset_is_collated_field_by_field() -> None:
    loader = DataLoader(_Squares(5), batch_size=2)
    batches = list(loader)
    assert len(batches) == 3
    squares, indices = batches[1]
    assert squares.tolist() == [4.0, 9.0]
    assert squares.dtype == np.float32
    assert indices.tolist() == [2, 3]


def test_generic_dataset_shuffles_like_a_tensor_dataset_with_the_same_seed() -> None:
    generic = DataLoader(_Squares(20), batch_size=6, shuffle=True, seed=2)
    arrays = DataLoader(_dataset(20), batch_size=6, shuffle=True, seed=2)
    generic_order = [int(i) for _, idx in generic for i in idx.data]
    assert generic_order == _label_order(arrays)


def test_subclass_that_overrides_getitem_is_honoured() -> None:
    class Doubled(TensorDataset):
        def __getitem__(self, index: object) -> tuple[Tensor, ...]:
            x, y = super().__getitem__(index)
            return Tensor(x.data * 2), y

    x, _ = next(iter(DataLoader(Doubled(np.ones((4, 2), np.float32), np.arange(4)), 4)))
    np.testing.assert_array_equal(x.data, np.full((4, 2), 2.0))


def test_default_collate_stacks_dicts_and_arrays() -> None:
    batch = default_collate([{"x": np.zeros(2), "y": 1}, {"x": np.ones(2), "y": 0}])
    assert batch["x"].shape == (2, 2)
    assert batch["y"].tolist() == [1, 0]


def test_default_collate_rejects_unknown_sample_types() -> None:
    with pytest.raises(TypeError, match="got object"):
        default_collate([object()])


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True])
def test_bad_batch_size_is_rejected(batch_size: object) -> None:
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        DataLoader(_dataset(3), batch_size=batch_size)  # type: ignore[arg-type]


def test_seed_and_generator_together_are_rejected() -> None:
    with pytest.raises(ValueError, match="either seed or generator"):
        DataLoader(_dataset(3), seed=1, generator=np.random.default_rng(1))


def test_negative_seed_is_rejected() -> None:
    with pytest.raises(ValueError, match="non-negative int, got -1"):
        DataLoader(_dataset(3), seed=-1)


def test_tensor_dataset_names_the_shapes_when_lengths_differ() -> None:
    with pytest.raises(ValueError, match=r"\(5, 3\), \(4,\)"):
        TensorDataset(np.zeros((5, 3)), np.zeros(4))


def test_tensor_dataset_needs_a_tensor() -> None:
    with pytest.raises(ValueError, match="at least one tensor"):
        TensorDataset()


def test_tensor_dataset_rejects_zero_dimensional_tensors() -> None:
    with pytest.raises(ValueError, match="first"):
        TensorDataset(np.array(1.0, dtype=np.float32))


def test_tensor_dataset_returns_one_row_per_index() -> None:
    x, y = _dataset(4)[2]
    assert x.tolist() == [6.0, 7.0, 8.0]
    assert int(y) == 2


def test_without_seed_or_generator_manual_seed_fixes_the_order() -> None:
    manual_seed(123)
    first = _label_order(DataLoader(_dataset(30), batch_size=4, shuffle=True))
    manual_seed(123)
    second = _label_order(DataLoader(_dataset(30), batch_size=4, shuffle=True))
    assert first == second
