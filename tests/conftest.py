"""Shared fixtures. No test may reach the network: any connection other than to this
machine (loopback, used by Jupyter kernels) fails loudly."""

from __future__ import annotations

import ipaddress
import shutil
import socket
from pathlib import Path

import pytest

from usmx.paths import Paths, project_paths

ROOT = Path(__file__).resolve().parents[1]


def _is_local(address) -> bool:
    if isinstance(address, tuple):
        host = address[0]
    else:  # unix socket path
        return True
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    real_connect = socket.socket.connect

    def guarded(self, address):
        if not _is_local(address):
            raise RuntimeError(f"tests must not use the network (tried {address!r})")
        return real_connect(self, address)

    real_getaddrinfo = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host is not None and not _is_local((host if isinstance(host, str)
                                               else host.decode(), 0)):
            raise RuntimeError(f"tests must not use the network (tried to resolve {host!r})")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded)
    monkeypatch.setattr(socket, "getaddrinfo", resolve)


@pytest.fixture(scope="module")
def repo_module() -> Paths:
    """The real project, for module-scoped fixtures (read-only use)."""
    return project_paths(ROOT)


@pytest.fixture
def repo() -> Paths:
    """The real project (read-only use)."""
    return project_paths(ROOT)


@pytest.fixture
def scratch(tmp_path) -> Paths:
    """A scratch copy of the project's data/ folder, to build or break freely."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return project_paths(tmp_path)
