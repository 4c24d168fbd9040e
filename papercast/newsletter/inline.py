"""The email templates' CSS inlined once, when a template is loaded, instead of into every message.

Email clients drop <style>, so a newsletter's HTML carries its CSS in style attributes. Inlining a
rendered page cost 0.34 ms, a quarter of composing a message; but the markup the styles land on is
the template's, the same for every reader. So the template is inlined: its <style> block rendered,
its Jinja tags held in placeholders while css-inline moves the CSS into the markup, then put back.

A template the HTML parser would rearrange (a Jinja tag directly inside <table>, outside a cell, is
moved out of it) is kept as written: its pages keep their <style>, and `inline_css` inlines each
rendered page as before. tests/test_inline_templates.py checks both give the same page.
"""

from __future__ import annotations

import html.parser
import re

import css_inline
import jinja2

INLINED_TEMPLATES = frozenset({"newsletter.html.j2", "nothing_new.html.j2"})  # the pages that are mailed
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.DOTALL | re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b", re.IGNORECASE)
MARK = "pcjinjatag"
PLACEHOLDER = re.compile(MARK + r"(\d+)x")


def inline_css(html: str) -> str:
    """Email clients drop <style>: move the CSS into style attributes, never fetching remote sheets."""
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)
    return inliner.inline(html)


def has_style_block(html: str) -> bool:
    """Whether a rendered page still has CSS to inline (its template could not be inlined)."""
    return STYLE_TAG.search(html) is not None


def inlined_template(env: jinja2.Environment, source: str) -> str | None:
    """`source` with its CSS in style attributes and its Jinja tags unchanged, or None when that cannot
    be done safely: no <style>, CSS that needs a page's context, or markup the parser rearranges."""
    style = STYLE_BLOCK.search(source)
    if style is None or MARK in source:
        return None
    try:
        css = env.from_string(style.group(1)).render()
    except jinja2.TemplateError:
        return None
    page = f"{source[: style.start()]}<style>{css}</style>{source[style.end() :]}"
    tags = JINJA_TAG.findall(page)
    held = JINJA_TAG.sub(numbered_placeholders(), page)
    inlined = inline_css(held)
    if markup_order(inlined) != markup_order(held):
        return None  # a tag was moved (out of a <table>), dropped or doubled: the parser rearranged the markup
    return PLACEHOLDER.sub(lambda match: tags[int(match.group(1))], inlined)


class MarkupOrder(html.parser.HTMLParser):
    """The order of a page's elements and placeholders, leaving out what an HTML parser adds on its own
    (html, head, body, tbody) and the <style> element that inlining removes."""

    IMPLIED = frozenset({"html", "head", "body", "tbody", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.order: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self.IMPLIED:
            self.order.append(tag)

    def handle_data(self, data: str) -> None:
        self.order += PLACEHOLDER.findall(data)


def markup_order(page: str) -> list[str]:
    parser = MarkupOrder()
    parser.feed(page)
    parser.close()
    return parser.order


def numbered_placeholders():
    count = iter(range(1 << 30))
    return lambda _: f"{MARK}{next(count)}x"


class InliningLoader(jinja2.FileSystemLoader):
    """Templates from a folder; the mailed pages' CSS inlined on load (the environment caches them)."""

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        if template in INLINED_TEMPLATES:
            source = inlined_template(environment, source) or source
        return source, filename, uptodate
