"""A source format: BibTeX entries (`@article{key, title = {...}, abstract = {...}, eprint = {...}}`).

One module with `detect` and `parse`, like papercast/sources/feeds.py; the registry line that adds it:

    Format("bibtex", "BibTeX", bibtex.detect, bibtex.parse),   # in FORMATS, papercast/sources/registry.py
"""

from __future__ import annotations

import datetime as dt
import re

from papercast.errors import SourceError
from papercast.identity import find_arxiv_id
from papercast.models import Digest, Paper
from papercast.sources.detect import head

ENTRY = re.compile(r"@\w+\s*\{[^,]*,(.*?)\n\}", re.S)
FIELD = re.compile(r"(\w+)\s*=\s*\{(.*?)\}\s*,?\s*$", re.M | re.S)


def detect(text: str) -> bool:
    """An entry starts the file: `@article{...`."""
    return re.match(r"@\w+\s*\{", head(text)) is not None


def parse(data: bytes, text: str, source: str, as_of: dt.date) -> Digest:
    papers = [paper for body in ENTRY.findall(text) for paper in [entry_paper(body)] if paper]
    if not papers:
        raise SourceError("BibTeX without an entry that has a title", source=source)
    return Digest(source, as_of, tuple(papers), format="bibtex")


def entry_paper(body: str) -> Paper | None:
    fields = {name.lower(): " ".join(value.split()) for name, value in FIELD.findall(body)}
    if not fields.get("title"):
        return None
    authors = tuple(name.strip() for name in fields.get("author", "").split(" and ") if name.strip())
    return Paper(fields["title"], fields.get("abstract", ""), find_arxiv_id(fields.get("eprint", "")), authors)
