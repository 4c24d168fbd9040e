"""The config's shape: every section of papercast.toml as a typed, frozen model, and `Settings`, the whole.

Which source kinds, scorers and channels exist is not written here: each is a registry of its own
package (papercast/sources/registry.py, papercast/relevance/registry.py, papercast/delivery/registry.py),
and the loader (papercast/config.py) validates a config against them, passing them in as the validation
context (`config.extensions()`): a kind, backend or channel must be registered, a channel's own section is checked
with the model its registry line declares. A model built directly (in tests) takes those names as given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from papercast.addresses import ReaderAddress, SenderAddress, no_control_characters
from papercast.schedule import check_cron, check_timezone

SLUG = r"^[a-z0-9][a-z0-9_-]*$"
ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def usable_path(path: Path) -> Path:
    if "\x00" in str(path):
        raise ValueError("a path cannot contain a NUL character")
    return path


ConfigPath = Annotated[Path, AfterValidator(usable_path)]


SOURCES, SCORERS, CHANNELS = "sources", "scorers", "channels"  # the registries in the validation context


def registry(info: ValidationInfo, name: str) -> Mapping[str, Any] | None:
    """The registry `name` the loader validates against; None for a model built directly."""
    return (info.context or {}).get(name)


def one_of(names: list[str]) -> str:
    """'a', 'b' or 'c', as pydantic words a choice."""
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" or {quoted[-1]}"


def registered(name: str):
    """A validator: the value must be a key of the registry `name` (when validated against registries)."""

    def check(value: str, info: ValidationInfo) -> str:
        known = registry(info, name)
        if known is not None and value not in known:
            raise ValueError(f"Input should be {one_of(list(known))}")
        return value

    return AfterValidator(check)


SourceKind = Annotated[str, registered(SOURCES)]
Backend = Annotated[str, registered(SCORERS)]
ChannelName = Annotated[str, registered(CHANNELS)]


class Paths(Section):
    inbox: ConfigPath
    archive: ConfigPath
    state: ConfigPath


class Profile(Section):
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    description: str = ""
    keywords: list[str] = []
    exclude: list[str] = []
    examples: list[str] = []
    counter_examples: list[str] = []
    threshold: float | None = Field(default=None, ge=0, le=1)
    # papers just below the threshold shown to this profile's readers ("close to your interests"): 0 turns it off
    explore: int | None = Field(default=None, ge=0, le=20)

    @property
    def can_match(self) -> bool:
        """A profile needs words to match: a description or a keyword (a title alone scores too little)."""
        return bool(self.description.strip() or any(word.strip() for word in self.keywords))


class Reader(Section):
    email: ReaderAddress
    name: str = ""
    profiles: list[str] = Field(min_length=1)
    max_papers: int = Field(default=10, ge=1, le=500)
    # the channels an issue of the reader's goes out on (papercast/delivery/registry.py): email, a message
    # per issue; feed, the issue in the reader's private Atom feed, served by the app
    channels: list[ChannelName] = Field(default=["email"], min_length=1)
    # the "close to your interests" papers per profile in this reader's issues: 0 turns the section off
    explore: int | None = Field(default=None, ge=0, le=20)

    @field_validator("channels")
    @classmethod
    def _each_channel_once(cls, channels: list[str]) -> list[str]:
        dupes = repeated(channels)
        if dupes:
            raise ValueError(f"channel {', '.join(dupes)} given twice")
        return channels


class Smtp(Section):
    host: str = "localhost"
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: str | None = None
    from_addr: SenderAddress = "papercast@localhost"
    from_name: str = "papercast"
    reply_to: Annotated[str, AfterValidator(no_control_characters)] | None = None
    timeout: float = Field(default=30.0, gt=0)
    rate_limit: float = Field(default=0.0, ge=0)  # messages per second; 0 = as fast as the server takes them
    retries: int = Field(default=3, ge=0, le=10)  # per message, on 4xx replies and dropped connections
    retry_backoff: float = Field(default=2.0, ge=0)  # seconds before the first retry, doubled each time
    batch_size: int = Field(default=200, ge=1)  # messages per connection / per send task
    list_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z0-9-]+$")
    # e.g. "https://example.org/unsubscribe?list={list}&reader={token}"; {email} is also known
    unsubscribe_url: str | None = Field(default=None, pattern=r"^https://\S+$")

    @field_validator("unsubscribe_url")
    @classmethod
    def _known_placeholders(cls, url: str | None) -> str | None:
        if url is not None:
            try:
                url.format(list="l", token="t", email="e")
            except (KeyError, IndexError, ValueError) as exc:
                raise ValueError(f"unknown placeholder {exc} (use {{list}}, {{token}}, {{email}})") from None
        return url


class Source(Section):
    """A source of a registered kind (papercast/sources/registry.py): one that reads a URL (`feed`: RSS/Atom,
    `hf-daily`: daily-papers JSON) is fetched each run; one that reads a folder (`inbox`) is read like
    [paths] inbox."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # names the source in the report
    kind: SourceKind
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    path: ConfigPath | None = None
    timeout: float = Field(default=30.0, gt=0, le=600)  # seconds per HTTP request
    retries: int = Field(default=2, ge=0, le=10)  # further attempts after a failed fetch
    retry_delay: float = Field(default=10.0, ge=0, le=3600)  # seconds between attempts

    @model_validator(mode="after")
    def _where_to_read(self, info: ValidationInfo) -> Source:
        """What the kind reads (its registry line says): a url, or a folder's path."""
        kind = (registry(info, SOURCES) or {}).get(self.kind)
        if kind is None:
            return self
        if kind.reads == URL and not self.url:
            raise ValueError(f"a {self.kind} source needs a url")
        if kind.reads == FOLDER and (self.url or not self.path):
            raise ValueError(f"an {self.kind} source reads a folder: give its path, not a url")
        return self


URL, FOLDER = "url", "folder"  # what a source kind reads


class Classify(Section):
    # a paper joins a profile when its score (a calibrated probability for "hybrid") reaches this
    threshold: float = Field(default=0.5, ge=0, le=1)
    # a registered scorer (papercast/relevance/registry.py): hybrid, MiniLM sentence embeddings +
    # field-weighted keywords; keywords, the lexical baseline
    backend: Backend = "hybrid"


class Site(Section):
    """The public archive and its feeds."""

    title: str = Field(default="papercast", min_length=1)
    description: str = "Trending research papers, sorted into interest profiles."
    base_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    feed_items: int = Field(default=50, ge=1, le=1000)
    chart_weeks: int = Field(default=12, ge=1, le=104)


class Web(Section):
    """The reader-facing app (`papercast web`, also inside `papercast serve`): where it listens, the
    environment variable holding the secret that signs readers' links (never the secret itself), and
    the bounds that keep slow or idle peers and a locked state from taking it down (docs/readers.md)."""

    secret_env: str = Field(default="PAPERCAST_WEB_SECRET", pattern=ENV_NAME)
    host: str = Field(default="127.0.0.1", min_length=1)
    port: int = Field(default=8080, ge=1, le=65535)
    max_connections: int = Field(default=1000, ge=8, le=100_000)  # open at once (fewer if the fd limit is lower)
    header_timeout: float = Field(default=10.0, gt=0, le=600)  # seconds for a request line and headers to arrive
    body_timeout: float = Field(default=10.0, gt=0, le=600)  # seconds for a request body, once its headers are in
    idle_timeout: float = Field(default=5.0, gt=0, le=600)  # seconds a kept-alive connection may wait unused
    write_wait: float = Field(default=10.0, gt=0, le=600)  # seconds a vote or unsubscribe waits for the state
    access_log: bool = True  # one line per request: method, path (no query), status, time


FETCH_DEFAULT = "0 6 * * *"  # feeds that show only their latest items: fetched every morning
FETCH_OFF = "off"


class Schedule(Section):
    """When the weekly run happens, whether it sends, when feeds are fetched between weekly runs,
    and what a reader with nothing new gets."""

    cron: str = "0 7 * * MON"
    timezone: str = "UTC"
    nothing_new: Literal["skip", "note"] = "skip"
    send: bool = False  # scheduled weekly runs send through SMTP (else dry runs to the outbox)
    # a cron for `papercast-fetch` (ingest + classify, nothing sent), or "off"; unset: FETCH_DEFAULT
    # when a `feed` source exists (feeds show only their latest items), else off
    fetch: str | None = None

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, cron: str) -> str:
        return check_cron(cron)

    @field_validator("fetch")
    @classmethod
    def _valid_fetch(cls, fetch: str | None) -> str | None:
        return fetch if fetch is None or fetch.strip() == FETCH_OFF else check_cron(fetch)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, timezone: str) -> str:
        return check_timezone(timezone)


class Limits(Section):
    """Bounds that keep one giant input or a stuck run from taking the whole run down."""

    max_input_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)  # larger inputs: only the head is read
    max_papers_per_digest: int = Field(default=5000, ge=1)
    max_abstract_chars: int = Field(default=10_000, ge=100)
    lock_wait_seconds: float = Field(default=600.0, ge=0)  # how long a run waits for another on the same state
    state_busy_seconds: float = Field(default=30.0, gt=0, le=3600)  # how long a write waits for another process's
    write_processes: int | None = Field(default=None, ge=0, le=256)  # None: one per core for 1,000+ issues


S = TypeVar("S", bound=Section)


def key_name(loc: tuple) -> str:
    """("readers", 1, "profiles") -> "readers[1].profiles": how the config's keys are named in errors."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else str(part)
    return name


def checked_section(name: str, model: type[Section], raw: Any) -> Section:
    """An extension's section validated by its model; its first problem named by key, like every other."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"].removeprefix("Value error, ")
        message = "required key is missing" if first["type"] == "missing" else message
        raise ValueError(f"{key_name((name, *first['loc']))}: {message}") from None


def repeated(values: list[str]) -> list[str]:
    """The values that occur more than once, sorted."""
    return sorted(value for value, count in Counter(values).items() if count > 1)


class Settings(Section):
    """The whole validated config. `source_file` is where it was read from."""

    source_file: Path
    paths: Paths
    profiles: list[Profile] = Field(min_length=1)
    readers: list[Reader] = []
    smtp: Smtp = Smtp()
    sources: list[Source] = []
    classify: Classify = Classify()
    schedule: Schedule = Schedule()
    site: Site = Site()
    web: Web = Web()
    limits: Limits = Limits()
    # sections declared by registered extensions (a channel's own, say), by section name
    extensions: dict[str, Section] = {}

    @model_validator(mode="before")
    @classmethod
    def _extension_sections(cls, raw: Any, info: ValidationInfo) -> Any:
        """Each section a registered channel declares (its registry line) is validated by its model."""
        if not isinstance(raw, dict):
            return raw
        channels = registry(info, CHANNELS) or {}
        used = {
            name
            for reader in raw.get("readers") or []
            if isinstance(reader, dict)
            for name in reader.get("channels") or []
        }
        declared = {
            spec.section: (spec.config, name in used)
            for name, spec in channels.items()
            if spec.section and spec.section not in cls.model_fields
        }
        sections = {
            section: checked_section(section, model, raw.get(section, {}))
            for section, (model, needed) in declared.items()
            if section in raw or needed
        }
        return {**{key: value for key, value in raw.items() if key not in declared}, "extensions": sections}

    @field_validator("profiles")
    @classmethod
    def _unique_profiles(cls, profiles: list[Profile]) -> list[Profile]:
        dupes = repeated([p.id for p in profiles])
        if dupes:
            raise ValueError(f"duplicate profile id {', '.join(dupes)}")
        return profiles

    @field_validator("sources")
    @classmethod
    def _unique_sources(cls, sources: list[Source]) -> list[Source]:
        dupes = repeated([s.name for s in sources])
        if dupes:
            raise ValueError(f"duplicate source name {', '.join(dupes)}")
        return sources

    @model_validator(mode="after")
    def _profiles_can_match(self) -> Settings:
        for index, profile in enumerate(self.profiles):
            if not profile.can_match:
                raise ValueError(
                    f"profiles[{index}]: profile '{profile.id}' can match nothing: give it a description or keywords"
                )
        return self

    @model_validator(mode="after")
    def _readers_know_their_profiles(self) -> Settings:
        known = {p.id for p in self.profiles}
        for index, reader in enumerate(self.readers):
            unknown = [p for p in reader.profiles if p not in known]
            if unknown:
                raise ValueError(f"readers[{index}].profiles: unknown profile {', '.join(unknown)}")
        emails = [r.email.lower() for r in self.readers]
        dupes = repeated(emails)
        if dupes:
            raise ValueError(f"readers: duplicate email {', '.join(dupes)}")
        return self

    @model_validator(mode="after")
    def _channels_have_what_they_need(self, info: ValidationInfo) -> Settings:
        """A channel that lives in the app (its registry line says why) needs [site] base_url: without it no
        reader could reach it."""
        channels = registry(info, CHANNELS) or {}
        for index, reader in enumerate(self.readers):
            for name in reader.channels:
                why = getattr(channels.get(name), "needs_the_app", "")
                if why and not self.site.base_url:
                    raise ValueError(f"readers[{index}].channels: the {name} channel needs [site] base_url ({why})")
        return self

    def profile(self, profile_id: str) -> Profile:
        return next(p for p in self.profiles if p.id == profile_id)

    @property
    def profile_ids(self) -> set[str]:
        return {p.id for p in self.profiles}

    def section(self, model: type[S]) -> S:
        """The section a registered extension declared, by its model (its defaults when the config has none)."""
        found = next((value for value in self.extensions.values() if isinstance(value, model)), None)
        return found if found is not None else model()
