"""Differential tests of nn / optim / utils.data / serialization against stored PyTorch results."""
