#!/usr/bin/env bash
# Runs the whole linkscope test suite: unit, rendering, end-to-end and live tests.
#
# Live tests need a real AWS-protocol server: scripts/moto.sh installs moto (pinned) into
# .venv/, starts `moto_server` on a free loopback port, passes its URL to the tests in
# LINKSCOPE_MOTO_URL, and stops it on every exit path. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

# The end-to-end dashboard test drives the real binary in tmux; the man page test renders the
# pages with groff.
need() { # need COMMAND PACKAGE WHAT
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing $2"
    apt-get install -y -qq "$2" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "$2" >/dev/null; }
  else
    echo "==> $1 is missing and cannot be installed here: install it to run $3" >&2
  fi
}
need tmux tmux "the end-to-end test"
need groff groff-base "the man page test"

source scripts/moto.sh

log=target/test-output.log
set +e
cargo test --workspace --all-targets "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

live=$(grep -cE '^test [a-z_:]*live_[a-z0-9_]* \.\.\. ok$' "$log" || true)
echo "==> live tests against moto that passed: $live"
if [ "$status" -eq 0 ] && [ "$#" -eq 0 ] && [ "$live" -eq 0 ]; then
  echo "==> no live test ran: failing" >&2
  exit 1
fi
exit "$status"
