"""The send stage: deliver what a channel still owes, one issue at a time, each recorded at once.

A rejection of one issue is recorded (permanent: failed; after retries on a 4xx: still
pending) and the batch goes on. A channel that cannot be reached at all (after the sender's own
bounded retries) stops the batch: the rest stays pending for the next run, each with the reason
recorded, and the results say the channel is down. What is pending is read from the ledger when
a batch starts, so a retried batch never sends an issue twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from papercast.delivery.channels import Channel, MessageRejected, Sender
from papercast.errors import DeliveryError
from papercast.faults import checkpoint
from papercast.store import Store
from papercast.store.ledger import Ledger
from papercast.store.records import FAILED, PENDING, SENT, WITHDRAWN, ChannelDelivery, IssueRecord


@dataclass(frozen=True)
class SendResult:
    issue_id: str
    reader: str
    status: str  # sent | failed | pending (a transient failure: the next run tries again) | withdrawn
    reason: str = ""
    channel_down: bool = False  # the channel could not be reached: the rest of its deliveries wait too


def send_batch(store: Store, channel: Channel, issue_ids: list[str], run_id: int) -> list[SendResult]:
    """Send the batch's issues still pending on `channel`, over one connection."""
    pending = store.ledger.pending_for(channel.name, issue_ids)
    results: list[SendResult] = []
    if not pending:
        return results
    try:
        with channel.sender() as sender:
            if sender is None:  # preparing delivered them: nothing is ever pending on such a channel
                return results
            for issue, delivery in pending:
                results.append(send_one(store, sender, issue, delivery, run_id))
    except DeliveryError as exc:  # the channel is down: every issue not sent waits, with the reason
        rest = [issue for issue, _ in pending[len(results) :]]
        store.ledger.note_undelivered([issue.id for issue in rest], channel.name, exc.message, run_id)
        results += [SendResult(issue.id, issue.reader, PENDING, exc.message, channel_down=True) for issue in rest]
    return results


def defer_deliveries(ledger: Ledger, channel: str, issue_ids: list[str], reason: str, run_id: int) -> None:
    """Deliveries this run did not try (the channel went down before them): pending, with the reason."""
    ledger.note_undelivered(issue_ids, channel, f"not tried: {reason}", run_id)


def send_one(store: Store, sender: Sender, issue: IssueRecord, delivery: ChannelDelivery, run_id: int) -> SendResult:
    if store.subscriptions.unsubscribed([issue.reader]):  # since the run planned it: withdrawn, never sent
        store.ledger.withdraw_issues([issue.id], run_id)
        return SendResult(issue.id, issue.reader, WITHDRAWN, "unsubscribed")
    try:
        sender.send(issue, delivery)
    except MessageRejected as exc:
        store.ledger.record_delivery_failure(issue.id, delivery.channel, exc.message, exc.permanent, run_id)
        return SendResult(issue.id, issue.reader, FAILED if exc.permanent else PENDING, exc.message)
    except DeliveryError as exc:  # the channel is down: note it on this issue and stop the batch
        store.ledger.record_delivery_failure(issue.id, delivery.channel, exc.message, False, run_id)
        raise
    store.ledger.mark_delivered(issue.id, delivery.channel, run_id)
    checkpoint("send.recorded")
    return SendResult(issue.id, issue.reader, SENT)
