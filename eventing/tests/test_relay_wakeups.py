"""What wakes the relay: a NOTIFY long before its poll, a listener replaced when terminated, polling
when it cannot listen, and a linger that gathers rows staged one by one into one round."""

import json
import time

import asyncpg
from eventing_kit import (
    TopicReader,
    all_marked,
    event_type,
    eventually,
    make,
    new_relay,
    new_topic,
    stage,
    start_relay,
)
from sqlalchemy.engine import make_url

from devstack._runtime import free_port
from devstack.databases import to_asyncpg_dsn
from eventing.relay import Relay
from eventing.waker import Waker


async def test_a_notify_wakes_the_relay_long_before_its_poll_interval(
    db, producer, relays, kafka_bootstrap
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "notify"))
    relay = await start_relay(relays, db, producer, poll_interval_s=30.0)
    # Listening, and a round done: the relay now sleeps on LISTEN for 30 s.
    await eventually(lambda: _listening_and_idle(relay))

    async with TopicReader(kafka_bootstrap, kind.topic) as reader:
        started = time.monotonic()
        await stage(db, make(kind))
        await reader.read(1, within=2.0)
    assert time.monotonic() - started < 2.0


async def _listening_and_idle(relay: Relay) -> bool:
    return relay.waker._listener is not None and relay.health().idle_s is not None


async def test_the_relay_outlives_its_listener_connection_being_terminated(
    db, producer, relays, kafka_bootstrap, postgres_admin_url
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "terminated"))
    relay = await start_relay(relays, db, producer, poll_interval_s=30.0)
    await eventually(lambda: _listening_and_idle(relay))
    first = relay.waker._listener

    admin = await asyncpg.connect(to_asyncpg_dsn(postgres_admin_url))
    try:  # what a database restart or an operator's pg_terminate_backend does to LISTEN
        await admin.fetchval("SELECT pg_terminate_backend($1)", first.get_server_pid())
    finally:
        await admin.close()
    await eventually(lambda: _listening_again(relay, first))
    await stage(db, make(kind))

    async with TopicReader(kafka_bootstrap, kind.topic) as reader:
        await reader.read(1, within=3.0)  # woken by NOTIFY on the new listener, not the 30 s poll
    assert relay.health().alive


async def _listening_again(relay: Relay, old) -> bool:
    listener = relay.waker._listener
    return listener is not None and listener is not old and not listener.is_closed()


async def test_the_relay_still_publishes_by_polling_when_it_cannot_listen(
    db, producer, relays, kafka_bootstrap
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "poll"))
    relay = new_relay(db, producer, poll_interval_s=0.3)
    # The listener's database is unreachable: every LISTEN attempt fails at once.
    nowhere = make_url(db.url).set(host="127.0.0.1", port=free_port())
    relay.waker = Waker(nowhere, channel=relay.channel, poll_interval_s=0.3)
    await relay.start()
    relays.append(relay)
    assert relay.waker._listener is None

    await stage(db, make(kind))

    async with TopicReader(kafka_bootstrap, kind.topic) as reader:
        await reader.read(1, within=3.0)
    await eventually(lambda: all_marked(db), within=2.0)  # publish, then mark: a moment later


async def test_a_lingering_relay_publishes_rows_staged_one_by_one_in_one_round(
    db, producer, relays, kafka_bootstrap
):
    kind = event_type("Happened", await new_topic(kafka_bootstrap, "linger"))
    relay = await start_relay(relays, db, producer, poll_interval_s=30.0, linger_s=1.0)
    await eventually(lambda: _listening_and_idle(relay))

    async with TopicReader(kafka_bootstrap, kind.topic) as reader:
        for seq in range(5):  # five transactions, five NOTIFYs, well within the linger
            await stage(db, make(kind, seq=seq))
        records = await reader.read(5, within=5.0)
    await eventually(lambda: all_marked(db), within=2.0)

    assert [json.loads(r.value)["seq"] for r in records] == list(range(5))
    rounds = await db.scalar("SELECT count(DISTINCT published_at) FROM outbox_messages")
    assert rounds == 1  # one transaction marked all five; without the linger, a round each
