#!/usr/bin/env bash
# The rating benchmark with its DuckDB peer, in one run (see BENCHMARKS.md).
# Run from anywhere on a fresh machine with python3 (3.11+, for tomllib) and cargo:
#   bash scripts/bench.sh                      # 12 regions, 100 PDUs, 1,000,000 cases in bench-data/
#   bash scripts/bench.sh --cases 100000 --pdus 20 --regions 4 --data /tmp/bench-small
# Arguments are passed to `cargo xtask bench`. DUCKDB_VERSION overrides the pinned DuckDB.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned; checked with `pip index versions duckdb` (available then: 2.0.0, 1.5.6, 1.5.5, ...).
DUCKDB_VERSION="${DUCKDB_VERSION:-1.5.6}"
VENV=.venv-bench

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import sys, duckdb; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION"
fi

cargo build --release -p xtask
exec target/release/xtask bench --duckdb-python "$VENV/bin/python" "$@"
