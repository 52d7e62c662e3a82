#!/usr/bin/env bash
# Stop exactly the daemons tests/slurm/up.sh started: the PIDs in $STATE/pids, never by name.
# First cancels jobs still queued or running on the test cluster (so no job processes are left),
# then stops slurmd, slurmctld, slurmdbd, mariadbd, munged (SIGTERM, SIGKILL after 10 s), and
# finally removes up.sh's links in /etc/slurm and puts back the files it moved aside.
# Each PID is checked to still be the daemon we started (/proc/PID/comm) before it is signalled.
#
#   sudo tests/slurm/down.sh          (XORNET_SLURM_STATE as for up.sh)
set -uo pipefail

STATE=${XORNET_SLURM_STATE:-/tmp/xornet-slurm}
PIDS=$STATE/pids
say() { printf '[slurm down %s] %s\n' "$(date +%T)" "$*"; }

[ -s "$PIDS" ] || { say "no $PIDS: no daemon to stop"; PIDS=/dev/null; }
pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$PIDS"; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

ctld=$(pid_of slurmctld)
if alive "$ctld"; then
  jobs=$(timeout 10 squeue -h -o %i 2>/dev/null | tr '\n' ' ')
  if [ -n "${jobs// /}" ]; then
    say "cancelling leftover jobs: $jobs"
    # shellcheck disable=SC2086
    timeout 10 scancel --full $jobs 2>/dev/null || true
    for _ in $(seq 60); do
      [ -z "$(timeout 10 squeue -h -t PD,R,CG -o %i 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
fi

rc=0
for name in slurmd slurmctld slurmdbd mariadbd munged; do
  pid=$(pid_of "$name")
  [ -n "$pid" ] || continue
  if ! alive "$pid"; then
    say "$name (pid $pid) already gone"
    continue
  fi
  comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
  case "$comm" in
    "$name" | "${name}-wlm") ;;
    *)
      say "pid $pid is now '$comm', not $name: left alone"
      rc=1
      continue
      ;;
  esac
  kill -TERM "$pid"
  for _ in $(seq 40); do alive "$pid" || break; sleep 0.25; done
  if alive "$pid"; then
    say "$name (pid $pid) still alive 10 s after SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  say "stopped $name (pid $pid)"
done

for name in slurm.conf slurmdbd.conf; do
  dst=/etc/slurm/$name
  if [ -L "$dst" ] && [ "$(readlink "$dst")" = "$STATE/etc/$name" ]; then rm -f "$dst"; fi
done
if [ -s "$STATE/restore" ]; then
  while read -r dst; do
    if [ ! -e "$dst" ] && [ -e "$dst.before-xornet-test" ]; then
      mv "$dst.before-xornet-test" "$dst"
      say "restored $dst"
    fi
  done <"$STATE/restore"
  rm -f "$STATE/restore"
fi
((rc == 0)) && rm -f "$STATE/pids"
exit $rc
