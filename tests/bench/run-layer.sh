#!/usr/bin/env bash
# Frame build time of the map's family layer with 1,000,000 families (target: < 16 ms at
# every zoom level). Usage: tests/bench/run-layer.sh [BUILD_DIR] [N] [REPEATS]
set -eu
build=${1:-build}; n=${2:-1000000}; repeats=${3:-15}
exec xvfb-run -a -s "-screen 0 1920x1080x24" env GSK_RENDERER=cairo GDK_BACKEND=x11 \
  "$build/tests/bench/bench-layer" "$n" "$repeats"
