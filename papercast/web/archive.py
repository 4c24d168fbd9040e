"""The public archive as the app serves it: `index.html`, `profiles/`, `editions/` and `feeds/`, nothing else.

The archive folder also holds every reader's newsletters, the outbox and the run reports, and the
state and config may lie beside it: none of that is reachable. A path is served only when each of
its segments is a plain name (no `..`, `.`, empty or hidden segment, backslash or NUL, whether it
came encoded or not), it ends in a public suffix, and the real file (symlinks resolved) is a regular
file inside the archive's own public folder of that name (`<archive>/editions/`, ... with the archive's
real path: a public folder that is itself a symlink to elsewhere serves nothing), or is the archive's
top-level `index.html` itself. A file with more than one hard link is not served either: it may be a
second name of a newsletter or a message. Anything else is 404, the same answer as for a file that
does not exist, so nothing can be learnt about what lies outside.
"""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from papercast.printable import printable
from papercast.web.context import WebContext
from papercast.web.pages import NOT_FOUND, page_response

PUBLIC_FOLDERS = ("profiles", "editions", "feeds")
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml; charset=utf-8"}
FEED_TYPES = {".rss.xml": "application/rss+xml; charset=utf-8", ".atom.xml": "application/atom+xml; charset=utf-8"}
PUBLIC_CACHE = {"Cache-Control": "public, max-age=300"}
log = logging.getLogger("papercast.web")


def plain_segments(relative: str) -> bool:
    parts = relative.split("/")
    return all(part and not part.startswith(".") and "\\" not in part and "\0" not in part for part in parts)


def public_file(archive: Path, folder: str, relative: str) -> Path | None:
    """The file to serve for `<folder>/<relative>` ("" folder: the archive itself), or None."""
    if not plain_segments(relative) or media_type(relative) is None:
        return None
    try:
        top = archive.resolve(strict=True)
        real = (top / folder / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    inside = real == top / relative if folder == "" else real.is_relative_to(top / folder)
    return real if inside and real.is_file() and single_link(real, top) else None


def single_link(real: Path, top: Path) -> bool:
    """A public file has one name: a hard link could be a private file's second name."""
    if real.stat().st_nlink == 1:
        return True
    log.warning(
        "not served: %s has %d hard links (public files must have one)",
        printable(str(real.relative_to(top))),
        real.stat().st_nlink,
    )
    return False


def media_type(name: str) -> str | None:
    for suffix, kind in FEED_TYPES.items():
        if name.endswith(suffix):
            return kind
    return MEDIA_TYPES.get(Path(name).suffix)


def file_response(context: WebContext, folder: str, relative: str) -> Response:
    settings = context.settings()
    found = public_file(settings.paths.archive, folder, relative)
    if found is None:
        return page_response(context.env, settings.site.title, NOT_FOUND)
    return FileResponse(found, media_type=media_type(found.name), headers=PUBLIC_CACHE)


def folder_route(context: WebContext, folder: str) -> Route:
    def serve(request: Request) -> Response:
        return file_response(context, folder, request.path_params["path"])

    return Route(f"/{folder}/{{path:path}}", serve, methods=["GET"], name=folder)


def routes(context: WebContext) -> list[BaseRoute]:
    def index(request: Request) -> Response:
        return file_response(context, "", "index.html")

    return [
        Route("/", index, methods=["GET"], name="index"),
        Route("/index.html", index, methods=["GET"], name="index.html"),
        *(folder_route(context, folder) for folder in PUBLIC_FOLDERS),
    ]
