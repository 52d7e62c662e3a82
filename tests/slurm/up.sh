#!/usr/bin/env bash
# Start a real single-node Slurm cluster on localhost for tests/slurm/run_slurm_test.sh.
#
#   sudo tests/slurm/up.sh [--no-dbd]
#
# Debian's slurm-wlm (slurmctld + slurmd + client) and munge, installed with apt-get when
# missing. By default also MariaDB + slurmdbd, so that `sacct` works: the SLURM executor
# plugin queries job states with sacct whenever the binary exists, and without accounting it
# hangs ("No active jobs; skipping status query" forever). With --no-dbd there is no
# accounting and the profile must be run with `--slurm-status-command squeue`; squeue only
# remembers finished jobs for MinJobAge seconds (set to 300 here; the plugin needs
# MinJobAge >= 3 x slurm-init-seconds-before-status-checks or it falls back to sacct).
#
# No systemd: every daemon runs in the foreground (-D/-F) in its own session and its PID is
# appended to $STATE/pids; tests/slurm/down.sh stops exactly those PIDs.
# The Slurm configuration is written to $STATE/etc and linked from /etc/slurm (slurm.conf,
# slurmdbd.conf); files already there are moved aside and put back by down.sh. (SLURM_CONF
# cannot be used instead: the plugin's job step drops every SLURM_* variable before its
# `srun`, which then finds no configuration.) munge uses the system key
# /etc/munge/munge.key (created if missing) and its default socket.
#
# Environment (optional):
#   XORNET_SLURM_STATE  state, logs, pids, config   (default /tmp/xornet-slurm)
#   XORNET_SLURM_CPUS   CPUs the node advertises     (default: the real count; more than that
#                       oversubscribes, via SlurmdParameters=config_overrides)
#   XORNET_SLURM_WAIT   seconds to wait for each daemon (default 60)
set -euo pipefail

WITH_DBD=1
for arg in "$@"; do
  case "$arg" in
    --no-dbd) WITH_DBD=0 ;;
    -h | --help) sed -n 2,24p "$0"; exit 0 ;;
    *) echo "up.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

STATE=${XORNET_SLURM_STATE:-/tmp/xornet-slurm}
WAIT=${XORNET_SLURM_WAIT:-60}
PIDS=$STATE/pids
CONF_DIR=$STATE/etc
ETC=/etc/slurm
unset SLURM_CONF
CLUSTER=xornet
PARTITION=debug
DB_PASS=xornet-ci-only # throwaway DB: no TCP port, unix socket only, deleted by down.sh

say() { printf '[slurm up %s] %s\n' "$(date +%T)" "$*"; }
die() { printf '[slurm up %s] ERROR: %s\n' "$(date +%T)" "$*" >&2; exit 1; }
t0=$(date +%s)
elapsed() { echo "$(($(date +%s) - $1))s"; }

# wait_until WHAT CMD...: poll CMD every 0.5 s for at most $WAIT s.
wait_until() {
  local what=$1 n=$((2 * WAIT))
  shift
  while ((n-- > 0)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "no $what after ${WAIT}s (daemon logs: $STATE/log)"
}

# daemon NAME CMD...: start CMD in its own session, stdin from /dev/null, record its PID.
daemon() {
  local name=$1
  shift
  setsid "$@" </dev/null >"$STATE/log/$name.out" 2>&1 &
  local pid=$!
  echo "$name $pid" >>"$PIDS"
  sleep 0.3
  kill -0 "$pid" 2>/dev/null || { tail -20 "$STATE/log/$name.out" >&2; die "$name exited at once"; }
  say "started $name (pid $pid)"
}

listening() { ss -Hltn "sport = :$1" | grep -q .; }

[ "$(id -u)" = 0 ] || die "must run as root (apt-get, slurmd)"
if [ -s "$PIDS" ]; then
  while read -r name pid; do
    kill -0 "$pid" 2>/dev/null && die "$name (pid $pid) from a previous up.sh is alive: run down.sh"
  done <"$PIDS"
fi

# 1. packages ------------------------------------------------------------------------------
pkgs=(slurmctld slurmd slurm-client munge)
bins=(slurmctld slurmd sbatch munged)
if ((WITH_DBD)); then
  pkgs+=(slurmdbd mariadb-server)
  bins+=(slurmdbd mariadbd)
fi
missing=0
for b in "${bins[@]}"; do command -v "$b" >/dev/null 2>&1 || missing=1; done
if ((missing)); then
  t=$(date +%s)
  say "installing ${pkgs[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq
  # (if the packages' maintainer scripts start services, the preflight below refuses to run)
  timeout 900 apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >"${TMPDIR:-/tmp}/xornet-slurm-apt.log" 2>&1 ||
    { tail -20 "${TMPDIR:-/tmp}/xornet-slurm-apt.log" >&2; die "apt-get install failed"; }
  say "packages installed in $(elapsed "$t")"
fi
say "slurm-wlm $(dpkg-query -W -f '${Version}' slurmctld), munge $(dpkg-query -W -f '${Version}' munge)"

# 2. preflight: nothing of ours may already run ---------------------------------------------
for port in 6817 6818; do listening $port && die "port $port busy: another Slurm is running"; done
((WITH_DBD)) && listening 6819 && die "port 6819 busy: another slurmdbd is running"
if [ -S /run/munge/munge.socket.2 ] && munge -n </dev/null >/dev/null 2>&1; then
  die "a munged is already running; stop it first (this script only stops what it started)"
fi
if ((WITH_DBD)) && [ -S /run/mysqld/mysqld.sock ] &&
  mariadb-admin --socket=/run/mysqld/mysqld.sock ping >/dev/null 2>&1; then
  die "a MariaDB/MySQL server already owns /run/mysqld/mysqld.sock; stop it first"
fi
HOST=$(hostname -s)
getent hosts "$HOST" >/dev/null || die "hostname $HOST does not resolve (add it to /etc/hosts)"

rm -rf "$STATE"
mkdir -p "$STATE/log" "$STATE/ctld" "$STATE/spool" "$CONF_DIR"
chown slurm:slurm "$STATE/ctld" "$STATE/log"
setpriv --reuid slurm --regid slurm --clear-groups test -w "$STATE/log" ||
  die "user slurm cannot write to $STATE/log: make every parent of $STATE traversable (chmod o+x)"
: >"$PIDS"

# hardware as slurmd sees it; 90 % of the memory is schedulable
read -r CPUS SOCKETS CORES THREADS MEM < <(slurmd -C | head -1 | tr ' ' '\n' | awk -F= '
  { v[$1] = $2 } END { print v["CPUs"], v["SocketsPerBoard"], v["CoresPerSocket"], v["ThreadsPerCore"], int(0.9 * v["RealMemory"]) }')
OVERRIDE=""
if [ -n "${XORNET_SLURM_CPUS:-}" ] && [ "$XORNET_SLURM_CPUS" != "$CPUS" ]; then
  CPUS=$XORNET_SLURM_CPUS SOCKETS=1 CORES=$XORNET_SLURM_CPUS THREADS=1
  OVERRIDE="SlurmdParameters=config_overrides"
fi

# 3. munge (system key and socket: slurm's auth/munge uses the default socket) ---------------
t=$(date +%s)
[ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
install -d -o munge -g munge -m 0755 /run/munge
daemon munged setpriv --reuid munge --regid munge --init-groups /usr/sbin/munged -F
wait_until "munge credentials" sh -c 'munge -n </dev/null | unmunge'
say "munged ready in $(elapsed "$t")"

# 4. configuration -----------------------------------------------------------------------------
if ((WITH_DBD)); then
  ACCOUNTING="AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=6819
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=1"
else
  ACCOUNTING="AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none"
fi
# link_conf NAME: /etc/slurm/NAME -> $CONF_DIR/NAME; a file already there is moved aside
# (NAME.before-xornet-test) and recorded in $STATE/restore for down.sh.
link_conf() {
  local name=$1 dst=$ETC/$1
  if [ -L "$dst" ] && { [ ! -e "$dst" ] || head -1 "$dst" | grep -q '^# xornet test cluster'; }; then
    rm -f "$dst" # left over from an earlier test cluster
  elif [ -e "$dst" ]; then
    [ -e "$dst.before-xornet-test" ] && die "$dst.before-xornet-test exists: restore it first"
    mv "$dst" "$dst.before-xornet-test"
    echo "$dst" >>"$STATE/restore"
    say "moved $dst aside to $dst.before-xornet-test (down.sh puts it back)"
  fi
  ln -s "$CONF_DIR/$name" "$dst"
}
mkdir -p "$ETC"
cat >"$CONF_DIR/slurm.conf" <<EOF
# xornet test cluster (tests/slurm/up.sh): single node on localhost, not for production
ClusterName=$CLUSTER
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=slurm
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
# no systemd/cgroups here: /proc process tracking, no CPU binding
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
$ACCOUNTING
JobCompType=jobcomp/none
MailProg=/bin/true
CommunicationParameters=NoInAddrAny
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=500
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
# finished jobs stay visible to squeue for 5 min: needed for --slurm-status-command squeue
MinJobAge=300
KillWait=5
Waittime=0
SlurmctldDebug=info
SlurmdDebug=info
$OVERRIDE
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS Boards=1 SocketsPerBoard=$SOCKETS CoresPerSocket=$CORES ThreadsPerCore=$THREADS RealMemory=$MEM State=UNKNOWN
PartitionName=$PARTITION Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
chmod 644 "$CONF_DIR/slurm.conf"
chmod 755 "$CONF_DIR"
link_conf slurm.conf

if ((WITH_DBD)); then
  t=$(date +%s)
  # private, throwaway MariaDB (fresh datadir each time: no stale job records), no TCP port;
  # the socket must be the default one, slurmdbd has no setting for it
  install -d -o mysql -g mysql /run/mysqld "$STATE/mysql"
  mariadb-install-db --no-defaults --user=mysql --datadir="$STATE/mysql/data" \
    --auth-root-authentication-method=socket --skip-test-db >"$STATE/log/mariadb-install.out" 2>&1 ||
    { tail -20 "$STATE/log/mariadb-install.out" >&2; die "mariadb-install-db failed"; }
  daemon mariadbd /usr/sbin/mariadbd --no-defaults --user=mysql --datadir="$STATE/mysql/data" \
    --pid-file="$STATE/mysql/mariadbd.pid" --log-error="$STATE/log/mariadbd.err" \
    --skip-networking --socket=/run/mysqld/mysqld.sock --innodb-buffer-pool-size=128M \
    --innodb-lock-wait-timeout=900
  wait_until "MariaDB" mariadb-admin --socket=/run/mysqld/mysqld.sock ping
  mariadb --socket=/run/mysqld/mysqld.sock -e "
    CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$DB_PASS';
    GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost'; FLUSH PRIVILEGES;"
  say "MariaDB ready in $(elapsed "$t")"

  t=$(date +%s)
  cat >"$CONF_DIR/slurmdbd.conf" <<EOF
# xornet test cluster (tests/slurm/up.sh)
AuthType=auth/munge
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=6819
CommunicationParameters=NoInAddrAny
SlurmUser=slurm
DebugLevel=info
LogFile=$STATE/log/slurmdbd.log
PidFile=$STATE/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=slurm
StoragePass=$DB_PASS
StorageLoc=slurm_acct_db
EOF
  chown slurm:slurm "$CONF_DIR/slurmdbd.conf"
  chmod 600 "$CONF_DIR/slurmdbd.conf"
  link_conf slurmdbd.conf
  daemon slurmdbd /usr/sbin/slurmdbd -D
  wait_until "slurmdbd" sacctmgr -n show cluster
  sacctmgr -n -P show cluster format=cluster | grep -qx "$CLUSTER" ||
    sacctmgr -i add cluster "$CLUSTER" >/dev/null
  say "slurmdbd ready in $(elapsed "$t")"
fi

# 5. controller and node -----------------------------------------------------------------------
t=$(date +%s)
daemon slurmctld /usr/sbin/slurmctld -D -i
wait_until "slurmctld answering" scontrol ping
daemon slurmd /usr/sbin/slurmd -D -N "$HOST"
node_idle() { [ "$(sinfo -h -n "$HOST" -o %T)" = idle ]; }
wait_until "idle node $HOST" node_idle
say "slurmctld + slurmd ready in $(elapsed "$t")"
sinfo -N -o '%N %P %T %c %m'
say "cluster up in $(elapsed "$t0") ($( ((WITH_DBD)) && echo 'with slurmdbd' || echo 'no accounting'))"
