"""Train the SimpleNet from the issue (Linear 10->32, ReLU, Linear 32->1, Sigmoid).

The task is a rule a small network can learn but a linear model cannot: the label of a random
10-dimensional input x is 1 when ``x0 + x1 * x2 > 0`` (the other 7 features are noise). The script
prints a falling loss and the accuracy on held-out samples.

Usage: python examples/core/simple_net.py [--steps 300] [--seed 0]
"""

from __future__ import annotations

import argparse

import ember
import ember.nn as nn


class SimpleNet(nn.Module):
    """Linear(10, 32) -> ReLU -> Linear(32, 1) -> Sigmoid: a probability per sample."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(10, 32)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(32, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        return self.sigmoid(self.fc2(self.relu(self.fc1(x))))


def make_data(n: int, generator: ember.Generator) -> tuple[ember.Tensor, ember.Tensor]:
    """Random inputs and their labels under the rule ``x0 + x1 * x2 > 0``."""
    x = ember.randn(n, 10, generator=generator)
    y = ((x[:, 0] + x[:, 1] * x[:, 2]) > 0).float().unsqueeze(1)
    return x, y


def train(
    steps: int = 300, seed: int = 0, batch_size: int = 64, lr: float = 0.5, verbose: bool = True
) -> tuple[list[float], float]:
    """Train from scratch; returns the per-step losses and the held-out accuracy."""
    ember.manual_seed(seed)
    gen = ember.Generator().manual_seed(seed)
    x_train, y_train = make_data(2048, gen)
    x_test, y_test = make_data(1024, gen)
    model = SimpleNet()
    optimizer = ember.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    loss_fn = nn.BCELoss()
    losses = []
    for step in range(steps):
        idx = ember.randint(0, x_train.shape[0], (batch_size,), generator=gen)
        optimizer.zero_grad()
        loss = loss_fn(model(x_train[idx]), y_train[idx])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if verbose and (step % 50 == 0 or step == steps - 1):
            print(f"step {step:4d}  loss {sum(losses[-50:]) / len(losses[-50:]):.4f}")
    model.eval()
    with ember.no_grad():
        accuracy = ((model(x_test) > 0.5).float() == y_test).float().mean().item()
    if verbose:
        print(f"held-out accuracy {accuracy:.3f}")
    return losses, accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    train(args.steps, args.seed)


if __name__ == "__main__":
    main()
