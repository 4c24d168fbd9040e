"""The reader app against hostile input, over real sockets to uvicorn on 127.0.0.1: links into private
folders (symlinks, hard links), forms it does not know, paths that try to write into its log, and an
error nobody planned for. Real newsletters from a real Daily Papers capture.
"""

from __future__ import annotations

import logging
import os

import httpx
import pytest

from conftest import free_port
from papercast.store import Store
from papercast.web.server import AppServer
from webapp import SECRET, build_site, raw_request, state_dump, subscriptions, unsubscribe_url

pytestmark = pytest.mark.slow
ADA = "ada@example.org"
DIGEST = "001_0b28249de3011a72.txt"
ENV = {"PAPERCAST_WEB_SECRET": SECRET}
SECURITY = ("x-content-type-options", "content-security-policy", "referrer-policy", "x-frame-options")


@pytest.fixture(scope="module")
def site(tmp_path_factory, shared_digests):
    folder = tmp_path_factory.mktemp("hostile-site")
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAPERCAST_WEB_SECRET", SECRET)
        built = build_site(folder, f"http://127.0.0.1:{port}/", shared_digests / DIGEST)
    with AppServer(built.settings, ENV, port=port) as server:
        yield built, server


@pytest.fixture(autouse=True)
def everyone_subscribed(site):
    with Store.of(site[0].settings) as store, store.database.transaction() as db:
        db.execute("DELETE FROM reader_subscriptions")


def post(site, body: bytes, content_type: str) -> httpx.Response:
    return httpx.post(unsubscribe_url(site[0].emls[ADA]), content=body, headers={"Content-Type": content_type},
                      timeout=10)


# -- public means public (finding 4) --------------------------------------------------------------


@pytest.fixture
def private_links(site):
    """What the attack put in place: index.html a symlink to a reader's message, the profiles folder a
    symlink to a reader's newsletters, an edition a hard link to a newsletter. Put back afterwards."""
    archive = site[0].settings.paths.archive
    index, profiles = archive / "index.html", archive / "profiles"
    index.rename(archive / "index.html.real")
    profiles.rename(archive / "profiles.real")
    index.symlink_to(site[0].emls[ADA])
    reader_folder = next((archive / "newsletters").iterdir())
    profiles.symlink_to(reader_folder, target_is_directory=True)
    newsletter = next(reader_folder.glob("*.html"))
    hard = archive / "editions" / "hard.html"
    os.link(newsletter, hard)
    yield newsletter
    hard.unlink()
    index.unlink()
    profiles.unlink()
    (archive / "index.html.real").rename(index)
    (archive / "profiles.real").rename(profiles)


def test_index_html_symlinked_to_a_message_in_the_outbox_is_404(site, private_links):
    built, server = site
    for target in ("/index.html", "/"):
        status, body = raw_request(server.url, target)
        assert status == 404 and b"List-Unsubscribe" not in body, target


def test_a_public_folder_symlinked_to_a_readers_newsletters_is_404(site, private_links):
    built, server = site
    status, body = raw_request(server.url, "/profiles/" + private_links.name)
    assert status == 404 and body != private_links.read_bytes()


def test_a_hard_link_to_a_newsletter_inside_editions_is_404(site, private_links):
    built, server = site
    assert (built.settings.paths.archive / "editions" / "hard.html").stat().st_nlink == 2
    assert raw_request(server.url, "/editions/hard.html")[0] == 404


def test_the_real_public_files_are_still_served(site):
    built, server = site
    archive = built.settings.paths.archive
    edition = next((archive / "editions").rglob("20*.html")).relative_to(archive).as_posix()
    for target in ("/", "/index.html", "/profiles/efficient-llm.html", "/feeds/all.rss.xml", "/" + edition):
        assert raw_request(server.url, target)[0] == 200, target


# -- only known forms (findings 5 and 9) -----------------------------------------------------------


MULTIPART = "multipart/form-data; boundary=XyZ"


def multipart(charset: str | None, fields: list[tuple[str, str]]) -> bytes:
    kind = f"text/plain; charset={charset}" if charset else "text/plain"
    parts = "".join(f'--XyZ\r\nContent-Disposition: form-data; name="{name}"\r\nContent-Type: {kind}\r\n\r\n'
                    f"{value}\r\n" for name, value in fields)
    return (parts + "--XyZ--\r\n").encode("latin-1")


@pytest.mark.parametrize(("case", "body", "kind"), [
    ("multipart part in an unknown charset", multipart("x-bogus", [("List-Unsubscribe", "One-Click")]), MULTIPART),
    ("multipart confirm twice", multipart(None, [("confirm", "no"), ("confirm", "yes")]), MULTIPART),
    ("urlencoded confirm twice", b"confirm=no&confirm=yes", "application/x-www-form-urlencoded"),
    ("one-click twice", b"List-Unsubscribe=No&List-Unsubscribe=One-Click", "application/x-www-form-urlencoded"),
    ("text/plain body", b"confirm=yes", "text/plain"),
    ("json body", b"confirm=yes", "application/json"),
    ("no content type", b"confirm=yes", ""),
    ("urlencoded in an unknown charset", b"confirm=yes", "application/x-www-form-urlencoded; charset=x-bogus"),
    ("urlencoded, not utf-8", b"confirm=yes&x=%ff%fe", "application/x-www-form-urlencoded"),
])
def test_a_form_the_app_does_not_know_is_400_and_changes_nothing(site, case, body, kind):
    built, server = site
    before = state_dump(built.settings)
    reply = post(site, body, kind)
    assert reply.status_code == 400, (case, reply.status_code, reply.text[:200])
    assert all(name in reply.headers for name in SECURITY)
    assert state_dump(built.settings) == before


@pytest.mark.parametrize("charset", [None, "utf-8", "UTF-8", "us-ascii"])
def test_a_multipart_one_click_in_a_known_charset_still_unsubscribes(site, charset):
    built, server = site
    reply = post(site, multipart(charset, [("List-Unsubscribe", "One-Click")]), MULTIPART)
    assert reply.status_code == 200 and reply.text == "unsubscribed\n"
    assert subscriptions(built.settings) == {ADA: "unsubscribed"}


def test_an_urlencoded_form_with_its_charset_named_still_works(site):
    built, server = site
    reply = post(site, b"confirm=yes", "application/x-www-form-urlencoded; charset=UTF-8")
    assert reply.status_code == 200 and subscriptions(built.settings) == {ADA: "unsubscribed"}


# -- logs that cannot lie (finding 6) --------------------------------------------------------------


def test_control_characters_from_a_request_never_reach_the_log(site, caplog):
    built, server = site
    caplog.set_level(logging.INFO, logger="papercast.web")
    forged = "/x%0d%0aINFO%20papercast.web:%20GET%20/admin%20200%0a%1b[31mred%1b[0m%00%e2%80%ae"
    assert raw_request(server.url, forged)[0] == 404
    logged = [record.getMessage() for record in caplog.records if record.name.startswith("papercast.web")]
    line = next(text for text in logged if "/x" in text)
    assert line.startswith("GET /x\\r\\nINFO papercast.web: GET /admin 200\\n\\x1b[31mred\\x1b[0m\\x00\\u202e 404")
    assert not any(ch < " " or ch in "\x7f\u202e" for text in logged for ch in text)


# -- an error nobody planned for --------------------------------------------------------------------


def test_an_unexpected_error_is_a_plain_500_page_with_the_headers_and_one_log_line(tmp_path, shared_digests,
                                                                                   monkeypatch, caplog):
    monkeypatch.setenv("PAPERCAST_WEB_SECRET", SECRET)
    port = free_port()
    built = build_site(tmp_path, f"http://127.0.0.1:{port}/", shared_digests / DIGEST)
    caplog.set_level(logging.INFO)
    with AppServer(built.settings, ENV, port=port) as server:
        state = built.settings.paths.state
        for name in (state.name + "-wal", state.name + "-shm"):
            (state.parent / name).unlink(missing_ok=True)
        state.write_bytes(b"this is not a database" * 100)  # the state damaged while the app runs
        reply = httpx.get(unsubscribe_url(built.emls[ADA]), timeout=10)
    assert reply.status_code == 500 and all(name in reply.headers for name in SECURITY)
    assert "Traceback" not in reply.text and "Something went wrong" in reply.text
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is None and "\n" not in errors[0].getMessage()
    assert "GET /unsubscribe" in errors[0].getMessage()
