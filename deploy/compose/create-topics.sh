#!/usr/bin/env bash
# One-shot: creates every topic of allTopics() (libs/contracts/src/topics.ts),
# listed in TOPICS, on a broker that never creates topics by itself
# (auto.create.topics.enable=false). Safe to run again: existing topics stay.
set -euo pipefail
: "${BOOTSTRAP_SERVER:?host:port of a broker}"
: "${TOPICS:?space-separated topic names}"
: "${PARTITIONS:?partitions per topic}"
: "${REPLICATION_FACTOR:?replicas per partition}"
: "${DEAD_LETTER_MAX_MESSAGE_BYTES:?max.message.bytes of the dead-letter topics}"

for topic in $TOPICS; do
  config=()
  # A dead letter is the original record plus headers: its topic takes more than the broker's maximum (ADR 0019).
  case "$topic" in
    *.dead-letter.*) config=(--config "max.message.bytes=$DEAD_LETTER_MAX_MESSAGE_BYTES") ;;
    # The last status report of each replica, nothing older than ten minutes (REPLICA_STATUS_RETENTION_MS, ADR 0035).
    platform.replica-status.*) config=(--config cleanup.policy=compact,delete --config retention.ms=600000 --config segment.ms=60000) ;;
  esac
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP_SERVER" --create --if-not-exists \
    --topic "$topic" --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR" "${config[@]}"
done
echo "topics ready:"
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP_SERVER" --list
