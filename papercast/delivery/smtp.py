"""Hand messages to an SMTP server: one connection reused, paced, with retries on transient trouble.

A 4xx reply or a dropped connection is retried with exponential backoff on a fresh
connection; a 5xx reply is a permanent rejection of that message (`MessageRejected`), and the
caller goes on with the next one. When the server cannot be reached at all after the retries,
`DeliveryError` stops the batch: every other message would fail the same way.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable, Mapping

from papercast.delivery.channels import MessageRejected
from papercast.errors import DeliveryError
from papercast.settings import Smtp

HINT = "check the [smtp] section and the mail server"  # the email channel's errors


def smtp_password(smtp: Smtp, environ: Mapping[str, str]) -> str | None:
    """The password from the environment variable named by smtp.password_env; a one-line error if unset."""
    if not smtp.password_env:
        if smtp.username:
            raise DeliveryError(
                "smtp.username is set but smtp.password_env is not",
                source="[smtp]",
                hint="name the environment variable that holds the password",
            )
        return None
    password = environ.get(smtp.password_env)
    if not password:
        raise DeliveryError(
            f"environment variable {smtp.password_env} is not set (smtp.password_env)",
            source="[smtp]",
            hint=f"export {smtp.password_env} with the SMTP password, or run without --send for a dry run",
        )
    return password


def reply_text(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}"


class Pacer:
    """At most `rate` starts per second (0: no limit)."""

    def __init__(
        self, rate: float, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self.next_slot = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if now < self.next_slot:
            self.sleep(self.next_slot - now)
        self.next_slot = max(now, self.next_slot) + self.interval


class SmtpSender:
    """Use as a context manager; `send` connects on first use and reuses the connection."""

    def __init__(
        self,
        smtp: Smtp,
        password: str | None,
        ssl_context: ssl.SSLContext | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.smtp, self.password, self.sleep = smtp, password, sleep
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.pacer = Pacer(smtp.rate_limit, sleep=sleep)
        self.connection: smtplib.SMTP | None = None
        self.where = f"smtp://{smtp.host}:{smtp.port}"

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()

    def connect(self) -> smtplib.SMTP:
        if self.connection is None or self.connection.sock is None:
            self.connection = self.open_connection()
        return self.connection

    def open_connection(self) -> smtplib.SMTP:
        smtp = self.smtp
        connection: smtplib.SMTP
        if smtp.security == "ssl":
            connection = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=self.ssl_context)
        else:
            connection = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        try:
            self.greet(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def greet(self, connection: smtplib.SMTP) -> None:
        connection.ehlo()
        if self.smtp.security == "starttls":
            connection.starttls(context=self.ssl_context)
            connection.ehlo()
        if self.smtp.username:
            try:
                connection.login(self.smtp.username, self.password or "")
            except smtplib.SMTPAuthenticationError as exc:
                raise DeliveryError(
                    f"login as {self.smtp.username} refused: {reply_text(exc.smtp_code, exc.smtp_error)}",
                    source=self.where,
                    hint="check smtp.username and the password variable",
                ) from None

    def send(self, recipient: str, data: bytes) -> None:
        """Deliver one message (already a complete RFC 5322 message) to one recipient."""
        for attempt in range(self.smtp.retries + 1):
            if attempt:
                self.sleep(self.smtp.retry_backoff * 2 ** (attempt - 1))
            self.pacer.wait()
            trouble = self.try_send(recipient, data)
            if trouble is None:
                return
            kind, reason = trouble
        if kind == "connection":
            raise DeliveryError(
                f"cannot deliver after {self.smtp.retries + 1} attempts: {reason}", source=self.where, hint=HINT
            )
        raise MessageRejected(
            f"{reason} (after {self.smtp.retries + 1} attempts)", permanent=False, source=self.where, hint=HINT
        )

    def try_send(self, recipient: str, data: bytes) -> tuple[str, str] | None:
        """None when accepted; ('reply', text) for a 4xx; ('connection', text) when the link failed."""
        try:
            self.connect().sendmail(self.smtp.from_addr, [recipient], data)
            return None
        except smtplib.SMTPRecipientsRefused as exc:
            code, message = exc.recipients.get(recipient, (550, b"recipient refused"))
            return self.judge(code, message)
        except smtplib.SMTPResponseException as exc:
            return self.judge(exc.smtp_code, exc.smtp_error)
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPException, OSError) as exc:
            self.drop()
            return "connection", f"{type(exc).__name__}: {exc}".rstrip(": ")

    def judge(self, code: int, message: bytes | str) -> tuple[str, str]:
        """A 5xx reply raises MessageRejected at once; a 4xx one is worth another try."""
        if 500 <= code < 600:
            raise MessageRejected(reply_text(code, message), permanent=True, source=self.where, hint=HINT)
        if code == 421 or self.connection is None or self.connection.sock is None:
            self.drop()
        return "reply", reply_text(code, message)

    def drop(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            connection.close()
