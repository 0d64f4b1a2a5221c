#!/usr/bin/env bash
# Import benchmark (issue 2): N synthetic person rows from CSV into a project with the spatial
# index built, `jangkau-cli init` + `jangkau-cli import households` against
# `ogr2ogr -f SQLite -dsco SPATIALITE=YES -gt 65536` and `ogr2ogr -f GPKG -gt 65536` on the same
# file. Prints seconds, peak RSS and the ratios.
# The three tools run in turn REPEAT times (default 3): this machine's speed drifts by up to
# 40 % over minutes, so each tool's best and median wall times are compared, measured in the
# same minutes as the others'.
# Usage: [REPEAT=R] tests/bench/run-import.sh [N] [BUILD_DIR]   (default 1000000, build)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-1000000}
repeat=${REPEAT:-3}
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
  rm -f "$work/ogr.sqlite" "$work/ogr.gpkg" "$work"/p.jangkau*
  /usr/bin/time -v -o "$work/$label.time" "$@" >"$work/$label.out" 2>"$work/$label.err" ||
    { cat "$work/$label.err" >&2; exit 1; }
  local secs rss cpu
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                      for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/$label.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/$label.time")
  # CPU seconds (user + system, all threads): less disturbed than wall time on a loaded machine.
  cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { print s }' "$work/$label.time")
  printf '  %-10s %8.2f s  %6s MB peak RSS  %8.2f s CPU\n' "$label" "$secs" "$rss" "$cpu"
  echo "$secs $cpu $rss" >>"$work/$label.runs"
}

# best, median (wall), median CPU, max RSS of a tool's runs
summary () {
  sort -n "$work/$1.runs" | awk '{ w[NR] = $1; c[NR] = $2; if ($3 > r) r = $3 }
    END { m = int((NR + 1) / 2); printf "%s %s %s %s", w[1], w[m], c[m], r }'
}

echo "import of $n person rows ($(du -h "$csv" | cut -f1) CSV), spatial index built; $(nproc) CPUs, load: $(cut -d' ' -f1-3 /proc/loadavg); $repeat runs each, in turn"
export JANGKAU_NO_PROGRESS=1
for r in $(seq "$repeat"); do
  echo "run $r:"
  measure ogr2ogr ogr2ogr -f SQLite -dsco SPATIALITE=YES -gt 65536 "$work/ogr.sqlite" "$csv" \
    -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 -nln households
  measure jangkau sh -c "'$cli' init '$work/p.jangkau' && '$cli' import households '$work/p.jangkau' '$csv' --json"
  measure gpkg ogr2ogr -f GPKG -gt 65536 "$work/ogr.gpkg" "$csv" \
    -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 -nln households
done
grep -E '"(read|imported|rejected|families)"' "$work/jangkau.out" | tr -d ' ,' | tr '\n' ' '; echo
# Both indexes answer the same window query (the last run's files).
win="BuildMbr(110.30, -7.95, 110.40, -7.85)"
ogr2ogr -f SQLite -dsco SPATIALITE=YES -gt 65536 "$work/ogr.sqlite" "$csv" \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 -nln households
a=$(sqlite3 -cmd "SELECT load_extension('mod_spatialite');" "$work/ogr.sqlite" \
    "SELECT count(*) FROM households WHERE ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'households' AND search_frame = $win);" | tail -1)
"$cli" init "$work/p.jangkau" >/dev/null 2>&1 && "$cli" import households "$work/p.jangkau" "$csv" >/dev/null
b=$(sqlite3 -cmd "SELECT load_extension('mod_spatialite');" "$work/p.jangkau" \
    "SELECT count(*) FROM person p JOIN family f ON f.id = p.family_id WHERE f.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'family' AND search_frame = $win);" | tail -1)
echo "window query: ogr2ogr $a rows, jangkau $b persons"
read -r o_best o_med o_cpu o_rss <<<"$(summary ogr2ogr)"
read -r g_best g_med g_cpu g_rss <<<"$(summary gpkg)"
read -r j_best j_med j_cpu j_rss <<<"$(summary jangkau)"
printf '%-10s best %7.2f s  median %7.2f s  median CPU %7.2f s  peak RSS %5s MB\n' \
  ogr2ogr "$o_best" "$o_med" "$o_cpu" "$o_rss" gpkg "$g_best" "$g_med" "$g_cpu" "$g_rss" \
  jangkau "$j_best" "$j_med" "$j_cpu" "$j_rss"
awk -v ob="$o_best" -v om="$o_med" -v oc="$o_cpu" -v gb="$g_best" -v gm="$g_med" -v gc="$g_cpu" \
    -v jb="$j_best" -v jm="$j_med" -v jc="$j_cpu" 'BEGIN {
  printf "ratio ogr2ogr / jangkau: best %.2fx, median %.2fx, CPU %.2fx (target >= 3x)\n", ob / jb, om / jm, oc / jc
  printf "ratio ogr2ogr GPKG / jangkau: best %.2fx, median %.2fx, CPU %.2fx\n", gb / jb, gm / jm, gc / jc }'
echo "jangkau peak memory: $j_rss MB (target < 500 MB)"
