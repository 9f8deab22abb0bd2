#!/usr/bin/env bash
# The website chat against a minimal socket.io 4 server doing the same job, driven by one Node load generator
# (docs/benchmarks/webchat.md). Installs the socket.io peer from the npm registry (npm ci, pinned by package-lock.json),
# builds the benchmarks jar if it is missing, then runs both peers one after the other and prints a table.
#
#   benchmarks/webchat-vs-socketio.sh [visitors=10000] [replies per second=1000] [seconds=10] [warm-up seconds=10]
#                                     [warm-up replies per second=the measured rate]
#   SERVER_JVM_OPTS="..."  JVM flags of the website chat server (default: the recommended ones, see the docs page)
#   BUILD=1                rebuild the benchmarks jar even if it exists
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
visitors="${1:-10000}"
rate="${2:-1000}"
seconds="${3:-10}"
warmup="${4:-10}"
warmup_rate="${5:-$rate}"

# The load generator and each server hold one descriptor per visitor, plus a few hundred of their own.
need=$((visitors + 1000))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$need" 2>/dev/null || {
    echo "needs 'ulimit -n $need' or more (hard limit here: $(ulimit -Hn))" >&2
    exit 1
  }
fi

command -v node >/dev/null || { echo "needs Node.js 18 or newer (node, npm) on the PATH" >&2; exit 1; }
jar="$root/benchmarks/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ "${BUILD:-0}" = 1 ]; then
  (cd "$root" && ./mvnw -q -pl benchmarks -am package -Dmaven.test.skip=true -Djazzer.skip)
fi
(cd "$root/benchmarks/socketio-peer" && npm ci --no-audit --no-fund --loglevel=error)

exec node "$root/benchmarks/socketio-peer/load.js" --visitors "$visitors" --rate "$rate" --seconds "$seconds" \
  --warmup "$warmup" --warmup-rate "$warmup_rate" --jar "$jar"
