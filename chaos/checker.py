"""The independent checker: the client's ledger against every database, every topic and the mail
sink. It reads the stores directly (never through the services it is checking)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition

from chaos.load import Ledger, Submission
from contracts import CATALOGUE
from devstack.databases import to_asyncpg_dsn
from devstack.mailbox import Mailbox

DB_SERVICES = ("intake", "matching", "notifier", "history")
EXPECTED_MAILS = 2  # "request received" and the outcome
DECISIONS = ("matching.number-assigned", "matching.review-opened", "matching.info-requested",
             "matching.request-rejected")  # fmt: skip


@dataclass
class Stores:
    """What every store holds about the ledger's requests, read once."""

    intake: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # id → status, ssin
    history: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    matching_ssins: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    registry_ssins: Counter = field(default_factory=Counter)  # ssin → persons holding it
    unpublished: dict[str, int] = field(default_factory=dict)  # service → outbox rows not sent
    mails: dict[str, Counter] = field(default_factory=dict)  # recipient → Message-ID → copies
    # Message-IDs of notifications claimed more often than an outcome was recorded: a claim whose
    # mark never landed (the notifier's documented window, 250 → mark, if the claimer died).
    unrecorded_claims: set[str] = field(default_factory=set)


async def read_stores(database_urls: dict[str, str], mail_folder, ids: list[str]) -> Stores:
    stores = Stores()
    conns = {s: await asyncpg.connect(to_asyncpg_dsn(database_urls[s])) for s in DB_SERVICES}
    try:
        for row in await conns["intake"].fetch(
            "SELECT id::text, status, ssin FROM requests WHERE id::text = ANY($1)", ids
        ):
            stores.intake[row["id"]] = (row["status"], row["ssin"])
        for row in await conns["history"].fetch(
            "SELECT request_id::text AS id, status, ssin FROM request_summaries"
            " WHERE request_id::text = ANY($1)",
            ids,
        ):
            stores.history[row["id"]] = (row["status"], row["ssin"])
        for sql in (
            "SELECT request_id::text AS id, ssin FROM decisions WHERE ssin IS NOT NULL",
            "SELECT request_id::text AS id, ssin FROM bis_numbers",
            "SELECT request_id::text AS id, ssin FROM persons WHERE request_id IS NOT NULL",
        ):
            for row in await conns["matching"].fetch(sql):
                stores.matching_ssins[row["id"]].add(row["ssin"])
        for row in await conns["matching"].fetch(
            "SELECT ssin, count(*) AS n FROM persons GROUP BY ssin"
        ):
            stores.registry_ssins[row["ssin"]] = row["n"]
        stores.unrecorded_claims = {
            row["message_id"]
            for row in await conns["notifier"].fetch(
                "SELECT message_id FROM notifications n WHERE message_id IS NOT NULL"
                " AND attempts > (SELECT count(*) FROM delivery_attempts a"
                " WHERE a.notification_id = n.id)"
            )
        }
        for service, conn in conns.items():
            stores.unpublished[service] = await conn.fetchval(
                "SELECT count(*) FROM outbox_messages WHERE published_at IS NULL"
            )
    finally:
        for conn in conns.values():
            await conn.close()
    for mail in Mailbox(mail_folder).list():
        for recipient in mail.envelope_to:
            stores.mails.setdefault(recipient, Counter())[mail.message_id] += 1
    return stores


@dataclass
class Findings:
    accepted: int = 0
    unanswered: int = 0
    keys_with_two_requests: int = 0
    never_decided: int = 0
    numbers_given_twice: int = 0
    persons_sharing_a_number: int = 0
    emails_missing: int = 0
    email_copies: int = 0
    window_copies: int = 0  # copies of a message whose claimer died after sending (see copies_of)
    outbox_stuck: int = 0
    dlq_entries: int = 0
    mismatches: int = 0
    missing_on_topics: int = 0

    @property
    def losses(self) -> int:
        """Everything that must be zero for the run to pass."""
        return (
            self.unanswered + self.keys_with_two_requests + self.never_decided
            + self.numbers_given_twice + self.persons_sharing_a_number + self.emails_missing
            + self.email_copies + self.outbox_stuck + self.dlq_entries + self.mismatches
            + self.missing_on_topics
        )  # fmt: skip


def judge(
    ledger: Ledger,
    stores: Stores,
    topics: dict[str, set[str]] | None = None,
    *,
    sender_died: bool = False,
) -> Findings:
    """Compare; `topics` maps request id → topics carrying its events (None: not read yet);
    `sender_died`: a notifier process died or was replaced during the fault run."""
    accepted = ledger.accepted()
    f = Findings(accepted=len(accepted))
    f.unanswered = sum(1 for s in ledger.submissions if not s.accepted)
    f.keys_with_two_requests = sum(1 for s in ledger.submissions if len(s.ids) > 1)
    decided = [rid for rid in accepted if stores.intake.get(rid, ("submitted",))[0] != "submitted"]
    f.never_decided = len(accepted) - len(decided)
    f.mismatches = sum(1 for rid in decided if stores.history.get(rid) != stores.intake[rid])
    numbers_of, holders_of = _numbers(accepted, stores)
    f.numbers_given_twice = sum(1 for ssins in numbers_of.values() if len(ssins) > 1)
    f.persons_sharing_a_number = sum(1 for who in holders_of.values() if len(who) > 1) + sum(
        1 for n in stores.registry_ssins.values() if n > 1
    )
    for rid in decided:
        copies = stores.mails.get(accepted[rid].email, Counter())
        f.emails_missing += max(0, EXPECTED_MAILS - len(copies))
        f.email_copies += max(0, len(copies) - EXPECTED_MAILS)
        window, twice = copies_of(copies, stores.unrecorded_claims, sender_died=sender_died)
        f.window_copies += window
        f.email_copies += twice
    f.outbox_stuck = sum(stores.unpublished.values())
    if topics is not None:
        f.missing_on_topics = sum(
            1
            for rid in decided
            if "intake.request-submitted" not in topics.get(rid, set())
            or not topics.get(rid, set()) & set(DECISIONS)
        )
    return f


def copies_of(
    copies: Counter, unrecorded_claims: set[str], *, sender_died: bool
) -> tuple[int, int]:
    """(copies in the 250→mark window, copies sent twice) among one recipient's messages.

    A claim without its mark explains a copy only when the process that claimed it died before
    marking: with every notifier alive (PostgreSQL stopped, SMTP down, connections terminated)
    the mark is retried by a live process, and a second copy is a message sent twice.
    """
    window = twice = 0
    for message_id, n in copies.items():
        if sender_died and message_id in unrecorded_claims:
            window += n - 1
        else:
            twice += n - 1
    return window, twice


def _numbers(accepted: dict[str, Submission], stores: Stores):
    """Person → numbers given to them, and number → persons holding it, from every store."""
    numbers_of: dict[tuple, set[str]] = defaultdict(set)
    holders_of: dict[str, set[tuple]] = defaultdict(set)
    for rid, s in accepted.items():
        ssins = set(stores.matching_ssins.get(rid, set()))
        for source in (stores.intake, stores.history):
            if (ssin := source.get(rid, (None, None))[1]) is not None:
                ssins.add(ssin)
        numbers_of[s.person] |= ssins
        for ssin in ssins:
            holders_of[ssin].add(s.person)
    return numbers_of, holders_of


def settled(f: Findings) -> bool:
    """Everything accepted decided, agreed, e-mailed once, and every outbox drained."""
    return not (f.never_decided or f.mismatches or f.emails_missing or f.outbox_stuck)


async def read_topics(bootstrap: str) -> tuple[dict[str, set[str]], int]:
    """Request id → topics its events are on, and the number of DLQ records (every .dlq topic)."""
    topics = [e.topic for e in CATALOGUE] + [f"{e.topic}.dlq" for e in CATALOGUE]
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=200
    )
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()
        ]
        if not partitions:
            return {}, 0
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        on_topics: dict[str, set[str]] = defaultdict(set)
        dlq, empty = 0, 0
        # The reported end offset can lag what is readable: read until fetches come back empty.
        while empty < 3:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            records = [r for rs in batch.values() for r in rs]
            empty = 0 if records else empty + 1
            for r in records:
                if r.topic.endswith(".dlq"):
                    dlq += 1
                elif r.value:
                    with_id = json.loads(r.value).get("request_id")
                    if with_id:
                        on_topics[with_id].add(r.topic)
        return on_topics, dlq
    finally:
        await consumer.stop()
