#!/usr/bin/env bash
# The benchmarks, against a local moto server (never AWS):
#   scale  seeds one large VPC and measures linkscope through the latency proxy
#          (benches/scale.rs); writes target/bench/results.json.
#   fleet  seeds 50 MWAA environment VPCs in each of 3 Regions and measures one
#          `linkscope audit --all-envs --regions …` (benches/fleet.rs); writes
#          target/bench/fleet.json. LINKSCOPE_BENCH_RUNS sets its number of runs (3).
# Usage: scripts/bench.sh [scale|fleet]   (both when no argument is given)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- scale fleet
for bench in "$@"; do
  case "$bench" in
    scale|fleet) ;;
    *) echo "usage: scripts/bench.sh [scale|fleet]" >&2; exit 2 ;;
  esac
done
source scripts/moto.sh
for bench in "$@"; do
  cargo bench --bench "$bench"
done
