#!/usr/bin/env bash
# The scale benchmark: seeds moto with a large VPC and measures linkscope through the
# latency proxy (see benches/scale.rs). Prints a table; writes target/bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/moto.sh
cargo bench --bench scale
