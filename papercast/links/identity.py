"""Names that stay the same from run to run: the list's identifier, the app's public address, a reader's token.

The reader's opaque id in signed links depends on the signing secret and lives with it (signing.py).
"""

from __future__ import annotations

import hashlib

from papercast.settings import Settings, Smtp


def list_address(smtp: Smtp) -> str:
    """The list's identifier (RFC 2919): configured, or papercast.<sender's domain>."""
    return smtp.list_id or f"papercast.{smtp.from_addr.rsplit('@', 1)[-1]}"


def public_base(settings: Settings) -> str | None:
    """`[site] base_url` ending in '/', or None when the app has no public address."""
    base = settings.site.base_url
    if not base:
        return None
    return base if base.endswith("/") else base + "/"


def reader_token(list_addr: str, email_addr: str) -> str:
    """A stable name for a reader on a list, for an operator's own unsubscribe_url (not a secret)."""
    return hashlib.sha256(f"{list_addr}\n{email_addr.lower()}".encode()).hexdigest()[:24]
