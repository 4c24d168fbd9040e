"""The app's reader endpoints, one module per concern. Each module has `routes(context)` giving its
Starlette routes; the app mounts every module in this package (so a new kind of link is a new module
here, as the votes and the private feeds are, and nothing that exists needs to change). tests/test_web_app.py
lists every path the app answers: a new route fails it until it is tested and listed there.
"""

from __future__ import annotations

import importlib
import pkgutil

from starlette.routing import BaseRoute

from papercast.web.context import WebContext


def endpoint_routes(context: WebContext) -> list[BaseRoute]:
    """Every endpoint module's routes, modules in name order."""
    routes: list[BaseRoute] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        routes += importlib.import_module(f"{__name__}.{module.name}").routes(context)
    return routes
