"""pytorch/examples ``mnist_forward_forward/main.py`` with ``torch`` renamed to ``ember``: Hinton's
forward-forward algorithm on real MNIST digits. Each ``Layer`` subclasses ``nn.Linear`` and
overrides ``train(x_pos, x_neg)`` with its own local training loop (the example's signature),
and ``Net.train`` shadows ``Module.train`` the same way."""

from __future__ import annotations

import argparse

import numpy as np

import ember
import ember.nn as nn
from ember.optim import Adam
from ember.utils.data import DataLoader
from tests.compat._data import MNIST

args = None
device = None


def get_y_neg(y):
    y_neg = y.clone()
    for idx, y_samp in enumerate(y):
        allowed_indices = list(range(10))
        allowed_indices.remove(y_samp.item())
        y_neg[idx] = ember.tensor(allowed_indices)[
            ember.randint(len(allowed_indices), size=(1,))
        ].item()
    return y_neg.to(device)


def overlay_y_on_x(x, y, classes=10):
    """Replace the first 10 pixels of data [x] with one-hot-encoded label [y]
    """
    x_ = x.clone()
    x_[:, :classes] *= 0.0
    x_[range(x.shape[0]), y] = x.max()
    return x_


class Net(ember.nn.Module):
    def __init__(self, dims):

        super().__init__()
        self.layers = []
        for d in range(len(dims) - 1):
            self.layers = self.layers + [Layer(dims[d], dims[d + 1]).to(device)]

    def predict(self, x):
        goodness_per_label = []
        for label in range(10):
            h = overlay_y_on_x(x, label)
            goodness = []
            for layer in self.layers:
                h = layer(h)
                goodness = goodness + [h.pow(2).mean(1)]
            goodness_per_label += [sum(goodness).unsqueeze(1)]
        goodness_per_label = ember.cat(goodness_per_label, 1)
        return goodness_per_label.argmax(1)

    def train(self, x_pos, x_neg):
        h_pos, h_neg = x_pos, x_neg
        for i, layer in enumerate(self.layers):
            print("training layer: ", i)
            h_pos, h_neg = layer.train(h_pos, h_neg)


class Layer(nn.Linear):
    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__(in_features, out_features, bias, device, dtype)
        self.relu = ember.nn.ReLU()
        self.opt = Adam(self.parameters(), lr=args.lr)
        self.threshold = args.threshold
        self.num_epochs = args.epochs
        self.losses = []

    def forward(self, x):
        x_direction = x / (x.norm(2, 1, keepdim=True) + 1e-4)
        return self.relu(ember.mm(x_direction, self.weight.T) + self.bias.unsqueeze(0))

    def train(self, x_pos, x_neg):
        for i in range(self.num_epochs):
            g_pos = self.forward(x_pos).pow(2).mean(1)
            g_neg = self.forward(x_neg).pow(2).mean(1)
            # The following loss pushes pos (neg) samples to
            # values larger (smaller) than the self.threshold.
            loss = ember.log(
                1
                + ember.exp(
                    ember.cat([-g_pos + self.threshold, g_neg - self.threshold])
                )
            ).mean()
            self.opt.zero_grad()
            # this backward just compute the derivative and hence
            # is not considered backpropagation.
            loss.backward()
            self.opt.step()
            self.losses.append(loss.item())
            if i % args.log_interval == 0:
                print("Loss: ", loss.item())
        return self.forward(x_pos).detach(), self.forward(x_neg).detach()


def main(root, argv):
    global args, device
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1000, metavar="N")
    parser.add_argument("--lr", type=float, default=0.03, metavar="LR")
    parser.add_argument("--no_accel", action="store_true", default=False)
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument("--save_model", action="store_true", default=False)
    parser.add_argument("--train_size", type=int, default=50000)
    parser.add_argument("--threshold", type=float, default=2)
    parser.add_argument("--test_size", type=int, default=10000)
    parser.add_argument("--log_interval", type=int, default=10)
    parser.add_argument("--dims", type=int, nargs="+", default=[784, 500, 500])
    args = parser.parse_args(argv)
    use_accel = not args.no_accel and ember.accelerator.is_available()
    if use_accel:
        device = ember.accelerator.current_accelerator()
    else:
        device = ember.device("cpu")

    ember.manual_seed(args.seed)
    train_kwargs = {"batch_size": args.train_size}
    test_kwargs = {"batch_size": args.test_size}

    if use_accel:
        accel_kwargs = {"num_workers": 1, "pin_memory": True, "shuffle": True}
        train_kwargs.update(accel_kwargs)
        test_kwargs.update(accel_kwargs)

    # transforms.Lambda(lambda x: torch.flatten(x)) after Normalize((0.1307,), (0.3081,))
    train_loader = DataLoader(MNIST(root, train=True, limit=args.train_size), **train_kwargs)
    test_loader = DataLoader(MNIST(root, train=False, limit=args.test_size), **test_kwargs)
    net = Net(args.dims)
    x, y = next(iter(train_loader))
    x, y = ember.flatten(x, 1).to(device), y.to(device)
    x_pos = overlay_y_on_x(x, y)
    y_neg = get_y_neg(y)
    x_neg = overlay_y_on_x(x, y_neg)

    net.train(x_pos, x_neg)
    train_error = 1.0 - net.predict(x).eq(y).float().mean().item()
    print("train error:", train_error)

    x_te, y_te = next(iter(test_loader))
    x_te, y_te = ember.flatten(x_te, 1).to(device), y_te.to(device)

    if args.save_model:
        ember.save(net.state_dict(), "mnist-ff.pt")
    test_error = 1.0 - net.predict(x_te).eq(y_te).float().mean().item()
    print("test error:", test_error)
    return net, train_error, test_error


def test_forward_forward(shared_data):
    # 1000 epochs over 50,000 digits in the example; 200 epochs over 200 digits (and a higher
    # learning rate, narrower layers) show the same learning in a few seconds.
    net, train_error, test_error = main(shared_data, [
        "--epochs", "200", "--lr", "0.05", "--train_size", "200", "--test_size", "300",
        "--dims", "784", "100", "100", "--log_interval", "50"])
    for layer in net.layers:
        first, last = np.mean(layer.losses[:5]), np.mean(layer.losses[-5:])
        assert last < 0.75 * first, layer.losses
        assert layer.training  # Layer.train(x_pos, x_neg) trained; it never switched modes
    # Chance is 0.9 for both.
    assert train_error < 0.6 and test_error < 0.75, (train_error, test_error)
    assert net.state_dict() == {}  # the layers live in a plain list, as in the example
