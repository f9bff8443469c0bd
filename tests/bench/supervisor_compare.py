#!/usr/bin/python3
"""Compact Drover vs PM2 vs supervisord table from measure.sh's raw.jsonl (plus Drover's rows).

  supervisor_compare.py RAW.jsonl [N] [M]

Prints a markdown table of medians with the ratios Drover/PM2 and Drover/supervisord, then
the goals, each marked met or NOT MET. Every figure is a median over the records of one run
(pmprobe.py's records: ready_ms, restart_ms, cpu_pct, rss_kb_max). Exit status 0 either way:
a missed goal is a result, not a failure of the benchmark.
"""
import json
import statistics
import sys

MGRS = ("drover", "pm2", "sv")
# supervisord has no scale verb; measure.sh times three ways to change its replica count.
SV_UP = (("up_slots", "spare slots"), ("up_group", "2nd group"), ("up_update", "numprocs+update"))
SV_DOWN = (("down_slots", "spare slots"), ("down_group", "2nd group"), ("down_update", "numprocs+update"))


def load(path):
    vals, recs = {}, {}
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        rec = json.loads(line)
        recs.setdefault((rec["mgr"], rec["label"]), []).append(rec["data"])
        for k, v in rec["data"].items():
            if isinstance(v, bool):
                continue
            if isinstance(v, (int, float)):
                vals.setdefault((rec["mgr"], rec["label"], k), []).append(v)
            elif isinstance(v, list):
                vals.setdefault((rec["mgr"], rec["label"], k), []).extend(v)
    return vals, recs


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    m = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    vals, recs = load(path)

    def med(mgr, labels, key):
        v = []
        for label in labels:
            v += vals.get((mgr, label, key), [])
        return (statistics.median(v), len(v)) if v else (None, 0)

    def best_sv(variants, key):
        """The fastest supervisord variant (lowest median): the comparison it would choose."""
        best = (None, 0, "")
        for label, name in variants:
            v, cnt = med("sv", [label], key)
            if v is not None and (best[0] is None or v < best[0]):
                best = (v, cnt, name)
        return best

    rows = []  # (measure, unit, {mgr: (median, n, note)})

    def row(measure, unit, key, labels, sv=None, scale=1.0):
        cells = {}
        for mgr in ("drover", "pm2"):
            v, cnt = med(mgr, labels, key)
            cells[mgr] = (None if v is None else v * scale, cnt, "")
        if sv is None:
            v, cnt = med("sv", labels, key)
            cells["sv"] = (None if v is None else v * scale, cnt, "")
        else:
            v, cnt, note = best_sv(sv, key)
            cells["sv"] = (None if v is None else v * scale, cnt, note)
        rows.append((measure, unit, cells))
        return cells

    row("manager start + %d running (cold)" % n, "ms", "ready_ms", ["cold"])
    start = row("command to %d running" % n, "ms", "ready_ms", ["start"])
    restart = row("kill -9 to replacement running", "ms", "restart_ms", ["restart"])
    up = row("scale %d -> %d" % (n, m), "ms", "ready_ms", ["scale_up"], sv=SV_UP)
    down = row("scale %d -> %d" % (m, n), "ms", "ready_ms", ["scale_down"], sv=SV_DOWN)
    stop = row("stop of %d" % n, "ms", "ready_ms", ["stop"])
    idle = row("manager CPU, %d replicas, sampled at 1 Hz (idle)" % n, "%", "cpu_pct", ["idle"])
    polled = row("manager CPU while polled for status at 1 Hz", "%", "cpu_pct", ["idle_polled"])
    rss = row("manager RSS (max over idle runs)", "MB", "rss_kb_max", ["idle", "idle_polled"],
              scale=1 / 1024)

    def fmt(v, unit):
        if v is None:
            return "-"
        if unit == "%":
            return "%.3f %%" % v
        if unit == "MB":
            return "%.1f MB" % v
        return ("%.1f ms" % v) if v < 100 else ("%.0f ms" % v)

    def ratio(a, b):
        if a is None or b is None:
            return "-"
        if b == 0:
            return "0/0" if a == 0 else "inf"
        return "%.2f" % (a / b)

    print("| measure | Drover | PM2 | supervisord | Drover/PM2 | Drover/supervisord |")
    print("|---|---|---|---|---|---|")
    for measure, unit, cells in rows:
        d, p, s = cells["drover"], cells["pm2"], cells["sv"]
        sv_cell = fmt(s[0], unit) + (" (%s)" % s[2] if s[2] else "")
        print("| %s | %s | %s | %s | %s | %s |" % (measure, fmt(d[0], unit), fmt(p[0], unit), sv_cell,
                                                   ratio(d[0], p[0]), ratio(d[0], s[0])))
    print("\nSamples per median (Drover/PM2/supervisord): %s." % "; ".join(
        "%d/%d/%d" % (c["drover"][1], c["pm2"][1], c["sv"][1]) for _, _, c in rows))
    slow = ["%s %d of %d" % (name, sum(x > 500 for x in vals.get((mgr, "restart", "restart_ms"), [])),
                              len(vals.get((mgr, "restart", "restart_ms"), [])))
            for mgr, name in (("drover", "Drover"), ("pm2", "PM2"), ("sv", "supervisord"))]
    print("kill -9 trials over 500 ms: %s (Drover restarts a replica's first crash at once and "
          "backs off 1 s, 2 s, 4 s ... when the same replica "
          "crashes again within 60 s of being ready; the probe picks victims at random)." % ", ".join(slow))
    print("supervisord has no scale verb: its scale rows show the fastest of its three ways "
          "(spare slots, a 2nd group, numprocs + reread/update); all three are in the full table.")

    # Scale-up must leave the N running replicas alone: every record keeps all N (survivors)
    # and the count never dips below N while it grows.
    up_recs = recs.get(("drover", "scale_up"), [])
    undisturbed = None if not up_recs else all(r.get("survivors") == n and r.get("min_seen", 0) >= n
                                        for r in up_recs)
    surv = ",".join(str(r.get("survivors")) for r in up_recs)
    dips = ",".join(str(r.get("min_seen")) for r in up_recs)

    def lt(a, b, factor=1.0):
        if a is None or b is None:
            return None
        return a < b * factor

    goals = [
        ("command to %d running < half of PM2's" % n, lt(start["drover"][0], start["pm2"][0], 0.5)),
        ("kill -9 to replacement < PM2's", lt(restart["drover"][0], restart["pm2"][0])),
        ("scale %d -> %d < half of PM2's" % (n, m), lt(up["drover"][0], up["pm2"][0], 0.5)),
        ("scale %d -> %d leaves the %d running (survivors %s; min seen %s)" % (n, m, n, surv, dips),
         undisturbed),
        ("scale %d -> %d < supervisord's (%s)" % (m, n, down["sv"][2]), lt(down["drover"][0], down["sv"][0])),
        ("stop of %d < supervisord's" % n, lt(stop["drover"][0], stop["sv"][0])),
        ("CPU with %d replicas sampled at 1 Hz < supervisord's while polled at 1 Hz (%s vs %s)"
         % (n, fmt(idle["drover"][0], "%"), fmt(polled["sv"][0], "%")),
         lt(idle["drover"][0], polled["sv"][0])),
        ("RSS < PM2's", lt(rss["drover"][0], rss["pm2"][0])),
    ]
    print("\n| goal (medians, same run) | result |")
    print("|---|---|")
    for text, ok in goals:
        print("| %s | %s |" % (text, {True: "met", False: "**NOT MET**", None: "no data"}[ok]))
    met = sum(ok is True for _, ok in goals)
    print("\n%d of %d goals met." % (met, len(goals)))


if __name__ == "__main__":
    main()
