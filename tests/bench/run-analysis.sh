#!/usr/bin/env bash
# Nearest-all and underserved against PostGIS on the same data (BENCHMARKS.md shape):
#   tests/bench/run-analysis.sh [HOUSEHOLDS=1000000] [RESOURCES=2000] [BUILD_DIR=build]
# Builds bench-nearest, which generates the project and the CSV points (kept in
# $BENCH_DIR, default /tmp/jangkau-bench-analysis-N, reused between runs) and times our side
# in process; then starts a throwaway PostgreSQL 15 + PostGIS cluster on a unix socket in a
# temp dir, COPYs the same points, builds GiST and runs the LATERAL KNN query. Prints seconds
# and ratios. The machine may be shared: timings are noisy (ours are best of 3).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-1000000}
nr=${2:-2000}
build=${3:-$top/build}
bench_dir=${BENCH_DIR:-/tmp/jangkau-bench-analysis-$n}
pgbin=/usr/lib/postgresql/15/bin

command -v bc >/dev/null || apt-get install -y bc >/dev/null
if [ ! -x "$pgbin/initdb" ] || [ ! -e /usr/share/postgresql/15/extension/postgis.control ]; then
  apt-get install -y postgresql-15 postgresql-15-postgis-3 >/dev/null
fi
[ -f "$build/build.ninja" ] || meson setup "$build" "$top" >/dev/null
meson compile -C "$build" bench-nearest >/dev/null

echo "== Jangkau (in process) =="
ours=$("$build/tests/bench/bench-nearest" "$bench_dir" "$n" "$nr")
echo "$ours"
get () { echo "$ours" | sed -n "s/^$1=//p"; }

echo "== PostGIS =="
pgdir=$(mktemp -d /tmp/jangkau-pg-XXXXXX)
chmod 755 "$pgdir"
chmod 755 "$bench_dir"; chmod 644 "$bench_dir"/*.csv
pguser=postgres
id "$pguser" >/dev/null 2>&1 || { useradd -r -M jangkau-bench; pguser=jangkau-bench; }
chown "$pguser" "$pgdir"
as_pg () { if [ "$(id -u)" = 0 ]; then su "$pguser" -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
cleanup () { as_pg "$pgbin/pg_ctl -D $pgdir/data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
trap cleanup EXIT
as_pg "$pgbin/initdb -D $pgdir/data -A trust -U postgres" >/dev/null
as_pg "$pgbin/pg_ctl -D $pgdir/data -l $pgdir/log -w -o \"-k $pgdir -c listen_addresses='' -p 5497 -c shared_buffers=1GB -c work_mem=256MB\" start" >/dev/null
psql_ () { psql -X -q -v ON_ERROR_STOP=1 -h "$pgdir" -p 5497 -U postgres -d postgres "$@"; }
now () { date +%s.%N; }

t0=$(now)
psql_ <<SQL
CREATE EXTENSION postgis;
CREATE TABLE hh (id bigint, lon float8, lat float8, mask int);
CREATE TABLE res (id bigint, lon float8, lat float8, mask int);
\copy hh FROM '$bench_dir/households.csv' WITH (FORMAT csv)
\copy res FROM '$bench_dir/resources.csv' WITH (FORMAT csv)
ALTER TABLE hh ADD COLUMN geom geometry(Point, 32749), ADD COLUMN geog geography(Point, 4326);
UPDATE hh SET geog = ST_SetSRID (ST_MakePoint (lon, lat), 4326)::geography,
              geom = ST_Transform (ST_SetSRID (ST_MakePoint (lon, lat), 4326), 32749);
ALTER TABLE res ADD COLUMN geom geometry(Point, 32749), ADD COLUMN geog geography(Point, 4326);
UPDATE res SET geog = ST_SetSRID (ST_MakePoint (lon, lat), 4326)::geography,
               geom = ST_Transform (ST_SetSRID (ST_MakePoint (lon, lat), 4326), 32749);
CREATE INDEX res_geom ON res USING gist (geom);
VACUUM ANALYZE hh;
VACUUM ANALYZE res;
SQL
t1=$(now)
# Nearest serving resource (category masks intersect) by KNN on UTM 49S, geodesic distance.
psql_ <<SQL
CREATE TABLE pg_nearest AS
SELECT h.id, n.id AS rid, n.d
FROM hh h CROSS JOIN LATERAL (
  SELECT r.id, ST_Distance (h.geog, r.geog) AS d
  FROM res r WHERE (r.mask & h.mask) <> 0
  ORDER BY r.geom <-> h.geom LIMIT 1) n;
SQL
t2=$(now)
psql_ -c "\\copy pg_nearest TO '$pgdir/pg_nearest.csv' WITH (FORMAT csv)"
pg_load=$(echo "$t1 - $t0" | bc)
pg_knn=$(echo "$t2 - $t1" | bc)
echo "postgis_load_index_s=$pg_load"
echo "postgis_lateral_knn_s=$pg_knn"

python3 - "$bench_dir/ours.csv" "$pgdir/pg_nearest.csv" <<'PY'
import csv, sys
ours = {r[0]: (r[1], float(r[2])) for r in csv.reader(open(sys.argv[1]))}
same = diff = 0
worst = 0.0
for r in csv.reader(open(sys.argv[2])):
    o = ours.get(r[0])
    if o is None: continue
    if o[0] == r[1]: same += 1
    else:
        diff += 1
        # PostGIS ranks by planar UTM distance: where it picks another resource, ours must not be farther.
        worst = max(worst, o[1] - float(r[2]))
print(f"same_resource_as_postgis={same}\ndifferent_resource={diff}\nours_farther_by_max_m={worst:.3f}")
PY

echo "== Ratios (PostGIS / Jangkau) =="
c2=$(get nearest_all_2threads_s); lc=$(get nearest_all_load_plus_compute_s)
echo "nearest-all compute (2 threads): $c2 s vs PostGIS LATERAL $pg_knn s -> $(echo "scale=1; $pg_knn / $c2" | bc)x"
echo "nearest-all load+compute: $lc s vs PostGIS load+index+LATERAL $(echo "$pg_load + $pg_knn" | bc) s -> $(echo "scale=1; ($pg_load + $pg_knn) / $lc" | bc)x"
echo "underserved compute (2 threads): $(get underserved_2threads_s) s; peak RSS $(get peak_rss_mb) MB"
