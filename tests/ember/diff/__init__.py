"""Differential tests: short PyTorch snippets run with ember and compared to stored torch results."""
