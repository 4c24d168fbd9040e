"""Signed links: an HMAC over (action, reader, list or profile, paper), keyed by a secret from the environment.

The secret lives only in the environment variable named by `[web] secret_env`, never in the
config, the archive or a log. The variable may hold several secrets separated by spaces: the
first signs new links and every one of them is accepted. To rotate, put a new secret first and
keep the old one after it for a grace period (old messages still carry links signed with it),
then drop the old one: its links answer 403 from then on (docs/readers.md).

A reader appears in links by an opaque id derived from their address with the signing secret,
so a link never shows the address and no one without the secret can tell whose link it is.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field

from papercast.errors import ConfigError
from papercast.settings import Settings

LINK_VERSION = b"papercast-link-1"
READER_VERSION = b"papercast-reader-1"
MIN_SECRET_CHARS = 16
SIGNATURE_BYTES = 16  # 128 bits, 22 characters in a URL
READER_ID_BYTES = 10  # 16 characters in a URL
UNSIGNED = "unsigned"  # the signature of a link made without a secret: no app accepts it


@dataclass(frozen=True)
class SignedLink:
    """What a link is for, as signed: an action, an opaque reader id, a list or profile, a paper."""

    action: str
    reader: str
    scope: str = ""
    paper: str = ""

    def message(self) -> bytes:
        parts = (self.action, self.reader, self.scope, self.paper)
        return b"\0".join([LINK_VERSION, *(part.encode("utf-8") for part in parts)])


def urlsafe(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class LinkKeys:
    """The signing secrets: the first signs, all verify. Without any, links are unsigned."""

    secrets: tuple[bytes, ...] = field(default=(), repr=False)

    @property
    def signed(self) -> bool:
        return bool(self.secrets)

    def sign(self, link: SignedLink) -> str:
        if not self.secrets:
            return UNSIGNED
        return signature(self.secrets[0], link)

    def verify(self, link: SignedLink, given: str) -> int | None:
        """The index of the secret that signed `link` with `given`, or None (forged, altered, retired)."""
        for index, secret in enumerate(self.secrets):
            if hmac.compare_digest(signature(secret, link).encode("ascii"), given.encode("utf-8", "replace")):
                return index
        return None

    def reader_id(self, email: str, key_index: int = 0) -> str:
        """The reader's opaque id under one secret (without a secret: a plain hash, for unsigned links)."""
        text = email.strip().lower().encode("utf-8")
        if not self.secrets:
            return (
                base64.b32encode(hashlib.sha256(READER_VERSION + b"\0" + text).digest()[:READER_ID_BYTES])
                .decode("ascii")
                .lower()
            )
        digest = hmac.new(self.secrets[key_index], READER_VERSION + b"\0" + text, hashlib.sha256).digest()
        return base64.b32encode(digest[:READER_ID_BYTES]).decode("ascii").lower()


def signature(secret: bytes, link: SignedLink) -> str:
    return urlsafe(hmac.new(secret, link.message(), hashlib.sha256).digest()[:SIGNATURE_BYTES])


def link_keys(settings: Settings, environ: Mapping[str, str]) -> LinkKeys:
    """The secrets in the variable `[web] secret_env` names; none when it is unset or empty.
    A secret shorter than MIN_SECRET_CHARS is refused (one line), whatever the run."""
    name = settings.web.secret_env
    secrets = tuple((environ.get(name) or "").split())
    short = [index for index, secret in enumerate(secrets) if len(secret) < MIN_SECRET_CHARS]
    if short:
        raise ConfigError(
            f"environment variable {name}: secret {short[0] + 1} has fewer than {MIN_SECRET_CHARS} characters",
            source="[web] secret_env",
            hint="use a long random value, e.g. the output of `openssl rand -hex 32`",
        )
    return LinkKeys(tuple(secret.encode("utf-8") for secret in secrets))


def required_keys(settings: Settings, environ: Mapping[str, str], why: str) -> LinkKeys:
    """`link_keys`, but a missing secret is an error (sending with [site] base_url set, serving the app)."""
    keys = link_keys(settings, environ)
    if not keys.signed:
        name = settings.web.secret_env
        raise ConfigError(
            f"environment variable {name} is not set ([web] secret_env)",
            source="[web]",
            hint=f"export {name} with a long random secret (`openssl rand -hex 32`): {why}",
        )
    return keys
