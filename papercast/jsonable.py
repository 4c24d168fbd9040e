"""Typed values to JSON, in one generic conversion: the run report (and anything else made of dataclasses).

A dataclass becomes an object of its fields in declaration order; a field's metadata may rename it in JSON
(`json_name`), leave it out (`json_omit`: "always", or "empty" when it is "" or None, or "none" when None).
Paths become strings (absolute, as the report holds them), dates and times ISO text, tuples and lists
arrays, mappings objects. Nothing lists a class's fields by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ALWAYS, EMPTY, NONE = "always", "empty", "none"  # json_omit: leave a field out always, when empty, when None


def rename(name: str) -> dict[str, str]:
    """Field metadata: the field's name in JSON."""
    return {"json_name": name}


def omit(when: str = ALWAYS) -> dict[str, str]:
    """Field metadata: leave the field out of JSON always, when empty ("" or None) or when None."""
    return {"json_omit": when}


PLAIN = (str, int, float, bool, type(None))


def jsonable(value: Any) -> Any:
    """`value` as plain JSON data: dicts, lists, strings, numbers, booleans and None."""
    if isinstance(value, PLAIN):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: jsonable(item) for name, item in fields_of(value)}
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def fields_of(value: Any) -> Iterator[tuple[str, Any]]:
    """A dataclass's (JSON name, value) pairs, in declaration order, as their metadata says."""
    for name, json_name, when in field_plan(type(value)):
        item = getattr(value, name)
        if when == ALWAYS or (when == EMPTY and item in ("", None)) or (when == NONE and item is None):
            continue
        yield json_name, item


FIELD_PLANS: dict[type, tuple[tuple[str, str, str | None], ...]] = {}


def field_plan(cls: type) -> tuple[tuple[str, str, str | None], ...]:
    """(field name, JSON name, json_omit) of each field of a dataclass, read once per class (a report of
    10,000 newsletters converts 140,000 dataclasses)."""
    if cls not in FIELD_PLANS:
        FIELD_PLANS[cls] = tuple(
            (f.name, f.metadata.get("json_name", f.name), f.metadata.get("json_omit")) for f in dataclasses.fields(cls)
        )
    return FIELD_PLANS[cls]


def to_json(value: Any) -> str:
    """The JSON text papercast writes and prints: indented, non-ASCII kept."""
    return json.dumps(jsonable(value), indent=2, ensure_ascii=False)
