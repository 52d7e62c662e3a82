#!/usr/bin/env bash
# The workflow on a REAL Slurm: start a single-node cluster on localhost (tests/slurm/up.sh),
# run the CI configuration through the project's profile (workflow/profiles/slurm) in a scratch
# copy of this checkout, check that every output equals a local run's, check that a failing job
# fails snakemake with its logs kept, then stop exactly the daemons started (down.sh).
#
#   sudo tests/slurm/run_slurm_test.sh [--no-dbd] [--keep] [TARGET ...]
#
#   TARGET ...  what to build (default: the whole workflow, rule `all`, at CI scale)
#   --no-dbd    cluster without accounting (no slurmdbd/MariaDB); the profile is then run with
#               --slurm-status-command squeue
#   --keep      keep the scratch directory even on success (it is always kept on failure)
#
# Needs root and apt-get (Debian/Ubuntu) unless slurm-wlm and munge are already installed,
# and the project's venv with the SLURM plugin (./run.sh setup installs .[dev,slurm]).
# Environment: XORNET_SLURM_TIMEOUT  limit in seconds for each snakemake run (default 900);
#              XORNET_SLURM_CPUS     CPUs the test node advertises (default: real count).
# Exit status 0 only if every check passed.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$REPO/tests/slurm
SMK=$REPO/.venv/bin/snakemake
PY=$REPO/.venv/bin/python
TIMEOUT=${XORNET_SLURM_TIMEOUT:-900}
DBD_FLAG=()
STATUS_ARGS=()
KEEP=0
TARGETS=()
for arg in "$@"; do
  case "$arg" in
    --no-dbd) DBD_FLAG=(--no-dbd) STATUS_ARGS=(--slurm-status-command squeue) ;;
    --keep) KEEP=1 ;;
    -h | --help) sed -n 2,19p "$0"; exit 0 ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) TARGETS+=("$arg") ;;
  esac
done

say() { printf '[slurm test %s] %s\n' "$(date +%T)" "$*"; }
fail() { printf '[slurm test %s] FAIL: %s\n' "$(date +%T)" "$*" >&2; exit 1; }
T0=$(date +%s)
declare -A TIME

[ "$(id -u)" = 0 ] || fail "must run as root (installs and starts Slurm daemons)"
[ -x "$SMK" ] || fail "no $SMK: run ./run.sh setup first"
"$PY" -c "import snakemake_executor_plugin_slurm" 2>/dev/null ||
  fail "snakemake-executor-plugin-slurm missing: .venv/bin/pip install -e '.[slurm]'"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/xornet-slurm-test.XXXXXX")
chmod 755 "$WORK" # the daemons run as users slurm, mysql, munge
export XORNET_SLURM_STATE=$WORK/cluster
OK=0
cleanup() {
  local rc=$?
  "$HERE/down.sh" || say "down.sh reported a problem (see above)"
  if ((OK && !KEEP)); then
    rm -rf "$WORK"
  else
    say "scratch directory kept: $WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. cluster -----------------------------------------------------------------------------------
t=$(date +%s)
"$HERE/up.sh" "${DBD_FLAG[@]}"
TIME[cluster_up]=$(($(date +%s) - t))

# 2. two copies of the working tree (tracked + new files, no results), one per run -------------
t=$(date +%s)
mkdir -p "$WORK/local"
(cd "$REPO" && git ls-files -z --cached --others --exclude-standard |
  tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$WORK/local"
# numba's on-disk cache travels with the sources (keyed on their mtime, kept by tar)
(cd "$REPO" && find src -path '*/__pycache__/*' -name '*.nb[ic]' -print0 |
  tar --null -T - -cf - 2>/dev/null) | tar -xf - -C "$WORK/local" 2>/dev/null || true
cp -a "$WORK/local" "$WORK/slurm"
say "scratch copies in $WORK/{local,slurm} ($(($(date +%s) - t))s)"
# (targets go first: --configfile takes several values)
# scripts import the copy's package, not the checkout's editable install
run_smk() { # DIR LOG ARGS...: snakemake in DIR, stdin from /dev/null, time-bounded
  local dir=$1 log=$2
  shift 2
  (cd "$dir" && PYTHONPATH="$dir/src" timeout --kill-after=30 "$TIMEOUT" \
    "$SMK" "$@" </dev/null >"$log" 2>&1)
}
show_tail() { echo "----- last lines of $1"; tail -n "${2:-40}" "$1"; echo "-----"; }

# 3. local reference run ------------------------------------------------------------------------
say "local run: snakemake --cores 2 --configfile config/ci.yaml ${TARGETS[*]:-(all)}"
t=$(date +%s)
run_smk "$WORK/local" "$WORK/local.log" "${TARGETS[@]}" --cores 2 --configfile config/ci.yaml ||
  { show_tail "$WORK/local.log"; fail "local run failed"; }
TIME[local_run]=$(($(date +%s) - t))
N_LOCAL=$(grep -c '^localrule \|^rule ' "$WORK/local.log" || true)
say "local run done in ${TIME[local_run]}s"

# 4. the same through Slurm ---------------------------------------------------------------------
SLURM_ARGS=(--workflow-profile workflow/profiles/slurm --configfile config/ci.yaml
  --slurm-init-seconds-before-status-checks 5 "${STATUS_ARGS[@]}")
say "Slurm run: snakemake ${SLURM_ARGS[*]} ${TARGETS[*]:-(all)}"
t=$(date +%s)
if ! run_smk "$WORK/slurm" "$WORK/slurm.log" "${TARGETS[@]}" "${SLURM_ARGS[@]}"; then
  show_tail "$WORK/slurm.log" 60
  squeue -t all 2>/dev/null | tail -20 || true
  fail "Slurm run failed or timed out after ${TIMEOUT}s (log $WORK/slurm.log)"
fi
TIME[slurm_run]=$(($(date +%s) - t))
N_SUBMITTED=$(grep -c 'has been submitted with SLURM jobid' "$WORK/slurm.log" || true)
N_LOCALRULES=$(grep -c '^localrule ' "$WORK/slurm.log" || true)
say "Slurm run done in ${TIME[slurm_run]}s: $N_SUBMITTED jobs submitted to Slurm," \
  "$N_LOCALRULES local rule(s); local run had $N_LOCAL jobs"
((N_SUBMITTED > 0)) || { show_tail "$WORK/slurm.log"; fail "no job went through Slurm"; }
if ((${#STATUS_ARGS[@]} == 0)); then
  say "accounting (sacct): $(sacct -X -n -P -o State | sort | uniq -c | xargs)"
  say "per-rule usage (sacct; CI scale, so only a rough check of the rules' resources):"
  "$PY" "$HERE/job_usage.py" "$WORK/slurm.log" || say "(no usage table)"
fi

# 5. same outputs -------------------------------------------------------------------------------
say "comparing outputs (results/, figures/)"
"$PY" "$HERE/compare_outputs.py" "$WORK/local" "$WORK/slurm" || fail "Slurm outputs differ from the local run's"

# 6. a failing job fails snakemake and keeps its logs --------------------------------------------
say "failing job: snakemake -s tests/slurm/fail.smk ... results/slurm_test/never.txt"
t=$(date +%s)
rc=0
run_smk "$WORK/slurm" "$WORK/fail.log" results/slurm_test/never.txt -s tests/slurm/fail.smk \
  "${SLURM_ARGS[@]}" || rc=$?
TIME[failing_job]=$(($(date +%s) - t))
((rc == 124 || rc == 137)) && { show_tail "$WORK/fail.log"; fail "failing-job run timed out"; }
((rc != 0)) || { show_tail "$WORK/fail.log"; fail "snakemake exited 0 although its job failed"; }
grep -q "SLURM status is: 'FAILED'" "$WORK/fail.log" ||
  { show_tail "$WORK/fail.log"; fail "the failed job was not reported as FAILED by the plugin"; }
grep -q "deliberate failure" "$WORK/slurm/logs/slurm_test/fail.log" ||
  fail "the rule's log logs/slurm_test/fail.log was not kept"
SLOG=$(find "$WORK/slurm/.snakemake/slurm_logs/rule_slurm_test_fail" -name '*.log' 2>/dev/null | head -1)
[ -n "$SLOG" ] || fail "no Slurm job log under .snakemake/slurm_logs/rule_slurm_test_fail/"
grep -q "slurm_test_fail" "$SLOG" || fail "Slurm job log $SLOG does not show the failing rule"
[ ! -e "$WORK/slurm/results/slurm_test/never.txt" ] ||
  fail "the failed job's output was not removed"
say "failing job: snakemake exit status $rc in ${TIME[failing_job]}s; rule log and Slurm log" \
  "${SLOG#"$WORK"/slurm/} kept, output removed"

OK=1
say "ALL CHECKS PASSED in $(($(date +%s) - T0))s (cluster up ${TIME[cluster_up]}s, local" \
  "run ${TIME[local_run]}s, Slurm run ${TIME[slurm_run]}s, failing job ${TIME[failing_job]}s;" \
  "load: $(cut -d' ' -f1-3 /proc/loadavg))"
