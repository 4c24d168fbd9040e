"""Who and what is in this run? The profile and reader subsets of a manual run.

A scheduled run takes every profile and every reader. A manual run may name a
subset of either. Papers are always classified into every profile (so a later
full run loses nothing); the subset only narrows what goes into newsletters.
When only some profiles are chosen, readers' cursors stay where they were, so
the papers of their other profiles still reach them in the next full run; the
delivery ledger keeps any paper from arriving twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from papercast.errors import ConfigError
from papercast.settings import Reader, Settings


@dataclass(frozen=True)
class RunSelection:
    profiles: tuple[str, ...]
    readers: tuple[Reader, ...]
    partial_profiles: bool = False

    def reader_profiles(self, reader: Reader) -> list[str]:
        """The reader's profiles that are part of this run, in the reader's order."""
        return [p for p in reader.profiles if p in self.profiles]


def select_run(settings: Settings, profiles: list[str] | None = None, readers: list[str] | None = None) -> RunSelection:
    """The run's profiles and readers; unknown names are a ConfigError naming the option."""
    profile_ids = [p.id for p in settings.profiles]
    chosen = unique(profiles) if profiles else profile_ids
    unknown_ids = [p for p in chosen if p not in profile_ids]
    if unknown_ids:
        raise ConfigError(
            f"unknown profile {', '.join(unknown_ids)}",
            source="profiles",
            hint=f"known profiles: {', '.join(profile_ids)}",
        )
    subscribers = [r for r in settings.readers if set(r.profiles) & set(chosen)]
    return RunSelection(
        tuple(p for p in profile_ids if p in chosen),
        tuple(pick_readers(subscribers, settings, readers)),
        partial_profiles=len(set(chosen)) < len(profile_ids),
    )


def pick_readers(subscribers: list[Reader], settings: Settings, emails: list[str] | None) -> list[Reader]:
    """The subscribers named in `emails` (all of them when None), in config order."""
    if not emails:
        return subscribers
    wanted = {e.strip().lower() for e in emails}
    known = {r.email.lower() for r in settings.readers}
    unknown = sorted(wanted - known)
    if unknown:
        raise ConfigError(
            f"unknown reader {', '.join(unknown)}",
            source="readers",
            hint="name readers by the email address in [[readers]]",
        )
    return [r for r in subscribers if r.email.lower() in wanted]


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(item.strip() for item in items if item.strip()))


def narrowed_to(settings: Settings, selection: RunSelection, readers: list[Reader]) -> tuple[Settings, RunSelection]:
    """The run with only these readers: what one batch needs, and small to ship to a worker process."""
    return settings.model_copy(update={"readers": list(readers)}), replace(selection, readers=tuple(readers))
