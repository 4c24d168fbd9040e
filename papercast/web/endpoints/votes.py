"""Votes by signed link: "more like this" and "not for me" on a paper of a reader's newsletter.

Each paper of a newsletter carries both links, signed for the reader, the profile the paper was shown
under and the paper. Opening one shows a page that asks (a GET never changes anything); its button
records the vote. A second vote on the same paper replaces the first, and the page after voting offers
the other one. The reader's next issue is planned with their votes (papercast/newsletter/tastes.py).
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from papercast.links.issue import VOTES, vote_links
from papercast.links.reader import TUNE
from papercast.models import StoredPaper
from papercast.newsletter.tastes import refresh_taste
from papercast.store.records import VoteRecord
from papercast.web.confirm import SignedAction, signed_action_route
from papercast.web.context import Verified, WebContext
from papercast.web.pages import Button, Page

PAGE = "page"  # how a vote came in: the confirm page's button
LABELS = {True: "More like this", False: "Not for me"}
GONE = Page(
    "This paper is no longer on your list",
    ("The interest this vote was for is no longer one of yours, or the paper is unknown here. Nothing was changed.",),
    status=404,
)


def routes(context: WebContext) -> list[BaseRoute]:
    return [signed_action_route(context, action) for action in ACTIONS]


def voted_paper(context: WebContext, verified: Verified) -> tuple[StoredPaper | None, VoteRecord | None]:
    """The paper the link names (None if the state does not know it), and the reader's vote on it so far."""
    link = verified.link
    with context.store() as store:
        paper = store.papers.papers([link.paper]).get(link.paper)
        return paper, store.votes.vote(verified.reader.email, link.scope, link.paper)


def followed(context: WebContext, verified: Verified) -> bool:
    return verified.link.scope in verified.reader.profiles and any(
        profile.id == verified.link.scope for profile in context.settings().profiles
    )


def profile_title(context: WebContext, verified: Verified) -> str:
    return context.settings().profile(verified.link.scope).title


def what_it_does(liked: bool, title: str, profile: str) -> str:
    toward = "toward papers like" if liked else "away from papers like"
    return (
        f"Your next newsletters in “{profile}” will lean {toward} “{title}”. Other readers’ newsletters do not change."
    )


def ask(liked: bool):
    def ask_vote(context: WebContext, verified: Verified) -> Page:
        paper, current = voted_paper(context, verified)
        if paper is None or not followed(context, verified):
            return GONE
        profile = profile_title(context, verified)
        if current is not None and current.liked == liked:
            return Page(
                f"You said: {LABELS[liked].lower()}",
                (what_it_does(liked, paper.title, profile),),
                switch_button(context, verified, not liked),
                links=tune_link(context, verified, profile),
            )
        return Page(
            f"{LABELS[liked]}?",
            (what_it_does(liked, paper.title, profile), "Nothing changes until you press the button."),
            Button(LABELS[liked]),
        )

    return ask_vote


def apply(liked: bool):
    def apply_vote(context: WebContext, verified: Verified, one_click: bool) -> Page:
        link = verified.link
        if not followed(context, verified):
            return GONE
        with context.writing() as store:  # one store for the check and the write
            paper = store.papers.papers([link.paper]).get(link.paper)
            if paper is None:
                return GONE
            store.votes.record_vote(verified.reader.email, link.scope, link.paper, liked, PAGE)
            refresh_taste(store, verified.reader.email, link.scope)  # the next plan finds the taste fitted
        return Page(
            "Thank you, noted",
            (
                what_it_does(liked, paper.title, profile_title(context, verified)),
                "Changed your mind? You can say the opposite here.",
            ),
            switch_button(context, verified, not liked),
            links=tune_link(context, verified, profile_title(context, verified)),
        )

    return apply_vote


def tune_link(context: WebContext, verified: Verified, profile: str) -> tuple[tuple[str, str], ...]:
    """The reader's tune page of the profile voted in: more papers to vote on (a fresh set after each vote)."""
    url = context.links().action_url(TUNE, verified.reader.email, verified.link.scope)
    return ((f"More papers to vote on in “{profile}”", url),) if url is not None else ()


def switch_button(context: WebContext, verified: Verified, liked: bool) -> Button:
    """A button that casts the other vote on the same paper (a link signed with the current secret)."""
    link = verified.link
    more, fewer = vote_links(context.links(), verified.reader.email, [(link.scope, link.paper)])[link.paper]
    return Button(LABELS[liked], action=more if liked else fewer)


ACTIONS = tuple(SignedAction(name, ask(liked), apply(liked)) for name, liked in VOTES.items())
