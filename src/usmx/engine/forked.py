"""A call run in a child process forked from this one, so that this process can do other
work meanwhile (the report builds the tables in a child while it imports what the charts
and notebooks need). The child starts with everything this process has imported and
loaded; its result, or the exception it raised, comes back through a pipe and is returned,
or raised, by :meth:`Forked.result`. Plain ``os.fork`` and a pipe: no threads.
"""

from __future__ import annotations

import os
import pickle
import sys


def can_fork() -> bool:
    return hasattr(os, "fork")


class Forked:
    """``Forked(call)`` starts ``call()`` in a child process; ``.result()`` waits for it.
    Several can run at once: read each one's ``fd`` as it becomes readable and hand the
    bytes to :meth:`outcome`."""

    def __init__(self, call):
        sys.stdout.flush()
        sys.stderr.flush()
        self.fd, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: run, send the outcome, leave without cleanup
            os.close(self.fd)
            try:
                outcome = ("ok", call())
            except BaseException as exc:  # sent back, to be raised in the parent
                outcome = ("error", exc)
            try:
                data = pickle.dumps(outcome)
            except Exception as exc:  # an outcome that does not pickle
                data = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
            sys.stdout.flush()
            sys.stderr.flush()
            with os.fdopen(write, "wb") as out:
                out.write(data)
            os._exit(0)
        os.close(write)

    def outcome(self, data: bytes):
        """Reap the child, whose pipe gave ``data``; its return value, or raise its error."""
        os.close(self.fd)
        _, status = os.waitpid(self.pid, 0)
        if not data:
            raise RuntimeError(f"the child process ended without a result (status {status})")
        state, value = pickle.loads(data)
        if state == "error":
            raise value
        return value

    def result(self):
        """The call's return value; its exception is raised here."""
        chunks = []
        while chunk := os.read(self.fd, 1 << 20):
            chunks.append(chunk)
        return self.outcome(b"".join(chunks))

    def kill(self) -> None:
        """Stop the child (the caller no longer wants its result)."""
        import contextlib
        import signal

        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self.fd)
