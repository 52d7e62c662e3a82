#!/usr/bin/env bash
# One entry point for a fresh machine that has only python3.
#   ./run.sh paper [snakemake args...]  set up .venv, regenerate every figure and table (paper defaults)
#   ./run.sh test  [pytest args...]     set up .venv, run the test suite (incl. the CI-scale workflow)
#   ./run.sh ci    [snakemake args...]  set up .venv, regenerate every figure at CI scale (minutes)
#   ./run.sh setup                      only create/refresh .venv
set -euo pipefail
cd "$(dirname "$0")"

setup() {
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  # reinstall when the dependency list changed since the last install
  if [ ! -f .venv/.xornet-installed ] || [ pyproject.toml -nt .venv/.xornet-installed ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[dev,slurm]"
    touch .venv/.xornet-installed
  fi
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  setup) setup ;;
  paper) setup; exec .venv/bin/snakemake --cores all "$@" ;;
  ci)    setup; exec .venv/bin/snakemake --cores all --configfile config/ci.yaml "$@" ;;
  test)  setup; exec .venv/bin/python -m pytest "$@" ;;
  *) sed -n '2,7p' "$0"; exit 2 ;;
esac
