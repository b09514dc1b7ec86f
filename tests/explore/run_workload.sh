#!/bin/sh
# Explores one workload of scenarios/explore/ and compares the report with
# the expected one beside it (NAME.report); with UPDATE=1 it writes that
# file instead. Options for geomsim explore come from the script's
# "# explore-options:" line, if it has one. The reproducers go to OUTDIR,
# which the report names as OUT.
#   run_workload.sh GEOMSIM SOURCE_DIR scenarios/explore/NAME.sh OUTDIR
set -eu
bin=$1 src=$2 script=$3 outdir=$4
cd "$src"
opts=$(sed -n 's/^# explore-options: //p' "$script")
expected=${script%.sh}.report
rm -rf "$outdir"
rc=0
# shellcheck disable=SC2086
"$bin" explore --no-progress --out "$outdir" $opts "$script" >"$outdir.txt" 2>"$outdir.err" || rc=$?
if [ "$rc" -gt 1 ]; then
  echo "geomsim explore failed (exit $rc):"; cat "$outdir.err"; exit 1
fi
sed "s|$outdir/|OUT/|g" "$outdir.txt" >"$outdir.report"
if [ "${UPDATE:-0}" = 1 ]; then cp "$outdir.report" "$expected"; exit 0; fi
if ! diff -u "$expected" "$outdir.report"; then
  echo "the report of $script differs from $expected (UPDATE=1 to rewrite it)"; exit 1
fi
if grep -q "DOES NOT REPLAY" "$outdir.report"; then echo "a reproducer does not replay"; exit 1; fi
