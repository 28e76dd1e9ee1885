"""Derived arrays kept on disk between processes (``.npz``, no pickles), so that a fresh server
process does not parse the boundary files or estimate the age structure of all municipalities
again (seconds) before its first page.

:func:`stored` returns the arrays under ``name`` in ``cache_dir`` when the file's token matches,
else calls ``build()`` and writes them (atomically: a temporary file renamed into place, so a
concurrent reader sees the old file or the new one, never half of one). The token covers

* every file of the data directory (relative path, size, modification time): a new data
  delivery makes new arrays;
* the code that derives them (the source of :mod:`ortswandel.sources` and
  :mod:`ortswandel.engine`): a new release does too.

A file that cannot be read or written is not an error: the arrays are then built in memory as
before (logged). Whoever builds first writes the file — the import commands, the worker, or the
first request after a data or code change.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["code_token", "data_token", "stored"]

logger = logging.getLogger(__name__)

Arrays = dict[str, np.ndarray]
FORMAT = "1"
_TOKEN = "__token__"  # noqa: S105 - the name of the array holding the cache token


@functools.lru_cache(maxsize=1)
def code_token() -> str:
    """Digest of the source of the packages that read and derive the data."""
    digest = hashlib.sha256(FORMAT.encode())
    here = Path(__file__).resolve().parent
    for package in (here, here.parent / "engine"):
        for path in sorted(package.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def data_token(root: str | Path) -> str:
    """Digest of the names, sizes and modification times of every file under ``root``."""
    base = Path(root)
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            try:
                st = path.stat()
            except OSError:
                continue
            digest.update(
                f"{path.relative_to(base)}\x1f{st.st_size}\x1f{st.st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()[:16]


def _token(name: str, root: str | Path) -> str:
    return f"{name}:{code_token()}:{Path(root).resolve()}:{data_token(root)}"


def _load(path: Path, token: str) -> Arrays | None:
    try:
        with np.load(path, allow_pickle=False) as npz:
            if _TOKEN not in npz.files or str(npz[_TOKEN]) != token:
                return None
            return {k: npz[k] for k in npz.files if k != _TOKEN}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, zipfile.BadZipFile):
        logger.warning("derived arrays %s unreadable; building them again", path, exc_info=True)
        return None


def _save(path: Path, token: str, arrays: Arrays) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                payload: dict[str, Any] = {**arrays, _TOKEN: np.array(token)}
                np.savez(fh, allow_pickle=False, **payload)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        logger.warning("derived arrays %s not writable; kept in memory only", path, exc_info=True)


def stored(
    cache_dir: str | Path | None,
    name: str,
    *,
    root: str | Path,
    build: Callable[[], Arrays],
) -> Arrays:
    """The arrays ``build()`` returns for the data directory ``root``, read from
    ``cache_dir/name.npz`` when it is current (``cache_dir=None``: always built)."""
    if cache_dir is None:
        return build()
    path = Path(cache_dir) / f"{name}.npz"
    token = _token(name, root)
    arrays = _load(path, token)
    if arrays is None:
        arrays = build()
        _save(path, token, arrays)
    return arrays
