"""The default `minigrad train` run written in PyTorch: the reference for workload 7.

Same data file, same split sizes (1,438 train / 359 test, stratified), same
model (64-128-10 with ReLU), optimizer (Adam, lr 3e-3), batch size (32),
label smoothing (0.1), epochs (30), shuffling every epoch and a test
evaluation after each epoch. It does not import MiniGrad, so its memory is
PyTorch's own. Prints the final test accuracy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

DIGITS = (
    Path(__file__).resolve().parents[1]
    / "packages/minigrad-tensor/src/minigrad/tensor/data/_files/digits.csv.gz"
)


def split(labels: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    train, test = [], []
    for digit in range(10):
        members = rng.permutation(np.flatnonzero(labels == digit))
        n_test = round(len(members) * test_fraction)
        test.append(members[:n_test])
        train.append(members[n_test:])
    return np.concatenate(train), np.concatenate(test)


def main() -> None:
    torch.manual_seed(0)
    torch.set_num_threads(1)
    table = np.loadtxt(DIGITS, delimiter=",", dtype=np.float32)
    images, labels = table[:, :64] / 16.0, table[:, 64].astype(np.int64)
    train_idx, test_idx = split(labels, 0.2, 0)
    x_train, y_train = torch.from_numpy(images[train_idx]), torch.from_numpy(labels[train_idx])
    x_test, y_test = torch.from_numpy(images[test_idx]), torch.from_numpy(labels[test_idx])
    model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x_train, y_train), batch_size=32, shuffle=True
    )
    accuracy = 0.0
    for _ in range(30):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y, label_smoothing=0.1)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    print(f"test accuracy: {accuracy:.2%}")


if __name__ == "__main__":
    main()
