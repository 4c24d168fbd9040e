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
