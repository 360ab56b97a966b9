#!/usr/bin/env bash
# Runs once, when the official postgres image initialises an empty data
# directory (it is mounted into /docker-entrypoint-initdb.d/). It gives a shard
# primary what tools/stack gives the local stack's primaries:
#   - the `boxoffice` role that owns every context database, and `replicator`;
#   - one database per context on this shard, each with its CAP choice as its
#     synchronous_commit (CP: `on`, a commit returns once a standby has it;
#     AP: `local`), from BOXOFFICE_DATABASES="name:setting name:setting …";
#   - a physical replication slot per standby and
#     synchronous_standby_names = 'ANY 1 (…)', so one standby's confirmation
#     is enough for a CP commit;
#   - a pg_hba line for the standbys' replication connections.
set -euo pipefail
: "${BOXOFFICE_DATABASES:?list of name:synchronous_commit pairs}"
: "${BOXOFFICE_DB_PASSWORD:?password of the boxoffice role}"
: "${REPLICATION_PASSWORD:?password of the replicator role}"
: "${STANDBY_NAMES:?application_name of each standby, space-separated}"

psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres)

# psql substitutes :'name' with a quoted literal, so passwords need no escaping here.
"${psql[@]}" -v app_password="$BOXOFFICE_DB_PASSWORD" -v replication_password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE boxoffice LOGIN PASSWORD :'app_password';
-- Health details and /metrics read the standbys' state and lag from pg_stat_replication.
GRANT pg_monitor TO boxoffice;
CREATE ROLE replicator LOGIN REPLICATION PASSWORD :'replication_password';
SQL

for entry in $BOXOFFICE_DATABASES; do
  name=${entry%%:*}
  commit=${entry#*:}
  "${psql[@]}" -c "CREATE DATABASE \"$name\" OWNER boxoffice"
  "${psql[@]}" -c "ALTER DATABASE \"$name\" SET synchronous_commit = '$commit'"
done

standbys=()
for name in $STANDBY_NAMES; do
  "${psql[@]}" -c "SELECT pg_create_physical_replication_slot('$name')"
  standbys+=("$name")
done
# ALTER SYSTEM takes effect when the real server starts after this script:
# the temporary server that runs it has no standby yet and must not wait.
list=$(IFS=,; echo "${standbys[*]}")
"${psql[@]}" -c "ALTER SYSTEM SET synchronous_standby_names = 'ANY 1 ($list)'"

echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
