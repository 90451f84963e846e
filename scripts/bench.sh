#!/usr/bin/env bash
# The rating benchmark with its DuckDB peer, in one run (see BENCHMARKS.md).
# Usage: bash scripts/bench.sh [casework bench options, e.g. --cases 100000 --pdus 20 --regions 4]
set -euo pipefail
cd "$(dirname "$0")/.."

DUCKDB_VERSION=1.5.6
if [ ! -x .venv-bench/bin/python ]; then
  python3 -m venv .venv-bench
fi
if ! .venv-bench/bin/python -c "import duckdb, sys; sys.exit(duckdb.__version__ != '$DUCKDB_VERSION')" 2>/dev/null; then
  .venv-bench/bin/pip install --quiet "duckdb==$DUCKDB_VERSION"
fi
cargo build --release -p casework
target/release/casework bench --duckdb-python .venv-bench/bin/python "$@"
