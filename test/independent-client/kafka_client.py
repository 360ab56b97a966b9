"""A Kafka client that is not ours: Confluent's Python client (librdkafka).

The independent-client tests drive it to produce what a foreign producer
may send, and to read topics back, so that neither the poison nor the proof
goes through kafkajs or the project's code. One command per run, a JSON
request on stdin, a JSON answer on stdout; bytes travel as hex.

  produce  {"brokers", "maxMessageBytes", "compression"?, "messages": [{"topic", "key", "value", "headers"}]}
           value: hex, null, or {"fill": hex-byte, "length": n, "prefix": hex}
           compression: the batches' codec (none, gzip, snappy, lz4, zstd; none unless given)
           -> [{"partition", "offset"} | {"error": KafkaError name}]
  find     {"brokers", "topics": [...], "anyOf": [{header: text}, ...]}
           -> every message of those topics (from the start to the high
              watermark) whose headers include all of one `anyOf` entry
  latest   {"brokers", "topics": [...]}
           -> per topic, its newest message whose value is one of our JSON
              envelopes of the topic's own type, in full (a real message,
              to send again), or null
"""

import hashlib
import json
import sys
import time
import uuid

try:
    from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
except ImportError:
    sys.stderr.write("confluent-kafka is missing: python3 -m pip install confluent-kafka==2.16.1\n")
    sys.exit(3)

TIMEOUT_S = 60


def unhex(value):
    if value is None:
        return None
    if isinstance(value, dict):
        return bytes.fromhex(value.get("prefix", "")) + bytes.fromhex(value["fill"]) * (value["length"] - len(bytes.fromhex(value.get("prefix", ""))))
    return bytes.fromhex(value)


def describe(message):
    value = message.value()
    return {
        "topic": message.topic(),
        "partition": message.partition(),
        "offset": message.offset(),
        "key": None if message.key() is None else message.key().hex(),
        "valueLength": None if value is None else len(value),
        "valueSha256": None if value is None else hashlib.sha256(value).hexdigest(),
        # Small values in full, so a test can show what arrived.
        "value": None if value is None or len(value) > 4096 else value.hex(),
        "headers": [[name, None if v is None else v.hex()] for name, v in (message.headers() or [])],
    }


def produce(request):
    producer = Producer({
        "bootstrap.servers": ",".join(request["brokers"]),
        "acks": "all",
        "linger.ms": 0,
        "compression.type": request.get("compression", "none"),
        # The client's own cap (1 MB by default) must not hide the broker's answer.
        "message.max.bytes": request["maxMessageBytes"],
        "message.send.max.retries": 3,
    })
    results = []
    for message in request["messages"]:
        outcome = {}

        def delivered(error, record, outcome=outcome):
            if error is not None:
                outcome["error"] = error.name()
            else:
                outcome.update(partition=record.partition(), offset=str(record.offset()))

        headers = [(name, unhex(v)) for name, v in message.get("headers", [])]
        try:
            producer.produce(message["topic"], key=unhex(message.get("key")), value=unhex(message.get("value")), headers=headers, on_delivery=delivered)
        except KafkaException as error:
            results.append({"error": error.args[0].name()})
            continue
        if producer.flush(TIMEOUT_S) != 0:
            raise SystemExit("produce timed out")
        results.append(outcome)
    return results


def read_all(brokers, topics, keep):
    """Every message of the topics from the start up to the high watermark read at the start."""
    consumer = Consumer({
        "bootstrap.servers": ",".join(brokers),
        "group.id": f"independent-reader-{uuid.uuid4()}",
        "enable.auto.commit": False,
        "fetch.message.max.bytes": 2 * 1024 * 1024,
    })
    try:
        metadata = consumer.list_topics(timeout=TIMEOUT_S)
        remaining = {}
        for topic in topics:
            for partition in metadata.topics[topic].partitions:
                low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=TIMEOUT_S)
                if high > low:
                    remaining[(topic, partition)] = high
        found = []
        if not remaining:
            return found
        consumer.assign([TopicPartition(t, p, 0) for (t, p) in remaining])
        deadline = time.monotonic() + TIMEOUT_S
        while remaining:
            if time.monotonic() > deadline:
                raise SystemExit(f"reading {topics} timed out")
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise KafkaException(message.error())
            where = (message.topic(), message.partition())
            if where not in remaining or message.offset() >= remaining[where]:
                continue
            if keep(message):
                found.append(message)
            if message.offset() + 1 >= remaining[where]:
                del remaining[where]
        return found
    finally:
        consumer.close()


def find(request):
    wanted = [{name: value.encode() for name, value in where.items()} for where in request["anyOf"]]

    def matches(message):
        headers = {}
        for name, value in message.headers() or []:
            headers[name] = value  # the last one wins
        return any(all(headers.get(name) == value for name, value in where.items()) for where in wanted)

    return [describe(m) for m in read_all(request["brokers"], request["topics"], matches)]


def latest(request):
    def is_real(message):
        try:
            envelope = json.loads(message.value())
        except (TypeError, ValueError):
            return False
        # Topics are named <type>.v<version>.
        own_type = message.topic().rsplit(".v", 1)[0]
        return isinstance(envelope, dict) and envelope.get("type") == own_type and envelope.get("schemaVersion") == 1 and "messageId" in envelope

    newest = {}
    for message in read_all(request["brokers"], request["topics"], is_real):
        if message.topic() not in newest or message.timestamp()[1] >= newest[message.topic()].timestamp()[1]:
            newest[message.topic()] = message
    answers = {}
    for topic in request["topics"]:
        message = newest.get(topic)
        answers[topic] = None if message is None else dict(describe(message), value=message.value().hex())
    return answers


def main():
    command = sys.argv[1]
    request = json.load(sys.stdin)
    answer = {"produce": produce, "find": find, "latest": latest}[command](request)
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
