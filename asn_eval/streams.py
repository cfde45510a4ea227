"""Writing to stdout and stderr when the reader may leave early (``asn-eval … 2>&1 | head``).

A reader that stops reading closes the pipe; the next write fails with :class:`BrokenPipeError`.
That must neither stop the work nor change the exit code. As the ``signal`` module's
documentation advises, the stream's descriptor is then pointed at :data:`os.devnull`: what the
command still writes, and the interpreter's final flush, go nowhere, and the command ends as it
would have.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

__all__ = ["QuietWhenClosed", "flush", "reader_gone", "say"]


def reader_gone(stream: TextIO) -> None:
    """Send whatever is still to come on ``stream`` to the null device.

    Parameters
    ----------
    stream : text stream
        ``sys.stdout`` or ``sys.stderr`` after a :class:`BrokenPipeError`. A stream without a
        file descriptor (a test's capture) is left as it is.
    """
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)


def say(message: str = "", stream: TextIO | None = None) -> None:
    """Print one line and flush it; if nobody reads the stream any more, go on silently.

    Parameters
    ----------
    message : str
        The line.
    stream : text stream, optional
        Where (default ``sys.stdout``, looked up at the call).
    """
    stream = stream or sys.stdout
    try:
        print(message, file=stream, flush=True)
    except BrokenPipeError:
        reader_gone(stream)


def flush(*streams: TextIO | None) -> None:
    """Flush streams (default stdout and stderr); a closed pipe is sent to the null device.

    Parameters
    ----------
    *streams : text stream
        The streams; ``None`` (no stream at all) is skipped.
    """
    for stream in streams or (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BrokenPipeError:
            reader_gone(stream)
        except ValueError:  # already closed
            pass


class QuietWhenClosed:
    """A text stream for a progress bar: writes go to ``stream`` until its reader leaves.

    Parameters
    ----------
    stream : text stream
        Usually ``sys.stderr``.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        """Write ``text``; after a closed pipe, to the null device."""
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            reader_gone(self.stream)
            return len(text)

    def flush(self) -> None:
        """Flush the stream; after a closed pipe, to the null device."""
        flush(self.stream)

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)  # encoding, fileno, isatty … as the stream has them
