# ruff: noqa: UP008, UP032  (kept in the PyTorch example's own style on purpose)
"""pytorch/examples ``vae/main.py`` with ``torch`` renamed to ``ember``: a variational
autoencoder on real MNIST digits, then samples decoded from the prior."""

from __future__ import annotations

import argparse

import ember
import ember.utils.data
from ember import nn, optim
from ember.nn import functional as F
from tests.compat._data import MNIST


class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()

        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = ember.exp(0.5 * logvar)
        eps = ember.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return ember.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


# Reconstruction + KL divergence losses summed over all elements and batch
def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction='sum')

    # see Appendix B from VAE paper:
    # Kingma and Welling. Auto-Encoding Variational Bayes. ICLR, 2014
    # https://arxiv.org/abs/1312.6114
    # 0.5 * sum(1 + log(sigma^2) - mu^2 - sigma^2)
    KLD = -0.5 * ember.sum(1 + logvar - mu.pow(2) - logvar.exp())

    return BCE + KLD


def train(epoch, model, optimizer, train_loader, device, args):
    model.train()
    train_loss = 0
    for batch_idx, (data, _) in enumerate(train_loader):
        data = data.to(device)
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data)
        loss = loss_function(recon_batch, data, mu, logvar)
        loss.backward()
        train_loss += loss.item()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                epoch, batch_idx * len(data), len(train_loader.dataset),
                100. * batch_idx / len(train_loader),
                loss.item() / len(data)))

    print('====> Epoch: {} Average loss: {:.4f}'.format(
          epoch, train_loss / len(train_loader.dataset)))
    return train_loss / len(train_loader.dataset)


def test(epoch, model, test_loader, device, args):
    model.eval()
    test_loss = 0
    with ember.no_grad():
        for i, (data, _) in enumerate(test_loader):
            data = data.to(device)
            recon_batch, mu, logvar = model(data)
            test_loss += loss_function(recon_batch, data, mu, logvar).item()
            if i == 0:
                n = min(data.size(0), 8)
                comparison = ember.cat([data[:n],
                                        recon_batch.view(args.batch_size, 1, 28, 28)[:n]])
                assert comparison.shape == (2 * n, 1, 28, 28)  # save_image(comparison.cpu(), ...)

    test_loss /= len(test_loader.dataset)
    print('====> Test set loss: {:.4f}'.format(test_loss))
    return test_loss


test.__test__ = False  # the example's name; not a pytest test


def main(root, argv):
    parser = argparse.ArgumentParser(description='VAE MNIST Example')
    parser.add_argument('--batch-size', type=int, default=128)
    parser.add_argument('--epochs', type=int, default=10)
    parser.add_argument('--no-accel', action='store_true')
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--log-interval', type=int, default=10)
    parser.add_argument('--train-size', type=int, default=None)
    parser.add_argument('--test-size', type=int, default=None)
    args = parser.parse_args(argv)

    use_accel = not args.no_accel and ember.accelerator.is_available()
    ember.manual_seed(args.seed)
    device = ember.accelerator.current_accelerator() if use_accel else ember.device("cpu")

    kwargs = {'num_workers': 1, 'pin_memory': True} if use_accel else {}
    train_loader = ember.utils.data.DataLoader(
        MNIST(root, train=True, limit=args.train_size, normalize=False),
        batch_size=args.batch_size, shuffle=True, **kwargs)
    test_loader = ember.utils.data.DataLoader(
        MNIST(root, train=False, limit=args.test_size, normalize=False),
        batch_size=args.batch_size, shuffle=False, **kwargs)

    model = VAE().to(device)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)

    train_losses, test_losses = [], []
    for epoch in range(1, args.epochs + 1):
        train_losses.append(train(epoch, model, optimizer, train_loader, device, args))
        test_losses.append(test(epoch, model, test_loader, device, args))
        with ember.no_grad():
            sample = ember.randn(64, 20).to(device)
            sample = model.decode(sample).cpu()
            assert sample.shape == (64, 784)  # save_image(sample.view(64, 1, 28, 28), ...)
    return train_losses, test_losses, sample


def test_vae_example(shared_data):
    train_losses, test_losses, sample = main(shared_data, [
        '--epochs', '3', '--train-size', '1024', '--test-size', '256', '--batch-size', '64'])
    # A fresh decoder scores about 784 * ln 2 = 543 nats per digit; training must go well below.
    assert train_losses[0] > train_losses[1] > train_losses[2], train_losses
    assert test_losses[2] < test_losses[0] and test_losses[2] < 260, test_losses
    assert 0.0 <= sample.min().item() and sample.max().item() <= 1.0
