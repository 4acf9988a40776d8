"""Rendering a PDF in a child process with a memory and a time limit.

WeasyPrint keeps the whole layout in memory; a very large document could take a worker's memory or
run for minutes. In a forked child with an address-space limit, such a document fails with a
message, and the process that asked (the job worker) goes on."""
from __future__ import annotations

import multiprocessing
import os
import resource

from portal.documents.render import Printable, render_printable


class DocumentTooLarge(RuntimeError):
    """The document could not be rendered within the limits; the message says which."""


def render_limited(printable: Printable, lang: str, *, memory_mb: int, timeout_s: float) -> bytes:
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_render_in_child, args=(writer, printable, lang, memory_mb), daemon=True)
    child.start()
    writer.close()
    try:
        if not reader.poll(timeout_s):
            child.kill()
            raise DocumentTooLarge(f"time: more than {timeout_s:.0f} s")
        try:
            outcome, value = reader.recv()
        except EOFError as error:  # the child died (killed for its memory)
            raise DocumentTooLarge(f"memory: more than {memory_mb} MB") from error
    finally:
        reader.close()
        child.join(5)
    if outcome != "pdf":
        raise DocumentTooLarge(value)
    return value


def _render_in_child(writer, printable: Printable, lang: str, memory_mb: int) -> None:
    limit = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        writer.send(("pdf", render_printable(printable, lang)))
    except MemoryError:
        writer.send(("error", f"memory: more than {memory_mb} MB"))
    except Exception as error:  # reported to the parent, which records it on the document
        writer.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        writer.close()
        os._exit(0)  # nothing of the parent's (database connections, atexit) runs in the child
