"""The send stage: deliver what a channel still owes, one issue at a time, each recorded at once.

A rejection of one issue is recorded (permanent: failed; after retries on a 4xx: still
pending) and the batch goes on; a channel that cannot be reached at all stops the batch with
a DeliveryError, leaving the rest pending for the next run. What is pending is read from the
ledger when a batch starts, so a retried batch never sends an issue twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from papercast.delivery.channels import Channel, Sender
from papercast.delivery.smtp import MessageRejected
from papercast.errors import DeliveryError
from papercast.faults import checkpoint
from papercast.store import Store
from papercast.store.records import FAILED, PENDING, SENT, WITHDRAWN, ChannelDelivery, IssueRecord


@dataclass(frozen=True)
class SendResult:
    issue_id: str
    reader: str
    status: str  # sent | failed | pending (a transient failure: the next run tries again) | withdrawn
    reason: str = ""


def send_batch(store: Store, channel: Channel, issue_ids: list[str], run_id: int) -> list[SendResult]:
    """Send the batch's issues still pending on `channel`, over one connection."""
    pending = store.pending_for(channel.name, issue_ids)
    if not pending:
        return []
    with channel.sender() as sender:
        return [send_one(store, sender, issue, delivery, run_id) for issue, delivery in pending]


def send_one(store: Store, sender: Sender, issue: IssueRecord, delivery: ChannelDelivery, run_id: int) -> SendResult:
    if store.unsubscribed([issue.reader]):  # since the run planned it: withdrawn, never sent
        store.withdraw_issues([issue.id], run_id)
        return SendResult(issue.id, issue.reader, WITHDRAWN, "unsubscribed")
    try:
        sender.send(issue, delivery)
    except MessageRejected as exc:
        store.record_delivery_failure(issue.id, delivery.channel, exc.message, exc.permanent, run_id)
        return SendResult(issue.id, issue.reader, FAILED if exc.permanent else PENDING, exc.message)
    except DeliveryError as exc:  # the channel is down: note it on this issue and stop the batch
        store.record_delivery_failure(issue.id, delivery.channel, exc.message, False, run_id)
        raise
    store.mark_delivered(issue.id, delivery.channel, run_id)
    checkpoint("send.recorded")
    return SendResult(issue.id, issue.reader, SENT)
