"""Where gmi keeps its data: --data-dir, else $GMI_DATA_DIR, else the platform's user data directory."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from gmi.core.errors import GmiError

APP_NAME = "gmi"
DB_FILENAME = "gmi.sqlite3"
MIN_FREE_BYTES = 20 * 1024 * 1024  # refuse to start work with less: a drill must never fail half-way


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("GMI_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def prepare_data_dir(path: Path) -> Path:
    """Create the directory (owner-only), and prove it is writable with room to spare, before any work."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
    except OSError as exc:
        raise GmiError(
            "E-DATA-DIR",
            f"gmi cannot write to its data directory {path} ({exc.strerror or exc}).",
            fix="choose a folder you can write to with --data-dir DIR or the GMI_DATA_DIR "
                "environment variable, or fix the folder's permissions.",
        ) from None
    free = shutil.disk_usage(path).free
    if free < MIN_FREE_BYTES:
        raise GmiError(
            "E-DISK-FULL",
            f"The disk holding {path} has only {free // (1024 * 1024)} MB free; gmi needs at least "
            f"{MIN_FREE_BYTES // (1024 * 1024)} MB so that nothing you answer is lost.",
            fix="free some disk space, or point gmi at another disk with --data-dir DIR.",
        )
    return path


def atomic_write_bytes(target: Path, data: bytes, mode: int = 0o600, *, fsync: bool = True) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, fsync, then os.replace.
    ``fsync=False`` skips the per-file flush for bulk writes that are flushed once at the end (exports)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def default_stimuli_dir() -> Path:
    """The rendered library shipped in the repository (``stimuli/``), or $GMI_STIMULI_DIR."""
    env = os.environ.get("GMI_STIMULI_DIR")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parents[2] / "stimuli"
