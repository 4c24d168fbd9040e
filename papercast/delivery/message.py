"""Build the email for one newsletter: multipart/alternative, text first, then HTML.

Every header value is made single-line before it is set, so paper text cannot inject
headers; non-ASCII names and subjects are RFC 2047 encoded by the email package.
"""

from __future__ import annotations

import binascii
import email.policy
import email.utils
import hashlib
import os
import re
import sys
import urllib.parse
from dataclasses import dataclass
from email.headerregistry import Address

from papercast.delivery import quoted
from papercast.delivery.wrap import wrap_html
from papercast.errors import ConfigError
from papercast.links.identity import list_address, reader_token
from papercast.links.reader import ReaderLinks
from papercast.links.signing import link_keys
from papercast.newsletter.inline import has_style_block, inline_css
from papercast.newsletter.render import RenderedNewsletter, one_line
from papercast.settings import Reader, Settings

# Headers whose value is a list of <URI>s: folded only between items, never encoded,
# so a long https URL stays one clickable token for mail clients.
URI_LIST_HEADERS = frozenset({"list-unsubscribe"})
CRLF = "\r\n"
# Values the email package writes unchanged on one line (tests/test_render_speed_message.py compares):
PLAIN_NAME = re.compile(r"(?:[A-Za-z0-9]+(?: [A-Za-z0-9]+)*)?")  # a display name of words and single spaces
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
PLAIN_MESSAGE_ID = re.compile(r"<[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+>")
URI = r"<[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]+>"
PLAIN_URI_LIST = re.compile(rf"{URI}(?:, {URI})*")
CRLF_BYTES = b"\r\n"
MIME_VERSION = b"MIME-Version: 1.0\r\n"


class NewsletterPolicy(email.policy.EmailPolicy):
    """The SMTP policy (CRLF, 78-column folding), except for URI-list headers."""

    def fold(self, name: str, value: str) -> str:
        if name.lower() in URI_LIST_HEADERS:
            items = re.findall(r"<[^<>\s]*>", str(value))
            return f"{name}: " + f",{self.linesep} ".join(items) + self.linesep
        return super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() in URI_LIST_HEADERS:
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


@dataclass(frozen=True)
class Unsubscribe:
    """How a reader leaves the list: a mailto always, and a web URL when there is one (the app's
    under [site] base_url, else the operator's [smtp] unsubscribe_url)."""

    mailto: str
    url: str | None

    @property
    def one_click(self) -> bool:
        """RFC 8058 one-click needs an https URI to POST to."""
        return bool(self.url and self.url.startswith("https://"))

    @property
    def body_link(self) -> str:
        return self.url or self.mailto

    @property
    def header(self) -> str:
        return ", ".join(f"<{uri}>" for uri in (self.url, self.mailto) if uri)


def message_id(issue_id: str, from_addr: str) -> str:
    """Stable per (reader, issue): a rerun of the same issue carries the same Message-ID."""
    domain = from_addr.rsplit("@", 1)[-1]
    return f"<{issue_id}@{domain}>"


def list_id(settings: Settings) -> str:
    return f"papercast newsletter <{list_address(settings.smtp)}>"


def unsubscribe_links(settings: Settings, reader: Reader, links: ReaderLinks | None = None) -> Unsubscribe:
    """With [site] base_url: the app's signed unsubscribe URL (papercast records it itself); else the
    operator's [smtp] unsubscribe_url when set; the mailto always."""
    smtp = settings.smtp
    mailto = f"mailto:{smtp.from_addr}?subject=unsubscribe"
    links = links or ReaderLinks.of(settings, link_keys(settings, os.environ))
    if links.base is not None:
        return Unsubscribe(mailto, links.unsubscribe(reader.email))
    if not smtp.unsubscribe_url:
        return Unsubscribe(mailto, None)
    list_addr = list_address(smtp)
    return Unsubscribe(
        mailto,
        smtp.unsubscribe_url.format(
            list=urllib.parse.quote(list_addr, safe=""),
            token=reader_token(list_addr, reader.email),
            email=urllib.parse.quote(reader.email, safe="@"),
        ),
    )


def address(name: str, addr: str) -> Address:
    username, _, domain = addr.partition("@")
    return Address(display_name=one_line(name), username=username, domain=domain)


class MessageComposer:
    """Composes newsletter emails as bytes: multipart/alternative, text first, then inlined HTML.

    The bytes are those `EmailMessage.as_bytes()` gives for the same message under
    `NewsletterPolicy` (tests compare the two), made without the email package's generic
    machinery: headers every message of the run shares are folded once, bodies encoded once.
    The same issue always composes to the same bytes: its Date is when it was planned and its
    MIME boundary derives from its id, so a rerun rewrites an interrupted outbox file identically.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.policy = NewsletterPolicy(linesep=CRLF)
        self.shared: dict[tuple[str, str], bytes] = {}
        self.links = ReaderLinks.of(settings, link_keys(settings, os.environ))

    def compose(self, rendered: RenderedNewsletter, sending: bool = False) -> ComposedMessage:
        """The complete message, ready to be written to the outbox and sent as it is. A message to
        be sent never carries unsigned app links (a worker without the secret fails instead)."""
        smtp = self.settings.smtp
        reader = rendered.plan.reader
        if sending and self.links.base is not None and not self.links.keys.signed:
            raise ConfigError(
                f"environment variable {self.settings.web.secret_env} is not set ([web] secret_env)",
                source="[web]",
                hint="every process that writes messages needs the link secret",
            )
        unsubscribe = unsubscribe_links(self.settings, reader, self.links)
        mid = message_id(rendered.plan.issue_id, smtp.from_addr)
        head = [
            self.fold_shared("Subject", one_line(rendered.subject)),
            self.fold_shared("From", address(smtp.from_name, smtp.from_addr)),
            self.fold_to(reader),
        ]
        if smtp.reply_to:
            head.append(self.fold_shared("Reply-To", one_line(smtp.reply_to)))
        date = email.utils.format_datetime(rendered.plan.planned_at)
        head += [
            self.fold_shared("Date", date),
            self.fold_message_id(mid),
            self.fold_shared("List-Id", list_id(self.settings)),
            self.fold_uri_list("List-Unsubscribe", unsubscribe.header),
        ]
        if unsubscribe.one_click:
            head.append(self.fold_shared("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
        head.append(self.fold_shared("MIME-Version", "1.0"))
        parts = [
            text_part(rendered.text, "plain", self.max_line),
            text_part(email_html(rendered.html, self.max_line), "html", self.max_line, MIME_VERSION),
        ]
        return ComposedMessage(mid, b"".join(head) + multipart_alternative(parts, rendered.plan.issue_id))

    def fold(self, name: str, value: str | Address) -> bytes:
        """One header line as the email package stores and writes it (CR/LF in a value is refused)."""
        name, header = self.policy.header_store_parse(name, value)
        return self.policy.fold_binary(name, header)

    def fold_to(self, reader: Reader) -> bytes:
        """The To line: a plain name and address (most readers) written as the email package writes them,
        anything else through it."""
        name = one_line(reader.name)
        if PLAIN_NAME.fullmatch(name) and PLAIN_ADDRESS.fullmatch(reader.email):
            written = self.as_it_is("To", f"{name} <{reader.email}>" if name else reader.email)
            if written:
                return written
        return self.fold("To", address(reader.name, reader.email))

    def fold_message_id(self, mid: str) -> bytes:
        """The Message-ID line: `<id@domain>` of plain characters on one line as it is, else through `fold`."""
        written = self.as_it_is("Message-ID", mid) if PLAIN_MESSAGE_ID.fullmatch(mid) else b""
        return written or self.fold("Message-ID", mid)

    def as_it_is(self, name: str, value: str) -> bytes:
        """The header line of a plain ASCII value that fits the policy's line, b"" when it does not fit."""
        line = f"{name}: {value}"
        return f"{line}{CRLF}".encode("ascii") if len(line) <= self.max_line else b""

    @property
    def max_line(self) -> int:
        return self.policy.max_line_length or 78  # the SMTP policy's 78 columns (set, never None)

    def fold_uri_list(self, name: str, value: str) -> bytes:
        """A URI-list header (List-Unsubscribe): URIs of URL characters (no encoded word, no line break)
        skip the email package's parsing, which would give them back unchanged."""
        if PLAIN_URI_LIST.fullmatch(value) and "=?" not in value:
            return self.policy.fold_binary(name, value)
        return self.fold(name, value)

    def fold_shared(self, name: str, value: str | Address) -> bytes:
        """`fold`, once per distinct value: for the headers most messages of a run share."""
        key = (name, str(value))
        if key not in self.shared:
            self.shared[key] = self.fold(name, value)
        return self.shared[key]


@dataclass(frozen=True)
class ComposedMessage:
    message_id: str
    data: bytes


def compose_message(rendered: RenderedNewsletter, settings: Settings) -> ComposedMessage:
    """One message; a batch shares one `MessageComposer`."""
    return MessageComposer(settings).compose(rendered)


def email_html(html: str, max_line: int) -> str:
    """The HTML a message carries: its CSS inlined (done once, in the template, unless the page still
    has a <style>), its lines within `max_line` where they can be."""
    return wrap_html(inline_css(html) if has_style_block(html) else html, max_line)


def text_part(text: str, subtype: str, max_line: int, extra_headers: bytes = b"") -> bytes:
    """A text/<subtype> utf-8 body part, headers included, as `set_content(text, subtype)` makes it.

    An html part added as an alternative carries its own MIME-Version line (`extra_headers`).
    """
    cte, body = encode_text(text, max_line)
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}Content-Transfer-Encoding: {cte}{CRLF}'.encode("ascii")
        + extra_headers
        + CRLF_BYTES
        + body
    )


def encode_text(text: str, max_line: int) -> tuple[str, bytes]:
    """The transfer encoding the email package picks for utf-8 text, and the body it writes.

    Lines that fit: 7bit, else 8bit; longer lines: quoted-printable unless base64 is shorter
    on the first ten lines.
    """
    lines = text.encode("utf-8").splitlines()
    if max(map(len, lines), default=0) <= max_line:
        return ("7bit" if text.isascii() else "8bit"), crlf_lines(lines)
    sniff = CRLF_BYTES.join(lines[:10]) + CRLF_BYTES
    sniff_qp = quoted.body_encode(sniff, max_line)
    if len(sniff_qp) > len(binascii.b2a_base64(sniff)):
        return "base64", base64_lines(CRLF_BYTES.join(lines) + CRLF_BYTES, max_line)
    if len(lines) <= 10:
        return "quoted-printable", sniff_qp.replace(b"\n", CRLF_BYTES)
    return "quoted-printable", quoted.body_encode(b"\n".join(lines) + b"\n", max_line, CRLF_BYTES)


def crlf_lines(lines: list[bytes]) -> bytes:
    return CRLF_BYTES.join(lines) + CRLF_BYTES


def crlf_text(text: str) -> bytes:
    """An encoded body (quoted-printable or base64: lines end in LF alone) with CRLF line ends."""
    return text.replace("\n", CRLF).encode("ascii")


def base64_lines(data: bytes, max_line: int) -> bytes:
    step = max_line // 4 * 3
    encoded = "".join(binascii.b2a_base64(data[i : i + step]).decode("ascii") for i in range(0, len(data), step))
    return crlf_text(encoded)


def multipart_alternative(parts: list[bytes], seed: str) -> bytes:
    """The multipart/alternative header and body around the parts, with a boundary none of them holds."""
    boundary = mime_boundary(CRLF_BYTES.join(parts), seed)
    head = f'Content-Type: multipart/alternative;{CRLF} boundary="{boundary}"{CRLF}{CRLF}'.encode("ascii")
    delimiter = f"{CRLF}--{boundary}{CRLF}".encode("ascii")
    return (
        head
        + f"--{boundary}{CRLF}".encode("ascii")
        + delimiter.join(parts)
        + f"{CRLF}--{boundary}--{CRLF}".encode("ascii")
    )


def mime_boundary(text: bytes, seed: str) -> str:
    """A boundary in the email package's form (===============<19 digits>==), absent from `text`;
    its digits derive from `seed` (the issue id), so the same issue gets the same boundary."""
    digits = int(hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16], 16) % sys.maxsize
    boundary = "=" * 15 + f"{digits:019d}" + "=="
    candidate, counter = boundary, 0
    while boundary_line_in(text, candidate):
        candidate, counter = f"{boundary}.{counter}", counter + 1
    return candidate


def boundary_line_in(text: bytes, boundary: str) -> bool:
    """Whether a line of `text` is --boundary or --boundary-- (the email package's test)."""
    marker = b"--" + boundary.encode("ascii")
    return marker in text and re.search(b"^" + re.escape(marker) + b"(--)?$", text, re.MULTILINE) is not None
