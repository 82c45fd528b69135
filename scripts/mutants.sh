#!/usr/bin/env bash
# Mutation testing of the audit engine: cargo-mutants mutates src/checks and runs the library's
# unit tests against each mutant; a mutant the tests do not catch is a test that cannot fail.
# Not part of .ci/run: it takes a while (about half a minute per mutant on two cores).
#
#   scripts/mutants.sh          a fixed eighth of the mutants (shard 0/8, round-robin)
#   scripts/mutants.sh 3/8      another eighth
#   scripts/mutants.sh all      every mutant
#
# Results go to target/mutants/mutants.out (caught.txt, missed.txt, timeout.txt, unviable.txt);
# the score is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-mutants >/dev/null; then
  echo "==> installing cargo-mutants"
  cargo install --locked cargo-mutants
fi

shard=${1:-0/8}
args=(--file 'src/checks/**/*.rs' --output target/mutants --no-shuffle --cargo-arg=--lib)
if [ "$shard" != all ]; then
  args+=(--shard "$shard" --sharding round-robin)
fi
set +e
cargo mutants "${args[@]}"
status=$?
set -e

out=target/mutants/mutants.out
count() { if [ -f "$out/$1.txt" ]; then grep -c . "$out/$1.txt" || true; else echo 0; fi; }
caught=$(count caught) missed=$(count missed) timeout=$(count timeout) unviable=$(count unviable)
viable=$((caught + missed + timeout))
echo "==> mutants: $caught caught, $missed missed, $timeout timed out, $unviable unviable"
if [ "$viable" -gt 0 ]; then
  echo "==> score: $(( (caught + timeout) * 100 / viable ))% of viable mutants caught"
fi
[ "$missed" -gt 0 ] && { echo "==> missed:"; cat "$out/missed.txt"; }
exit "$status"
