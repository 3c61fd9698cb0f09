"""Notebooks run for the report in warm workers: processes forked from the report's own,
which has pandas, matplotlib and usmx imported already, each running one notebook in a
fresh IPython shell (fresh namespace, the notebook's folder as working directory).

A kernel would spend most of a report rerun starting and importing; a forked worker starts
with all of it done. The shell formats every result with IPython's own display formatter,
as the kernel does, and the outputs are written in the notebook format a kernel's would
be (streams, display data, execute results), so the reader editions are the same
(``tests/test_report.py`` compares the two on a notebook). JupyterLab and
``usmx.publish.report.execute`` still use a real kernel; where the platform cannot fork,
the report does too.
"""

from __future__ import annotations

import base64
import io
import multiprocessing
import os
import signal
import sys
from pathlib import Path
from typing import ClassVar


class NotebookError(RuntimeError):
    """A notebook cell failed: names the notebook, the cell and the error."""


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and hasattr(signal, "alarm")


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


_TASK: dict = {}


def _one(index: int):
    path = _TASK["paths"][index]
    return _TASK["job"](path, run(path, _TASK["timeout"], _TASK["envs"][index]))


def run_many(paths: list[Path], job, timeout: int = 300, envs=None,
             workers: int | None = None) -> list:
    """Run each notebook in a worker forked from this process (as many at once as the
    machine has cores), and return ``job(path, executed_notebook)`` for each, computed in
    the worker (what ``job`` returns must pickle)."""
    if not paths:
        return []
    _TASK.update(paths=list(paths), job=job, timeout=timeout,
                 envs=list(envs or [{}] * len(paths)))
    workers = workers or max(1, min(len(paths), os.cpu_count() or 1))
    with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=1) as pool:
        return pool.map(_one, range(len(paths)), chunksize=1)
