"""The readers' links under `[site] base_url`: `<base>/<action>?r=<reader>&l=<list>&p=<paper>&s=<signature>`.

Every link names its action in the path and carries the signed fields in the query: `r` the
reader's opaque id, `l` the list (or, for a vote, the profile), `p` the paper, `s` the
signature over all of them. Empty fields are left out. The same reader, action and fields always
give the same URL (for the same secret), so a message rewritten after a crash has the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping
from urllib.parse import quote

from papercast.config import Settings, Smtp
from papercast.web.signing import LinkKeys, SignedLink, link_keys

UNSUBSCRIBE, RESUBSCRIBE = "unsubscribe", "resubscribe"
QUERY_SAFE = ":@.-_~"


def list_address(smtp: Smtp) -> str:
    """The list's identifier (RFC 2919): configured, or papercast.<sender's domain>."""
    return smtp.list_id or f"papercast.{smtp.from_addr.rsplit('@', 1)[-1]}"


def public_base(settings: Settings) -> str | None:
    """`[site] base_url` ending in '/', or None when the app has no public address."""
    base = settings.site.base_url
    if not base:
        return None
    return base if base.endswith("/") else base + "/"


def link_query(link: SignedLink, signature: str) -> str:
    fields = (("r", link.reader), ("l", link.scope), ("p", link.paper), ("s", signature))
    return "&".join(f"{name}={quote(value, safe=QUERY_SAFE)}" for name, value in fields if value)


@dataclass(frozen=True)
class ReaderLinks:
    """Makes one installation's signed reader links; `base` None: the app is not reachable (no links)."""

    base: str | None
    list_addr: str
    keys: LinkKeys

    @classmethod
    def of(cls, settings: Settings, keys: LinkKeys) -> "ReaderLinks":
        return cls(public_base(settings), list_address(settings.smtp), keys)

    def link(self, action: str, email: str, scope: str = "", paper: str = "") -> SignedLink:
        return SignedLink(action, self.keys.reader_id(email), scope, paper)

    def url(self, link: SignedLink) -> str | None:
        if self.base is None:
            return None
        return f"{self.base}{link.action}?{link_query(link, self.keys.sign(link))}"

    def unsubscribe(self, email: str) -> str | None:
        """The page a reader confirms on (GET) and the RFC 8058 one-click target (POST): one URL."""
        return self.url(self.link(UNSUBSCRIBE, email, self.list_addr))

    def resubscribe(self, email: str) -> str | None:
        return self.url(self.link(RESUBSCRIBE, email, self.list_addr))


def link_state(settings: Settings, environ: Mapping[str, str]) -> str:
    """For the run report: "signed", "unsigned" (base_url set, no secret: no app accepts the links)
    or "none" (no base_url: messages carry no link to the app)."""
    if public_base(settings) is None:
        return "none"
    return "signed" if link_keys(settings, environ).signed else "unsigned"
