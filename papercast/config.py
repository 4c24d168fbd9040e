"""Load and validate the TOML config. Errors name the file and the key.

The config's shape is papercast/settings.py; the source kinds, scorers and channels a config may name are
the registries of their packages, read here and handed to the validation as its context: a name no
registry holds is refused with the names it holds, and a channel's own section is checked by the model
its registry line declares.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from papercast.delivery.registry import CHANNELS
from papercast.errors import ConfigError
from papercast.relevance.registry import SCORERS
from papercast.settings import CHANNELS as CHANNEL_NAMES
from papercast.settings import SCORERS as SCORER_NAMES
from papercast.settings import SOURCES as SOURCE_NAMES
from papercast.settings import Paths, Settings, key_name
from papercast.sources.registry import KINDS

__all__ = ["describe_validation_error", "extensions", "key_name", "load_settings", "read_settings"]


def extensions() -> dict[str, Any]:
    """The registries a config is validated against (the validation context of papercast/settings.py)."""
    return {SOURCE_NAMES: KINDS, SCORER_NAMES: SCORERS, CHANNEL_NAMES: CHANNELS}


_loaded: dict[tuple[Path, int, int], Settings] = {}


def load_settings(path: str | Path) -> Settings:
    """Read, validate and resolve a config file; raise ConfigError naming file and key.

    A file already loaded by this process and unchanged since (same size and mtime) is not
    read again: the CLI and the flow it starts share one load.
    """
    path = Path(path).expanduser().resolve()
    try:
        stat = path.stat()
    except OSError:
        stat = None
    key = (path, stat.st_mtime_ns, stat.st_size) if stat else None
    if key in _loaded:
        return _loaded[key]
    settings = read_settings(path)
    if key:
        _loaded[key] = settings
    return settings


def read_settings(path: Path) -> Settings:
    raw = read_toml(path)
    try:
        settings = Settings.model_validate({**raw, "source_file": path}, context=extensions())
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc), source=str(path)) from None
    return resolve_paths(settings)


def read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            "config file not found", source=str(path), hint="pass --config with the path to a papercast.toml"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", source=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", source=str(path)) from None


def describe_validation_error(exc: ValidationError) -> str:
    """The first problem as `key.path: message`, with a count of the rest."""
    errors = exc.errors()
    first = errors[0]
    key = key_name(first["loc"])  # empty for whole-config checks, which name their keys
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    elif first["type"] == "missing":
        message = "required key is missing"
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"{key}: {message}{more}" if key else f"{message}{more}"


def resolve_paths(settings: Settings) -> Settings:
    """Relative paths resolve against the config file's folder."""
    base = settings.source_file.parent
    paths = Paths(**{name: (base / getattr(settings.paths, name)).resolve() for name in ("inbox", "archive", "state")})
    sources = [s.model_copy(update={"path": (base / s.path).resolve()}) if s.path else s for s in settings.sources]
    return settings.model_copy(update={"paths": paths, "sources": sources})
