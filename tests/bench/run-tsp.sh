#!/usr/bin/env bash
# TSP benchmark: jangkau's solver (bench-tsp) against pgRouting's pgr_TSP on the TSPLIB instances
# in ../shared/data/tsplib, side by side: tour length, gap to the optimum, time, and ratios.
#
# pgr_TSP runs in a throwaway PostgreSQL 15 cluster (initdb in a temp dir, unix socket only, no
# TCP), started with pg_ctl as the "postgres" user when run as root, and stopped at the end.
# Each instance is loaded as its full TSPLIB distance matrix (nint for EUC_2D, the ATT formula
# for ATT), so both tools optimise the same integer costs.
#
# Needs: postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting (tools/bench-deps.txt; installed here).
# Env:   PGR_TIMEOUT  seconds per pgr_TSP call (default 60; rat783 takes ~140 s, pr1002 more)
#        RUNS         jangkau runs per instance (seeds 1..RUNS, default 3)
#        INSTANCES    space-separated names (default: every .tsp in the directory)
# Timings are wall-clock on a shared machine: expect noise.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
data=${TSPLIB:-}
if [ -z "$data" ]; then
  d=$top
  while [ "$d" != / ]; do
    d=$(dirname "$d")
    if [ -d "$d/shared/data/tsplib" ]; then data=$d/shared/data/tsplib; break; fi
  done
fi
[ -d "$data" ] || { echo "run-tsp.sh: no tsplib directory (set TSPLIB)" >&2; exit 1; }
timeout_s=${PGR_TIMEOUT:-60}
runs=${RUNS:-3}
pgbin=/usr/lib/postgresql/15/bin

"$top/tools/install-deps.sh" "$top/tools/bench-deps.txt"
meson compile -C "$build" bench-tsp >/dev/null

if [ -n "${INSTANCES:-}" ]; then
  files=(); for i in $INSTANCES; do files+=("$data/$i.tsp"); done
else
  # by size
  mapfile -t files < <(for f in "$data"/*.tsp; do
    echo "$(awk -F: '/^DIMENSION/ {gsub(/ /, "", $2); print $2}' "$f") $f"; done | sort -n | cut -d' ' -f2)
fi

ours=$(mktemp)
"$build/tests/bench/bench-tsp" --runs "$runs" "${files[@]}" > "$ours"

# ---- throwaway PostgreSQL ----
tmp=$(mktemp -d /tmp/run-tsp-pg.XXXXXX)
chmod 755 "$tmp"
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$tmp"; as_pg=(runuser -u postgres --); fi
port=54329
cleanup () {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp" "$ours"
}
trap cleanup EXIT
trap "exit 1" INT TERM
"${as_pg[@]}" "$pgbin/initdb" -D "$tmp/data" -U postgres -A trust >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w \
  -o "-c listen_addresses='' -k $tmp -p $port -c fsync=off" start >/dev/null
export PGOPTIONS="-c client_min_messages=warning"
psql=(psql -X -q -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U postgres -d postgres)
"${psql[@]}" -c "CREATE EXTENSION pgrouting CASCADE" >/dev/null
pgr_version=$("${psql[@]}" -At -c "SELECT pgr_version()")

printf '%-9s %5s %8s | %8s %7s %7s | %8s %7s %8s | %7s %7s\n' \
  instance n optimum jangkau gap% time_s pgr_TSP gap% time_s len_pgr/ time_pgr/
printf '%-9s %5s %8s | %8s %7s %7s | %8s %7s %8s | %7s %7s\n' \
  "" "" "" "(best)" "(mean)" "(med)" "" "" "" jangkau jangkau
grep -v '^#' "$ours" | while read -r name n opt len gap gap_worst secs iters; do
  f="$data/$name.tsp"
  type=$(awk -F: '/^EDGE_WEIGHT_TYPE/ {gsub(/ /, "", $2); print $2}' "$f")
  case "$type" in
    EUC_2D) expr='floor(sqrt((a.x-b.x)^2 + (a.y-b.y)^2) + 0.5)' ;;
    ATT) expr='(SELECT CASE WHEN floor(r + 0.5) < r THEN floor(r + 0.5) + 1 ELSE floor(r + 0.5) END
                FROM (SELECT sqrt(((a.x-b.x)^2 + (a.y-b.y)^2) / 10.0) AS r) s)' ;;
    *) printf '%-9s %5s: %s not benchmarked against pgr_TSP\n' "$name" "$n" "$type"; continue ;;
  esac
  awk 'BEGIN {print "DROP TABLE IF EXISTS nodes; CREATE TABLE nodes (id int PRIMARY KEY, x float8, y float8); COPY nodes FROM stdin;"}
       /NODE_COORD_SECTION/ {s=1; next} /^EOF/ {s=0} s && NF==3 {print $1 "\t" $2 "\t" $3}
       END {print "\\."}' "$f" | "${psql[@]}" >/dev/null
  matrix="SELECT a.id AS start_vid, b.id AS end_vid, $expr AS agg_cost FROM nodes a, nodes b WHERE a.id <> b.id"
  t0=$(date +%s.%N)
  # pgr_TSP's Boost code never checks for interrupts, so statement_timeout cannot stop it: the
  # client gives up after the timeout and the cluster is restarted in immediate mode.
  if pgr_len=$(timeout "$timeout_s" "${psql[@]}" -At \
       -c "SELECT max(agg_cost)::bigint FROM pgr_TSP(\$\$$matrix\$\$)" 2>/dev/null); then
    t1=$(date +%s.%N)
    pgr_secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
    awk -v name="$name" -v n="$n" -v opt="$opt" -v len="$len" -v gap="$gap" -v secs="$secs" \
        -v plen="$pgr_len" -v psecs="$pgr_secs" 'BEGIN {
      pgap = opt > 0 ? 100 * (plen - opt) / opt : -1
      printf "%-9s %5d %8d | %8d %7.3f %7.3f | %8d %7.2f %8.2f | %7.3f %7.1f\n",
        name, n, opt, len, gap, secs, plen, pgap, psecs, plen / len, psecs / (secs > 0 ? secs : 1e-3) }'
  else
    printf '%-9s %5d %8d | %8d %7.3f %7.3f | %8s %7s %8s | %7s %7s\n' \
      "$name" "$n" "$opt" "$len" "$gap" "$secs" "timeout" "-" ">$timeout_s" "-" "-"
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w \
      -o "-c listen_addresses='' -k $tmp -p $port -c fsync=off" start >/dev/null
  fi
done
echo "pgRouting $pgr_version; jangkau: $runs runs per instance (seeds 1..$runs), 1 s time limit each."
echo "Times are wall-clock on a shared 2-core machine (noisy); pgr_TSP time includes evaluating its n^2-row matrix SQL."
