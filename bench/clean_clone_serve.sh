#!/usr/bin/env bash
# From a clean clone to the links: clones this repository (HEAD, or the commit given) into a
# temporary folder, runs `make serve` there and times it until the first link line. Sends
# no request anywhere; stops the server and removes the clone afterwards.
#   bench/clean_clone_serve.sh [COMMIT] [PORT]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
commit="${1:-HEAD}"
port="${2:-8931}"
tmp="$(mktemp -d)"
trap 'pkill -f "live serve.*--port $port" || true; rm -rf "$tmp"' EXIT
git clone -q "$repo" "$tmp/clone"
cd "$tmp/clone"
git checkout -q "$commit"
start=$(date +%s.%N)
make serve PORT="$port" > serve.out 2>&1 &
until grep -q "http://" serve.out 2>/dev/null; do
    kill -0 $! 2>/dev/null || { cat serve.out >&2; exit 1; }
    sleep 0.1
done
end=$(date +%s.%N)
echo "clean_clone_serve commit=$(git rev-parse --short HEAD) seconds=$(echo "$end - $start" | bc)"
