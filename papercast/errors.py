"""One exception tree. Every error names what it is about and carries a hint."""

from __future__ import annotations


class PapercastError(Exception):
    """Base of all papercast errors: a message, the thing it concerns, a hint."""

    default_hint = ""

    def __init__(self, message: str, *, source: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.hint = hint if hint is not None else self.default_hint

    def one_line(self) -> str:
        """The error as the CLI prints it: `source: message (hint)`."""
        text = f"{self.source}: {self.message}" if self.source else self.message
        return f"{text} ({self.hint})" if self.hint else text

    def __str__(self) -> str:
        return self.one_line()


class ConfigError(PapercastError):
    default_hint = "check the config file"


class SourceError(PapercastError):
    default_hint = "the file or feed was skipped; everything else was processed"


class FetchError(SourceError):
    """A feed or daily-papers URL could not be fetched; `transient` when another attempt may succeed;
    `status`: the HTTP status when the server answered."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        hint: str | None = None,
        transient: bool = True,
        status: int | None = None,
    ):
        super().__init__(message, source=source, hint=hint)
        self.transient, self.status = transient, status


class StateError(PapercastError):
    default_hint = "check the state file named in [paths] state"


class StateBusyError(StateError):
    """Another process held the state's write lock for longer than the caller would wait: nothing was written."""


class DeliveryError(PapercastError):
    """A channel could not deliver (papercast/delivery/registry.py); each channel's errors name its own section."""

    default_hint = "check the channel's section of the config and the server it delivers to"


class StorageError(PapercastError):
    default_hint = "free some space and run again: nothing half-written was kept, the next run finishes the job"


class RenderError(PapercastError):
    default_hint = "check the templates folder"


class WebError(PapercastError):
    """The reader-facing app could not start (e.g. its port is taken)."""

    default_hint = "check [web] host and port, or pass --host / --port"
