#!/usr/bin/env bash
# Hotspots (Gi*, 500 m cells, 1 km band) and kernel density (quartic, 1 km radius, 100 m pixels)
# on 1,000,000 synthetic households (docs BENCHMARKS.md shape), in-process, against R spdep and
# QGIS's heatmap when available. Prints seconds, peak RSS and ratios.
#   tests/bench/run-hotspots.sh [BUILD_DIR] [N]
# The machine may be shared: wall times are noisy, CPU seconds are printed too.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
n=${2:-1000000}
work=$(mktemp -d /tmp/jangkau-bench-hotspots-XXXXXX)
trap 'rm -rf "$work"' EXIT

meson compile -C "$build" bench-hotspot >/dev/null
bench=$build/tests/bench/bench-hotspot

if ! command -v Rscript >/dev/null || ! Rscript -e 'library(spdep)' >/dev/null 2>&1; then
  echo "installing r-cran-spdep (Debian) for the reference..."
  apt-get install -y -q r-cran-spdep >/dev/null 2>&1 || echo "could not install r-cran-spdep"
fi

echo "== jangkau, in-process (median of 3 runs) =="
/usr/bin/time -f "process: %e s wall, %U s user, %S s sys, peak RSS %M KB" \
  "$bench" --n "$n" --runs 3 --points-csv "$work/points.csv" --z-csv "$work/z-ours.csv" \
  2> "$work/time.txt" | tee "$work/ours.txt"
cat "$work/time.txt"
ours_gi=$(sed -n 's/^gistar total.*: \([0-9.]*\) s wall.*/\1/p' "$work/ours.txt")
ours_kde=$(sed -n 's/^density total.*: \([0-9.]*\) s wall.*/\1/p' "$work/ours.txt")

echo
echo "== R spdep (dnearneigh + include.self + nb2listw B + localG) =="
if command -v Rscript >/dev/null && Rscript -e 'library(spdep)' >/dev/null 2>&1; then
  for i in 1 2 3; do
    /usr/bin/time -f "%e %M" Rscript "$top/tests/bench/gistar-spdep.R" "$work/points.csv" "$work/z-r.csv" \
      2>> "$work/r-time.txt" | tail -1
  done
  r_gi=$(grep -E '^[0-9.]+ [0-9]+$' "$work/r-time.txt" | sort -n | sed -n 2p | cut -d' ' -f1)
  r_rss=$(grep -E '^[0-9.]+ [0-9]+$' "$work/r-time.txt" | sort -n | sed -n 2p | cut -d' ' -f2)
  echo "R spdep: median $r_gi s wall (whole Rscript: start-up, read.csv, grid, neighbours, localG), peak RSS $r_rss KB"
  python3 - "$work/z-ours.csv" "$work/z-r.csv" <<'PY'
import csv, math, sys
a = {(r["cell_x"], r["cell_y"]): (float(r["count"]), float(r["z"])) for r in csv.DictReader(open(sys.argv[1]))}
b = {}
for r in csv.DictReader(open(sys.argv[2])):
    b[("%.1f" % float(r["cell_x"]), "%.1f" % float(r["cell_y"]))] = (float(r["count"]), float(r["z"]))
assert len(a) == len(b), (len(a), len(b))
dz = max(abs(a[k][1] - b[k][1]) for k in a)
dc = max(abs(a[k][0] - b[k][0]) for k in a)
print(f"jangkau vs spdep on {len(a)} cells: max |count diff| = {dc:g}, max |z diff| = {dz:.3g}")
PY
  echo "ratio Gi*: spdep / jangkau = $(python3 -c "print(f'{$r_gi / $ours_gi:.1f}x')")"
else
  echo "R spdep not available: no reference"
fi

echo
echo "== QGIS qgis:heatmapkerneldensityestimation (radius 1000 m, 100 m pixels) =="
qgis=$(command -v qgis_process.bin || true)
[ -z "$qgis" ] && [ -x /usr/lib/qgis/qgis_process.bin ] && qgis=/usr/lib/qgis/qgis_process.bin
if [ -n "$qgis" ]; then
  ogr2ogr -f GPKG "$work/points.gpkg" "$work/points.csv" -oo X_POSSIBLE_NAMES=x -oo Y_POSSIBLE_NAMES=y \
    -a_srs EPSG:32749 -nln points
  for i in 1 2 3; do
    QT_QPA_PLATFORM=offscreen /usr/bin/time -f "%e %M" "$qgis" run qgis:heatmapkerneldensityestimation \
      --INPUT="$work/points.gpkg" --RADIUS=1000 --PIXEL_SIZE=100 --KERNEL=0 --OUTPUT_VALUE=0 \
      --OUTPUT="$work/qgis.tif" >/dev/null 2>> "$work/q-time.txt" || true
  done
  q=$(grep -E '^[0-9.]+ [0-9]+$' "$work/q-time.txt" | sort -n | sed -n 2p)
  echo "QGIS: median ${q% *} s wall, peak RSS ${q#* } KB"
  echo "ratio density: QGIS / jangkau = $(python3 -c "print(f'{${q% *} / $ours_kde:.1f}x')")"
else
  echo "QGIS is not installed (Debian 12 qgis 3.22: 142 MB download, ~800 MB installed): not installed"
  echo "for this benchmark; BENCHMARKS.md's figure for 1M points is 9.2 s"
  echo "(jangkau / that figure: $(python3 -c "print(f'{9.2 / $ours_kde:.1f}x')") faster, not measured side by side)"
fi
