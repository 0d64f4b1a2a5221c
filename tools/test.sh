#!/usr/bin/env bash
# Sets up (missing Debian packages, meson build dirs) and runs the whole test suite twice:
# a normal build under Xvfb, then an AddressSanitizer + UndefinedBehaviorSanitizer build.
# Ends with one line: "N passed, N failed" (", N skipped" when some were skipped).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tools/install-deps.sh || { echo "could not install the dependencies"; echo "0 passed, 1 failed"; exit 1; }

status=0
run_suite () { # build-dir, extra meson setup args...
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; return 1; }
  fi
  meson compile -C "$dir" || return 1
  xvfb-run -a -s "-screen 0 1920x1080x24" meson test -C "$dir" --print-errorlogs --num-processes 2 "${MESON_TEST_ARGS[@]}"
}

MESON_TEST_ARGS=()
run_suite build || status=1

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Sanitized code runs 3-10x slower; give its tests room on a loaded 2-core machine.
MESON_TEST_ARGS=(--timeout-multiplier 3)
run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug || status=1

python3 - "$top/build" "$top/build-asan" <<'PY'
import json, os, sys
passed = failed = skipped = 0
for d in sys.argv[1:]:
    log = os.path.join(d, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        failed += 1
        continue
    for line in open(log):
        r = json.loads(line).get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
PY
rc=$?
[ $status -ne 0 ] && [ $rc -eq 0 ] && rc=1
exit $rc
