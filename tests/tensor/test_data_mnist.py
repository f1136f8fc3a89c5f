"""IDX reading and load_mnist on small IDX files written by the tests."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from minigrad.tensor.data import load_mnist, read_idx

_TYPE_CODES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C, np.float32: 0x0D}


def _idx_bytes(array: np.ndarray) -> bytes:
    code = _TYPE_CODES[array.dtype.type]
    header = bytes([0, 0, code, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def _write_mnist(folder: Path, prefix: str, n: int, gz: bool = False) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(n, 4, 5), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n, dtype=np.uint8)
    for kind, idx, array in (("images", "idx3", images), ("labels", "idx1", labels)):
        payload = _idx_bytes(array)
        name = f"{prefix}-{kind}-{idx}-ubyte"
        if gz:
            (folder / (name + ".gz")).write_bytes(gzip.compress(payload))
        else:
            (folder / name).write_bytes(payload)
    return images, labels


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32])
def test_read_idx_round_trips_every_type(tmp_path: Path, dtype: type[np.generic]) -> None:
    array = (
        np.arange(-3, 9).reshape(2, 3, 2).astype(dtype)
        if dtype != np.uint8
        else (np.arange(12, dtype=np.uint8).reshape(2, 3, 2))
    )
    path = tmp_path / "x.idx"
    path.write_bytes(_idx_bytes(array))
    result = read_idx(path)
    np.testing.assert_array_equal(result, array)
    assert result.dtype == np.dtype(dtype)
    assert result.dtype.isnative


def test_read_idx_reads_gzipped_files(tmp_path: Path) -> None:
    array = np.arange(6, dtype=np.uint8).reshape(2, 3)
    path = tmp_path / "x.idx.gz"
    path.write_bytes(gzip.compress(_idx_bytes(array)))
    np.testing.assert_array_equal(read_idx(path), array)


def test_load_mnist_reads_train_and_test_files(tmp_path: Path) -> None:
    train_images, train_labels = _write_mnist(tmp_path, "train", 6)
    _write_mnist(tmp_path, "t10k", 3)
    images, labels = load_mnist(tmp_path)
    assert images.shape == (6, 4, 5)
    assert images.dtype == np.float32
    assert labels.dtype == np.int64
    np.testing.assert_allclose(images.data, train_images / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(labels.data, train_labels)
    assert load_mnist(tmp_path, split="test")[0].shape == (3, 4, 5)


def test_load_mnist_reads_gzipped_files(tmp_path: Path) -> None:
    _, train_labels = _write_mnist(tmp_path, "t10k", 4, gz=True)
    _, labels = load_mnist(tmp_path, split="test")
    np.testing.assert_array_equal(labels.data, train_labels)


def test_truncated_file_names_the_file_and_both_sizes(tmp_path: Path) -> None:
    _write_mnist(tmp_path, "train", 6)
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-7])
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte: IDX file truncated.*120.*113"):
        load_mnist(tmp_path)


def test_trailing_bytes_are_reported(tmp_path: Path) -> None:
    _write_mnist(tmp_path, "train", 6)
    path = tmp_path / "train-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(ValueError, match="train-labels-idx1-ubyte: IDX file has trailing bytes"):
        load_mnist(tmp_path)


def test_truncated_header_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(bytes([0, 0, 8, 3, 0, 0, 0, 2]))
    with pytest.raises(ValueError, match="truncated IDX header: 3 dimensions need 16 bytes"):
        read_idx(path)


@pytest.mark.parametrize(
    "start", [b"\x00\x01\x08\x01", b"\x00\x00\x07\x01", b"\x00\x00\x08\x00", b"PK\x03\x04"]
)
def test_bad_magic_number_is_reported(tmp_path: Path, start: bytes) -> None:
    path = tmp_path / "foreign"
    path.write_bytes(start + bytes(8))
    with pytest.raises(
        ValueError, match=f"foreign: not an IDX file: bad magic number 0x{start.hex()}"
    ):
        read_idx(path)


def test_tiny_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "tiny"
    path.write_bytes(b"\0\0")
    with pytest.raises(ValueError, match="tiny: not an IDX file: 2 bytes"):
        read_idx(path)


def test_truncated_gzip_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(_idx_bytes(np.arange(100, dtype=np.uint8)))[:20])
    with pytest.raises(ValueError, match=r"x.gz: not a readable gzip file"):
        read_idx(path)


def test_images_file_with_wrong_rank_is_reported(tmp_path: Path) -> None:
    _write_mnist(tmp_path, "train", 3)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(_idx_bytes(np.zeros((3, 4), np.uint8)))
    with pytest.raises(ValueError, match=r"images as unsigned bytes with 3 dimension\(s\)"):
        load_mnist(tmp_path)


def test_image_and_label_counts_must_match(tmp_path: Path) -> None:
    _write_mnist(tmp_path, "train", 3)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx_bytes(np.zeros(2, np.uint8)))
    with pytest.raises(ValueError, match="holds 3 images but train-labels-idx1-ubyte holds 2"):
        load_mnist(tmp_path)


def test_missing_files_list_the_names_looked_for(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"t10k-images-idx3-ubyte\.gz"):
        load_mnist(tmp_path, split="test")


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        load_mnist(tmp_path / "nowhere")


def test_unknown_split_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        load_mnist(tmp_path, split="valid")  # type: ignore[arg-type]
