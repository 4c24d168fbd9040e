"""The SMTP sender against a real aiosmtpd server on 127.0.0.1: reuse, retries, rejections, TLS, login."""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mailserver import Recorder, free_port, mail_server, password_checker
from papercast.settings import Smtp
from papercast.errors import DeliveryError
from papercast.delivery.smtp import MessageRejected, Pacer, SmtpSender, smtp_password


def smtp_config(port: int, **options) -> Smtp:
    defaults = {"host": "127.0.0.1", "port": port, "security": "none", "timeout": 5,
                "retries": 2, "retry_backoff": 0.01, "from_addr": "papers@example.org"}
    return Smtp(**{**defaults, **options})


def message(n: int, to: str = "ada@example.org") -> bytes:
    return (f"From: papers@example.org\r\nTo: {to}\r\nSubject: test {n}\r\n"
            f"Message-ID: <m{n}@example.org>\r\n\r\nbody {n}\r\n").encode()


def test_one_connection_carries_every_message():
    with mail_server() as (server, port), SmtpSender(smtp_config(port), None) as sender:
        for n in range(5):
            sender.send(f"reader{n}@example.org", message(n))
    assert [item.rcpt_tos for item in server.received] == [[f"reader{n}@example.org"] for n in range(5)]
    assert server.received[3].message["Subject"] == "test 3"
    assert server.sessions == 1


def test_451_then_250_is_retried_and_accepted():
    with mail_server(Recorder(data_replies=["451 4.3.0 try again later"])) as (server, port):
        with SmtpSender(smtp_config(port), None) as sender:
            sender.send("ada@example.org", message(1))
    assert server.attempts == 2
    assert len(server.received) == 1


def test_dropped_connection_is_retried_on_a_new_connection():
    with mail_server(Recorder(drop_next_data=1)) as (server, port):
        with SmtpSender(smtp_config(port), None) as sender:
            sender.send("ada@example.org", message(1))
    assert len(server.received) == 1
    assert server.sessions == 2


def test_550_for_one_recipient_is_permanent_and_the_others_still_go():
    recorder = Recorder(rcpt_replies={"gone@example.org": ["550 5.1.1 no such user"]})
    outcomes = {}
    with mail_server(recorder) as (server, port), SmtpSender(smtp_config(port), None) as sender:
        for to in ["ada@example.org", "gone@example.org", "grace@example.org"]:
            try:
                sender.send(to, message(len(outcomes), to))
                outcomes[to] = "sent"
            except MessageRejected as exc:
                outcomes[to] = (exc.permanent, exc.message)
    assert outcomes == {"ada@example.org": "sent", "gone@example.org": (True, "550 5.1.1 no such user"),
                        "grace@example.org": "sent"}
    assert [item.rcpt_tos for item in server.received] == [["ada@example.org"], ["grace@example.org"]]


def test_4xx_until_retries_run_out_is_a_transient_rejection():
    with mail_server(Recorder(data_replies=["452 4.2.2 mailbox full"] * 3)) as (server, port):
        with SmtpSender(smtp_config(port, retries=2), None) as sender, pytest.raises(MessageRejected) as caught:
            sender.send("ada@example.org", message(1))
    assert caught.value.permanent is False
    assert "452 4.2.2 mailbox full (after 3 attempts)" in caught.value.message
    assert server.attempts == 3 and server.received == []


def test_unreachable_server_is_a_delivery_error_for_the_batch():
    with SmtpSender(smtp_config(free_port(), retries=1), None) as sender, pytest.raises(DeliveryError) as caught:
        sender.send("ada@example.org", message(1))
    assert not isinstance(caught.value, MessageRejected)
    assert "cannot deliver after 2 attempts" in caught.value.one_line()


def test_login_uses_the_password_from_the_named_environment_variable():
    config = smtp_config(25, username="papercast", password_env="TEST_SMTP_PASSWORD")
    password = smtp_password(config, {"TEST_SMTP_PASSWORD": "s3cret"})
    checker = password_checker("papercast", "s3cret")
    with mail_server(authenticator=checker, auth_require_tls=False) as (server, port):
        with SmtpSender(config.model_copy(update={"port": port}), password) as sender:
            sender.send("ada@example.org", message(1))
        with SmtpSender(config.model_copy(update={"port": port}), "wrong") as sender, \
                pytest.raises(DeliveryError, match="login as papercast refused"):
            sender.send("ada@example.org", message(2))
    assert len(server.received) == 1


def test_missing_password_variable_is_one_line_naming_it():
    config = smtp_config(25, username="papercast", password_env="TEST_SMTP_PASSWORD")
    with pytest.raises(DeliveryError) as caught:
        smtp_password(config, {})
    line = caught.value.one_line()
    assert "TEST_SMTP_PASSWORD is not set" in line and "\n" not in line


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    import ipaddress

    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_modes_verify_the_server_and_deliver(tmp_path, security):
    cert, key = self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    client_tls = ssl.create_default_context(cafile=str(cert))
    options = ({"tls_context": server_tls, "require_starttls": True} if security == "starttls"
               else {"ssl_context": server_tls})
    with mail_server(**options) as (server, port):
        with SmtpSender(smtp_config(port, security=security), None, ssl_context=client_tls) as sender:
            sender.send("ada@example.org", message(1))
        untrusted = ssl.create_default_context()  # the system CAs do not know this certificate
        with SmtpSender(smtp_config(port, security=security, retries=0), None, ssl_context=untrusted) as sender, \
                pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
            sender.send("grace@example.org", message(2))
    assert [item.rcpt_tos for item in server.received] == [["ada@example.org"]]


def test_pacer_spaces_messages_at_the_rate_limit():
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(4.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        pacer.wait()
    assert now[0] == pytest.approx(101.0)  # 5 starts at 4/s: the fifth at +1 s
    assert Pacer(0).interval == 0
