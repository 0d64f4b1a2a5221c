#!/usr/bin/env bash
# Import benchmark (issue 2): N synthetic person rows from CSV into a project with the spatial
# index built, `jangkau-cli init` + `jangkau-cli import households` against
# `ogr2ogr -f SQLite -dsco SPATIALITE=YES -gt 65536` and `ogr2ogr -f GPKG -gt 65536` on the same
# file. Prints seconds, peak RSS and the ratios.
# Usage: tests/bench/run-import.sh [N] [BUILD_DIR]   (default 1000000, build)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-1000000}
build=${2:-$top/build}
cli=$build/app/jangkau-cli
[ -x "$cli" ] || { echo "build first: meson compile -C $build" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d /tmp/jangkau-bench-import-XXXXXX)
trap 'rm -rf "$work"' EXIT

csv=$work/households.csv
python3 "$top/tests/bench/gen-households.py" "$n" "$csv"
cat "$csv" >/dev/null # warm the page cache for both tools

measure () { # label, command...
  local label=$1; shift
  /usr/bin/time -v -o "$work/$label.time" "$@" >"$work/$label.out" 2>"$work/$label.err" ||
    { cat "$work/$label.err" >&2; exit 1; }
  local secs rss
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                      for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/$label.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/$label.time")
  # CPU seconds (user + system, all threads): less disturbed than wall time on a loaded machine.
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { print s }' "$work/$label.time")
  printf '%-10s %8.2f s  %6s MB peak RSS  %8.2f s CPU\n' "$label" "$secs" "$rss" "$cpu"
  eval "${label}_secs=$secs ${label}_cpu=$cpu"
}

echo "import of $n person rows ($(du -h "$csv" | cut -f1) CSV), spatial index built; $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg)"
measure ogr2ogr ogr2ogr -f SQLite -dsco SPATIALITE=YES -gt 65536 "$work/ogr.sqlite" "$csv" \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 -nln households
measure gpkg ogr2ogr -f GPKG -gt 65536 "$work/ogr.gpkg" "$csv" \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 -nln households
export JANGKAU_NO_PROGRESS=1
measure jangkau sh -c "'$cli' init '$work/p.jangkau' && '$cli' import households '$work/p.jangkau' '$csv' --json"
grep -E '"(read|imported|rejected|families)"' "$work/jangkau.out" | tr -d ' ,' | tr '\n' ' '; echo
# Both indexes answer the same window query.
win="BuildMbr(110.30, -7.95, 110.40, -7.85)"
a=$(sqlite3 -cmd "SELECT load_extension('mod_spatialite');" "$work/ogr.sqlite" \
    "SELECT count(*) FROM households WHERE ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'households' AND search_frame = $win);" | tail -1)
b=$(sqlite3 -cmd "SELECT load_extension('mod_spatialite');" "$work/p.jangkau" \
    "SELECT count(*) FROM person p JOIN family f ON f.id = p.family_id WHERE f.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'family' AND search_frame = $win);" | tail -1)
echo "window query: ogr2ogr $a rows, jangkau $b persons"
awk -v a="$ogr2ogr_secs" -v g="$gpkg_secs" -v b="$jangkau_secs" 'BEGIN {
  printf "ratio ogr2ogr / jangkau: %.2fx (target >= 3x)\n", a / b
  printf "ratio ogr2ogr GPKG / jangkau: %.2fx (target >= 3x)\n", g / b }'
awk -v a="$ogr2ogr_cpu" -v g="$gpkg_cpu" -v b="$jangkau_cpu" 'BEGIN {
  printf "CPU-time ratios: ogr2ogr / jangkau %.2fx, GPKG / jangkau %.2fx\n", a / b, g / b }'
