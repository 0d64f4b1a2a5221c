#!/usr/bin/env bash
# Jangkau against QGIS 3.22 (qgis_process) and PostGIS 15/3.3, side by side in one run, on
# BENCHMARKS.md's data shape (HOUSEHOLDS households in village clusters, RESOURCES resources):
#   tests/bench/run-qgis.sh [HOUSEHOLDS=1000000] [RESOURCES=2000] [BUILD_DIR=build]
#   - nearest resource of every household: ours (bench-nearest in process, and the whole
#     `jangkau-cli nearest-all` command) vs PostGIS LATERAL KNN vs QGIS native:joinbynearest
#   - households per desa (point in polygon, the 75 Bantul desa of /work/shared/data):
#     ours (bench-areacount) vs PostGIS ST_Contains + GROUP BY vs QGIS native:countpointsinpolygon
#   - quartic kernel density, 1 km radius, 100 m pixels: ours (bench-hotspot --only density)
#     vs QGIS qgis:heatmapkerneldensityestimation
# Data are generated once into $BENCH_DIR (default /tmp/jangkau-bench-analysis-N, shared with
# run-analysis.sh). Ours: best of 3 in process; reference tools: one run each (they take
# minutes), whole process for QGIS (its start-up, measured alone, is printed too). The machine
# is shared: CPU seconds are printed next to wall seconds. Needs root for apt-get/su.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-1000000}
nr=${2:-2000}
build=${3:-$top/build}
bench_dir=${BENCH_DIR:-/tmp/jangkau-bench-analysis-$n}
areas=${AREAS:-$top/../shared/data/boundaries/3402_bantul_desa_kelurahan.geojson}
pgbin=/usr/lib/postgresql/15/bin
qgis=$(command -v qgis_process.bin || echo /usr/lib/qgis/qgis_process.bin)

command -v bc >/dev/null || apt-get install -y bc >/dev/null
if [ ! -x "$pgbin/initdb" ] || [ ! -e /usr/share/postgresql/15/extension/postgis.control ]; then
  apt-get install -y postgresql-15 postgresql-15-postgis-3 >/dev/null
fi
if [ ! -x "$qgis" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends qgis qgis-providers >/dev/null
  qgis=$(command -v qgis_process.bin)
fi
[ -f "$build/build.ninja" ] || meson setup "$build" "$top" >/dev/null
meson compile -C "$build" bench-nearest bench-areacount bench-hotspot jangkau-cli >/dev/null

work=$(mktemp -d /tmp/jangkau-bench-qgis-XXXXXX)
chmod 755 "$work"
now () { date +%s.%N; }
ratio () { echo "scale=1; ($1) / ($2)" | bc; }
fmt () { printf "%.2f" "$1"; }
# /usr/bin/time -f "%e %U %S %M" lines -> wall, cpu (user + sys), peak RSS MB
timed () { local out=$1; shift; /usr/bin/time -f "%e %U %S %M" -o "$out" "$@"; }
wall () { cut -d' ' -f1 "$1"; }
cpu () { awk '{ printf "%.2f", $2 + $3 }' "$1"; }
rss () { awk '{ printf "%d", $4 / 1024 }' "$1"; }

echo "== Jangkau =="
ours=$("$build/tests/bench/bench-nearest" "$bench_dir" "$n" "$nr")
echo "$ours"
get () { echo "$ours" | sed -n "s/^$1=//p"; }
# The whole CLI command: open, load selection and resources, index, search, write the CSV.
timed "$work/cli.time" "$build/app/jangkau-cli" nearest-all "$bench_dir/bench.jangkau" \
  --out "$work/cli-nearest.csv" 2>/dev/null
echo "cli_nearest_all_whole_command_s=$(wall "$work/cli.time") (cpu $(cpu "$work/cli.time") s, peak RSS $(rss "$work/cli.time") MB)"
chmod 644 "$bench_dir"/*.csv
area=$("$build/tests/bench/bench-areacount" "$bench_dir/households.csv" "$areas" "$work/ours-desa.csv" 3)
echo "$area"
aget () { echo "$area" | sed -n "s/^$1=//p"; }
kde=$("$build/tests/bench/bench-hotspot" --n "$n" --runs 3 --only density --points-csv "$work/kde-points.csv")
echo "$kde"
ours_kde=$(echo "$kde" | sed -n 's/^density total.*: \([0-9.]*\) s wall.*/\1/p')

echo "== QGIS $("$qgis" --version 2>&1 | sed -n 's/^QGIS \([0-9.]*\).*/\1/p' | head -1) (qgis_process.bin, QT_QPA_PLATFORM=offscreen) =="
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$work}
# Inputs in the formats a QGIS user would have: GeoPackages, households and resources in
# UTM 49S (joinbynearest is planar), points in EPSG:4326 for the desa count.
ogr2ogr -f GPKG "$work/hh.gpkg" "$bench_dir/households.csv" -nln hh -oo HEADERS=NO \
  -oo X_POSSIBLE_NAMES=field_2 -oo Y_POSSIBLE_NAMES=field_3 -a_srs EPSG:4326
ogr2ogr -f GPKG "$work/hh-utm.gpkg" "$work/hh.gpkg" -nln hh -t_srs EPSG:32749
ogr2ogr -f GPKG "$work/res-utm.gpkg" "$bench_dir/resources.csv" -nln res -oo HEADERS=NO \
  -oo X_POSSIBLE_NAMES=field_2 -oo Y_POSSIBLE_NAMES=field_3 -s_srs EPSG:4326 -t_srs EPSG:32749
ogr2ogr -f GPKG "$work/kde-points.gpkg" "$work/kde-points.csv" -oo X_POSSIBLE_NAMES=x \
  -oo Y_POSSIBLE_NAMES=y -a_srs EPSG:32749 -nln points
timed "$work/q0.time" "$qgis" help native:buffer >/dev/null 2>&1
echo "qgis_startup_s=$(wall "$work/q0.time")"
timed "$work/q1.time" "$qgis" run native:joinbynearest --INPUT="$work/hh-utm.gpkg" \
  --INPUT_2="$work/res-utm.gpkg" --NEIGHBORS=1 --FIELDS_TO_COPY=field_1 --PREFIX=r_ \
  --OUTPUT="$work/q-nearest.gpkg" >/dev/null 2>&1
echo "qgis_joinbynearest_s=$(wall "$work/q1.time") (cpu $(cpu "$work/q1.time") s, peak RSS $(rss "$work/q1.time") MB)"
timed "$work/q2.time" "$qgis" run native:countpointsinpolygon --POLYGONS="$areas" \
  --POINTS="$work/hh.gpkg" --FIELD=numpoints --OUTPUT="$work/q-count.gpkg" >/dev/null 2>&1
echo "qgis_countpointsinpolygon_s=$(wall "$work/q2.time") (cpu $(cpu "$work/q2.time") s, peak RSS $(rss "$work/q2.time") MB)"
timed "$work/q3.time" "$qgis" run qgis:heatmapkerneldensityestimation --INPUT="$work/kde-points.gpkg" \
  --RADIUS=1000 --PIXEL_SIZE=100 --KERNEL=0 --OUTPUT_VALUE=0 --OUTPUT="$work/q-kde.tif" >/dev/null 2>&1
echo "qgis_heatmap_s=$(wall "$work/q3.time") (cpu $(cpu "$work/q3.time") s, peak RSS $(rss "$work/q3.time") MB)"
ogr2ogr -f CSV "$work/q-nearest.csv" "$work/q-nearest.gpkg" -select field_1,r_field_1,distance
ogr2ogr -f CSV "$work/q-count.csv" "$work/q-count.gpkg" -select kode,numpoints

echo "== PostGIS =="
pgdir=$(mktemp -d /tmp/jangkau-pg-XXXXXX)
chmod 755 "$pgdir"
pguser=postgres
id "$pguser" >/dev/null 2>&1 || { useradd -r -M jangkau-bench; pguser=jangkau-bench; }
chown "$pguser" "$pgdir"
as_pg () { if [ "$(id -u)" = 0 ]; then su "$pguser" -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
cleanup () { as_pg "$pgbin/pg_ctl -D $pgdir/data -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$pgdir" "$work"; }
trap cleanup EXIT
as_pg "$pgbin/initdb -D $pgdir/data -A trust -U postgres" >/dev/null
as_pg "$pgbin/pg_ctl -D $pgdir/data -l $pgdir/log -w -o \"-k $pgdir -c listen_addresses='' -p 5497 -c shared_buffers=1GB -c work_mem=256MB -c autovacuum=off\" start" >/dev/null
pm=$(head -1 "$pgdir/data/postmaster.pid")
sleep 1
pg_helpers=$(pgrep -c -P "$pm")
# Returns once the session's backend (and any parallel worker) has exited and been reaped.
psql_ () {
  psql -X -q -v ON_ERROR_STOP=1 -h "$pgdir" -p 5497 -U postgres -d postgres "$@"
  while [ "$(pgrep -c -P "$pm")" -gt "$pg_helpers" ]; do sleep 0.05; done
}
# CPU seconds of the cluster: the postmaster's own and its exited children's (every session's
# backend and parallel worker is reaped by the postmaster when it ends; each step below runs in
# its own psql session). Long-lived helpers (checkpointer, WAL writer) are not counted.
pgcpu () {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15 + $16 + $17) / hz }' \
    "/proc/$pm/stat"
}
t0=$(now)
u0=$(pgcpu)
psql_ <<SQL
CREATE EXTENSION postgis;
CREATE TABLE hh (id bigint, lon float8, lat float8, mask int);
CREATE TABLE res (id bigint, lon float8, lat float8, mask int);
\copy hh FROM '$bench_dir/households.csv' WITH (FORMAT csv)
\copy res FROM '$bench_dir/resources.csv' WITH (FORMAT csv)
ALTER TABLE hh ADD COLUMN geom geometry(Point, 32749), ADD COLUMN geog geography(Point, 4326),
               ADD COLUMN pt geometry(Point, 4326);
UPDATE hh SET pt = ST_SetSRID (ST_MakePoint (lon, lat), 4326);
UPDATE hh SET geog = pt::geography, geom = ST_Transform (pt, 32749);
ALTER TABLE res ADD COLUMN geom geometry(Point, 32749), ADD COLUMN geog geography(Point, 4326);
UPDATE res SET geog = ST_SetSRID (ST_MakePoint (lon, lat), 4326)::geography,
               geom = ST_Transform (ST_SetSRID (ST_MakePoint (lon, lat), 4326), 32749);
CREATE INDEX res_geom ON res USING gist (geom);
CREATE INDEX hh_pt ON hh USING gist (pt);
VACUUM ANALYZE hh;
VACUUM ANALYZE res;
SQL
ogr2ogr -f PostgreSQL "PG:host=$pgdir port=5497 user=postgres dbname=postgres" "$areas" \
  -nln desa -lco GEOMETRY_NAME=geom -nlt MULTIPOLYGON -t_srs EPSG:4326
t1=$(now)
u1=$(pgcpu)
psql_ <<SQL
CREATE TABLE pg_nearest AS
SELECT h.id, n.id AS rid, n.d
FROM hh h CROSS JOIN LATERAL (
  SELECT r.id, ST_Distance (h.geog, r.geog) AS d
  FROM res r WHERE (r.mask & h.mask) <> 0
  ORDER BY r.geom <-> h.geom LIMIT 1) n;
SQL
t2=$(now)
u2=$(pgcpu)
psql_ <<SQL
CREATE TABLE pg_count AS
SELECT d.kode, count(h.id) AS n FROM desa d LEFT JOIN hh h ON ST_Contains (d.geom, h.pt)
GROUP BY d.kode;
SQL
t3=$(now)
u3=$(pgcpu)
psql_ -c "\\copy pg_nearest TO '$pgdir/pg_nearest.csv' WITH (FORMAT csv)"
psql_ -c "\\copy pg_count TO '$pgdir/pg_count.csv' WITH (FORMAT csv)"
pg_load=$(fmt "$(echo "$t1 - $t0" | bc)")
pg_knn=$(fmt "$(echo "$t2 - $t1" | bc)")
pg_count=$(fmt "$(echo "$t3 - $t2" | bc)")
pg_knn_cpu=$(fmt "$(echo "$u2 - $u1" | bc)")
pg_count_cpu=$(fmt "$(echo "$u3 - $u2" | bc)")
echo "postgis_load_index_s=$pg_load (server cpu $(fmt "$(echo "$u1 - $u0" | bc)") s)"
echo "postgis_lateral_knn_s=$pg_knn (server cpu $pg_knn_cpu s)"
echo "postgis_contains_group_by_s=$pg_count (server cpu $pg_count_cpu s)"

echo "== Same answers? =="
python3 - "$bench_dir/ours.csv" "$pgdir/pg_nearest.csv" "$bench_dir/ours-any.csv" "$work/q-nearest.csv" \
  "$work/ours-desa.csv" "$pgdir/pg_count.csv" "$work/q-count.csv" "$work/ours-desa.csv.every.csv" <<'PY'
import csv, sys
def nearest(ours_path, ref_path, name, cols):
    ours = {r[0]: (r[1], float(r[2])) for r in csv.reader(open(ours_path))}
    same = diff = 0
    worst = 0.0
    rows = csv.reader(open(ref_path))
    if name == "QGIS": next(rows)
    for r in rows:
        o = ours.get(r[cols[0]])
        if o is None: continue
        if o[0] == r[cols[1]]: same += 1
        else:
            diff += 1
            if name == "PostGIS":  # geodesic distance of its pick: ours must not be farther
                worst = max(worst, o[1] - float(r[cols[2]]))
    extra = f", ours farther by at most {worst:.3f} m" if name == "PostGIS" else ""
    print(f"nearest vs {name}: same resource {same}, different {diff} (it ranks by planar UTM distance{extra})")
nearest(sys.argv[1], sys.argv[2], "PostGIS", (0, 1, 2))
nearest(sys.argv[3], sys.argv[4], "QGIS", (0, 1, 2))
ours = {r[0]: int(r[1]) for r in csv.reader(open(sys.argv[5]))}
pg = {r[0]: int(r[1]) for r in csv.reader(open(sys.argv[6]))}
rows = csv.reader(open(sys.argv[7])); next(rows)
qg = {r[0]: int(float(r[1])) for r in rows}
every = {r[0]: int(r[1]) for r in csv.reader(open(sys.argv[8]))}
for name, ref in (("PostGIS", pg), ("QGIS", qg)):
    for label, mine in (("first polygon (ours)", ours), ("every polygon", every)):
        d = [abs(mine[k] - ref.get(k, 0)) for k in mine]
        print(f"desa counts, {label}, vs {name}: {len(mine)} desa, {sum(1 for x in d if x == 0)} equal, "
              f"total {sum(mine.values())} vs {sum(ref.values())}, max |diff| {max(d)}")
PY

echo "== Ratios (reference / Jangkau) =="
c2=$(get nearest_all_2threads_s); lc=$(get nearest_all_load_plus_compute_s); any=$(get nearest_any_2threads_s)
cli=$(wall "$work/cli.time")
echo "nearest-all compute (2 threads, category match): $c2 s vs PostGIS LATERAL $pg_knn s -> $(ratio "$pg_knn" "$c2")x"
echo "nearest-all load+index+compute: $lc s vs PostGIS load+index+LATERAL $(echo "$pg_load + $pg_knn" | bc) s -> $(ratio "$pg_load + $pg_knn" "$lc")x"
echo "nearest (any resource) compute: $any s vs QGIS joinbynearest $(wall "$work/q1.time") s (whole process) -> $(ratio "$(wall "$work/q1.time")" "$any")x"
echo "nearest-all whole CLI command $cli s vs QGIS joinbynearest $(wall "$work/q1.time") s -> $(ratio "$(wall "$work/q1.time")" "$cli")x"
p2=$(aget pip_2threads_s); pw=$(aget csv_plus_index_plus_pip_s)
echo "desa counts, point in polygon (2 threads): $p2 s vs PostGIS ST_Contains+GROUP BY $pg_count s -> $(ratio "$pg_count" "$p2")x"
echo "desa counts, CSV parse + index + PIP: $pw s vs QGIS countpointsinpolygon $(wall "$work/q2.time") s -> $(ratio "$(wall "$work/q2.time")" "$pw")x"
echo "kernel density: $ours_kde s vs QGIS heatmap $(wall "$work/q3.time") s -> $(ratio "$(wall "$work/q3.time")" "$ours_kde")x"
echo "== Ratios of CPU seconds (reference / Jangkau; robust when the machine is busy) =="
c2c=$(get nearest_all_2threads_cpu_s)
echo "nearest-all compute: $c2c s vs PostGIS LATERAL $pg_knn_cpu s -> $(ratio "$pg_knn_cpu" "$c2c")x"
echo "nearest-all whole CLI command: $(cpu "$work/cli.time") s vs QGIS joinbynearest $(cpu "$work/q1.time") s -> $(ratio "$(cpu "$work/q1.time")" "$(cpu "$work/cli.time")")x"
pc=$(aget pip_2threads_cpu_s)
echo "desa counts, point in polygon: $pc s vs PostGIS ST_Contains+GROUP BY $pg_count_cpu s -> $(ratio "$pg_count_cpu" "$pc")x"
kc=$(echo "$kde" | sed -n 's/^density total.*s wall, \([0-9.]*\) s CPU.*/\1/p')
echo "kernel density: $kc s vs QGIS heatmap $(cpu "$work/q3.time") s (whole process) -> $(ratio "$(cpu "$work/q3.time")" "$kc")x"
