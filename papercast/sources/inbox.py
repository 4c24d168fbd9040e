"""The inbox: a folder where digest files are dropped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from papercast.errors import SourceError


@dataclass(frozen=True)
class InputFile:
    """The bytes of one input (a dropped file, a fetched body) and where they came from."""

    source: str
    data: bytes
    day: dt.date | None = None  # one day's list of an hf-daily source: its papers are dated that day


def list_inbox(folder: Path) -> list[Path]:
    """Files in the inbox, in name order; hidden files and READMEs are not inputs."""
    if not folder.is_dir():
        raise SourceError(
            "inbox folder does not exist", source=str(folder), hint="create it or fix [paths] inbox in the config"
        )
    return sorted(
        p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and p.stem.upper() != "README"
    )


def read_input_file(path: Path) -> InputFile:
    try:
        return InputFile(source=str(path), data=path.read_bytes())
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror}", source=str(path)) from None
