#!/usr/bin/env bash
# Every test (npm test): vitest, with tsc and eslint running beside it rather than after it; their output is
# printed after vitest's. Arguments go to vitest. Fails when any of the three fails.
set -uo pipefail
cd "$(dirname "$0")/.."
PATH="$PWD/node_modules/.bin:$PATH"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
started=$SECONDS
tsc --noEmit >"$out/tsc" 2>&1 &
tsc_pid=$!
eslint . >"$out/eslint" 2>&1 &
eslint_pid=$!
TZ=UTC vitest run "$@"
vitest_status=$?
wait "$tsc_pid"
tsc_status=$?
wait "$eslint_pid"
eslint_status=$?
for check in tsc eslint; do
  status_var="${check}_status"
  if [ "${!status_var}" -eq 0 ]; then
    echo "$check: passed"
  else
    echo "$check: failed (exit ${!status_var})"
    cat "$out/$check"
  fi
done
echo "npm test: $((SECONDS - started)) s (vitest exit $vitest_status, tsc exit $tsc_status, eslint exit $eslint_status)"
[ "$vitest_status" -eq 0 ] && [ "$tsc_status" -eq 0 ] && [ "$eslint_status" -eq 0 ]
