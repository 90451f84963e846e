#!/usr/bin/env bash
# The web service under load from a second process on loopback (see BENCHMARKS.md, "Web service").
#
# For each backend (SQLite always; PostgreSQL when DATABASE_URL is set) this imports a region with
# six PDUs into a scratch database, starts `casework serve`, signs in through the API and drives it
# with wrk (Debian's package) at 64 connections:
#   1. GET the region's ratings page (HTML, rated from the store on every request);
#   2. PUT single answers through the JSON API, one case per connection, each request based on the
#      version the previous response returned (scripts/bench_web_save.lua), so every save is a real
#      write that commits;
#   and, as the peer in the same run, 3. GET /static/casework.css: the same server, middleware and
#      connections with no store and no rendering, the floor the two are compared with.
# Afterwards it probes the disk (scripts/fsync_probe.py): every save waits for an fsync, so the
# disk's own stalls set a floor under the save's p99. On PostgreSQL it also reports what the
# server itself did to the disk during its runs: checkpoints (pg_stat_bgwriter) and WAL syncs
# (pg_stat_wal), the server's share of a save's commit path.
# Usage: bash scripts/bench_web.sh [seconds per run, default 30]
# CASEWORK_BIN=path runs that binary instead of building this checkout's (to compare two builds).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_PER_RUN="${1:-30}"
CONNECTIONS=64
PORT="${BENCH_WEB_PORT:-18080}"
BASE="http://127.0.0.1:$PORT"
REGION=east-of-england
PDUS=6

if ! command -v wrk >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
fi
[ -d node_modules/govuk-frontend ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null
if [ -n "${CASEWORK_BIN:-}" ]; then
  BIN=$(realpath "$CASEWORK_BIN")
else
  cargo build --release -p casework
  BIN=$ROOT/target/release/casework
fi

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# The east-of-england fixture has eight PDUs; the benchmark's region keeps the first six.
cp -r "tests/fixtures/$REGION" "$WORK/$REGION"
keep=$(seq -s, 1 $PDUS | sed -E 's/([0-9]+)/"synthetic-pdu-\1"/g')
sed -i -E "s/^units = .*/units = [$keep]/" "$WORK/$REGION/inspection.toml"
for n in $(seq $((PDUS + 1)) 8); do rm -rf "$WORK/$REGION/synthetic-pdu-$n"; done
cases=$(awk 'FNR > 1' "$WORK/$REGION"/synthetic-pdu-*/*.csv "$WORK/$REGION"/*.csv | grep -c .)

# 64 sentence-management cases spread over the six PDUs: "pdu-slug case-ref" per line.
: >"$WORK/cases.txt"
for i in $(seq 0 $((CONNECTIONS - 1))); do
  pdu=$((i % PDUS + 1))
  row=$((i / PDUS + 2))
  ref=$(sed -n "${row}p" "$WORK/$REGION/synthetic-pdu-$pdu/sentence-management.csv" | cut -d, -f1)
  echo "$REGION%2Fsynthetic-pdu-$pdu $ref" >>"$WORK/cases.txt"
done

summarise() { # one line from wrk's output: req/s, p50/p99, errors
  awk '/Requests\/sec/{rps=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2}
       /Non-2xx/{bad=$NF} /Socket errors/{sock=$0}
       END{printf "%s req/s, p50 %s, p99 %s, non-2xx %d%s\n", rps, p50, p99, bad, (sock ? ", " sock : "")}' "$1"
}

rps() { awk '/Requests\/sec/{print $2}' "$WORK/$1-$2.txt"; }
ratio() { awk -v a="$(rps "$1" "$2")" -v b="$(rps peer "$2")" 'BEGIN{printf "%.3f", a / b}'; }

run_backend() {
  local label=$1 db=$2
  echo "== $label: importing $REGION ($PDUS PDUs, $cases cases)"
  "$BIN" init --db "$db" >/dev/null
  "$BIN" import "$WORK/$REGION" --db "$db" --by bench >/dev/null
  echo bench-password-0123456789 | "$BIN" user add bench --role admin --password-stdin --db "$db" --by bench >/dev/null
  "$BIN" serve --db "$db" --bind "127.0.0.1:$PORT" --no-demo >"$WORK/serve-$label.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -sf -o /dev/null "$BASE/sign-in" && break; sleep 0.1; done

  local headers body token csrf
  headers=$(mktemp -p "$WORK")
  body=$(curl -sf -D "$headers" -H 'content-type: application/json' \
    -d '{"name":"bench","password":"bench-password-0123456789"}' "$BASE/api/v1/session")
  token=$(grep -i '^set-cookie: casework_session=' "$headers" | sed -E 's/^[^=]+=([^;]+);.*/\1/')
  csrf=$(echo "$body" | sed -E 's/.*"csrf_token":"([^"]+)".*/\1/')
  local cookie="casework_session=$token"

  # Each case's current version, for the save script.
  : >"$WORK/versions.txt"
  while read -r slug ref; do
    version=$(curl -sf -H "cookie: $cookie" "$BASE/api/v1/inspections/$slug/cases/sentence-management/$ref" |
      sed -E 's/.*"version":([0-9]+).*/\1/')
    echo "$slug $ref $version" >>"$WORK/versions.txt"
  done <"$WORK/cases.txt"

  echo "-- ratings page: GET /inspections/$REGION/ratings, $CONNECTIONS connections, ${SECONDS_PER_RUN}s"
  wrk -t2 -c$CONNECTIONS -d"${SECONDS_PER_RUN}s" --latency -H "cookie: $cookie" \
    "$BASE/inspections/$REGION/ratings" | tee "$WORK/ratings-$label.txt"

  echo "-- answer save: PUT /api/v1/.../answers/P2.1.1, $CONNECTIONS connections (one case each), ${SECONDS_PER_RUN}s"
  CASES_FILE="$WORK/versions.txt" COOKIE="$cookie" CSRF="$csrf" \
    wrk -t$CONNECTIONS -c$CONNECTIONS -d"${SECONDS_PER_RUN}s" --latency \
    -s "$ROOT/scripts/bench_web_save.lua" "$BASE" | tee "$WORK/save-$label.txt"

  echo "-- peer: GET /static/casework.css, $CONNECTIONS connections, ${SECONDS_PER_RUN}s"
  wrk -t2 -c$CONNECTIONS -d"${SECONDS_PER_RUN}s" --latency -H "cookie: $cookie" \
    "$BASE/static/casework.css" | tee "$WORK/peer-$label.txt"

  kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  echo "$label ratings page: $(summarise "$WORK/ratings-$label.txt")" >>"$WORK/summary.txt"
  echo "$label answer save:  $(summarise "$WORK/save-$label.txt")" >>"$WORK/summary.txt"
  echo "$label peer (static): $(summarise "$WORK/peer-$label.txt")" >>"$WORK/summary.txt"
  echo "$label throughput as a share of the peer's: ratings $(ratio ratings "$label"), save $(ratio save "$label")" >>"$WORK/summary.txt"
}

run_backend sqlite "$WORK/bench.db"
if [ -n "${DATABASE_URL:-}" ]; then
  schema="cw_bench_web_$$"
  quiet_psql() { PGOPTIONS="--client-min-messages=warning" psql "$DATABASE_URL" -qc "$1" >/dev/null; }
  quiet_psql "CREATE SCHEMA $schema"
  trap 'quiet_psql "DROP SCHEMA IF EXISTS $schema CASCADE"; cleanup' EXIT
  sep='?'; [[ $DATABASE_URL == *\?* ]] && sep='&'
  pg_disk() { psql "$DATABASE_URL" -Atc "SELECT checkpoints_timed + checkpoints_req, checkpoint_write_time, checkpoint_sync_time, (SELECT wal_sync FROM pg_stat_wal), (SELECT wal_write FROM pg_stat_wal) FROM pg_stat_bgwriter"; }
  before=$(pg_disk)
  run_backend postgres "${DATABASE_URL}${sep}options=-c%20search_path%3D$schema"
  after=$(pg_disk)
  awk -F'|' -v b="$before" -v a="$after" 'BEGIN{split(b, x, "|"); split(a, y, "|");
    printf "postgres server during its runs: %d checkpoints (write %.0f ms, sync %.0f ms), %d WAL syncs, %d WAL writes\n",
      y[1]-x[1], y[2]-x[2], y[3]-x[3], y[4]-x[4], y[5]-x[5]}' >>"$WORK/summary.txt"
else
  echo "(PostgreSQL skipped: set DATABASE_URL to include it)"
fi

PROBE_SECONDS=$(( SECONDS_PER_RUN < 20 ? SECONDS_PER_RUN : 20 ))
echo "-- the disk: 16 KiB write + fsync in a loop for ${PROBE_SECONDS}s (scripts/fsync_probe.py)"
echo "disk fsync (after the runs): $(python3 "$ROOT/scripts/fsync_probe.py" "$PROBE_SECONDS" "$WORK")" >>"$WORK/summary.txt"

echo
echo "== summary (wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), $(nproc) cores)"
cat "$WORK/summary.txt"
