#!/bin/sh
# Builds the passthrough suite with ThreadSanitizer and runs its
# threads-scheduler cases: real threads doing I/O through the full
# g_down/g_up path, opens, closes and a disk going away. Any ThreadSanitizer
# report fails the run (exit status 66).
#
#   tests/framework/run_tsan.sh [BUILD_DIR]     (default: <source>/build-tsan)
#
# Fibers never run under TSan: the det scheduler is compiled in but only
# the *_in_threads_mode cases run. JOBS sets the build parallelism (2).
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-tsan}
jobs=${JOBS:-2}

generator=
if [ ! -f "$build/CMakeCache.txt" ] && command -v ninja >/dev/null 2>&1; then
	generator="-G Ninja"
fi
# shellcheck disable=SC2086
cmake -S "$src" -B "$build" $generator -DGEOMSIM_TSAN=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs" --target test_fw_passthrough

test="$build/tests/framework/test_fw_passthrough"
# A few runs: interleavings differ from one to the next.
for run in 1 2 3; do
	echo "run_tsan: run $run"
	TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}" \
	    "$test" --run_test='*_in_threads_mode' --log_level=test_suite \
	    --report_level=short
done
echo "run_tsan: no ThreadSanitizer report"
