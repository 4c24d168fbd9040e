"""Where a paper's title links to, in newsletters and on the public pages.

1. Its arXiv abstract page when the arXiv id is known: the paper's canonical home, with the PDF,
   versions and listings one click away. A later source that brings the id (an arXiv feed, the
   daily-papers JSON) fills it in the store, so pages written after that use this link.
2. Else the page the source linked to, when it is an absolute http(s) URL (a paper feed's entry).
3. Else an arXiv title search: the papers without an id come from the Daily Papers page text,
   which lists arXiv papers only, and arXiv's title search puts the paper's abstract first. It needs
   no login and sets no tracking, unlike a general web or scholar search, and it lands on the same
   site as case 1.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus, urlsplit

from papercast.models import StoredPaper

ARXIV_ABSTRACT = "https://arxiv.org/abs/{id}"
ARXIV_TITLE_SEARCH = "https://arxiv.org/search/?query={query}&searchtype=title"
PUBLIC_SCHEMES = ("http", "https")
TEX_RESIDUE = re.compile(r"[$\\{}^_]")


def public_link(link: str | None) -> str | None:
    """A link when it is an absolute http(s) URL; anything else (javascript:, relative) is dropped."""
    if not link:
        return None
    parts = urlsplit(link.strip())
    return link.strip() if parts.scheme.lower() in PUBLIC_SCHEMES and parts.netloc else None


def paper_home(paper: StoredPaper) -> str | None:
    """The paper's own page: its arXiv abstract, else the source's http(s) link; None when neither is known."""
    if paper.arxiv_id:
        return ARXIV_ABSTRACT.format(id=quote_plus(paper.arxiv_id, safe="/."))
    return public_link(paper.link)


def title_search(title: str) -> str:
    """An arXiv title search for the paper, TeX residue and extra whitespace left out."""
    words = " ".join(TEX_RESIDUE.sub(" ", title).split())
    return ARXIV_TITLE_SEARCH.format(query=quote_plus(words))


def paper_url(paper: StoredPaper) -> str:
    """Always an absolute https URL that leads to the paper."""
    return paper_home(paper) or title_search(paper.title)
