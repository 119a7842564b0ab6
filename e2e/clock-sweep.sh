#!/usr/bin/env bash
# Runs the browser tests and the demo's tests as if it were each given instant (UTC), to find tests
# that pass or fail with the hour: the demo is made around the clock's "now". Not part of `npm test`.
#
#   bash e2e/clock-sweep.sh "2027-03-31 23:58:30" "2026-12-06 23:40:00"
#
# Every process (vitest, the app, Chromium) reads one clock moved by the same offset (libfaketime's
# FAKETIME=+Ns), so a run that starts a minute before midnight crosses it as a real one would. A fixed
# start per process (FAKETIME=@…) would put Chromium seconds apart from the app, and fail at midnight
# for that reason alone. Needs Debian's `faketime` package: apt-get install -y faketime.
set -uo pipefail
cd "$(dirname "$0")/.."

library=$(find /usr/lib -name 'libfaketime.so.1' -path '*faketime*' -print -quit 2>/dev/null)
if [ -z "$library" ]; then
  echo "libfaketime is not installed: apt-get install -y faketime" >&2
  exit 2
fi
if [ "$#" -eq 0 ]; then
  echo 'Name one or more instants (UTC), e.g. bash e2e/clock-sweep.sh "2027-03-31 23:58:30"' >&2
  exit 2
fi

logs=$(mktemp -d -t lockstep-clock-sweep-XXXXXX)
failed=0
for at in "$@"; do
  target=$(date -u -d "$at" +%s) || exit 2
  log="$logs/$(echo "$at" | tr ' :' '__').log"
  FAKETIME="+$((target - $(date -u +%s)))s" LD_PRELOAD="$library" \
    npx vitest run e2e src/modules/demo >"$log" 2>&1
  code=$?
  [ "$code" -eq 0 ] || failed=1
  echo "$at: $([ "$code" -eq 0 ] && echo passed || echo FAILED) ($(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests ' | tr -s ' ' | tail -1)) $log"
done
exit "$failed"
