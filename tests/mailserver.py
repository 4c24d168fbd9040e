"""A real SMTP server for tests and benchmarks: aiosmtpd on 127.0.0.1, recording what it accepted.

Scripted trouble: replies queued per recipient (at RCPT) or per message (at DATA), a stall
after k accepted messages (the reply to message k+1 never comes), a dropped connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from typing import Iterator

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """aiosmtpd's Controller cannot bind port 0 itself: ask the OS for a free port first."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class Recorder:
    """The handler: accepts, records, and plays the scripted trouble."""

    rcpt_replies: dict[str, list[str]] = field(default_factory=dict)
    data_replies: list[str] = field(default_factory=list)
    stall_after: int | None = None
    drop_next_data: int = 0
    received: list[Received] = field(default_factory=list)
    stalled: list[Received] = field(default_factory=list)
    attempts: int = 0
    sessions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self.lock:
            self.sessions += 1
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        queue = self.rcpt_replies.get(address)
        if queue:
            return queue.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        item = Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        with self.lock:
            self.attempts += 1
            if self.stall_after is not None and len(self.received) >= self.stall_after:
                self.stalled.append(item)
                stall = True
            else:
                stall = False
        if stall:
            while not self.release.is_set():  # hold the reply until the test lets go
                await asyncio.sleep(0.05)
            return "451 stalled"
        if self.drop_next_data:
            self.drop_next_data -= 1
            server.transport.close()
            return "421 dropped"
        if self.data_replies:
            return self.data_replies.pop(0)
        with self.lock:
            self.received.append(item)
        return "250 Message accepted"

    def to(self, recipient: str) -> list[Received]:
        return [item for item in self.received if recipient in item.rcpt_tos]


def password_checker(user: str, password: str):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() \
            and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd replies 535 itself
    return authenticate


@contextlib.contextmanager
def mail_server(recorder: Recorder | None = None, **smtp_options) -> Iterator[tuple[Recorder, int]]:
    """Run a server on a free port; yield (recorder, port)."""
    recorder = recorder or Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **smtp_options)
    controller.start()
    try:
        yield recorder, port
    finally:
        recorder.release.set()
        controller.stop()
