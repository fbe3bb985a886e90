"""A broker restarted without its log (the embedded one keeps it in memory) is noticed: the topics
come back with their partition counts and what the outbox had published is published again."""

import json
from datetime import timedelta
from pathlib import Path

from eventing_kit import TopicReader, event_type, eventually, make, unique_topic

from devstack.broker import Broker
from eventing.broker_watch import BrokerWatch, marker_topic
from eventing.db import transaction
from eventing.outbox import Outbox
from eventing.relay import Relay, make_producer
from eventing.topics import ensure_topics

SERVICE = "watchtest"


async def test_a_broker_that_lost_its_topics_gets_them_back_and_the_outbox_is_sent_again(
    db, tmp_path: Path
):
    broker = Broker(log_dir=tmp_path).start()
    topic = unique_topic("lost")
    kind = event_type("Happened", topic)
    topics = {topic: 2}
    outbox = Outbox(db.outbox, service=SERVICE)
    producer = make_producer(broker.bootstrap, client_id="watch-test")

    async def ensure(wanted: dict[str, int]) -> None:
        await ensure_topics(broker.bootstrap, wanted)

    watch = BrokerWatch(
        service=SERVICE, producer=producer, ensure_topics=ensure, topics=topics,
        engine=db.engine, outbox=db.outbox, channel=outbox.channel,
        replay_window=timedelta(hours=1),
    )  # fmt: skip
    relay = Relay(
        engine=db.engine, table=db.outbox, producer=producer, channel=outbox.channel,
        poll_interval_s=0.2,
    )  # fmt: skip
    try:
        await ensure({**topics, marker_topic(SERVICE): 1})
        await producer.start()
        await relay.start()
        async with transaction(db.sessions) as tx:
            await outbox.stage(tx, *(make(kind, seq=i) for i in range(5)))
        await eventually(lambda: _all_published(db))
        assert not await watch.check()  # the marker is there: nothing to do

        broker.stop()
        broker.start()
        await eventually(lambda: _checked(watch), within=20.0)  # the first may meet a dead line
        await eventually(lambda: _all_published(db), within=20.0)

        async with TopicReader(broker.bootstrap, topic, partitions=2) as reader:
            records = await reader.read(5, within=20.0)
        assert watch.recoveries == 1
        assert sorted(json.loads(r.value)["seq"] for r in records) == list(range(5))
        assert not await watch.check()  # recovered once, not at every round
    finally:
        await relay.stop()
        await producer.stop()
        broker.stop()


async def _all_published(db) -> bool:
    return await db.scalar("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL") == 0


async def _checked(watch: BrokerWatch) -> bool:
    try:
        await watch.check()
    except Exception:  # noqa: BLE001 - the connection to the old broker: the loop would retry
        return False
    return watch.recoveries > 0
