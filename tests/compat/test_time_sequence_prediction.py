# ruff: noqa: UP008  (kept in the PyTorch example's own style on purpose)
"""pytorch/examples ``time_sequence_prediction`` (generate_sine_wave.py, train.py) with ``torch``
renamed to ``ember``: two stacked LSTMCells in float64 learn sine waves with LBFGS, then predict
the future. The sine data is written with ``ember.save`` as a plain NumPy array and read back
with ``ember.load`` without any opt-in, exactly as the example does."""

from __future__ import annotations

import argparse

import numpy as np

import ember
import ember.nn as nn
import ember.optim as optim


def generate_sine_wave(path, T=20, L=1000, N=100):
    np.random.seed(2)
    x = np.empty((N, L), 'int64')
    x[:] = np.array(range(L)) + np.random.randint(-4 * T, 4 * T, N).reshape(N, 1)
    data = np.sin(x / 1.0 / T).astype('float64')
    ember.save(data, open(path, 'wb'))


class Sequence(nn.Module):
    def __init__(self):
        super(Sequence, self).__init__()
        self.lstm1 = nn.LSTMCell(1, 51)
        self.lstm2 = nn.LSTMCell(51, 51)
        self.linear = nn.Linear(51, 1)

    def forward(self, input, future = 0):  # noqa: E251
        outputs = []
        h_t = ember.zeros(input.size(0), 51, dtype=ember.double)
        c_t = ember.zeros(input.size(0), 51, dtype=ember.double)
        h_t2 = ember.zeros(input.size(0), 51, dtype=ember.double)
        c_t2 = ember.zeros(input.size(0), 51, dtype=ember.double)

        for input_t in input.split(1, dim=1):
            h_t, c_t = self.lstm1(input_t, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        for i in range(future):  # if we should predict the future
            h_t, c_t = self.lstm1(output, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        outputs = ember.cat(outputs, dim=1)
        return outputs


def main(path, argv):
    parser = argparse.ArgumentParser()
    parser.add_argument('--steps', type=int, default=15, help='steps to run')
    parser.add_argument('--future', type=int, default=1000)
    opt = parser.parse_args(argv)
    # set random seed to 0
    np.random.seed(0)
    ember.manual_seed(0)
    # load data and make training set
    data = ember.load(path)
    input = ember.from_numpy(data[3:, :-1])
    target = ember.from_numpy(data[3:, 1:])
    test_input = ember.from_numpy(data[:3, :-1])
    test_target = ember.from_numpy(data[:3, 1:])
    # build the model
    seq = Sequence()
    seq.double()
    criterion = nn.MSELoss()
    # use LBFGS as optimizer since we can load the whole data to train
    optimizer = optim.LBFGS(seq.parameters(), lr=0.8)
    train_losses, test_losses = [], []
    # begin to train
    for i in range(opt.steps):
        print('STEP: ', i)

        def closure():
            optimizer.zero_grad()
            out = seq(input)
            loss = criterion(out, target)
            print('loss:', loss.item())
            train_losses.append(loss.item())
            loss.backward()
            return loss
        optimizer.step(closure)
        # begin to predict, no need to track gradient here
        with ember.no_grad():
            future = opt.future
            pred = seq(test_input, future=future)
            loss = criterion(pred[:, :-future], test_target)
            print('test loss:', loss.item())
            test_losses.append(loss.item())
            y = pred.detach().numpy()
        assert y.shape == (3, test_input.size(1) + future)  # the example plots y here
    return train_losses, test_losses, y


def test_time_sequence_prediction(tmp_path):
    path = tmp_path / 'traindata.pt'
    generate_sine_wave(path, T=8, L=64, N=12)
    train_losses, test_losses, y = main(path, ['--steps', '1', '--future', '16'])
    # LBFGS evaluates the closure up to 20 times per step; the loss must fall a lot.
    assert len(train_losses) > 10
    assert train_losses[-1] < 0.1 * train_losses[0], train_losses
    assert test_losses[-1] < 0.1 * train_losses[0] and np.isfinite(y).all(), test_losses
