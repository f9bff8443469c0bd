#!/usr/bin/env bash
# Drover's supervisor vs PM2 and supervisord on the same work, in ONE run on this machine, timed
# by the same probe. A benchmark, not a test: it is not registered with CTest.
#
#   tests/bench/supervisor_vs_peers.sh          # about 15-20 minutes on an idle 2-core machine
#
# 1. Runs /work/shared/peers/measure.sh unchanged (PM2 fork mode and supervisord, N replicas of
#    pmworker, a copy of /bin/sleep; it installs pm2 with npm and supervisor with apt if missing)
#    and reads its $PEERS_DIR/results/<date>/raw.jsonl.
# 2. Measures drover-supervisor-host (core/supervisor in a console process) on the same worker
#    with the same pmprobe.py verbs and counts, appending mgr "drover" records to that raw.jsonl.
# 3. Prints pmprobe's summary and a compact table (medians, Drover/PM2, Drover/supervisord,
#    goals met or not), and writes docs/benchmarks/supervisor.md (+ the raw records beside it).
#
# Knobs (environment), as measure.sh uses them: N=20 replicas, M=40 scaled-to, T=7 start/stop
# cycles, S=5 scale cycles, R=10 kill -9 trials, I=30 s per idle window, IW=3 idle windows.
# Also: PEERS_SCRIPTS=/work/shared/peers, PEERS_DIR=/tmp/drover-peers, BUILD_DIR=<repo>/build,
# BUILD=1 (0: do not rebuild the two binaries), DOC=<repo>/docs/benchmarks/supervisor.md,
# SKIP_PEERS=1 with RAW=<earlier raw.jsonl> to re-measure Drover only (for investigating; the
# committed result must come from one full run), WAIT_IDLE=1.0 to wait (up to WAIT_MAX=3600 s)
# until the 1-minute load average is below that before starting: other work on the machine
# skews the phases it overlaps, and measure.sh's phases and Drover's run minutes apart.
#
# Every process it starts is stopped on exit (trap); no pmworker is left running.
set -u
HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(cd "$HERE/../.." && pwd)
PEERS_SCRIPTS=${PEERS_SCRIPTS:-/work/shared/peers}
export PEERS_DIR=${PEERS_DIR:-/tmp/drover-peers}
export N=${N:-20} M=${M:-40} T=${T:-7} S=${S:-5} R=${R:-10} I=${I:-30} IW=${IW:-3}
BUILD_DIR=${BUILD_DIR:-$REPO/build}; BIN=$BUILD_DIR/bin; BUILD=${BUILD:-1}
DOC=${DOC:-$REPO/docs/benchmarks/supervisor.md}; SKIP_PEERS=${SKIP_PEERS:-0}
B=$PEERS_DIR; W=$B/bin/pmworker; P="/usr/bin/python3 $PEERS_SCRIPTS/pmprobe.py"
D=$B/drover; SOCK=$D/control.sock; CTL="$BIN/drover-supervisor-ctl $SOCK"
HOST= Q= MPID= TPID=

say() { echo "== $*" >&2; }
die() { echo "supervisor_vs_peers: $*" >&2; exit 1; }

# Live (not zombie) process? Orphans may sit as zombies where pid 1 does not reap them.
alive() { local s; s=$(sed 's/.*) //' /proc/$1/stat 2>/dev/null) || return 1; [ -n "$s" ] && [ "${s%% *}" != Z ]; }

host_quit() {   # graceful: "quit" stops every replica, then the host exits
    [ -n "$HOST" ] || return 0
    if alive $HOST; then
        $CTL quit >/dev/null 2>&1
        for _ in $(seq 300); do alive $HOST || break; sleep .1; done
        if alive $HOST; then echo "host $HOST did not quit within 30 s: SIGKILL" >&2; kill -KILL $HOST; fi
    fi
    HOST=
}

cleanup() {
    trap - EXIT INT TERM
    [ -n "$Q" ] && kill $Q 2>/dev/null
    host_quit
    if [ -n "$MPID" ] && kill -0 $MPID 2>/dev/null; then
        say "stopping measure.sh ($MPID); its own trap stops PM2 and supervisord"
        kill -TERM $MPID; for _ in $(seq 300); do kill -0 $MPID 2>/dev/null || break; sleep .2; done
    fi
    [ -n "$TPID" ] && kill $TPID 2>/dev/null
    # The run started with no pmworker at all (checked below), so any left now is ours.
    local left; left=$(cd /proc && for p in [0-9]*; do
        [ "$(cat $p/comm 2>/dev/null)" = pmworker ] && alive $p && echo $p; done)
    if [ -n "$left" ]; then echo "leftover pmworker processes, killing: $left" >&2; kill -KILL $left 2>/dev/null; fi
}
trap cleanup EXIT; trap 'exit 130' INT TERM

# One pmprobe record, as measure.sh writes them (a probe that printed nothing is an error record).
r() {
    local m=$1 l=$2 out; shift 2
    out=$("$@"); [ -n "$out" ] || out='{"error":"probe failed"}'
    echo "{\"mgr\":\"$m\",\"label\":\"$l\",\"data\":$out}" | tee -a "$O/raw.jsonl"
}
idle() { sleep 3; for _ in $(seq $IW); do r $1 $2 $P idle $3 $I; done; }
wait_count() { for _ in $(seq 600); do [ "$($P count)" -eq $1 ] && return 0; sleep .1; done; die "never saw $1 workers"; }

[ "$(uname -s)" = Linux ] || die "Linux only (pmprobe.py reads /proc)"
[ -f "$PEERS_SCRIPTS/measure.sh" ] && [ -f "$PEERS_SCRIPTS/pmprobe.py" ] || die "no measure.sh/pmprobe.py in $PEERS_SCRIPTS"
[ "$($P count)" -eq 0 ] || die "pmworker processes already run; the probe counts them all: stop them first"
if [ -n "${WAIT_IDLE:-}" ]; then
    for _ in $(seq $(( ${WAIT_MAX:-3600} / 10 ))); do
        awk -v t="$WAIT_IDLE" '{exit !($1 < t)}' /proc/loadavg && break
        say "waiting for load average < $WAIT_IDLE (now $(cut -d' ' -f1-3 /proc/loadavg))"; sleep 10
    done
fi
# Machine load per phase: load averages at each boundary, and how busy all CPUs were (the probe
# itself, polling /proc every millisecond, keeps part of one CPU busy in every phase).
cpu() { awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat; }
busy() { awk -v a="$1" -v b="$2" 'BEGIN {split(a, x, " "); split(b, y, " "); t = y[1]-x[1];
         printf "%.0f %%", (t > 0 ? 100 * (1 - (y[2]-x[2]) / t) : 0)}'; }
T0=$(date +%s); LOAD0=$(cut -d' ' -f1-3 /proc/loadavg); C0=$(cpu)
if [ "$BUILD" = 1 ]; then
    say "building drover-supervisor-host and drover-supervisor-ctl"
    cmake --build "$BUILD_DIR" --target drover-supervisor-host drover-supervisor-ctl >/dev/null || die "build failed"
fi
[ -x "$BIN/drover-supervisor-host" ] && [ -x "$BIN/drover-supervisor-ctl" ] || die "no Drover binaries in $BIN"

## 1. PM2 and supervisord: measure.sh, unchanged
mkdir -p "$B/results" "$B/bin"
if [ "$SKIP_PEERS" = 1 ]; then
    if [ -n "${RAW:-}" ]; then O=$(cd "$(dirname "$RAW")" && pwd); else O=$B/results/$(date +%F-%H%M%S)-drover; mkdir -p "$O"; fi
else
    before=$(ls "$B/results")
    say "PM2 and supervisord: $PEERS_SCRIPTS/measure.sh (N=$N M=$M T=$T S=$S R=$R I=$I IW=$IW)"
    bash "$PEERS_SCRIPTS/measure.sh" >"$B/measure.log" 2>&1 &
    MPID=$!
    tail -n +1 --pid=$MPID -f "$B/measure.log" & TPID=$!
    wait $MPID; mrc=$?; MPID=; wait $TPID 2>/dev/null; TPID=
    new=$(ls "$B/results" | grep -vxF -f <(printf '%s\n' $before) | tail -n1)
    O=$B/results/$new
    [ -n "$new" ] && [ -s "$O/raw.jsonl" ] || die "measure.sh (exit $mrc) wrote no raw.jsonl; see $B/measure.log"
    [ "$($P count)" -eq 0 ] || die "measure.sh left workers running"
fi
T1=$(date +%s); LOAD1=$(cut -d' ' -f1-3 /proc/loadavg); C1=$(cpu)

## 2. Drover: drover-supervisor-host, one pool of pmworker, the same verbs and counts
cp -n /bin/sleep "$W"
mkdir -p "$D/logs"; rm -f "$D"/logs/*
MAXR=$(( M > 40 ? M : 40 ))
pool() { cat <<EOF
version: 1
pools:
  - name: w
    command: $W
    args: ["100000"]
    replicas: { min: 0, max: $MAXR, initial: $1 }
    tier: free
    stop_timeout: 10s
    health: { mode: process }
EOF
}
pool $N >"$D/cold.yaml"; pool 0 >"$D/run.yaml"
# Started in the background by a shell that returns at once, as `pm2 start` returns once its
# daemon runs and supervisord daemonizes; the host is not our child, so it is never a zombie of ours.
launch() { echo "'$BIN/drover-supervisor-host' --config '$1' --log-dir '$D/logs' --control '$SOCK' --quiet </dev/null >>'$D/host.log' 2>&1 & echo \$! >'$D/host.pid'"; }
wait_ctl() { for _ in $(seq 100); do $CTL status >/dev/null 2>&1 && return 0; sleep .1; done; die "host does not answer on $SOCK; see $D/host.log"; }

say "Drover: $BIN/drover-supervisor-host"
for _ in 1 2 3; do   # host start with initial N (includes the host's own start)
    r drover cold $P run $N -- sh -c "$(launch "$D/cold.yaml")"; HOST=$(cat "$D/host.pid"); host_quit
done
sh -c "$(launch "$D/run.yaml")"; HOST=$(cat "$D/host.pid"); wait_ctl
for _ in $(seq $T); do
    r drover start $P run $N -- $CTL scale w $N; sleep 1
    r drover stop $P run 0 -- $CTL scale w 0
done
$CTL scale w $N >/dev/null; wait_count $N
r drover restart $P restart $R 1.5 $N
idle drover idle $HOST   # the host samples every replica's CPU and memory once a second
/usr/bin/python3 "$HERE/supervisor_poll_status.py" "$SOCK" & Q=$!
idle drover idle_polled $HOST; kill $Q; wait $Q 2>/dev/null; Q=
for _ in $(seq $S); do
    r drover scale_up $P run $M -- $CTL scale w $M; sleep 1
    r drover scale_down $P run $N -- $CTL scale w $N; sleep 1
done
host_quit
T2=$(date +%s); LOAD2=$(cut -d' ' -f1-3 /proc/loadavg); C2=$(cpu)
LOADS="load average (1/5/15 min) $LOAD0 at the start, $LOAD1 after PM2 and supervisord, $LOAD2 at"
LOADS="$LOADS the end; all CPUs $(busy "$C0" "$C1") busy during PM2 and supervisord, $(busy "$C1" "$C2") during Drover"

## 3. Tables and the document
$P summary "$O/raw.jsonl" >"$O/summary.md"
/usr/bin/python3 "$HERE/supervisor_compare.py" "$O/raw.jsonl" $N $M >"$O/compare.md"
LEFT=$($P count)
echo; cat "$O/summary.md"; echo; cat "$O/compare.md"; echo
echo "records: $O/raw.jsonl; leftover workers: $LEFT; took $(( (T2-T0)/60 )) min $(( (T2-T0)%60 )) s" \
     "(peers $(( T1-T0 )) s, Drover $(( T2-T1 )) s)"; echo "$LOADS"

ver() { "$@" 2>/dev/null | head -n1; }
PM2V=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$B/node_modules/pm2/package.json" 2>/dev/null | head -n1)
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
MEM=$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)
mkdir -p "$(dirname "$DOC")"
cp "$O/raw.jsonl" "${DOC%.md}-raw.jsonl"
{
    echo "# Drover's supervisor vs PM2 and supervisord"
    echo
    echo "One run of \`tests/bench/supervisor_vs_peers.sh\` on $(date -u -d @$T0 '+%F %H:%M') UTC," \
         "$(( (T2-T0)/60 )) min $(( (T2-T0)%60 )) s (PM2 and supervisord $(( T1-T0 )) s, Drover $(( T2-T1 )) s)."
    echo "All figures are medians of that one run, timed by the same probe (\`pmprobe.py\`, which"
    echo "counts live \`pmworker\` processes in /proc every millisecond: what the OS sees, not what"
    echo "a manager reports). Compare ratios; absolute times drift between machines and runs."
    echo
    echo "- Machine: $(nproc) CPUs ($CPU), $MEM, Linux $(uname -r)"
    echo "- Conditions: $LOADS (the probe alone keeps part of one CPU busy; more is other work,"
    echo "  which slows whichever manager's phase it overlaps)"
    echo "- Drover: \`drover-supervisor-host\` at commit $COMMIT (core/supervisor alone in a console"
    echo "  process, sampling every replica's CPU and memory once a second like the console's engine)"
    echo "- PM2 ${PM2V:-?} (fork mode, node $(ver node --version)), supervisord $(ver supervisord --version)"
    echo "- Work: N=$N replicas of \`pmworker 100000\` (a copy of /bin/sleep), scaled to M=$M;" \
         "T=$T start/stop cycles, S=$S scale cycles, R=$R kill -9 trials, IW=$IW idle windows of I=$I s"
    echo
    echo "## Result"
    echo
    cat "$O/compare.md"
    echo
    echo "## What each row times"
    echo
    echo "- *cold*: manager start with N configured until N workers run (PM2: \`pm2 start -i N\` with"
    echo "  the daemon spawn; supervisord: \`supervisord\` with numprocs=N; Drover: the host with"
    echo "  \`initial: N\`)."
    echo "- *command to N running*: \`pm2 start\` / \`supervisorctl start 'w:*'\` / \`drover-supervisor-ctl"
    echo "  SOCKET scale w N\` (0 -> N) until N workers live. *stop of N*: \`pm2 stop\` /"
    echo "  \`supervisorctl stop\` / \`scale w 0\` until none lives (graceful: PM2 sends SIGINT, supervisord and Drover SIGTERM)."
    echo "- *kill -9 to replacement*: \`pmprobe.py restart R 1.5 N\`: SIGKILL a random worker, time"
    echo "  until N live again with a new pid."
    echo "- *scale*: \`pm2 scale w M\` / \`scale w M\` (\`survivors\` = how many of the N running before"
    echo "  are still running at M; \`min_seen\` = lowest count during the action). supervisord has no"
    echo "  scale verb; measure.sh times spare slots, a second group and numprocs + reread/update."
    echo "- *idle*: \`pmprobe.py idle PID I\` on the manager process (PM2's God daemon, supervisord,"
    echo "  the Drover host) with N replicas running; *polled*: while a client asks for the status"
    echo "  of all replicas once a second (PM2: \`pm2.list()\`; supervisord: \`getAllProcessInfo()\`;"
    echo "  Drover: \`status\` on the control socket, \`tests/bench/supervisor_poll_status.py\`). Drover's idle"
    echo "  figure already includes sampling every replica once a second. CPU resolution is one"
    echo "  clock tick over I s ($(awk -v i=$I -v hz=$(getconf CLK_TCK) 'BEGIN{printf "%.3f", 100/hz/i}') %)."
    echo "- *RSS*: the manager process's VmRSS, maximum over each idle window, median over windows."
    echo
    echo "## All records (\`pmprobe.py summary\`)"
    echo
    echo "Managers: \`drover\`, \`pm2\`, \`sv\` (supervisord). Raw records:" \
         "[\`$(basename "${DOC%.md}-raw.jsonl")\`]($(basename "${DOC%.md}-raw.jsonl"))."
    echo
    cat "$O/summary.md"
    echo
    echo "## How to run"
    echo
    echo '```sh'
    echo 'cmake --build build --target drover-supervisor-host drover-supervisor-ctl'
    echo 'tests/bench/supervisor_vs_peers.sh            # ~15-20 min; rewrites docs/benchmarks/supervisor.md'
    echo 'T=5 S=5 R=5 I=15 tests/bench/supervisor_vs_peers.sh   # shorter (keep >= 5 samples each)'
    echo 'WAIT_IDLE=1.0 tests/bench/supervisor_vs_peers.sh      # first wait for load average < 1.0'
    echo '```'
    echo
    echo "Run it on an otherwise idle Linux machine: every manager is timed with the same probe,"
    echo "and the probe counts every process named \`pmworker\`, so the script refuses to start while"
    echo "one runs. It needs npm (pm2 is installed under \$PEERS_DIR) and apt (supervisor) the first"
    echo "time, stops everything it started on exit, and leaves the records in"
    echo "\`\$PEERS_DIR/results/<date>/\` (raw.jsonl, summary.md, compare.md). Not a CTest test."
} >"$DOC"
echo "wrote $DOC"
[ "$LEFT" -eq 0 ] || die "$LEFT workers still running after the run"
