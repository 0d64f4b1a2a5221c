#!/usr/bin/env bash
# Sets up everything and opens the demo project (Kab. Bantul, synthetic households):
# installs the missing Debian packages (tools/deps.txt), configures and builds `build/`,
# creates demo.jangkau with `jangkau-cli demo` when it does not exist yet, prints its summary
# and opens it in the desktop app when the app is built and a display is available.
# Options are passed to `jangkau-cli demo` (e.g. --households 20000 --seed 7) when the
# project is created.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

tools/install-deps.sh
if [ ! -f build/build.ninja ]; then
  meson setup build
fi
meson compile -C build -j2

cli=build/app/jangkau-cli
db=${JANGKAU_DEMO_DB:-demo.jangkau}
if [ ! -f "$db" ]; then
  "$cli" demo "$db" "$@"
else
  echo "$db exists; remove it to build a new demo project" >&2
fi

echo
echo "== $db =="
"$cli" stats "$db" --by kecamatan

app=build/app/jangkau
if [ ! -x "$app" ]; then
  echo
  echo "The desktop app (build/app/jangkau) is not built yet: stopping after the summary."
  echo "Explore it with: $cli stats $db --by desa"
  echo "            and: $cli export $db persons out.gpkg"
  exit 0
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo
  echo "No display (DISPLAY / WAYLAND_DISPLAY unset): not opening $app $db."
  exit 0
fi
exec "$app" "$db"
