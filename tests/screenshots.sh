#!/usr/bin/env bash
# Screenshots of the real console for the README and docs/screenshots/: one Drover under Xvfb
# runs a small demo fleet of drover-agent replicas under load (recurring jobs that burn CPU and
# call GPT through the gateway's simulated upstream, which answers 429 beyond its rate limit),
# and each view is captured from that one running console. A second launch with --view hands
# the tab to the running one (single instance), so no window automation is needed.
#
# Usage: tests/screenshots.sh <drover> <drover-agent> [out-dir] [seconds-of-load]
# Defaults: docs/screenshots, 75 s (the GPT-throttling detector wants about a minute of data).
set -euo pipefail
exe=$(realpath "${1:?usage: screenshots.sh <drover> <drover-agent> [out-dir] [seconds]}")
agent=$(realpath "${2:?usage: screenshots.sh <drover> <drover-agent> [out-dir] [seconds]}")
out=$(mkdir -p "${3:-docs/screenshots}" && realpath "${3:-docs/screenshots}")
load=${4:-75}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work" XDG_CONFIG_HOME="$work/.config" XDG_DATA_HOME="$work/.local/share" \
       XDG_RUNTIME_DIR="$work/run"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
unset QT_QPA_PLATFORM

# The demo fleet. Short `for` durations and small thresholds so that within a minute the charts
# move, a scaling decision and alerts are on the time axis and a bottleneck is found.
cat > "$work/drover.yaml" <<YAML
version: 1
tiers:
  free: { cpu_cores: 0.5, memory_mb: 1024, gpt_tokens_per_min: 6000, browser_instances: 1, concurrent_tasks: 2 }
pools:
  - { name: mail,    command: "$agent", args: [--role, mail],    replicas: { min: 1, max: 3, initial: 2 }, tier: basic,   stop_timeout: 5s }
  - { name: browser, command: "$agent", args: [--role, browser], replicas: { min: 1, max: 4, initial: 2 }, tier: premium, stop_timeout: 5s }
  - { name: loops,   command: "$agent", args: [--role, loops],   replicas: { min: 1, max: 3, initial: 1 }, tier: free,    stop_timeout: 5s }
policies:
  - { name: scale-out, metric: cpu_percent, op: ">", threshold: 40, for: 10s, change: 1, cooldown: 30s }
alerts:
  - { name: HighCpu,      series: system_cpu_percent, op: ">", threshold: 30, for: 10s, severity: warning, summary: "CPU above 30 % for 10 s (demo threshold)" }
  - { name: QueueBacklog, series: queue_depth,        op: ">", threshold: 2,  for: 10s, severity: high,    summary: "More than 2 jobs waiting (demo threshold)" }
  - { name: PoolNotReady, series: pool_ready_replicas, op: "<", threshold: 1, for: 30s, severity: critical, summary: "Pool {{pool}} has no ready replica" }
gateway:
  enabled: true
  port: 0
  upstream: simulated
  max_retries: 0
  simulated: { requests_per_minute: 60 }
dispatch:
  enabled: true
  intake_port: 0
  loops:
    - { name: demo_mail,    pool: mail,    every: 1s, jitter: 0s, run_at_first_start: true, payload: { gpt: true, cpu_ms: 150 } }
    - { name: demo_browser, pool: browser, every: 1s, jitter: 0s, run_at_first_start: true, payload: { gpt: true, cpu_ms: 300 } }
    - { name: demo_loops,   pool: loops,   every: 1s, jitter: 0s, run_at_first_start: true, payload: { gpt: true, cpu_ms: 900 } }
observe:
  enabled: false
YAML
QT_QPA_PLATFORM=offscreen "$exe" --check-config --config "$work/drover.yaml"

check() { # a blank capture (an all-black root window) has a single colour; a drawn one many
  test -s "$1"
  local colours
  colours=$(identify -format '%k' "$1")
  echo "screenshot: $1 ($colours colours)"
  [ "$colours" -gt 50 ]
}

# The console keeps the gateway's and the intake's tokens in the OS keychain: a session bus
# with an unlocked keyring, or gcr-prompter's password dialog lands in the screenshots.
cat > "$work/capture.sh" <<'SH'
set -euo pipefail
exe=$1 config=$2 out=$3 load=$4
echo screenshots | gnome-keyring-daemon --unlock --components=secrets >/dev/null
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  set -euo pipefail
  exe=$0 config=$1 out=$2 load=$3
  "$exe" --config "$config" --view dashboard --quit-after $(( (load + 40) * 1000 )) & app=$!
  sleep "$load"
  import -window root "$out/dashboard.png"
  for view in pools alerts bottlenecks; do
    "$exe" --config "$config" --view "$view" >/dev/null
    sleep 2
    import -window root "$out/$view.png"
  done
  "$exe" --quit >/dev/null || true
  wait $app || true' "$exe" "$config" "$out" "$load"
SH
dbus-run-session -- bash "$work/capture.sh" "$exe" "$work/drover.yaml" "$out" "$load"
for view in dashboard pools alerts bottlenecks; do
  mogrify -trim +repage "$out/$view.png" # the window, not the empty screen around it
done
for view in dashboard pools alerts bottlenecks; do
  check "$out/$view.png"
done
