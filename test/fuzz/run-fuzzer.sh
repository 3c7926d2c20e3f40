#!/usr/bin/env bash
# Runs fuzz targets of the sanitizer build (LPWAN_SANITIZE=ON, see docs/fuzzing.md).
#
#   run-fuzzer.sh --bin DIR --work DIR [--time S] [--list] TARGET|all [-- LIBFUZZER-FLAGS...]
#
# A target fuzzes for S seconds (0: until stopped) starting from its seed corpus
# test/fuzz/corpus/TARGET (read-only here) and the corpus it grew before, WORK/TARGET/corpus;
# with the dictionary test/fuzz/dict/TARGET.dict when there is one. A finding (crash, failed
# oracle, leak, timeout, out of memory) is saved under WORK/TARGET/artifacts and is a non-zero
# exit status. "all" runs every target in turn for S seconds each. Used by ./lpwan fuzz and by
# ctest (label fuzz).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="" work="" seconds=60 list=0 target=""
extra=()
die() { echo "lpwan fuzz: $*" >&2; exit 2; }

targets() {
    local f
    for f in "$here"/*.cc; do basename "$f" .cc; done
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --bin) bin="${2:?--bin needs a directory}"; shift 2 ;;
        --work) work="${2:?--work needs a directory}"; shift 2 ;;
        --time)
            [[ "${2:-}" =~ ^[0-9]+$ ]] || die "--time needs whole seconds, got '${2:-}'"
            seconds="$2"; shift 2 ;;
        --list) list=1; shift ;;
        --) shift; extra=("$@"); break ;;
        -*) die "unknown option '$1' (usage: ./lpwan fuzz TARGET|all [--time S] [-- LIBFUZZER-FLAGS])" ;;
        *) [[ -z "$target" ]] || die "one target at a time (got '$target' and '$1')"
           target="$1"; shift ;;
    esac
done

if [[ $list -eq 1 ]]; then
    targets
    exit 0
fi
[[ -n "$target" ]] || die "name a target (./lpwan fuzz --list) or all"
[[ -n "$bin" && -n "$work" ]] || die "--bin and --work are required"
if [[ "$target" != all && ! -f "$here/$target.cc" ]]; then
    die "unknown fuzz target '$target'; the targets are: $(targets | tr '\n' ' ')"
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$here/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

run_one() {
    local t="$1"
    local exe="$bin/fuzz-$t"
    [[ -x "$exe" ]] || { echo "lpwan fuzz: $exe is missing: build the sanitizer build first (./lpwan test or ./lpwan fuzz build it)" >&2; return 2; }
    local seeds="$here/corpus/$t"
    [[ -d "$seeds" ]] || { echo "lpwan fuzz: no seed corpus $seeds" >&2; return 2; }
    local out="$work/$t"
    mkdir -p "$out/corpus" "$out/artifacts"
    local flags=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1
                 -artifact_prefix="$out/artifacts/")
    [[ $seconds -gt 0 ]] && flags+=(-max_total_time="$seconds")
    [[ -f "$here/dict/$t.dict" ]] && flags+=(-dict="$here/dict/$t.dict")
    echo "lpwan fuzz: $t for ${seconds}s: $exe ${flags[*]} ${extra[*]} $out/corpus $seeds" >&2
    "$exe" "${flags[@]}" "${extra[@]}" "$out/corpus" "$seeds"
}

if [[ "$target" == all ]]; then
    failed=()
    for t in $(targets); do
        run_one "$t" || failed+=("$t")
    done
    if [[ ${#failed[@]} -gt 0 ]]; then
        echo "lpwan fuzz: findings or errors in: ${failed[*]} (artifacts under $work/<target>/artifacts)" >&2
        exit 1
    fi
    echo "lpwan fuzz: every target ran ${seconds}s without a finding" >&2
    exit 0
fi
run_one "$target"
