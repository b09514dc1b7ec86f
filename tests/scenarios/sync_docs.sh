#!/bin/sh
# Copies the example scripts and transcripts of scenarios/docs/ into
# docs/scenarios.md: after each marker line
#   <!-- example: scenarios/docs/NAME.sh -->
# the ```sh block becomes NAME.sh and the ```text block NAME.out (both
# are added if missing). Run it from anywhere after
# `geomsim run --update scenarios/docs/NAME.sh`; tests/scenarios/docs_test.cc
# fails while the reference and the files differ.
set -eu
cd "$(dirname "$0")/../.."
doc=docs/scenarios.md
tmp=$(mktemp "${TMPDIR:-/tmp}/scenarios.md.XXXXXX")
trap 'rm -f "$tmp"' EXIT
awk '
function emit(path,   line, n) {
  n = 0
  while ((getline line < path) > 0) { print line; n++ }
  close(path)
  if (n == 0) { print "sync_docs.sh: cannot read " path > "/dev/stderr"; failed = 1 }
}
# state 0: copying; 1: after a marker, skipping the old ```sh block;
# 2: after it, skipping the old ```text block.
state > 0 && inblock {
  if ($0 == "```") { inblock = 0; blanks = ""; state = state == 1 ? 2 : 0 }
  next
}
state > 0 && $0 == "" { blanks = blanks "\n"; next }
state == 1 && $0 == "```sh" { inblock = 1; next }
state == 2 && $0 == "```text" { inblock = 1; next }
state > 0 { printf "%s", blanks; blanks = ""; state = 0 }
/^<!-- example: .* -->$/ {
  print
  script = $0
  sub(/^<!-- example: /, "", script)
  sub(/ -->$/, "", script)
  out = script
  sub(/\.sh$/, ".out", out)
  print "```sh"; emit(script); print "```"
  print ""
  print "```text"; emit(out); print "```"
  state = 1; blanks = ""; inblock = 0
  next
}
{ print }
END {
  if (inblock) { print "sync_docs.sh: unclosed block at the end" > "/dev/stderr"; exit 1 }
  printf "%s", blanks
  exit failed
}
' "$doc" > "$tmp"
if cmp -s "$tmp" "$doc"; then
  echo "$doc: up to date"
else
  cat "$tmp" > "$doc"
  echo "$doc: examples copied from scenarios/docs/"
fi
