"""load_names and friends: the bundled Census names, their split, vocabulary, examples, bigram."""

from __future__ import annotations

import doctest
import gzip
import hashlib
import math
import re
from importlib import resources

import numpy as np
import pytest

import minigrad.tensor.data.names as names_module
from minigrad.tensor.data import CharVocab, bigram_nll, load_names, make_examples

FILES = resources.files("minigrad.tensor.data").joinpath("_files")


@pytest.mark.parametrize(
    ("file_name", "size", "sha256"),
    [
        (
            "first_names.txt",
            36122,
            "cba14f452b7768bd7fe093035a67491d4a334061634ccfd51522fb796910e75e",
        ),
        (
            "last_names.txt.gz",
            245351,
            "24fe2ace04f28526078029f29274174ab82f6812195db18b0ff88c2d199caa7f",
        ),
    ],
)
def test_bundled_file_has_the_documented_size_and_checksum(
    file_name: str, size: int, sha256: str
) -> None:
    raw = FILES.joinpath(file_name).read_bytes()
    assert len(raw) == size
    assert hashlib.sha256(raw).hexdigest() == sha256


def test_text_inside_the_gzipped_surnames_has_the_documented_checksum() -> None:
    text = gzip.decompress(FILES.joinpath("last_names.txt.gz").read_bytes())
    expected = "cc6e6f69c119471a97fe3efc9f68082df5121dde31c6700a534742828106ae49"
    assert hashlib.sha256(text).hexdigest() == expected


@pytest.mark.parametrize(("kind", "count"), [("first", 5163), ("last", 88799)])
def test_all_names_are_distinct_sorted_lowercase_letters(kind: str, count: int) -> None:
    names = load_names(kind, split="all")  # type: ignore[arg-type]
    assert len(names) == count
    assert len(set(names)) == count
    assert names == sorted(names)
    assert set("".join(names)) == set("abcdefghijklmnopqrstuvwxyz")


def test_known_names_are_present() -> None:
    assert {"emma", "james", "mary"} <= set(load_names("first"))
    assert {"smith", "johnson", "williams"} <= set(load_names("last"))


@pytest.mark.parametrize("kind", ["first", "last"])
def test_train_and_val_are_disjoint_and_cover_all_names(kind: str) -> None:
    train = load_names(kind, split="train", seed=3)  # type: ignore[arg-type]
    val = load_names(kind, split="val", seed=3)  # type: ignore[arg-type]
    assert not set(train) & set(val)
    assert sorted(train + val) == load_names(kind)  # type: ignore[arg-type]
    assert len(val) == round(0.1 * len(load_names(kind)))  # type: ignore[arg-type]


def test_same_seed_gives_the_same_split_and_another_seed_another() -> None:
    first = load_names("first", split="val", seed=7)
    assert load_names("first", split="val", seed=7) == first
    assert load_names("first", split="val", seed=8) != first


def test_split_is_pinned_across_machines_and_versions() -> None:
    # Hash-ordered: these exact names follow from sha256 alone, whatever NumPy or platform.
    val = load_names("first", split="val", seed=0)
    key = hashlib.sha256
    expected = sorted(load_names("first"), key=lambda n: key(f"0\x00{n}".encode()).digest())
    assert val == expected[:516]


def test_val_fraction_sets_the_size_of_the_validation_part() -> None:
    assert len(load_names("first", split="val", val_fraction=0.25)) == round(0.25 * 5163)
    assert len(load_names("first", split="train", val_fraction=0.25)) == 5163 - round(0.25 * 5163)


def test_returned_list_does_not_share_the_cache() -> None:
    names = load_names("first")
    names[0] = "zzz"
    assert load_names("first")[0] == "aaron"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "middle"}, "kind must be 'first' or 'last', got 'middle'"),
        ({"split": "test"}, "split must be 'train', 'val' or 'all', got 'test'"),
        ({"val_fraction": 0.0}, "strictly between 0 and 1, got 0.0"),
        ({"val_fraction": 1.5}, "strictly between 0 and 1, got 1.5"),
        ({"val_fraction": "0.1"}, "val_fraction must be a number, got '0.1'"),
        ({"seed": 1.5}, "seed must be an integer, got 1.5"),
        ({"split": "val", "val_fraction": 1e-6}, "leaves 0 of 5163 names for validation"),
    ],
)
def test_bad_arguments_are_rejected_naming_expected_and_given(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        load_names(**kwargs)  # type: ignore[arg-type]


def test_vocab_of_the_names_is_the_boundary_then_a_to_z() -> None:
    vocab = CharVocab.from_words(load_names("last"))
    assert vocab.size == 27
    assert vocab.itos == [".", *"abcdefghijklmnopqrstuvwxyz"]
    assert vocab.stoi["."] == vocab.boundary_id == 0
    assert vocab.stoi["z"] == 26


def test_vocab_encode_decode_round_trip() -> None:
    vocab = CharVocab.from_words(load_names("first"))
    for name in load_names("first")[::97]:
        assert vocab.decode(vocab.encode(name)) == name
    assert vocab.decode([0, 1, 0]) == ".a."


def test_vocab_rejects_unknown_characters_and_ids() -> None:
    vocab = CharVocab("ab")
    with pytest.raises(
        ValueError, match=re.escape("expected characters of '.ab', got 'c' in 'abc'")
    ):
        vocab.encode("abc")
    with pytest.raises(ValueError, match=r"expected token ids in \[0, 3\), got 3"):
        vocab.decode([1, 3])
    with pytest.raises(ValueError, match=re.escape("other than the boundary '.', got")):
        CharVocab("a.b")


def test_examples_slide_a_boundary_padded_context_over_each_word() -> None:
    vocab = CharVocab("abm")
    contexts, targets = make_examples(["ab", "m"], vocab, block_size=2)
    a, b, m = 1, 2, 3
    assert contexts.dtype == np.int64
    assert contexts.tolist() == [[0, 0], [0, a], [a, b], [0, 0], [0, m]]
    assert targets.tolist() == [a, b, 0, m, 0]


def test_examples_of_no_words_have_the_block_shape() -> None:
    contexts, targets = make_examples([], CharVocab("a"), block_size=4)
    assert contexts.shape == (0, 4)
    assert targets.shape == (0,)


@pytest.mark.parametrize("block_size", [0, -1, 2.0, True])
def test_examples_reject_a_bad_block_size(block_size: object) -> None:
    with pytest.raises(ValueError, match=f"positive integer, got {block_size!r}"):
        make_examples(["a"], CharVocab("a"), block_size=block_size)  # type: ignore[arg-type]


def test_bigram_nll_on_a_hand_checked_corpus() -> None:
    # Tokens . a b; training words "ab", "a" give the transitions .a .a ab b. a.
    # With add-one smoothing the row of "." is [0+1, 2+1, 0+1] / 5 and the row of "a"
    # is [1+1, 0+1, 1+1] / 5. The word "a" costs -log P(a|.) - log P(.|a) over 2 characters.
    expected = -(math.log(3 / 5) + math.log(2 / 5)) / 2
    got = bigram_nll(["ab", "a"], ["a"], CharVocab("ab"), smoothing=1)
    assert got == pytest.approx(expected, rel=1e-12)


def test_bigram_nll_without_smoothing_is_inf_for_an_unseen_transition() -> None:
    assert bigram_nll(["ab"], ["ba"], CharVocab("ab"), smoothing=0) == math.inf


def test_bigram_baseline_on_the_surname_split_is_in_the_expected_range() -> None:
    train, val = load_names("last", split="train"), load_names("last", split="val")
    nll = bigram_nll(train, val, CharVocab.from_words(load_names("last")))
    # Uniform over 27 tokens would be log(27) = 3.30 nats.
    assert 2.4 < nll < 2.7


def test_bigram_nll_rejects_bad_arguments() -> None:
    vocab = CharVocab("ab")
    with pytest.raises(ValueError, match="smoothing must be a number >= 0, got -1"):
        bigram_nll(["a"], ["a"], vocab, smoothing=-1)
    with pytest.raises(ValueError, match="expected at least one evaluation word, got none"):
        bigram_nll(["a"], [], vocab)
    with pytest.raises(ValueError, match="sequences of words, got a single string"):
        bigram_nll("ab", ["a"], vocab)


def test_docstring_examples_run() -> None:
    assert doctest.testmod(names_module, optionflags=doctest.ELLIPSIS).failed == 0
