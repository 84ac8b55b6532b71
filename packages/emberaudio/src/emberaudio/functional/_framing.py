"""Overlapping frames of a signal without a gather: hop-sized chunks, shifted and laid side by side.

``x[:, : n * hop].reshape(rows, n, hop)`` cuts a signal into chunks with no copy; frame ``f``
(``size`` samples starting at ``f * hop``) is chunks ``f, f + 1, ...`` side by side, cut to
``size``. Each piece is a shifted slice of the chunk array, so a frame matrix is a few slices
and one ``cat``: cheap, and cheap to differentiate. (``Tensor.unfold`` and ``as_strided``
gather or build an index array as large as their output.)
"""

from __future__ import annotations

from ember import Tensor


def frame_pieces(x: Tensor, size: int, hop: int, f0: int, count: int) -> list[tuple[Tensor, int]]:
    """Pieces of frames ``f0 .. f0 + count`` of ``x (rows, time)``: ``(piece, first column)``.

    ``x`` must hold ``(f0 + count + taps - 1) * hop`` samples, ``taps = ceil(size / hop)``;
    the samples past the last frame's end are read but never used.
    """
    taps = -(-size // hop)
    chunks = x[:, f0 * hop : (f0 + count + taps - 1) * hop].reshape(x.shape[0], -1, hop)
    pieces = []
    for j in range(taps):
        width = min(hop, size - j * hop)
        pieces.append((chunks[:, j : j + count, :width], j * hop))
    return pieces


def samples_needed(length: int, size: int, hop: int) -> tuple[int, int]:
    """``(frames, samples)``: whole frames in ``length`` samples, and the length that
    :func:`frame_pieces` reads for all of them."""
    frames = 1 + (length - size) // hop
    return frames, (frames + (-(-size // hop)) - 1) * hop
