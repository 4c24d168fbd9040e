"""Signed links without a server: what is signed, what breaks a signature, secrets and their rotation,
and the one-line refusals (a short secret; --send with [site] base_url but no secret)."""

from __future__ import annotations

import pytest

from conftest import write_config
from papercast.config import load_settings
from papercast.errors import ConfigError
from papercast.preflight import prepare_run
from papercast.links.reader import ReaderLinks, link_state
from papercast.links.signing import UNSIGNED, LinkKeys, SignedLink, link_keys, required_keys

OLD, NEW = "old-secret-0123456789abcdef", "new-secret-fedcba9876543210"
BASE = '[site]\nbase_url = "https://papers.example.org/news/"\n'


@pytest.fixture
def settings(tmp_path):
    return load_settings(write_config(tmp_path, extra=BASE))


def keys(*secrets: str) -> LinkKeys:
    return LinkKeys(tuple(secret.encode() for secret in secrets))


LINK = SignedLink("unsubscribe", "reader1", "papercast.example.org", "")
ALTERED = {
    "other action": SignedLink("resubscribe", "reader1", "papercast.example.org", ""),
    "other reader": SignedLink("unsubscribe", "reader2", "papercast.example.org", ""),
    "other list": SignedLink("unsubscribe", "reader1", "papercast.example.net", ""),
    "other paper": SignedLink("unsubscribe", "reader1", "papercast.example.org", "arxiv:2611.00001"),
    "fields shifted": SignedLink("unsubscribe", "reader1papercast.example.org", "", ""),
}


def test_a_signature_checks_out_only_for_what_was_signed():
    signer = keys(NEW)
    signature = signer.sign(LINK)
    assert signer.verify(LINK, signature) == 0 and len(signature) == 22
    for name, other in ALTERED.items():
        assert signer.verify(other, signature) is None, name


@pytest.mark.parametrize("tamper", [
    lambda s: s[:-1], lambda s: s[:10], lambda s: "", lambda s: s + "A",
    lambda s: ("B" if s[0] != "B" else "C") + s[1:], lambda s: s.upper() if s != s.upper() else s.lower(),
    lambda s: UNSIGNED, lambda s: "é" * 22,
], ids=["cut by one", "cut short", "empty", "extended", "first char changed", "case changed", "unsigned",
        "non-ascii"])
def test_a_cut_or_changed_signature_is_refused(tamper):
    signer = keys(NEW)
    assert signer.verify(LINK, tamper(signer.sign(LINK))) is None


def test_rotation_new_secret_signs_the_previous_still_verifies_until_dropped():
    old_signature = keys(OLD).sign(LINK)
    rotating = keys(NEW, OLD)
    assert rotating.sign(LINK) == keys(NEW).sign(LINK) != old_signature
    assert rotating.verify(LINK, old_signature) == 1  # grace period: accepted, and known to be old
    assert keys(NEW).verify(LINK, old_signature) is None  # the old secret dropped: refused


def test_reader_ids_are_opaque_stable_and_depend_on_the_secret():
    signer = keys(NEW, OLD)
    first = signer.reader_id("Ada@Example.org")
    assert first == signer.reader_id("ada@example.org") == keys(NEW).reader_id("ada@example.org")
    assert "ada" not in first and "example" not in first and len(first) == 16
    assert signer.reader_id("ada@example.org", 1) == keys(OLD).reader_id("ada@example.org") != first
    assert signer.reader_id("grace@example.org") != first


def test_links_are_deterministic_and_carry_only_the_opaque_id(settings):
    links = ReaderLinks.of(settings, keys(NEW))
    url = links.unsubscribe("ada@example.org")
    assert url == ReaderLinks.of(settings, keys(NEW)).unsubscribe("ada@example.org")
    assert url.startswith("https://papers.example.org/news/unsubscribe?r=") and "ada" not in url
    assert "&l=papercast.localhost&s=" in url and links.resubscribe("ada@example.org") != url


def test_without_a_secret_links_are_unsigned_and_say_so(settings):
    url = ReaderLinks.of(settings, LinkKeys()).unsubscribe("ada@example.org")
    assert url.endswith("&s=unsigned")
    assert link_state(settings, {}) == "unsigned"
    assert link_state(settings, {"PAPERCAST_WEB_SECRET": NEW}) == "signed"


def test_no_base_url_no_app_links(tmp_path):
    settings = load_settings(write_config(tmp_path))
    assert link_state(settings, {"PAPERCAST_WEB_SECRET": NEW}) == "none"
    assert ReaderLinks.of(settings, keys(NEW)).unsubscribe("ada@example.org") is None


def test_the_variable_may_hold_the_current_and_previous_secrets(settings):
    loaded = link_keys(settings, {"PAPERCAST_WEB_SECRET": f"  {NEW}\n{OLD} "})
    assert loaded.secrets == (NEW.encode(), OLD.encode())
    assert NEW not in repr(loaded)  # never printed by accident


def test_a_short_secret_is_one_line_naming_the_variable(settings):
    with pytest.raises(ConfigError) as caught:
        link_keys(settings, {"PAPERCAST_WEB_SECRET": f"{NEW} short"})
    assert "PAPERCAST_WEB_SECRET: secret 2 has fewer than 16 characters" in caught.value.one_line()
    assert "short" not in caught.value.one_line().replace("shorter", "")


def test_required_keys_name_the_variable_from_the_config(tmp_path):
    settings = load_settings(write_config(tmp_path, extra=BASE + '[web]\nsecret_env = "MY_LINK_SECRET"\n'))
    with pytest.raises(ConfigError, match="environment variable MY_LINK_SECRET is not set"):
        required_keys(settings, {"PAPERCAST_WEB_SECRET": NEW}, "test")
    assert required_keys(settings, {"MY_LINK_SECRET": NEW}, "test").signed


def test_web_section_is_validated_like_the_others(tmp_path):
    with pytest.raises(ConfigError, match=r"web.secret_env: String should match pattern"):
        load_settings(write_config(tmp_path, extra='[web]\nsecret_env = "not a name"\n'))
    with pytest.raises(ConfigError, match=r"web.secret: unknown key"):
        load_settings(write_config(tmp_path, extra='[web]\nsecret = "in the config"\n'))


def test_send_with_base_url_and_no_secret_stops_before_anything_runs(tmp_path, monkeypatch):
    config = write_config(tmp_path, extra=BASE)
    monkeypatch.delenv("PAPERCAST_WEB_SECRET", raising=False)
    with pytest.raises(ConfigError, match="PAPERCAST_WEB_SECRET is not set"):
        prepare_run(str(config), send=True)
    assert prepare_run(str(config), send=False).settings.site.base_url  # a dry run goes ahead, unsigned
    assert not (tmp_path / "state").exists()


def test_cli_send_without_the_secret_is_one_line_on_stderr(tmp_path, monkeypatch, capsys):
    from papercast.cli import main

    config = write_config(tmp_path, extra=BASE)
    monkeypatch.delenv("PAPERCAST_WEB_SECRET", raising=False)
    assert main(["run", "--config", str(config), "--send", "--json"]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "PAPERCAST_WEB_SECRET is not set ([web] secret_env)" in err
    assert not (tmp_path / "state").exists() and not (tmp_path / "archive").exists()
