#!/usr/bin/env bash
# Regenerates po/jangkau.pot from the sources and merges it into every language.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
meson compile -C "${1:-$top/build}" jangkau-pot
for lang in $(cat "$top/po/LINGUAS"); do
  msgmerge --quiet --update --backup=none "$top/po/$lang.po" "$top/po/jangkau.pot"
done
