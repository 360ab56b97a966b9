#!/usr/bin/env bash
# Entrypoint of a streaming replica. On first start it seeds the empty data
# directory from its primary with pg_basebackup (through its own replication
# slot), writes the standby settings, then hands over to the official
# entrypoint, which finds an initialised data directory and starts postgres.
set -euo pipefail
: "${PRIMARY_HOST:?host name of the shard primary}"
: "${STANDBY_NAME:?application_name and slot name of this standby}"
: "${REPLICATION_PASSWORD:?password of the replicator role}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  conninfo="host=$PRIMARY_HOST port=5432 user=replicator application_name=$STANDBY_NAME"
  PGPASSWORD="$REPLICATION_PASSWORD" gosu postgres \
    pg_basebackup --pgdata="$PGDATA" --dbname="$conninfo" --slot="$STANDBY_NAME" --wal-method=stream --checkpoint=fast
  # Only a primary waits for standbys: the copied list is dropped, and a
  # promoted replica must be given its own.
  sed -i '/^synchronous_standby_names/d' "$PGDATA/postgresql.auto.conf"
  cat >> "$PGDATA/postgresql.auto.conf" <<CONF
primary_conninfo = '$conninfo password=$REPLICATION_PASSWORD'
primary_slot_name = '$STANDBY_NAME'
hot_standby = on
hot_standby_feedback = on
CONF
  gosu postgres touch "$PGDATA/standby.signal"
fi

exec docker-entrypoint.sh postgres
