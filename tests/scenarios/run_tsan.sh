#!/bin/sh
# Replays the scenarios with real threads (--sched threads) in a geomsim
# built with ThreadSanitizer. Any data race fails the run.
#
#   tests/scenarios/run_tsan.sh [BUILD_DIR]     (default: <source>/build-tsan)
#
# Left out, with the reason:
#  * the scripts that race under real threads by design (the CTest list
#    GEOMSIM_THREADS_RACY in tests/scenarios/CMakeLists.txt);
#  * the workloads of geomsim explore (scenarios/explore/: reports, not
#    transcripts);
#  * scripts whose kernel reads through a wild pointer (0xdeadc0de...):
#    ThreadSanitizer computes the shadow of the address before the load
#    and faults inside its runtime, where the trap cannot unwind.
# Simulated traps are thrown from a signal handler on purpose, so
# ThreadSanitizer's signal-safety reports are turned off.
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-tsan}
jobs=${JOBS:-2}

skip="scenarios/pull-component.sh scenarios/defects/virstor-done-after-orphan.sh"

generator=
if [ ! -f "$build/CMakeCache.txt" ] && command -v ninja >/dev/null 2>&1; then
	generator="-G Ninja"
fi
# shellcheck disable=SC2086
cmake -S "$src" -B "$build" $generator -DGEOMSIM_TSAN=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs" --target geomsim

cd "$src"
scripts=
for f in scenarios/*.sh scenarios/*/*.sh; do
	case " $skip " in *" $f "*) continue ;; esac
	case $f in scenarios/explore/*) continue ;; esac
	grep -q '^@seed ' "$f" && continue
	scripts="$scripts $f"
done
# shellcheck disable=SC2086
TSAN_OPTIONS="halt_on_error=1 exitcode=66 report_signal_unsafe=0 ${TSAN_OPTIONS:-}" \
    "$build/geomsim" run --sched threads --seeds 1..2 $scripts
echo "run_tsan: no ThreadSanitizer report"
