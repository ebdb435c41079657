"""The Chroma client: built from Settings, and rebuilt from nothing when the directory is unusable."""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError

from agent.settings import Settings

log = logging.getLogger(__name__)

SQLITE_FILE = "chroma.sqlite3"
ClientFactory = Callable[[Settings], ClientAPI]
# What a damaged or foreign directory raises from Chroma's SQLite and segment layers.
INDEX_ERRORS: tuple[type[BaseException], ...] = (ChromaError, sqlite3.Error, OSError)


def make_chroma_client(settings: Settings) -> ClientAPI:
    path = settings.chroma_dir
    if _unusable(path):
        log.warning("chroma index at %s is not a readable index; starting it afresh", path)
        wipe_index(settings, None)
    path.mkdir(parents=True, exist_ok=True)
    # Telemetry off: the index must work with no network at all.
    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


def _unusable(path: Path) -> bool:
    """A file in its place, or segment folders without the SQLite catalogue that names them."""
    if path.is_file() or path.is_symlink():
        return True
    return path.is_dir() and any(path.iterdir()) and not (path / SQLITE_FILE).exists()


def wipe_index(settings: Settings, client: ClientAPI | None) -> None:
    """Drops the directory and Chroma's in-process handle on it, so the next client starts clean."""
    path = settings.chroma_dir
    if client is not None:
        with contextlib.suppress(*INDEX_ERRORS):
            client.close()  # type: ignore[attr-defined]
    system = SharedSystemClient._identifier_to_system.pop(str(path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(path), None)
    if system is not None:
        # A system whose start failed half-way cannot stop cleanly either; dropping it is enough.
        with contextlib.suppress(Exception):
            system.stop()
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()
