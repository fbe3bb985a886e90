#!/usr/bin/env bash
# One database and one login role per service, each closed to every other role.
# Run once by the postgres image on an empty data directory (/docker-entrypoint-initdb.d).
# Passwords come from the environment (dev defaults in docker-compose.yml); the roles do the same
# as devstack's ensure_service_database, so the embedded and the compose topologies agree.
set -euo pipefail

create_service_database() {
    local service=$1 password=$2
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
        -v name="idpro_${service}" -v password="${password}" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE CONNECT ON DATABASE :"name" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"name" TO :"name";
SQL
}

create_service_database intake "${INTAKE_DB_PASSWORD:?}"
create_service_database matching "${MATCHING_DB_PASSWORD:?}"
create_service_database notifier "${NOTIFIER_DB_PASSWORD:?}"
create_service_database history "${HISTORY_DB_PASSWORD:?}"
create_service_database webhooks "${WEBHOOKS_DB_PASSWORD:?}"
create_service_database gateway "${GATEWAY_DB_PASSWORD:?}"

# matching's candidate search; installed by the superuser because not every extension is trusted.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname idpro_matching <<'SQL'
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE EXTENSION IF NOT EXISTS unaccent;
SQL
