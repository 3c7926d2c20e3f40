#!/usr/bin/env bash
# Runs a binary of the sanitizer build (LPWAN_SANITIZE=ON) with LeakSanitizer on and UBSan
# halting on the first error; used by ctest (label sanitize). A missing binary is a failure
# that names it: ./lpwan test builds the sanitizer build before ctest runs.
set -euo pipefail
bin="$1"
shift
if [[ ! -x "$bin" ]]; then
    echo "run-sanitized: $bin is missing: build the sanitizer build first (./lpwan test does)" >&2
    exit 2
fi
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
exec "$bin" "$@"
