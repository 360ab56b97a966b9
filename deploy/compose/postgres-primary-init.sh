#!/usr/bin/env bash
# Runs once, when the official postgres image initialises an empty data
# directory (it is mounted into /docker-entrypoint-initdb.d/). It gives a shard
# primary what tools/stack gives the local stack's primaries:
#   - per context database on this shard, from
#     BOXOFFICE_DATABASES="name:setting name:setting …": a role of the same
#     name (password from <NAME>_DB_PASSWORD) that owns the database and may
#     do nothing else (no CREATEDB, CREATEROLE or superuser), with CONNECT
#     revoked from PUBLIC, so no other context's role gets in (ADR 0046); and
#     its CAP choice as its synchronous_commit (CP: `on`, a commit returns
#     once a standby has it; AP: `local`);
#   - `replicator`, which the standbys stream as;
#   - a physical replication slot per standby and
#     synchronous_standby_names = 'ANY 1 (…)', so one standby's confirmation
#     is enough for a CP commit;
#   - a pg_hba line for the standbys' replication connections.
set -euo pipefail
: "${BOXOFFICE_DATABASES:?list of name:synchronous_commit pairs}"
: "${REPLICATION_PASSWORD:?password of the replicator role}"
: "${STANDBY_NAMES:?application_name of each standby, space-separated}"

psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres)

# psql substitutes :'name' with a quoted literal, so passwords need no escaping here.
"${psql[@]}" -v replication_password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator LOGIN REPLICATION PASSWORD :'replication_password';
SQL

for entry in $BOXOFFICE_DATABASES; do
  name=${entry%%:*}
  commit=${entry#*:}
  password_variable="${name^^}_DB_PASSWORD"
  password=${!password_variable:?"${password_variable}: the password of the ${name} role"}
  "${psql[@]}" -v role="$name" -v password="$password" -v commit="$commit" <<'SQL'
CREATE ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'password';
-- Health details, /metrics and the operations console read the standbys' state and lag from pg_stat_replication.
GRANT pg_read_all_stats TO :"role";
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
ALTER DATABASE :"role" SET synchronous_commit = :'commit';
SQL
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
