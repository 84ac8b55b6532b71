"""CUDA streams and events for ``ember.cuda`` (CuPy's, with PyTorch's method names)."""

from __future__ import annotations

from typing import Any

from ember import backends

__all__ = ["Stream", "Event", "stream", "current_stream", "default_stream"]


def _cp() -> Any:
    cp = backends.cupy_module()
    if cp is None:
        raise RuntimeError(
            "CUDA is not available: install ember[cuda] (CuPy) on a machine with an NVIDIA GPU"
        )
    return cp


class Stream:
    """A CUDA stream: work queued on it runs in order, concurrently with other streams.

    Args:
        device: accepted for compatibility (the stream belongs to the current device).
        priority: lower numbers run first (CUDA's stream priorities).
    """

    def __init__(self, device: Any = None, priority: int = 0, *, _raw: Any = None) -> None:
        cp = _cp()
        self.cupy_stream = _raw if _raw is not None else cp.cuda.Stream(non_blocking=True,
                                                                         priority=priority)

    def synchronize(self) -> None:
        """Wait until everything queued on the stream has finished."""
        self.cupy_stream.synchronize()

    def query(self) -> bool:
        """True when all queued work has finished."""
        return bool(self.cupy_stream.done)

    def record_event(self, event: Event | None = None) -> Event:
        """Record ``event`` (a new one when None) at the stream's current position."""
        event = event or Event()
        event.record(self)
        return event

    def wait_event(self, event: Event) -> None:
        """Make later work on this stream wait for ``event``."""
        self.cupy_stream.wait_event(event.cupy_event)

    def wait_stream(self, other: Stream) -> None:
        """Make later work on this stream wait for what is queued on ``other`` now."""
        self.wait_event(other.record_event())

    def __enter__(self) -> Stream:
        self.cupy_stream.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cupy_stream.__exit__(*exc)

    def __repr__(self) -> str:
        return f"<ember.cuda.Stream cuda_stream={hex(self.cupy_stream.ptr)}>"


class Event:
    """A marker in a stream, for synchronisation and timing.

    Args:
        enable_timing: record time stamps, so that :meth:`elapsed_time` works.
        blocking: :meth:`synchronize` blocks the CPU thread instead of spinning.
        interprocess: accepted for compatibility.

    Example:
        >>> start, end = ember.cuda.Event(enable_timing=True), ember.cuda.Event(enable_timing=True)
        >>> start.record(); y = x @ x; end.record(); end.synchronize()   # doctest: +SKIP
        >>> start.elapsed_time(end)                                        # doctest: +SKIP
        0.42
    """

    def __init__(self, enable_timing: bool = False, blocking: bool = False,
                 interprocess: bool = False) -> None:
        self.cupy_event = _cp().cuda.Event(block=blocking, disable_timing=not enable_timing)

    def record(self, stream: Stream | None = None) -> None:
        """Record the event on ``stream`` (the current stream when None)."""
        self.cupy_event.record(None if stream is None else stream.cupy_stream)

    def synchronize(self) -> None:
        """Wait until the work before the event has finished."""
        self.cupy_event.synchronize()

    def query(self) -> bool:
        """True when the work before the event has finished."""
        return bool(self.cupy_event.done)

    def wait(self, stream: Stream | None = None) -> None:
        """Make later work on ``stream`` (current when None) wait for this event."""
        (stream or current_stream()).wait_event(self)

    def elapsed_time(self, end_event: Event) -> float:
        """Milliseconds between this event and ``end_event`` (both recorded with timing)."""
        return float(_cp().cuda.get_elapsed_time(self.cupy_event, end_event.cupy_event))


def current_stream(device: Any = None) -> Stream:
    """The stream new GPU work is queued on."""
    return Stream(_raw=_cp().cuda.get_current_stream())


def default_stream(device: Any = None) -> Stream:
    """The device's default (null) stream."""
    return Stream(_raw=_cp().cuda.Stream.null)


class stream:  # noqa: N801 - PyTorch's name
    """Context manager that queues the block's GPU work on ``stream`` (no-op for None)."""

    def __init__(self, stream: Stream | None) -> None:
        self.stream = stream

    def __enter__(self) -> Stream | None:
        if self.stream is not None:
            self.stream.__enter__()
        return self.stream

    def __exit__(self, *exc: Any) -> None:
        if self.stream is not None:
            self.stream.__exit__(*exc)
