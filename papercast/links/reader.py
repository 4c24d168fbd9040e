"""The readers' links under `[site] base_url`: `<base><action>?r=<reader>&l=<list>&p=<paper>&s=<signature>`.

Every link names its action in the path and carries the signed fields in the query: `r` the
reader's opaque id, `l` the list (or, for a vote, the profile), `p` the paper, `s` the
signature over all of them. Empty fields are left out. The same reader, action and fields always
give the same URL (for the same secret), so a message rewritten after a crash has the same bytes.

ACTIONS lists every action a link can name, with what it is signed for: adding one is one line there
(and an endpoint in papercast/web/endpoints/ that answers it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from papercast.links.identity import list_address, public_base
from papercast.links.signing import LinkKeys, SignedLink, link_keys
from papercast.settings import Settings

QUERY_SAFE = ":@.-_~"
LIST, PROFILE = "list", "profile"  # what a link's `l` field names


@dataclass(frozen=True)
class Action:
    """What a reader's link does, as the path names it, and what it is signed for: the list or one profile
    (`l`), and one paper (`p`) or none."""

    name: str
    scope: str = LIST
    paper: bool = False


UNSUBSCRIBE, RESUBSCRIBE = "unsubscribe", "resubscribe"
MORE_LIKE_THIS, NOT_FOR_ME, FEED, TUNE = "more-like-this", "not-for-me", "feed", "tune"
ACTIONS = {
    action.name: action
    for action in (
        Action(UNSUBSCRIBE),  # the List-Unsubscribe URL: a page that asks, and the RFC 8058 one-click POST
        Action(RESUBSCRIBE),  # the button on the page after unsubscribing
        Action(MORE_LIKE_THIS, PROFILE, paper=True),  # a vote on a paper, in the profile it was shown under
        Action(NOT_FOR_ME, PROFILE, paper=True),
        Action(FEED),  # the reader's private Atom feed
        Action(TUNE, PROFILE),  # the reader's tune page for one of their profiles
    )
}


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
    def of(cls, settings: Settings, keys: LinkKeys) -> ReaderLinks:
        return cls(public_base(settings), list_address(settings.smtp), keys)

    def link(self, action: str, email: str, scope: str = "", paper: str = "") -> SignedLink:
        """The signed fields of `action` for a reader; a list-wide action is signed for this list by default."""
        known = ACTIONS.get(action)
        scope = scope or (self.list_addr if known is not None and known.scope == LIST else "")
        return SignedLink(action, self.keys.reader_id(email), scope, paper)

    def url(self, link: SignedLink) -> str | None:
        if self.base is None:
            return None
        return f"{self.base}{link.action}?{link_query(link, self.keys.sign(link))}"

    def action_url(self, action: str, email: str, scope: str = "", paper: str = "") -> str | None:
        """The reader's URL for `action` (None without an app)."""
        return self.url(self.link(action, email, scope, paper))

    def unsubscribe(self, email: str) -> str | None:
        """The page a reader confirms on (GET) and the RFC 8058 one-click target (POST): one URL."""
        return self.action_url(UNSUBSCRIBE, email)

    def resubscribe(self, email: str) -> str | None:
        return self.action_url(RESUBSCRIBE, email)


def link_state(settings: Settings, environ: Mapping[str, str]) -> str:
    """For the run report: "signed", "unsigned" (base_url set, no secret: no app accepts the links)
    or "none" (no base_url: messages carry no link to the app)."""
    if public_base(settings) is None:
        return "none"
    return "signed" if link_keys(settings, environ).signed else "unsigned"
