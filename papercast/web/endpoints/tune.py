"""A reader's tune page by signed link: `GET /tune?r=…&l=<profile>&s=…` lists about a dozen stored papers to
vote on, chosen for what the reader's answer would teach (papercast/newsletter/tune.py).

Each paper carries the usual signed "more like this" / "not for me" links (papercast/web/endpoints/votes.py:
a page that asks, a button that records). The page after a vote links back here, where a fresh set waits:
papers already voted on are left out and the taste is fitted again from every vote. The link is in every
newsletter's footer and `papercast readers --tune-link EMAIL` prints it; a forged or altered link answers
403 and shows nothing. The page only reads the state.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from papercast.links.issue import vote_links
from papercast.links.reader import TUNE
from papercast.newsletter.render import render_template
from papercast.newsletter.tune import tune_page
from papercast.web.confirm import verified_link
from papercast.web.context import Verified, WebContext
from papercast.web.pages import PRIVATE, Page, page_response

NOT_FOLLOWED = Page(
    "This interest is no longer on your list",
    ("The interest this link was for is no longer one of yours. Nothing to tune here.",),
    status=404,
)


def routes(context: WebContext) -> list[BaseRoute]:
    async def tune(request: Request) -> Response:
        return await serve_tune(context, request)

    return [Route(f"/{TUNE}", tune, methods=["GET"], name=TUNE)]


def followed(context: WebContext, verified: Verified) -> bool:
    profile = verified.link.scope
    return profile in verified.reader.profiles and profile in context.settings().profile_ids


async def serve_tune(context: WebContext, request: Request) -> Response:
    title = context.settings().site.title
    verified = verified_link(context, request, TUNE)
    if isinstance(verified, Response):
        return verified
    if not followed(context, verified):
        return page_response(context.env, title, NOT_FOLLOWED)
    return HTMLResponse(await run_in_threadpool(build, context, verified), headers=PRIVATE)


def build(context: WebContext, verified: Verified) -> str:
    settings, profile_id, reader = context.settings(), verified.link.scope, verified.reader
    with context.store() as store:
        page = tune_page(store, settings, reader, profile_id)
    votes = vote_links(context.links(), reader.email, [(profile_id, item.paper.id) for item in page.items])
    return render_template(
        context.env,
        "tune_page.html.j2",
        site_title=settings.site.title,
        profile=settings.profile(profile_id),
        items=page.items,
        votes=votes,
        voted=page.votes,
    )
