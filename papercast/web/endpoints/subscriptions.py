"""Unsubscribe and resubscribe, by signed link.

`/unsubscribe` is the URL in every message's List-Unsubscribe header and footer: a mail provider's
one-click POST unsubscribes at once (RFC 8058); a reader who opens it gets a page with a button.
The page after unsubscribing offers a resubscribe button (a signed `/resubscribe` link).
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from papercast.links.reader import RESUBSCRIBE, UNSUBSCRIBE
from papercast.store.readers import ONE_CLICK, PAGE
from papercast.store.records import Subscription
from papercast.web.confirm import SignedAction, signed_action_route
from papercast.web.context import Verified, WebContext
from papercast.web.pages import Button, Page, masked


def routes(context: WebContext) -> list[BaseRoute]:
    return [signed_action_route(context, action) for action in (UNSUBSCRIBE_ACTION, RESUBSCRIBE_ACTION)]


def subscription_of(context: WebContext, verified: Verified) -> Subscription:
    with context.store() as store:
        return store.subscriptions.subscription(verified.reader.email)


def since(subscription: Subscription) -> str:
    return subscription.since.strftime("%Y-%m-%d %H:%M UTC") if subscription.since else ""


def resubscribe_button(context: WebContext, verified: Verified) -> Button:
    return Button("Resubscribe", action=context.links().resubscribe(verified.reader.email) or "")


def unsubscribed_page(context: WebContext, verified: Verified, subscription: Subscription) -> Page:
    return Page(
        "You are unsubscribed",
        (
            f"{masked(verified.reader.email)} gets no more newsletters from {context.settings().site.title}"
            f" (since {since(subscription)}).",
            "Changed your mind? You can resubscribe here.",
        ),
        resubscribe_button(context, verified),
    )


def ask_unsubscribe(context: WebContext, verified: Verified) -> Page:
    subscription = subscription_of(context, verified)
    if not subscription.subscribed:
        return unsubscribed_page(context, verified, subscription)
    return Page(
        "Unsubscribe?",
        (
            f"{masked(verified.reader.email)} will get no more newsletters from {context.settings().site.title}.",
            "Nothing changes until you press the button.",
        ),
        Button("Unsubscribe"),
    )


def apply_unsubscribe(context: WebContext, verified: Verified, one_click: bool) -> Page:
    with context.writing() as store:
        subscription, _ = store.subscriptions.set_subscribed(
            verified.reader.email, False, ONE_CLICK if one_click else PAGE
        )
    return unsubscribed_page(context, verified, subscription)


def ask_resubscribe(context: WebContext, verified: Verified) -> Page:
    if subscription_of(context, verified).subscribed:
        return Page(
            "You are subscribed", (f"{masked(verified.reader.email)} gets the newsletter; there is nothing to do.",)
        )
    return Page(
        "Resubscribe?",
        (f"{masked(verified.reader.email)} will get the newsletter again, starting with the next one.",),
        Button("Resubscribe"),
    )


def apply_resubscribe(context: WebContext, verified: Verified, one_click: bool) -> Page:
    with context.writing() as store:
        store.subscriptions.set_subscribed(verified.reader.email, True, PAGE)
    return Page(
        "Welcome back", (f"{masked(verified.reader.email)} will get the newsletter again, starting with the next one.",)
    )


UNSUBSCRIBE_ACTION = SignedAction(
    UNSUBSCRIBE, ask_unsubscribe, apply_unsubscribe, one_click=True, one_click_reply="unsubscribed"
)
RESUBSCRIBE_ACTION = SignedAction(RESUBSCRIBE, ask_resubscribe, apply_resubscribe)
