"""load_digits: the bundled 8x8 digits and their deterministic stratified split."""

from __future__ import annotations

import numpy as np
import pytest

from minigrad.tensor.data import load_digits, stratified_split


def test_all_digits_have_the_documented_shapes_and_dtypes() -> None:
    images, labels = load_digits()
    assert images.shape == (1797, 8, 8)
    assert images.dtype == np.float32
    assert labels.shape == (1797,)
    assert labels.dtype == np.int64


def test_pixels_are_scaled_to_the_unit_interval() -> None:
    images, _ = load_digits()
    assert images.data.min() == 0.0
    assert images.data.max() == 1.0
    # The raw pixels are multiples of 1/16.
    np.testing.assert_array_equal(images.data * 16, np.round(images.data * 16))


def test_labels_cover_the_ten_digits_in_the_known_counts() -> None:
    _, labels = load_digits()
    counts = np.bincount(labels.data)
    np.testing.assert_array_equal(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])


def test_first_image_is_the_known_zero() -> None:
    images, labels = load_digits()
    assert int(labels.data[0]) == 0
    np.testing.assert_array_equal(images.data[0, 0] * 16, [0, 0, 5, 13, 9, 1, 0, 0])


def test_train_and_test_split_the_samples_without_overlap() -> None:
    all_images, _ = load_digits()
    train, _ = load_digits(split="train")
    test, _ = load_digits(split="test")
    assert len(train) + len(test) == 1797
    train_rows = {row.tobytes() for row in train.data}
    test_rows = {row.tobytes() for row in test.data}
    assert train_rows | test_rows == {row.tobytes() for row in all_images.data}
    assert len(test) == pytest.approx(0.2 * 1797, abs=10)


def test_split_is_stratified() -> None:
    _, test_labels = load_digits(split="test", test_fraction=0.2)
    counts = np.bincount(test_labels.data, minlength=10)
    assert counts.min() >= 34
    assert counts.max() <= 37


def test_same_seed_gives_the_same_split_and_another_seed_another() -> None:
    first = load_digits(split="test", seed=1)[1].data
    again = load_digits(split="test", seed=1)[1].data
    other_images = load_digits(split="test", seed=2)[0].data
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(load_digits(split="test", seed=1)[0].data, other_images)


def test_float64_on_request() -> None:
    images, _ = load_digits(dtype=np.float64)
    assert images.dtype == np.float64


def test_returned_arrays_do_not_share_the_cache() -> None:
    images, labels = load_digits()
    original_first = images.data[0].copy()
    images.data[0] = 5.0
    labels.data[0] = 7
    fresh_images, fresh_labels = load_digits()
    np.testing.assert_array_equal(fresh_images.data[0], original_first)
    assert int(fresh_labels.data[0]) == 0


def test_unknown_split_is_rejected() -> None:
    with pytest.raises(ValueError, match="split must be 'train', 'test' or None, got 'valid'"):
        load_digits(split="valid")  # type: ignore[arg-type]


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.5, 1.5])
def test_test_fraction_outside_the_open_unit_interval_is_rejected(fraction: float) -> None:
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        load_digits(split="test", test_fraction=fraction)


def test_integer_dtype_is_rejected() -> None:
    with pytest.raises(TypeError, match="floating type, got int32"):
        load_digits(dtype=np.int32)


def test_stratified_split_takes_the_fraction_of_every_class() -> None:
    labels = np.repeat(np.arange(3), [10, 20, 30])
    train, test = stratified_split(labels, 0.5, seed=0)
    np.testing.assert_array_equal(np.bincount(labels[test]), [5, 10, 15])
    assert np.intersect1d(train, test).size == 0
    assert len(train) + len(test) == 60
