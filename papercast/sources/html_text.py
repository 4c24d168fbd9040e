"""Plain text out of the HTML that feeds put in titles, abstracts and author lists.

The standard library's HTML parser reads the markup; nothing is evaluated, scripts and
styles are dropped with their content, entities are decoded, whitespace is folded.
"""

from __future__ import annotations

from html.parser import HTMLParser

DROPPED = {"script", "style", "template", "noscript", "iframe", "object"}
BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}


class TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED:
            self.hidden += 1
        elif tag in BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in DROPPED:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of an HTML fragment, on one line."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    collector = TextCollector()
    collector.feed(html)
    collector.close()
    return " ".join("".join(collector.parts).split())
