#!/usr/bin/env bash
# The store benchmark with its peers in one run (see BENCHMARKS.md): pandas read_csv + to_sql, and
# the SQLite floor (scripts/sqlite_floor.py: the store step alone, by the C library).
# Usage: bash scripts/bench_store.sh [cargo xtask bench-store options]; PostgreSQL is included when
# DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."

PANDAS_VERSION=3.1.1
if [ ! -x .venv-bench/bin/python ]; then
  python3 -m venv .venv-bench
fi
if ! .venv-bench/bin/python -c "import pandas, sys; sys.exit(pandas.__version__ != '$PANDAS_VERSION')" 2>/dev/null; then
  .venv-bench/bin/pip install --quiet "pandas==$PANDAS_VERSION"
fi
cargo build --release -p xtask
extra=()
if [ -n "${DATABASE_URL:-}" ]; then extra+=(--postgres "$DATABASE_URL"); fi
target/release/xtask bench-store --pandas-python .venv-bench/bin/python "${extra[@]}" "$@"
