"""M5: a raw-waveform 1-D CNN for audio classification (Dai et al., 2017)."""

from __future__ import annotations

from typing import Any

from ember import Tensor, nn
from ember.hub import register_model

__all__ = ["M5", "m5"]


class M5(nn.Module):
    """Four conv/batch-norm/ReLU/max-pool blocks over the raw waveform, then a linear layer.

    The first convolution has a long kernel (80 taps, stride 16) that acts as a learnt filter
    bank; the last feature map is averaged over time, so any input of at least 8,000 samples
    works. Same layout and state-dict keys as the torchaudio tutorial's M5.

    Args:
        n_input: input channels.
        n_output: classes.
        stride: stride of the first convolution.
        n_channel: channels of the first two blocks (doubled in the last two).

    Returns:
        ``forward`` gives logits ``(batch, n_output)``.

    Example:
        >>> M5(n_output=10)(ember.randn(2, 1, 8000)).shape
        ember.Size([2, 10])
    """

    def __init__(
        self, n_input: int = 1, n_output: int = 35, stride: int = 16, n_channel: int = 32
    ) -> None:
        super().__init__()
        widths = [n_input, n_channel, n_channel, 2 * n_channel, 2 * n_channel]
        for i in range(4):
            kernel, step = (80, stride) if i == 0 else (3, 1)
            setattr(self, f"conv{i + 1}", nn.Conv1d(widths[i], widths[i + 1], kernel, step))
            setattr(self, f"bn{i + 1}", nn.BatchNorm1d(widths[i + 1]))
            setattr(self, f"pool{i + 1}", nn.MaxPool1d(4))
        self.fc1 = nn.Linear(2 * n_channel, n_output)
        self.relu = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        for i in range(1, 5):
            conv, bn, pool = (getattr(self, f"{n}{i}") for n in ("conv", "bn", "pool"))
            x = pool(self.relu(bn(conv(x))))
        return self.fc1(x.mean(-1))


@register_model()
def m5(*, weights: None = None, progress: bool = True, **kwargs: Any) -> M5:
    """Build :class:`M5` (no pretrained weights are published).

    Args:
        weights: must be None.
        progress: unused.
        **kwargs: passed to :class:`M5` (``n_input``, ``n_output``, ``stride``, ``n_channel``).

    Example:
        >>> m5(n_output=10)(ember.randn(1, 1, 8000)).shape
        ember.Size([1, 10])
    """
    if weights is not None:
        raise ValueError("m5 has no pretrained weights; use weights=None")
    return M5(**kwargs)
