"""Writing output files safely: whole files or none, a full disk as one clear error, and what names
readers private to the user that runs papercast (files 0600, folders 0700)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from papercast.errors import StorageError

NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


def process_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


PUBLIC_MODE = 0o666 & ~process_umask()  # what open() would give, for the public site
PRIVATE_MODE = 0o600  # newsletters, the outbox and reports name readers
PRIVATE_FOLDER_MODE = 0o700  # and their folders' listings name readers too
ARCHIVE_PRIVATE_FOLDERS = ("newsletters", "outbox", "reports")

TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC  # a new file, as mkstemp makes
SYNC_THREADS = 16  # fsyncs in flight at once: the file system commits them together


def write_atomic(path: Path, data: bytes, durable: bool = True, private: bool = False) -> Path:
    """Write to a temporary file, then rename: readers never see half a file.

    `durable` also fsyncs before the rename, for files the ledger relies on after a crash
    (the outbox); files that can be rebuilt from the store skip that cost.
    """
    return write_atomic_many([(path, data)], durable, private=private)[0]


def write_atomic_many(
    files: list[tuple[Path, bytes]], durable: bool = True, sync_threads: int = SYNC_THREADS, private: bool = False
) -> list[Path]:
    """`write_atomic` for many files: all written, then (if durable) all fsynced at once, then all renamed.

    When it returns, every file is in place (and on disk, if durable); when it raises, no
    temporary file is left behind, and files renamed before the error stay as written.
    """
    for folder in dict.fromkeys(path.parent for path, _ in files):  # each folder once, in order
        folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER_MODE if private else 0o777)
    temps: list[Path] = []
    current = files[0][0] if files else None
    try:
        for current, data in files:
            temps.append(write_temporary(current, data, PRIVATE_MODE if private else PUBLIC_MODE))
        if durable:
            sync_all(temps, sync_threads)
        for temp, (current, _) in zip(temps, files, strict=True):
            os.replace(temp, current)
    except BaseException as exc:
        for temp in temps:
            temp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in NO_SPACE:
            raise StorageError("no space left on the device", source=str(current)) from None
        raise
    return [path for path, _ in files]


def write_temporary(path: Path, data: bytes, mode: int) -> Path:
    """`data` in a hidden file beside `path` (its folder exists), named for `path` and the writing
    process and thread, so no other writer shares it and no random name is drawn per file. Whatever
    a killed run left under that name (a file, a symlink) is removed first, never written through."""
    temp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_native_id()}.tmp")
    try:
        handle = os.open(temp, TEMP_FLAGS, PRIVATE_MODE)
    except FileExistsError:
        temp.unlink()
        handle = os.open(temp, TEMP_FLAGS, PRIVATE_MODE)
    try:
        if mode != PRIVATE_MODE:  # made 0600; a web server reading the public site needs more
            os.fchmod(handle, mode)
        written = 0
        while written < len(data):
            written += os.write(handle, data[written:] if written else data)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        os.close(handle)
    return temp


def sync_all(paths: list[Path], threads: int) -> None:
    """fsync every file; concurrent fsyncs share the file system's journal commits."""
    if len(paths) == 1:
        return sync_file(paths[0])
    with ThreadPoolExecutor(max_workers=max(1, min(threads, len(paths)))) as pool:
        list(pool.map(sync_file, paths))


def sync_file(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def tighten(path: Path, mode: int) -> None:
    """Take away every permission beyond `mode` (a file or folder an older papercast left open).
    A path owned by someone else is left as it is: only its owner may change it."""
    if stat.S_IMODE(path.stat().st_mode) & ~mode:
        with contextlib.suppress(PermissionError):
            path.chmod(mode)


def private_folder(folder: Path) -> Path:
    """`folder`, made if missing (its parents as usual) and 0700."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER_MODE)
    tighten(folder, PRIVATE_FOLDER_MODE)
    return folder


def secure_archive(archive: Path) -> None:
    """The archive's private folders, and each reader's folder of newsletters, made 0700 where they
    exist: a run fixes an archive written before papercast kept them private."""
    for name in ARCHIVE_PRIVATE_FOLDERS:
        if (archive / name).is_dir():
            private_folder(archive / name)
    newsletters = archive / "newsletters"
    for folder in newsletters.iterdir() if newsletters.is_dir() else ():
        if folder.is_dir() and not folder.is_symlink():
            tighten(folder, PRIVATE_FOLDER_MODE)
