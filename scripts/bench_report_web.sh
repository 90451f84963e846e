#!/usr/bin/env bash
# The report's downloads from a stored region under load (issue 15; BENCHMARKS.md, "Report
# downloads from the store"). Imports east-of-england with its first six PDUs (as bench_web.sh),
# serves it, signs in, and while wrk keeps 16 connections reading the region's ratings page, asks
# for the region's PDF and data workbook RUNS times each in two ways:
#   cold:   each request follows an answer save (through the API), so the store's revision has
#           moved and the file is made afresh from the stored inspection;
#   cached: the same request again with nothing changed since, served from the revision's copy.
# Prints p50/p95/p99 of curl's total time for each, and, as the peer in the same run, the ratings
# page's p50/p99 under the same load (wrk). Usage: bash scripts/bench_report_web.sh [RUNS, default 40]
# CASEWORK_BIN=path runs that binary instead of building this checkout's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS="${1:-40}"
READERS=16
PORT="${BENCH_WEB_PORT:-18081}"
BASE="http://127.0.0.1:$PORT"
REGION=east-of-england
PDUS=6

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
[ -d node_modules/govuk-frontend ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null
if [ -n "${CASEWORK_BIN:-}" ]; then
  BIN=$(realpath "$CASEWORK_BIN")
else
  cargo build --release -p casework
  BIN=$ROOT/target/release/casework
fi

WORK=$(mktemp -d)
SERVER_PID=
WRK_PID=
cleanup() {
  if [ -n "$WRK_PID" ]; then kill "$WRK_PID" 2>/dev/null || true; fi
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cp -r "tests/fixtures/$REGION" "$WORK/$REGION"
keep=$(seq -s, 1 $PDUS | sed -E 's/([0-9]+)/"synthetic-pdu-\1"/g')
sed -i -E "s/^units = .*/units = [$keep]/" "$WORK/$REGION/inspection.toml"
for n in $(seq $((PDUS + 1)) 8); do rm -rf "$WORK/$REGION/synthetic-pdu-$n"; done
cases=$(awk 'FNR > 1' "$WORK/$REGION"/synthetic-pdu-*/*.csv "$WORK/$REGION"/*.csv | grep -c .)

db="$WORK/bench.db"
"$BIN" init --db "$db" >/dev/null
"$BIN" import "$WORK/$REGION" --db "$db" --by bench >/dev/null
echo bench-password-0123456789 | "$BIN" user add bench --role admin --password-stdin --db "$db" --by bench >/dev/null
"$BIN" serve --db "$db" --bind "127.0.0.1:$PORT" --no-demo >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do curl -sf -o /dev/null "$BASE/sign-in" && break; sleep 0.1; done

headers=$(mktemp -p "$WORK")
body=$(curl -sf -D "$headers" -H 'content-type: application/json' \
  -d '{"name":"bench","password":"bench-password-0123456789"}' "$BASE/api/v1/session")
token=$(grep -i '^set-cookie: casework_session=' "$headers" | sed -E 's/^[^=]+=([^;]+);.*/\1/')
csrf=$(echo "$body" | sed -E 's/.*"csrf_token":"([^"]+)".*/\1/')
cookie="casework_session=$token"

# One case whose answer is saved between cold requests.
pdu="$REGION%2Fsynthetic-pdu-1"
ref=$(sed -n 2p "$WORK/$REGION/synthetic-pdu-1/sentence-management.csv" | cut -d, -f1)
case_url="$BASE/api/v1/inspections/$pdu/cases/sentence-management/$ref"
version=$(curl -sf -H "cookie: $cookie" "$case_url" | sed -E 's/.*"version":([0-9]+).*/\1/')
answer=N
save() {
  answer=$([ "$answer" = Y ] && echo N || echo Y)
  version=$(curl -sf -X PUT -H "cookie: $cookie" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d "{\"answer\":\"$answer\",\"version\":$version}" "$case_url/answers/P2.1.1" |
    sed -E 's/.*"version":([0-9]+).*/\1/')
}
fetch() { # prints curl's total time in ms; fails on anything but 200
  curl -s -o "$WORK/out" -w '%{http_code} %{time_total}\n' -H "cookie: $cookie" "$BASE/inspections/$REGION/$1" |
    awk '$1 != 200 { print "HTTP " $1 > "/dev/stderr"; exit 1 } { printf "%.1f\n", $2 * 1000 }'
}
stats() { # p50 p95 p99 max of a file of numbers
  python3 - "$1" <<'PY'
import sys
xs = sorted(float(l) for l in open(sys.argv[1]) if l.strip())
def pct(p):  # nearest rank
    import math
    return xs[max(0, math.ceil(p / 100 * len(xs)) - 1)]
print(f"n {len(xs)}, p50 {pct(50):.0f} ms, p95 {pct(95):.0f} ms, p99 {pct(99):.0f} ms, max {xs[-1]:.0f} ms")
PY
}

echo "== $REGION with $PDUS PDUs ($cases cases); $READERS readers on the ratings page; $RUNS requests per set"
wrk -t2 -c$READERS -d600s --latency -H "cookie: $cookie" "$BASE/inspections/$REGION/ratings" >"$WORK/readers.txt" &
WRK_PID=$!
sleep 2
for what in report.pdf data.xlsx; do
  : >"$WORK/cold-$what"; : >"$WORK/cached-$what"
  for _ in $(seq "$RUNS"); do
    save
    fetch "$what" >>"$WORK/cold-$what"
    fetch "$what" >>"$WORK/cached-$what"
  done
  bytes=$(stat -c %s "$WORK/out")
  echo "$what ($bytes bytes), made afresh after a save: $(stats "$WORK/cold-$what")"
  echo "$what, the revision's copy:                    $(stats "$WORK/cached-$what")"
done
kill -INT "$WRK_PID"; wait "$WRK_PID" 2>/dev/null || true; WRK_PID=
awk '/Requests\/sec/{rps=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2}
     END{printf "peer, ratings page under the same load: %s req/s, p50 %s, p99 %s\n", rps, p50, p99}' "$WORK/readers.txt"
echo "($(nproc) cores; curl time_total per request; the readers ran throughout)"
