"""The reader-facing app: the public archive, the readers' signed links, and a health check.

`create_app(config)` gives a Starlette (ASGI) app; server.py runs it under uvicorn. Routes are
served at the root and, when `[site] base_url` has a path (`https://example.org/papers/`), under
that path too, so a reverse proxy may pass the path on or strip it. Every response carries
headers that keep pages out of frames and other sites' referrers, and the access log names method,
path and status, never the query (papercast/web/middleware.py); reader pages are never cached.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from papercast.config import load_settings
from papercast.links.signing import LinkKeys, link_keys
from papercast.settings import Settings
from papercast.web import archive
from papercast.web.context import WebContext
from papercast.web.endpoints import endpoint_routes
from papercast.web.middleware import SecurityHeaders
from papercast.web.pages import NOT_FOUND, Page, page_response


def health(request: Request) -> Response:
    return PlainTextResponse("ok\n", headers={"Cache-Control": "no-store"})


def app_routes(context: WebContext) -> list[BaseRoute]:
    """Every route the app serves, at the root."""
    return [
        Route("/healthz", health, methods=["GET"], name="healthz"),
        *archive.routes(context),
        *endpoint_routes(context),
    ]


def base_path(settings: Settings) -> str:
    """The path of [site] base_url without its trailing slash ("" at the root)."""
    return urlsplit(settings.site.base_url or "").path.rstrip("/")


def error_handlers(context: WebContext) -> dict:
    def not_found(request: Request, exc: Exception) -> Response:
        return page_response(context.env, context.settings().site.title, NOT_FOUND)

    def other(request: Request, exc: HTTPException) -> Response:
        page = Page(
            "Not allowed" if exc.status_code == 405 else "Bad request", (str(exc.detail),), status=exc.status_code
        )
        return page_response(context.env, context.settings().site.title, page)

    return {404: not_found, HTTPException: other}


def create_app(
    config_path: str | Path, environ: Mapping[str, str] | None = None, keys: LinkKeys | None = None
) -> Starlette:
    """The app for this config; the signing keys come from the environment unless given."""
    settings = load_settings(config_path)
    keys = keys if keys is not None else link_keys(settings, os.environ if environ is None else environ)
    context = WebContext(settings.source_file, keys)
    routes = app_routes(context)
    prefix = base_path(settings)
    if prefix:
        routes.append(Mount(prefix, routes=app_routes(context)))
    app = Starlette(routes=routes, exception_handlers=error_handlers(context))
    app.router.redirect_slashes = False  # /profiles and /profiles/ are 404, not a redirect
    app.add_middleware(SecurityHeaders)
    app.state.context = context
    return app
