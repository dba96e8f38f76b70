"""Stream what a writer function writes, as it writes it: the writer runs in a thread
and hands chunks over through a small bounded queue, so memory stays bounded however
large the export, and a client that goes away stops the writer."""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Iterator
from typing import IO, Any, cast

__all__ = ["stream_writer"]

_CHUNKS_IN_FLIGHT = 8
_DONE = b""


class _Pipe(io.RawIOBase):
    """The writing end: a binary stream whose chunks go to the reading generator."""

    def __init__(self) -> None:
        self.chunks: queue.Queue[bytes] = queue.Queue(_CHUNKS_IN_FLIGHT)
        self.abandoned = threading.Event()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        while chunk:
            if self.abandoned.is_set():
                raise BrokenPipeError("the client stopped reading")
            try:
                self.chunks.put(chunk, timeout=0.5)
                break
            except queue.Full:
                continue
        return len(chunk)


def stream_writer(write: Callable[[IO[bytes]], object]) -> Iterator[bytes]:
    """The bytes ``write(stream)`` writes, chunk by chunk, while it writes them."""
    pipe = _Pipe()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with pipe:
                write(cast(IO[bytes], pipe))
        except BrokenPipeError:
            pass
        except Exception as exc:  # handed to the reader, raised there
            failure.append(exc)
        finally:
            _put_done(pipe)

    writer = threading.Thread(target=run, name="sitrep-export", daemon=True)
    writer.start()
    try:
        while (chunk := pipe.chunks.get()) != _DONE:
            yield chunk
        if failure:  # the response has begun: all that is left is to cut it short
            raise failure[0]
    finally:
        pipe.abandoned.set()
        writer.join(timeout=5)


def _put_done(pipe: _Pipe) -> None:
    while not pipe.abandoned.is_set():
        try:
            pipe.chunks.put(_DONE, timeout=0.5)
            return
        except queue.Full:
            continue
