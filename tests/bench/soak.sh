#!/usr/bin/env bash
# Soak benchmark: the real console (offscreen) supervising the default demo fleet for N minutes
# under a job load that rises and falls (a 10-minute wave through the real job intake, so the
# queue, the gateway's token meter and the autoscaler all move), while /metrics is scraped
# every 5 s. Samples Drover's own resident memory, threads and open file descriptors every
# 10 s and reports the growth after warm-up. Not a CTest test: it takes half an hour.
#
#   tests/bench/soak.sh [build dir] [minutes] [warm-up minutes]
#
# Goal (issue 7): RSS flat within 10 MB after warm-up; threads and descriptors bounded.
# Writes docs/benchmarks/soak.md and docs/benchmarks/soak-raw.csv. Needs a session keyring:
# it re-runs itself under tests/run_with_keyring.sh (the intake token lives in the keychain).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
minutes=${2:-30}
warmup=${3:-5}
if [ -z "${DROVER_SOAK_IN_KEYRING:-}" ]; then
    DROVER_SOAK_IN_KEYRING=1 exec "$top/tests/run_with_keyring.sh" "$0" "$build" "$minutes" "$warmup"
fi
drover="$build/bin/drover"
agent_dir="$build/bin"
secret_tool="$build/bin/drover-secret-tool"
for exe in "$drover" "$agent_dir/drover-agent" "$secret_tool"; do
    [ -x "$exe" ] || { echo "missing $exe: build drover, drover-agent and drover-secret-tool" >&2; exit 1; }
done

work=$(mktemp -d)
app=
cleanup() {
    [ -n "$app" ] && kill "$app" 2>/dev/null && wait "$app" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export QT_QPA_PLATFORM=offscreen PATH="$agent_dir:$PATH"
mkdir -p "$XDG_CONFIG_HOME"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
intake_port=$(free_port)
metrics_port=$(free_port)
# The shipped default configuration, with fixed loopback ports so the script can reach them;
# the store goes to the private home's data folder.
sed -e "s/^  intake_port: 0/  intake_port: $intake_port/" \
    -e "s/^  port: 9464/  port: $metrics_port/" \
    "$top/resources/drover.yaml" >"$work/drover.yaml"
grep -q "intake_port: $intake_port" "$work/drover.yaml" || { echo "could not set the intake port" >&2; exit 1; }

"$drover" --config "$work/drover.yaml" --quit-after $(((minutes + 2) * 60000)) \
    >"$work/drover.out" 2>&1 &
app=$!

# The intake creates its token in the keychain on first start; wait for it (poll, deadline).
token=
for _ in $(seq 1 120); do
    token=$("$secret_tool" Drover get dispatch-intake-token 2>/dev/null || true)
    [ -n "$token" ] && break
    sleep 0.5
done
[ -n "$token" ] || { echo "no intake token after 60 s; drover said:" >&2; tail -20 "$work/drover.out" >&2; exit 1; }

raw="$top/docs/benchmarks/soak-raw.csv"
echo "seconds,rss_kib,threads,fds,jobs_submitted,jobs_refused,metrics_scrapes" >"$raw"

# Load and sampling in one Python loop: one clock, one place that decides when to stop.
python3 - "$app" "$intake_port" "$metrics_port" "$token" "$minutes" "$raw" <<'PY'
import math, os, sys, time, urllib.request, urllib.error, json
pid, intake, metrics, token, minutes, raw = sys.argv[1:7]
pid = int(pid); minutes = float(minutes)
start = time.monotonic()
end = start + minutes * 60
pools = ["mail", "browser", "loops"]
submitted = refused = scrapes = 0
next_sample = start
next_scrape = start
credit = 0.0
last = start

def proc_status():
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    rss = int(fields["VmRSS"].split()[0])
    threads = int(fields["Threads"])
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss, threads, fds

with open(raw, "a") as out:
    while time.monotonic() < end:
        now = time.monotonic()
        if not os.path.exists(f"/proc/{pid}"):
            sys.exit("drover exited during the soak")
        # 1 to 9 jobs/s in a 10-minute wave.
        rate = 1 + 8 * (0.5 - 0.5 * math.cos(2 * math.pi * (now - start) / 600))
        credit += rate * (now - last)
        last = now
        while credit >= 1:
            credit -= 1
            pool = pools[submitted % len(pools)]
            body = json.dumps({"job": {"gpt": True, "cpu_ms": 30}, "priority": "medium"}).encode()
            req = urllib.request.Request(
                f"http://127.0.0.1:{intake}/v1/pools/{pool}/jobs", data=body, method="POST",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            try:
                urllib.request.urlopen(req, timeout=5).read()
                submitted += 1
            except (urllib.error.URLError, OSError):
                refused += 1
                submitted += 1
        if now >= next_scrape:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{metrics}/metrics", timeout=5).read()
                scrapes += 1
            except (urllib.error.URLError, OSError):
                pass
            next_scrape += 5
        if now >= next_sample:
            rss, threads, fds = proc_status()
            out.write(f"{now - start:.0f},{rss},{threads},{fds},{submitted},{refused},{scrapes}\n")
            out.flush()
            next_sample += 10
        time.sleep(0.05)
PY

kill "$app" 2>/dev/null || true
wait "$app" 2>/dev/null || true
app=

python3 - "$raw" "$warmup" "$minutes" "$top/docs/benchmarks/soak.md" "$(git -C "$top" rev-parse --short HEAD)" <<'PY'
import csv, sys, statistics, platform, datetime
raw, warmup, minutes, md, rev = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
rows = [r for r in csv.DictReader(open(raw))]
after = [r for r in rows if float(r["seconds"]) >= warmup * 60]
if len(after) < 3:
    sys.exit("too few samples after warm-up")
rss = [int(r["rss_kib"]) / 1024 for r in after]
t = [float(r["seconds"]) for r in after]
# Least-squares slope: growth that continues, as opposed to a one-off step.
mt, mr = statistics.mean(t), statistics.mean(rss)
slope = sum((a - mt) * (b - mr) for a, b in zip(t, rss)) / sum((a - mt) ** 2 for a in t)
growth = rss[-1] - rss[0]
spread = max(rss) - min(rss)
threads = [int(r["threads"]) for r in after]
fds = [int(r["fds"]) for r in after]
last = rows[-1]
verdict = "met" if spread <= 10 else "**missed**"
text = f"""# Soak: Drover under a varying load

Written by `tests/bench/soak.sh` (raw samples: [soak-raw.csv](soak-raw.csv)). The real console
(offscreen) ran the default demo fleet (resources/drover.yaml) for {minutes:g} minutes while a
load generator submitted jobs through the job intake in a 10-minute wave of 1 to 9 jobs/s
(each a GPT call through the gateway's simulated upstream and 30 ms of CPU) and /metrics was
scraped every 5 s. Drover's own process was sampled every 10 s; the first {warmup:g} minutes are
warm-up.

Machine: {platform.machine()}, 2 CPUs (shared), {platform.platform()}; {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; Drover at {rev}.

| measure (after warm-up) | value | goal |  |
|---|---|---|---|
| RSS at warm-up end | {rss[0]:.1f} MiB | | |
| RSS at the end | {rss[-1]:.1f} MiB | | |
| RSS growth (end - warm-up end) | {growth:+.1f} MiB | | |
| RSS spread (max - min) | {spread:.1f} MiB | within 10 MB | {verdict} |
| RSS trend (least squares) | {slope * 3600:+.2f} MiB/hour | | |
| threads (min .. max) | {min(threads)} .. {max(threads)} | bounded | |
| open descriptors (min .. max) | {min(fds)} .. {max(fds)} | bounded | |
| jobs submitted / refused by the intake | {last['jobs_submitted']} / {last['jobs_refused']} | | |
| /metrics scrapes | {last['metrics_scrapes']} | | |
"""
open(md, "w").write(text)
print(text)
PY
