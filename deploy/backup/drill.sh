#!/usr/bin/env bash
# Backup drill: the nightly backup and the documented restore (deploy/README.md, "Backups and
# restore"), end to end on this machine's PostgreSQL.
#
#  1. a throw-away database (DRILL_DATABASE, default tarot_drill): migrated, deck seeded, and
#     users, readings, notes, share links, daily cards and deliveries added;
#  2. backed up exactly as the CronJob does: pg_dump --no-owner --no-privileges | gzip, gzip -t;
#  3. restored as the README says: gunzip | psql ON_ERROR_STOP --single-transaction, into a new
#     database (DRILL_DATABASE_restore);
#  4. every table's row count and content checksum compared: any difference fails the drill.
#
# Both databases are dropped at the end. PGHOST, PGPORT, PGUSER as for psql (default
# 127.0.0.1, 5432, postgres); PYTHON is the project's interpreter (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/../.."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
# "does not exist, skipping" notices from dropdb --if-exists are noise here.
export PGOPTIONS="${PGOPTIONS:--c client_min_messages=warning}"
PYTHON="${PYTHON:-.venv/bin/python}"
source_db="${DRILL_DATABASE:-tarot_drill}"
restored_db="${source_db}_restore"
workdir="$(mktemp -d)"
dump="$workdir/tarot-drill.sql.gz"

cleanup() {
    dropdb --if-exists "$source_db" >/dev/null 2>&1 || true
    dropdb --if-exists "$restored_db" >/dev/null 2>&1 || true
    rm -rf "$workdir"
}
trap cleanup EXIT

pg_isready -q || { echo "backup drill: PostgreSQL is not answering on $PGHOST:$PGPORT" >&2; exit 1; }
dropdb --if-exists "$source_db"
dropdb --if-exists "$restored_db"
createdb "$source_db"

echo "== 1. seed $source_db"
export DJANGO_SETTINGS_MODULE=settings.test
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$source_db"
"$PYTHON" manage.py migrate --noinput -v 0
"$PYTHON" manage.py seed_deck >/dev/null
"$PYTHON" manage.py shell --no-imports -c "$(cat deploy/backup/seed_drill_data.py)"

echo "== 2. back up (as the tarot-db-backup CronJob)"
pg_dump --no-owner --no-privileges --dbname="$source_db" | gzip -6 > "$dump.partial"
gzip -t "$dump.partial"
mv "$dump.partial" "$dump"
echo "dump: $(du -h "$dump" | cut -f1)"

echo "== 3. restore into $restored_db (as deploy/README.md)"
createdb "$restored_db"
gunzip -c "$dump" | psql --quiet --set ON_ERROR_STOP=1 --single-transaction \
    --dbname="$restored_db" >/dev/null

echo "== 4. compare every table"
# One row per table: name, row count, md5 of all rows in a fixed order.
table_summary() {
    psql --no-align --tuples-only --field-separator=' ' --dbname="$1" <<'SQL'
SELECT table_name,
       (xpath('/row/n/text()', query_to_xml(format(
           'SELECT count(*) AS n FROM public.%I', table_name), false, true, '')))[1]::text,
       coalesce((xpath('/row/h/text()', query_to_xml(format(
           'SELECT md5(string_agg(t::text, E''\n'' ORDER BY t::text)) AS h FROM public.%I AS t',
           table_name), false, true, '')))[1]::text, '-')
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name;
SQL
}
table_summary "$source_db" > "$workdir/source.txt"
table_summary "$restored_db" > "$workdir/restored.txt"

printf '%-45s %10s %10s  %s\n' table source restored result
failed=0
while read -r table count checksum; do
    read -r restored_count restored_checksum < <(awk -v t="$table" '$1 == t {print $2, $3}' "$workdir/restored.txt")
    result=ok
    if [ "${restored_count:-missing}" != "$count" ]; then
        result="ROW COUNT DIFFERS"; failed=1
    elif [ "$restored_checksum" != "$checksum" ]; then
        result="CONTENT DIFFERS"; failed=1
    fi
    printf '%-45s %10s %10s  %s\n' "$table" "$count" "${restored_count:-missing}" "$result"
done < "$workdir/source.txt"
if [ "$(wc -l < "$workdir/source.txt")" != "$(wc -l < "$workdir/restored.txt")" ]; then
    echo "the restored database has a different set of tables" >&2
    failed=1
fi
for table in accounts_user readings_reading readings_drawncard readings_dailycard tarot_card; do
    if [ "$(awk -v t="$table" '$1 == t {print $2}' "$workdir/source.txt")" = "0" ]; then
        echo "the drill seeded no rows into $table: the comparison would prove nothing" >&2
        failed=1
    fi
done
tables="$(wc -l < "$workdir/source.txt")"
rows="$(awk '{sum += $2} END {print sum}' "$workdir/source.txt")"
if [ "$failed" -ne 0 ]; then
    echo "backup drill FAILED" >&2
    exit 1
fi
echo "backup drill passed: $tables tables, $rows rows, restored identically"
