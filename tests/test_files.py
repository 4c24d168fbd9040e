"""Written files: whole or not at all, and readable by whom they are meant for."""

from __future__ import annotations

import os
import stat

from papercast.files import PUBLIC_MODE, write_atomic, write_atomic_many


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_public_files_get_the_usual_mode_and_private_ones_only_the_owner(tmp_path):
    public = write_atomic(tmp_path / "site" / "index.html", b"<html></html>", durable=False)
    private = write_atomic_many([(tmp_path / "outbox" / "a.eml", b"x")], private=True)[0]
    assert mode(public) == PUBLIC_MODE and PUBLIC_MODE & 0o044, "a web server must be able to read the site"
    assert mode(private) == 0o600, "newsletters, the outbox and reports name readers"


def temporary_name(path) -> str:
    """The hidden name this process and thread write `path` under before the rename."""
    import threading

    return f".{path.name}.{os.getpid()}-{threading.get_native_id()}.tmp"


def test_a_temporary_file_left_by_a_killed_run_is_overwritten_and_gone_after(tmp_path):
    target = tmp_path / "outbox" / "a.eml"
    target.parent.mkdir()
    leftover = target.with_name(temporary_name(target))
    leftover.write_bytes(b"half of an older message, longer than the new one")
    write_atomic(target, b"whole", private=True)
    assert target.read_bytes() == b"whole" and mode(target) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.eml"]


def test_a_symlink_in_place_of_the_temporary_file_is_not_written_through(tmp_path):
    target, elsewhere = tmp_path / "site" / "index.html", tmp_path / "elsewhere.txt"
    target.parent.mkdir()
    elsewhere.write_bytes(b"untouched")
    target.with_name(temporary_name(target)).symlink_to(elsewhere)
    try:
        write_atomic(target, b"<html></html>", durable=False)
    except OSError:
        pass
    assert elsewhere.read_bytes() == b"untouched"
