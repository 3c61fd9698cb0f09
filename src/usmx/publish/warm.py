"""Notebooks run for the report in warm workers: processes forked from the report's own,
which has pandas, matplotlib and usmx imported already, each running one notebook in a
fresh IPython shell (fresh namespace, the notebook's folder as working directory).

A kernel would spend most of a report rerun starting and importing; a forked worker starts
with all of it done. The shell formats every result with IPython's own display formatter,
as the kernel does, and the outputs are written in the notebook format a kernel's would
be (streams, display data, execute results), so the reader editions are the same
(``tests/test_notebooks.py`` compares the two on a notebook). JupyterLab and
``usmx.publish.report.execute`` still use a real kernel; where the platform cannot fork,
the report does too.
"""

from __future__ import annotations

import base64
import io
import os
import signal
import sys
from pathlib import Path
from typing import ClassVar

from usmx.engine import forked
from usmx.engine.forked import Forked


class NotebookError(RuntimeError):
    """A notebook cell failed: names the notebook, the cell (its place among all the
    notebook's cells, as JupyterLab lists them) and the error."""


def can_fork() -> bool:
    """Workers can be forked, and a cell timed out (SIGALRM)."""
    return forked.can_fork() and hasattr(signal, "alarm")


def _output(kind: str, **fields):
    import nbformat

    return nbformat.v4.new_output(kind, **fields)


def _bundle(data: dict) -> dict:
    """Binary images as base64 text, as a kernel sends them."""
    return {mime: base64.b64encode(value).decode("ascii") if isinstance(value, bytes)
            else value for mime, value in data.items()}


class _Sink:
    """Where the outputs of the running cell go, in the order they come."""

    outputs: ClassVar[list] = []
    count: ClassVar[int | None] = None


class _Stream(io.TextIOBase):
    def __init__(self, name: str):
        self.name = name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            last = _Sink.outputs[-1] if _Sink.outputs else None
            if last is not None and last.output_type == "stream" and last.name == self.name:
                last.text += text
            else:
                _Sink.outputs.append(_output("stream", name=self.name, text=text))
        return len(text)


def _shell():
    """A fresh IPython shell whose displays and results go to the running cell."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type

    class Results(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            _Sink.outputs.append(_output("execute_result", data=_bundle(format_dict),
                                         metadata=md_dict or {},
                                         execution_count=_Sink.count))

    class Displays(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None,
                    update=False, **kwargs):
            _Sink.outputs.append(_output("display_data", data=_bundle(data),
                                         metadata=metadata or {}))

        def clear_output(self, wait=False):
            _Sink.outputs.clear()

    class Shell(InteractiveShell):
        displayhook_class = Type(Results)
        display_pub_class = Type(Displays)

    InteractiveShell.clear_instance()  # this worker's own shell, for display() too
    return Shell.instance()


def _alarm(signum, frame):
    raise TimeoutError("the cell ran past the time limit")


def run(path: Path, timeout: int = 300, env: dict | None = None):
    """Run the notebook at ``path`` in this process (call it in a forked worker: it changes
    the working directory, the environment and sys.stdout); return it with its outputs."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    os.environ.update(env or {})
    os.chdir(path.parent)
    shell = _shell()
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream("stdout"), _Stream("stderr")
    signal.signal(signal.SIGALRM, _alarm)
    try:
        for number, cell in enumerate(nb.cells, start=1):
            if cell.cell_type != "code":
                continue
            _Sink.outputs, _Sink.count = [], shell.execution_count
            signal.alarm(timeout)
            try:
                result = shell.run_cell(cell.source, store_history=True, silent=False)
            finally:
                signal.alarm(0)
            cell.outputs, cell.execution_count = _Sink.outputs, _Sink.count
            error = result.error_before_exec or result.error_in_exec
            if error is not None:
                raise NotebookError(f"{path.name}, cell {number}: {type(error).__name__}: "
                                    f"{error}")
    finally:
        sys.stdout, sys.stderr = stdout, stderr
    return nb


class Batch:
    """Notebooks running in forked workers, one process per notebook (fresh module state
    for each, as a fresh kernel gives), at most ``slots`` at a time; the results are
    collected with :meth:`collect`, which starts the waiting ones as others finish. Each
    worker is a usmx.engine.forked.Forked call."""

    def __init__(self, paths: list[Path], job, timeout: int = 300, envs=None,
                 slots: int | None = None):
        self.paths, self.job, self.timeout = list(paths), job, timeout
        self.envs = list(envs or [{}] * len(self.paths))
        self.slots = slots or max(1, os.cpu_count() or 1)
        self.queue = list(range(len(self.paths)))
        self.running: dict[int, tuple[int, Forked, list[bytes]]] = {}  # fd -> index, ...
        self.results: dict[int, tuple[str, object]] = {}
        self._fill()

    def _fill(self) -> None:
        while self.queue and len(self.running) < self.slots:
            index = self.queue.pop(0)
            path = self.paths[index]
            worker = Forked(lambda path=path, env=self.envs[index]: self.job(
                path, run(path, self.timeout, env)))
            self.running[worker.fd] = (index, worker, [])

    def cancel(self) -> None:
        """Stop the workers still running or waiting (the caller failed)."""
        self.queue.clear()
        for _, worker, _ in self.running.values():
            worker.kill()
        self.running.clear()

    def collect(self) -> list:
        """Wait for every notebook; ``job(path, notebook)`` of each, in order. A failed
        notebook raises its error here (after all have finished)."""
        import selectors

        with selectors.DefaultSelector() as watch:
            for fd in self.running:
                watch.register(fd, selectors.EVENT_READ)
            while self.running:
                for key, _ in watch.select():
                    index, worker, chunks = self.running[key.fd]
                    chunk = os.read(key.fd, 1 << 20)
                    if chunk:
                        chunks.append(chunk)
                        continue
                    watch.unregister(key.fd)
                    del self.running[key.fd]
                    try:
                        self.results[index] = ("ok", worker.outcome(b"".join(chunks)))
                    except RuntimeError as exc:  # e.g. a worker that died without a word
                        self.results[index] = ("error", exc if isinstance(
                            exc, NotebookError) else NotebookError(
                                f"{self.paths[index].name}: {exc}"))
                    except BaseException as exc:
                        self.results[index] = ("error", exc)
                    before = set(self.running)
                    self._fill()
                    for fd in set(self.running) - before:
                        watch.register(fd, selectors.EVENT_READ)
        for index in range(len(self.paths)):
            state, value = self.results[index]
            if state == "error":
                raise value
        return [self.results[index][1] for index in range(len(self.paths))]


def run_many(paths: list[Path], job, timeout: int = 300, envs=None,
             workers: int | None = None) -> list:
    """Run each notebook in a worker forked from this process (as many at once as the
    machine has cores), and return ``job(path, executed_notebook)`` for each, computed in
    the worker (what ``job`` returns must pickle)."""
    return Batch(paths, job, timeout, envs, workers).collect() if paths else []
