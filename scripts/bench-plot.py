#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# After `make bench`: draw OUTDIR/results.json as SVG plots with gnuplot.
# Only what the bench measured is drawn (medians over its repetitions, the
# bars from the lowest to the highest sample); a peer a case did not run is
# left out of that case.
#
# Usage: scripts/bench-plot.py OUTDIR   (writes OUTDIR/plot-*.svg; the data
#        and the gnuplot script it ran stay in OUTDIR/plot/)

import json
import math
import os
import shutil
import subprocess
import sys

# Round trip against message size: the sizes the rtt case runs.
RTT_SIZES = [(64, "rtt-64B"), (4096, "rtt-4KiB"), (65536, "rtt-64KiB")]
# Round trip per peer, one group per condition.
RTT_GROUPS = [("64 B, answered at once", "rtt-64B"),
              ("64 B, peer works 300 us", "rtt-64B-slow300us"),
              ("64 B, 1 CPU hog per CPU", "rtt-64B-load1"),
              ("64 B, 2 CPU hogs per CPU", "rtt-64B-load2"),
              ("4 KiB", "rtt-4KiB"),
              ("64 KiB", "rtt-64KiB")]
# CPU per operation (user + system of every process of the case).
CPU_GROUPS = [("rtt 64 B", "rtt-64B-cpu"),
              ("rtt 64 B, slow peer\\n(beyond the work)",
               "rtt-64B-slow300us-cpu-beyond-work"),
              ("rtt 64 B, load 1", "rtt-64B-load1-cpu"),
              ("rtt 64 B, load 2", "rtt-64B-load2-cpu"),
              ("rtt 4 KiB", "rtt-4KiB-cpu"),
              ("rtt 64 KiB", "rtt-64KiB-cpu"),
              ("one-way 64 B", "tput-64B-cpu"),
              ("sem ping-pong", "sem-pingpong-cpu")]


def die(msg):
    print("bench-plot: " + msg, file=sys.stderr)
    sys.exit(1)


def spread(r, impl):
    """Median, lowest and highest sample of @impl in result @r."""
    med = r["median"].get(impl)
    s = [v for v in r.get("samples", {}).get(impl, [])
         if v is not None and math.isfinite(v)]
    if med is None or not math.isfinite(med):
        return None
    return (med, min(s) if s else med, max(s) if s else med)


def peers_of(results, names):
    """Peers in first-seen order over the cases @names."""
    out = []
    for n in names:
        for impl in results.get(n, {}).get("median", {}):
            if impl not in out:
                out.append(impl)
    return out


def q(s):
    return '"' + s.replace('"', '\\"') + '"'


def histogram(plot, results, groups, ylabel, title, svg, gp):
    """A clustered bar chart: one cluster per case, one bar per peer."""
    names = [n for _, n in groups if n in results]
    if not names:
        return False
    peers = peers_of(results, names)
    lines = ["# group " + " ".join("%s %s-lo %s-hi" % (p, p, p)
                                   for p in peers)]
    for label, n in groups:
        if n not in results:
            continue
        row = [q(label)]
        for p in peers:
            v = spread(results[n], p)
            row += ["NaN"] * 3 if v is None else ["%g" % x for x in v]
        lines.append(" ".join(row))
    dat = os.path.join(plot, os.path.basename(svg)[:-4] + ".dat")
    with open(dat, "w") as f:
        f.write("\n".join(lines) + "\n")
    cols = ", ".join(
        "%s using %d:%d:%d%s title %s" %
        (q(dat) if i == 0 else "''", 2 + 3 * i, 3 + 3 * i, 4 + 3 * i,
         ":xtic(1)" if i == 0 else "", q(p))
        for i, p in enumerate(peers))
    gp += ["",
           "set output %s" % q(svg),
           "set title %s" % q(title),
           "set style data histogram",
           "set style histogram errorbars gap 2 lw 1",
           "set style fill solid 0.8 border -1",
           "set boxwidth 0.9",
           "set xtics rotate by -30 scale 0",
           "set logscale y",
           "unset logscale x",
           "set format x '%g'",
           "set xlabel ''",
           "set ylabel %s" % q(ylabel),
           "set key outside right top",
           "plot " + cols]
    return True


def main():
    if len(sys.argv) != 2:
        die("usage: bench-plot.py OUTDIR")
    out = sys.argv[1]
    try:
        with open(os.path.join(out, "results.json")) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        die("%s/results.json: %s" % (out, e))
    if not shutil.which("gnuplot"):
        die("gnuplot is not installed (Debian gnuplot-nox; make deps)")
    results = {r["case"]: r for r in doc["results"]}
    plot = os.path.join(out, "plot")
    os.makedirs(plot, exist_ok=True)
    sub = "kernel %s, %d repetitions%s" % (
        doc.get("kernel", "?"), doc.get("reps", 0),
        ", smoke run" if doc.get("smoke") else "")
    gp = ["set terminal svg size 960,540 dynamic font 'sans,11'",
          "set datafile missing 'NaN'",
          "set grid ytics"]
    # Fourteen distinguishable colours: gnuplot's default cycle has eight,
    # and the CPU plot has thirteen peers.
    for i, c in enumerate(["#9400d3", "#009e73", "#56b4e9", "#e69f00",
                           "#f0e442", "#0072b2", "#e51e10", "#000000",
                           "#a0a0a0", "#8b4513", "#ff69b4", "#2f4f4f",
                           "#7fbf00", "#000080"]):
        gp.append("set linetype %d lc rgb '%s' lw %d" %
                  (i + 1, c, 2 if i < 2 else 1))
    gp.append("set linetype cycle 14")
    svgs = []

    # Round trip against message size, one line per peer.
    have = [(sz, n) for sz, n in RTT_SIZES if n in results]
    if have:
        peers = peers_of(results, [n for _, n in have])
        svg = os.path.join(out, "plot-rtt-size.svg")
        plots = []
        for p in peers:
            dat = os.path.join(plot, "rtt-size-%s.dat" % p)
            with open(dat, "w") as f:
                f.write("# bytes median lowest highest (us)\n")
                for sz, n in have:
                    v = spread(results[n], p)
                    if v:
                        f.write("%d %g %g %g\n" % ((sz,) + v))
            plots.append("%s using 1:2:3:4 with yerrorlines title %s" %
                         (q(dat), q(p)))
        gp += ["",
               "set output %s" % q(svg),
               "set title %s" % q("Round trip against message size (" +
                                  sub + ")"),
               "set logscale xy 2",
               "set xtics (%s)" % ", ".join(
                   "'%s' %d" % (n.split("-")[1], sz) for sz, n in have),
               "set xrange [%d:%d]" % (have[0][0] / 2, have[-1][0] * 2),
               "set xlabel 'message size'",
               "set ylabel 'round trip (us, median; bars: lowest to highest sample)'",
               "set key outside right top",
               "plot " + ", ".join(plots),
               "unset logscale xy", "set xtics auto", "set autoscale x"]
        svgs.append(svg)

    svg = os.path.join(out, "plot-rtt-peers.svg")
    if histogram(plot, results, RTT_GROUPS,
                 "round trip (us, median; bars: lowest to highest sample)",
                 "Round trip by peer (" + sub + ")", svg, gp):
        svgs.append(svg)
    svg = os.path.join(out, "plot-cpu.svg")
    if histogram(plot, results, CPU_GROUPS,
                 "CPU per operation, all processes (us, median)",
                 "CPU per operation by peer (" + sub + ")", svg, gp):
        svgs.append(svg)
    # One-way throughput: the bench runs batch 1 for every peer and batch
    # 64 for kipc (kipc-vec64), both with 64 B messages.
    svg = os.path.join(out, "plot-tput.svg")
    if histogram(plot, results,
                 [("64 B (kipc-vec64: 64 per call,\\nothers 1 per call)",
                   "tput-64B")],
                 "one-way throughput (thousand messages/s, median)",
                 "One-way 64 B throughput by peer and batch (" + sub + ")",
                 svg, gp):
        svgs.append(svg)

    if not svgs:
        print("# plot: none (the run measured none of the plotted cases)")
        return
    script = os.path.join(plot, "plots.gp")
    with open(script, "w") as f:
        f.write("\n".join(gp) + "\n")
    r = subprocess.run(["gnuplot", script])
    if r.returncode:
        die("gnuplot failed on %s" % script)
    for s in svgs:
        print("# plot: " + s)


if __name__ == "__main__":
    main()
