"""The HTML part within 78 columns: broken only at spaces, so it needs no transfer encoding and looks the same."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

from conftest import write_config
from papercast.config import load_settings
from papercast.delivery.message import compose_message
from papercast.delivery.wrap import wrap_html
from papercast.models import Assignment, StoredPaper
from papercast.newsletter.plan import Item, NewsletterPlan, Section
from papercast.newsletter.inline import has_style_block
from papercast.newsletter.render import make_environment, render_newsletter
from papercast.settings import Reader

WHEN = dt.datetime(2026, 11, 23, 7, 30, tzinfo=dt.timezone.utc)


def newsletter(tmp_path, unsubscribe: str):
    reader = Reader(email="ada@example.org", name="Zoë Ünal", profiles=["efficient-llm"], max_papers=5)
    items = tuple(
        Item(StoredPaper(id=f"t:{n}", title=f"Paper {n}: a title long enough to need a second line of its own",
                         abstract="Serving long documents is dominated by the KV cache — “quoted”. " * 6,
                         first_seen=dt.date(2026, 11, 16), first_source="digest.txt",
                         link=f"https://arxiv.org/abs/2411.0000{n}"),
             Assignment(f"t:{n}", "efficient-llm", 0.8, "title mentions quantization; abstract mentions cache"))
        for n in range(3))
    plan = NewsletterPlan("2026-11-23-ada-abc123-0000", reader, dt.date(2026, 11, 23),
                          (Section("efficient-llm", "Efficient LLM inference", items),), WHEN)
    settings = load_settings(write_config(tmp_path, extra='[smtp]\nfrom_addr = "papers@example.org"\n'))
    rendered = render_newsletter(make_environment(), plan, unsubscribe_url=unsubscribe)
    raw = compose_message(rendered, settings).data
    return rendered, raw, email.message_from_bytes(raw, policy=email.policy.default).get_body(("html",))


def test_html_part_goes_8bit_within_78_columns_and_differs_only_in_white_space(tmp_path):
    rendered, raw, part = newsletter(tmp_path, "mailto:papers@example.org?subject=unsubscribe")
    assert part["Content-Transfer-Encoding"] == "8bit"
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78
    inlined = rendered.html  # its template was inlined on load (papercast/newsletter/inline.py)
    assert not has_style_block(inlined)
    assert part.get_content() != inlined
    assert part.get_content().split() == inlined.split()  # a space became a line break, nothing else
    assert "<!--[if mso]><table" in part.get_content()  # the Outlook condition is never cut


def test_a_line_without_a_space_to_break_at_leaves_the_html_as_it_was(tmp_path):
    long_url = "https://example.org/unsubscribe?reader=" + "x" * 80
    rendered, _, part = newsletter(tmp_path, long_url)
    assert part["Content-Transfer-Encoding"] == "quoted-printable"
    assert part.get_content().splitlines() == rendered.html.splitlines()  # no line was cut


def test_white_space_that_matters_is_never_wrapped():
    for html in ("<pre>" + "word " * 30 + "</pre>", '<p style="white-space: pre">' + "word " * 30 + "</p>"):
        assert wrap_html(html, 78) == html
    plain = "<p>" + "word " * 30 + "</p>"
    assert wrap_html(plain, 78) != plain and wrap_html(plain, 78).split() == plain.split()

