"""`papercast init DIR`: a folder a first run works in, from any working directory.

It holds one config (the shipped one, with its paths pointing inside the folder) and the
example digests as its inbox. An existing config is never overwritten.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from papercast.errors import ConfigError
from papercast.files import write_atomic

CONFIG_NAME = "papercast.toml"
PATHS = (
    '[paths]\ninbox = "inbox"                   # digest files dropped here are ingested\n'
    'archive = "archive"               # newsletters, editions, feeds, run reports\n'
    'state = "state/papercast.sqlite"  # what has been seen and delivered\n'
)


def starter_config() -> str:
    """The shipped config with [paths] inside the new folder."""
    text = resources.files("papercast.starter").joinpath(CONFIG_NAME).read_text(encoding="utf-8")
    return re.sub(r"^\[paths\]\n(?:[^\[\n].*\n)*", PATHS, text, count=1, flags=re.MULTILINE)


def init_folder(folder: Path) -> Path:
    """Write the starter config and the example digests into `folder`; return the config's path."""
    config = folder / CONFIG_NAME
    if config.exists():
        raise ConfigError(
            "a config already exists here; papercast init never overwrites it",
            source=str(config),
            hint="choose another folder, or run papercast with --config on this one",
        )
    digests = resources.files("papercast.examples").joinpath("digests")
    for item in sorted(digests.iterdir(), key=lambda entry: entry.name):
        if item.name.endswith(".txt"):
            write_atomic(folder / "inbox" / item.name, item.read_bytes(), durable=False)
    return write_atomic(config, starter_config().encode("utf-8"), private=True)  # it names readers
