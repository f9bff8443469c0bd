#!/usr/bin/env bash
# Benchmark: the GPT gateway against nginx as a plain reverse proxy, both in front of the same
# fake OpenAI upstream on loopback, with the same load tool (wrk). Writes
# docs/benchmarks/gateway.md. Not a CTest test: numbers depend on the machine.
#
#   tests/bench/gateway_vs_nginx.sh [build dir] [seconds per run]
#
# Needs the Debian packages nginx and wrk (apt-get install nginx wrk), and a session bus with
# a keyring for the gateway's provider key (the script uses tests/run_with_keyring.sh).
# Goals: added p50 latency < 0.3 ms, p99 < 2 ms, throughput >= 80 % of nginx's while metering
# tokens, 20 concurrent streams each forwarded within 5 ms per chunk.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build-bench}
secs=${2:-10}
for tool in nginx wrk; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "missing $tool (apt-get install nginx wrk)" >&2; exit 1; }
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDROVER_UI=OFF -DDROVER_BENCH=ON
else
    cmake "$build" -DDROVER_BENCH=ON >/dev/null
fi
ninja -C "$build" -j2 drover-gateway-bench
bench="$build/bin/drover-gateway-bench"

tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_line() { for _ in $(seq 1 100); do [ -s "$1" ] && return 0; sleep 0.1; done; echo "timed out waiting for $1" >&2; exit 1; }

# 1. The fake upstream (plain answers, and 20 chunks 20 ms apart for streams).
setsid "$bench" upstream --chunk-ms 20 --chunks 20 >"$tmp/upstream.out" 2>"$tmp/upstream.err" &
pids+=($!)
wait_line "$tmp/upstream.out"
up=$(head -1 "$tmp/upstream.out")

# 2. The gateway in front of it (provider key in a throwaway keyring).
setsid "$top/tests/run_with_keyring.sh" "$bench" gateway --upstream "http://127.0.0.1:$up/v1" \
    >"$tmp/gateway.out" 2>"$tmp/gateway.err" &
pids+=($!)
wait_line "$tmp/gateway.out"
read -r gw token <"$tmp/gateway.out"

# 3. nginx as a plain reverse proxy (one worker, keep-alive to the upstream, no buffering).
ngx=$(free_port)
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    upstream fake { server 127.0.0.1:$up; keepalive 64; }
    server {
        listen 127.0.0.1:$ngx;
        location / {
            proxy_pass http://fake;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Authorization "Bearer sk-bench-provider-key";
            proxy_buffering off;
        }
    }
}
CONF
setsid "$nginx_bin" -p "$tmp/nginx" -c "$tmp/nginx.conf" -e "$tmp/nginx/error.log" 2>"$tmp/nginx.err" &
pids+=($!)
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$ngx") 2>/dev/null && break; sleep 0.1; done

cat >"$tmp/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello to the fleet."}],"max_tokens":10}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "none")
LUA

to_ms() { # "123.45us" | "1.23ms" | "1.2s" -> ms
    awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v+0 } else { sub(/s$/,"",v); print v*1000 } }'
}
latency() { # port token -> "p50 p99" in ms at one connection
    local out
    out=$(TOKEN=$2 wrk -t1 -c1 -d"${secs}s" --latency -s "$tmp/post.lua" "http://127.0.0.1:$1/v1/chat/completions")
    echo "$(to_ms "$(echo "$out" | awk '$1=="50%"{print $2}')") $(to_ms "$(echo "$out" | awk '$1=="99%"{print $2}')")"
}
throughput() { # port token -> requests/s at 32 connections
    TOKEN=$2 wrk -t2 -c32 -d"${secs}s" -s "$tmp/post.lua" "http://127.0.0.1:$1/v1/chat/completions" \
        | awk '/Requests\/sec/{print $2}'
}
streams() { "$bench" streams --port "$1" --token "$2" --streams 20; }

echo "latency (1 connection, ${secs}s each)..."
read -r d50 d99 < <(latency "$up" x)
read -r n50 n99 < <(latency "$ngx" x)
read -r g50 g99 < <(latency "$gw" "$token")
echo "throughput (32 connections, ${secs}s each)..."
dt=$(throughput "$up" x)
nt=$(throughput "$ngx" x)
gt=$(throughput "$gw" "$token")
echo "20 concurrent streams..."
ds=$(streams "$up" x)
ns=$(streams "$ngx" x)
gs=$(streams "$gw" "$token")
sleep 1.5 # one more stats publication
metered=$(grep "gateway stats" "$tmp/gateway.err" | tail -1 || true)

export d50 d99 n50 n99 g50 g99 dt nt gt ds ns gs secs metered
python3 - "$top/docs/benchmarks/gateway.md" <<'PY'
import json, sys, platform, os, datetime
e = os.environ
d50, d99, n50, n99, g50, g99 = (float(e[k]) for k in "d50 d99 n50 n99 g50 g99".split())
dt, nt, gt = (float(e[k]) for k in "dt nt gt".split())
ds, ns, gs = json.loads(e["ds"]), json.loads(e["ns"]), json.loads(e["gs"])
ok = lambda b: "met" if b else "**missed**"
ratio = gt / nt if nt else 0
rows = [
 ("p50 added latency (1 connection)", f"{n50-d50:.3f} ms", f"{g50-d50:.3f} ms", "< 0.3 ms", ok(g50-d50 < 0.3)),
 ("p99 added latency (1 connection)", f"{n99-d99:.3f} ms", f"{g99-d99:.3f} ms", "< 2 ms", ok(g99-d99 < 2)),
 ("throughput (32 connections)", f"{nt:.0f} req/s", f"{gt:.0f} req/s ({ratio*100:.0f} % of nginx)", ">= 80 % of nginx", ok(ratio >= 0.8)),
 ("20 streams: chunk delay p50 (upstream send -> client)", f"{ns['p50_ms']:.3f} ms", f"{gs['p50_ms']:.3f} ms", "", ""),
 ("20 streams: chunk delay p99", f"{ns['p99_ms']:.3f} ms", f"{gs['p99_ms']:.3f} ms", "< 5 ms", ok(gs['p99_ms'] < 5)),
 ("20 streams: chunk delay max", f"{ns['max_ms']:.3f} ms", f"{gs['max_ms']:.3f} ms", "< 5 ms", ok(gs['max_ms'] < 5)),
]
with open(sys.argv[1], "w") as f:
    f.write("# Gateway benchmark: Drover's gateway vs nginx\n\n")
    f.write("Written by `tests/bench/gateway_vs_nginx.sh` (run it again to refresh). Both proxies sit on loopback in\n"
            "front of the same fake OpenAI upstream (`drover-gateway-bench upstream`); the load tool is wrk for\n"
            "both. nginx runs one worker as a plain reverse proxy (keep-alive upstream pool, no buffering, a fixed\n"
            "Authorization header); the gateway authenticates the per-replica token, swaps in the provider key\n"
            "from the keychain, admits every request against a (huge) token bucket and meters usage.\n\n")
    f.write(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs (shared with other work), {platform.platform()}; "
            f"{datetime.date.today().isoformat()}; {e['secs']} s per run.\n\n")
    f.write("| measure | nginx | gateway | goal | |\n|---|---|---|---|---|\n")
    for r in rows:
        f.write("| " + " | ".join(r) + " |\n")
    f.write(f"\nDirect to the upstream (baseline): p50 {d50:.3f} ms, p99 {d99:.3f} ms, {dt:.0f} req/s; "
            f"streams chunk delay p50 {ds['p50_ms']:.3f} ms, p99 {ds['p99_ms']:.3f} ms, max {ds['max_ms']:.3f} ms "
            f"({ds['chunks']} chunks).\n")
    f.write(f"Chunks counted through nginx / gateway: {ns['chunks']} / {gs['chunks']}.\n\n")
    f.write("Gateway's last stats line: `" + e["metered"].strip() + "`\n")
print(open(sys.argv[1]).read())
PY
