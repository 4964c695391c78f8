#!/usr/bin/env bash
# Runs the whole test suite (`npm test`) RUNS times in a row while `stress --cpu CPUS` keeps every
# core busy, to show that no test depends on a quiet host (issue 17: tests wait for signals, and
# their bounds are ratios or generous enough for a host several times slower).
#
# Usage: scripts/stress-tests.sh [--runs N] [--cpu N] [--logs DIR]
#   --runs N   full runs, one after another (default 3)
#   --cpu N    stress's CPU hogs (default: the host's core count)
#   --logs DIR where each run's TAP output goes (default: a new directory under /tmp)
# Exit 0 when every run passed, 1 when one failed, 2 on bad options or a missing `stress`.
# Needs Debian's `stress` (apt-get install stress). The hogs run in their own process group,
# ended on exit, Ctrl-C included.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
cpus=$(nproc)
logs=""
usage() { sed -n '6,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($#)); do
  case $1 in
    --runs) runs=${2:-}; shift 2 || usage ;;
    --cpu) cpus=${2:-}; shift 2 || usage ;;
    --logs) logs=${2:-}; shift 2 || usage ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stress-tests: unknown option '$1'" >&2; usage ;;
  esac
done
for pair in "runs:$runs" "cpu:$cpus"; do
  if ! [[ ${pair#*:} =~ ^[1-9][0-9]*$ ]]; then
    echo "stress-tests: --${pair%%:*} must be a whole number ≥ 1, got '${pair#*:}'" >&2
    exit 2
  fi
done
if ! command -v stress >/dev/null; then
  echo "stress-tests: 'stress' not found on PATH; install it: sudo apt-get install stress" >&2
  exit 2
fi
logs=${logs:-$(mktemp -d /tmp/stackbench-stress-XXXXXX)}
mkdir -p "$logs"

# setsid: the hogs get a process group of their own, so one kill ends them all and nothing else
setsid stress --cpu "$cpus" >/dev/null 2>&1 &
stress_pgid=$!
stop_stress() { kill -TERM -- "-$stress_pgid" 2>/dev/null || true; wait "$stress_pgid" 2>/dev/null || true; }
trap stop_stress EXIT
trap 'exit 130' INT TERM

echo "stress-tests: stress --cpu $cpus (pgid $stress_pgid); $runs runs of npm test; logs in $logs"
failed=0
for ((run = 1; run <= runs; run++)); do
  log="$logs/run-$run.tap"
  start=$(date +%s)
  echo "stress-tests: run $run/$runs started $(date -u +%H:%M:%SZ)"
  rc=0
  npm test >"$log" 2>&1 || rc=$?
  summary=$(grep -E '^# (tests|pass|fail|cancelled|skipped) ' "$log" | tr '\n' ' ' || true)
  echo "stress-tests: run $run/$runs exit $rc in $(($(date +%s) - start)) s: ${summary:-no TAP summary (see $log)}"
  if ((rc != 0)); then
    failed=$((failed + 1))
    grep -E '^ *not ok ' "$log" | sed 's/^/  /' || true
  fi
done
echo "stress-tests: $((runs - failed)) of $runs runs passed under stress --cpu $cpus"
((failed == 0))
