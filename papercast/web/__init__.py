"""The reader-facing app (`papercast web`): the public archive and the readers' signed links.

The links themselves are made and checked in papercast/links/ (the message composer makes them too).
app.py builds the Starlette app from archive.py (the public files), confirm.py (a signed link: a GET page
that asks, a POST that does) and the endpoint modules in endpoints/ (unsubscribe and resubscribe, votes,
private feeds). server.py runs it under uvicorn.
"""
