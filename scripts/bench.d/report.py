#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the benchmark guest's console log into bench/REPORT.md and report.png.

Run by scripts/bench (or `scripts/bench --report-only LOG`).  Reads the
lines that scripts/bench.d/init, bench/scullv_bench.c and
bench/scullv_allocbench.c print, computes medians and spreads, checks the
targets of the benchmark issue, and writes the report.  Figures are
reported, never asserted: the exit status is 0 whatever they are, 1 only
when the log has no data.
"""

import argparse
import collections
import os
import re
import statistics
import sys

MIB = 1024 * 1024
BLOCK_NAMES = {4096: "4 KiB", 65536: "64 KiB", 1048576: "1 MiB"}
SEQ_TESTS = ("fill", "rewrite", "read")


def bname(bs):
    bs = int(bs)
    if bs in BLOCK_NAMES:
        return BLOCK_NAMES[bs]
    if bs % MIB == 0:
        return "%d MiB" % (bs // MIB)
    return "%d KiB" % (bs // 1024)


def size_name(n):
    n = int(n)
    if n >= MIB:
        return "%d MiB" % (n // MIB)
    return "%d KiB" % (n // 1024)


def parse(console_path):
    d = {
        "bench": collections.defaultdict(list),   # (test,target,order,bs) -> [(rep, bytes, ns, calls, short)]
        "alloc": {},                              # (alloc, mode, order) -> dict
        "alloc_notes": [],
        "info": [],
        "kmsg": [],
        "prog_info": [],
        "fails": [],
        "clocksource_lines": [],
        "cs_start": None,
        "cs_end": None,
        "end": False,
        "wlat": [],                               # dicts from WLAT lines
        "faults": collections.defaultdict(list),  # (test,target,order) -> [(faults, pages)]
    }
    ansi = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
    with open(console_path, errors="replace") as f:
        for raw in f:
            line = ansi.sub("", raw.rstrip("\n"))
            if "clocksource: Switched to clocksource" in line and not line.startswith("KMSG"):
                d["clocksource_lines"].append(re.sub(r"^\[[ 0-9.]*\] ", "", line))
            if line.startswith("BENCH "):
                f_ = line.split()
                if len(f_) != 10:
                    continue
                _, test, target, order, bs, rep, nbytes, ns, calls, short = f_
                key = (test, target, order, int(bs))
                d["bench"][key].append((int(rep), int(nbytes), int(ns), int(calls), int(short)))
            elif line.startswith("ALLOC "):
                f_ = line.split()
                if len(f_) == 9 and f_[3].isdigit():
                    _, alloc, mode, order, nbytes, n, med, mn, mx = f_
                    d["alloc"][(alloc, mode, int(order))] = {
                        "bytes": int(nbytes), "n": int(n), "median": int(med),
                        "min": int(mn), "max": int(mx)}
                else:
                    d["alloc_notes"].append(line[6:])
            elif line.startswith("BENCH-INFO "):
                d["info"].append(line[11:])
            elif line.startswith("BENCH-CLOCKSOURCE "):
                f_ = line.split()
                if f_[1] == "start":
                    d["cs_start"] = " ".join(f_[2:])
                else:
                    d["cs_end"] = f_[2] if len(f_) > 2 else None
            elif line.startswith("WLAT "):
                f_ = line.split()
                if len(f_) == 9:
                    keys = ("order", "readers", "writes", "median", "p90", "max", "reads", "read_ns")
                    d["wlat"].append(dict(zip(keys, (int(x) for x in f_[1:]))))
            elif line.startswith("FAULTS "):
                f_ = line.split()
                if len(f_) == 7:
                    d["faults"][(f_[1], f_[2], f_[3])].append((int(f_[5]), int(f_[6])))
            elif line.startswith("KMSG "):
                d["kmsg"].append(line[5:])
            elif line.startswith("INFO "):
                d["prog_info"].append(line[5:])
            elif line.startswith("BENCH-FAIL") or line.startswith("CHECK FAIL"):
                d["fails"].append(line)
            elif line == "BENCH-END":
                d["end"] = True
    return d


def read_meta(path):
    meta = {}
    if path and os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    meta[k] = v
    return meta


class Stats:
    """Throughput of one (test, target, order, bs) over its repetitions."""

    def __init__(self, runs):
        self.runs = sorted(runs)
        self.mibs = [b / MIB / (ns / 1e9) for (_, b, ns, _, _) in self.runs]
        self.by_rep = {r: b / MIB / (ns / 1e9) for (r, b, ns, _, _) in self.runs}
        self.median = statistics.median(self.mibs)
        self.min = min(self.mibs)
        self.max = max(self.mibs)
        self.calls = [c for (_, _, _, c, _) in self.runs]
        self.shorts = [s for (_, _, _, _, s) in self.runs]
        self.bytes = self.runs[0][1]

    def cell(self):
        return "%s (%s–%s)" % (fmt(self.median), fmt(self.min), fmt(self.max))


def fmt(x):
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    return "%.2f" % x


def ratio_fmt(r):
    return "%.2fx" % r


class Data:
    def __init__(self, d):
        self.d = d
        self.s = {k: Stats(v) for k, v in d["bench"].items() if v}

    def get(self, test, target, order, bs):
        return self.s.get((test, target, str(order), int(bs)))

    def orders(self):
        return sorted({int(k[2]) for k in self.s if k[2] != "-"})

    def blocks(self, test="read"):
        return sorted({k[3] for k in self.s if k[0] == test})

    def ratio(self, a, b):
        """Median and range of the per-repetition ratios a/b.

        Each repetition measured a and b interleaved, under the same host
        conditions, so each repetition's ratio is a fair comparison even
        when the host's speed changed between repetitions.
        """
        if not a or not b:
            return None
        paired = [a.by_rep[r] / b.by_rep[r] for r in a.by_rep if r in b.by_rep]
        if not paired:
            paired = [a.median / b.median]
        return (statistics.median(paired), min(paired), max(paired))


def rcell(r):
    if r is None:
        return "n/a"
    return "**%s** (%s–%s)" % (ratio_fmt(r[0]), ratio_fmt(r[1]), ratio_fmt(r[2]))


# --------------------------------------------------------------- targets

def targets(data):
    """List of (name, measured ratio tuple, goal, kind, note)."""
    out = []
    o = 4
    mb = MIB
    out.append(("order 4, 1 MiB blocks: fill vs tmpfs write (fill)",
                data.ratio(data.get("fill", "scullv", o, mb), data.get("fill", "tmpfs", o, mb)),
                1.7, ">="))
    # Issue 15: readers in parallel, the ceiling, mmap, sendfile.
    for order in data.orders():
        counts = reader_counts(data, order)
        if 1 in counts and 2 in counts:
            out.append(("order %d: 2 readers vs 1 reader, scullv aggregate" % order,
                        data.ratio(data.get("readers-2", "scullv", order, mb),
                                   data.get("readers-1", "scullv", order, mb)), 1.7, ">="))
        for n in counts:
            out.append(("order %d: %d reader%s, scullv vs ceiling" % (order, n, "s" if n > 1 else ""),
                        data.ratio(data.get("readers-%d" % n, "scullv", order, mb),
                                   data.get("readers-%d" % n, "ceiling", order, mb)), 0.9, ">="))
        mbs = sorted({k[3] for k in data.s if k[0] == "mmap-touch" and k[2] == str(order)})
        for bs in mbs:
            out.append(("order %d: mmap first touch vs tmpfs" % order,
                        data.ratio(data.get("mmap-touch", "scullv", order, bs),
                                   data.get("mmap-touch", "tmpfs", order, bs)), 1.0, ">="))
        sbs = sorted({k[3] for k in data.s if k[0] == "sendfile" and k[2] == str(order)})
        for bs in sbs:
            out.append(("order %d: sendfile to a tmpfs file vs tmpfs's" % order,
                        data.ratio(data.get("sendfile", "scullv", order, bs),
                                   data.get("sendfile", "tmpfs", order, bs)), 1.0, ">="))
    for bs in data.blocks("fill"):
        for t in SEQ_TESTS:
            r = baseline_ratio(data, t, o, bs)
            if r:
                out.append(("order 4, %s blocks: %s vs tmpfs, against the baseline driver's"
                            % (bname(bs), t), r, 0.95, ">="))
    # Issue 15 dropped the read targets against tmpfs and /dev/zero: one
    # reader already moves data at the copy's own speed (the ceiling's).
    for bs in data.blocks("fill"):
        for t in ("fill", "rewrite"):
            out.append(("order 4, %s blocks: %s vs tmpfs %s" % (bname(bs), t, t),
                        data.ratio(data.get(t, "scullv", o, bs), data.get(t, "tmpfs", o, bs)),
                        1.3, ">="))
    for order in data.orders():
        for bs in data.blocks("read-far"):
            out.append(("order %d, %s blocks: read at offset 512 MiB vs at 0" % (order, bname(bs)),
                        data.ratio(data.get("read-far", "scullv", order, bs),
                                   data.get("read-near", "scullv", order, bs)),
                        1.1, "within"))
    return out


def reader_counts(data, order):
    return sorted({int(k[0].split("-")[1]) for k in data.s
                   if k[0].startswith("readers-") and k[2] == str(order)})


def baseline_ratio(data, test, order, bs):
    """Median scullv/tmpfs ratio now over the baseline driver's, measured later.

    The two runs did not share their repetitions, so the range is the
    spread of this driver's paired ratios over the baseline's median.
    """
    now = data.ratio(data.get(test, "scullv", order, bs), data.get(test, "tmpfs", order, bs))
    base = data.ratio(data.get(test, "scullv-base", order, bs),
                      data.get(test, "tmpfs-base", order, bs))
    if not now or not base:
        return None
    return (now[0] / base[0], now[1] / base[0], now[2] / base[0])


def met(r, goal, kind):
    if r is None:
        return None
    if kind == ">=":
        return r[0] >= goal
    return 1 / goal <= r[0] <= goal


def shortfall(r, goal, kind):
    if r is None:
        return "not measured"
    if kind == ">=":
        if r[0] >= goal:
            return "met, %.0f%% above" % ((r[0] / goal - 1) * 100)
        return "missed by %.0f%% (%.2fx short)" % ((1 - r[0] / goal) * 100, goal - r[0])
    dev = max(r[0], 1 / r[0])
    if dev <= goal:
        return "met (%.1f%% apart)" % ((dev - 1) * 100)
    return "missed: %.1f%% apart" % ((dev - 1) * 100)


def syscall_check(data):
    """Every scullv read/write call moved the whole block?"""
    rows = []
    ok = True
    for (test, target, order, bs), st in sorted(data.s.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][3])):
        if target != "scullv" or test not in SEQ_TESTS + ("read-near", "read-far"):
            continue
        blocks = st.bytes // bs
        calls = max(st.calls)
        shorts = max(st.shorts)
        good = calls == blocks and shorts == 0
        ok = ok and good
        rows.append((order, test, bs, blocks, calls, shorts, st.bytes / max(st.calls), good))
    return ok, rows


# ------------------------------------------------------------- allocator

ALLOC_ROWS = [
    ("kmalloc", "alloc+free"), ("kmalloc", "alloc+zero+free"),
    ("__get_free_pages", "alloc+free"), ("__get_free_pages", "alloc+zero+free"),
    ("vmalloc", "alloc+free"), ("vmalloc", "alloc+zero+free"),
    ("vzalloc", "alloc+free"),
    ("kvmalloc", "alloc+free"), ("kvmalloc", "alloc+zero+free"),
]


def alloc_orders(d):
    return sorted({k[2] for k in d["alloc"]})


def am(d, alloc, mode, order):
    e = d["alloc"].get((alloc, mode, order))
    return e["median"] if e else None


def seed_claims(d):
    """One sentence per LDD3 claim, from the allocator table."""
    orders = alloc_orders(d)
    if not orders:
        return ["The allocator module produced no figures."]
    out = []

    # 1. kmalloc is faster than vmalloc.
    faster = [o for o in orders
              if am(d, "kmalloc", "alloc+free", o) is not None
              and am(d, "vmalloc", "alloc+free", o) is not None
              and am(d, "kmalloc", "alloc+free", o) < am(d, "vmalloc", "alloc+free", o)]
    ratios = ["order %d: %.1fx" % (o, am(d, "vmalloc", "alloc+free", o) / am(d, "kmalloc", "alloc+free", o))
              for o in orders if am(d, "kmalloc", "alloc+free", o)]
    zr = ["order %d: %.2fx" % (o, am(d, "vzalloc", "alloc+free", o) / am(d, "kmalloc", "alloc+zero+free", o))
          for o in orders if am(d, "kmalloc", "alloc+zero+free", o) and am(d, "vzalloc", "alloc+free", o)]
    verdict = ("borne out at every order measured" if len(faster) == len(orders)
               else "borne out at orders %s only" % ", ".join(map(str, faster)) if faster
               else "not borne out")
    out.append("**\"kmalloc is faster than vmalloc\"**: %s. vmalloc+vfree costs %s the time of "
               "kmalloc+kfree (%s); once the memory is also zeroed, vzalloc costs %s the time of "
               "kmalloc+memset, because zeroing is most of the work at the larger sizes. "
               "Above KMALLOC_MAX_CACHE_SIZE (8 KiB, order 1) kmalloc is kmalloc_large(), "
               "i.e. the page allocator plus a little bookkeeping, which is why its cost tracks "
               "__get_free_pages there."
               % (verdict, "/".join(r.split(": ")[1] for r in ratios), ", ".join(ratios),
                  "/".join(r.split(": ")[1] for r in zr)))

    # 2. vmalloc faster than __get_free_pages for several pages, slower for one.
    def vg(mode_v, mode_g, o):
        v = am(d, "vmalloc" if mode_v == "alloc+free" else "vzalloc", "alloc+free", o) \
            if mode_v in ("alloc+free", "vzalloc") else am(d, "vmalloc", mode_v, o)
        g = am(d, "__get_free_pages", mode_g, o)
        return v, g
    one_v, one_g = am(d, "vmalloc", "alloc+free", 0), am(d, "__get_free_pages", "alloc+free", 0)
    several = [o for o in orders if o >= 1]
    v_wins = [o for o in several
              if am(d, "vmalloc", "alloc+free", o) < am(d, "__get_free_pages", "alloc+free", o)]
    z_wins = [o for o in several
              if am(d, "vzalloc", "alloc+free", o) < am(d, "__get_free_pages", "alloc+zero+free", o)]
    parts = ["order %d %.1fx" % (o, am(d, "vmalloc", "alloc+free", o) / am(d, "__get_free_pages", "alloc+free", o))
             for o in orders]
    zparts = ["order %d %.2fx" % (o, am(d, "vzalloc", "alloc+free", o) / am(d, "__get_free_pages", "alloc+zero+free", o))
              for o in orders]
    first = ("slower for one page: borne out (%d ns against %d ns, %.1fx)"
             % (one_v, one_g, one_v / one_g)) if one_v > one_g else \
        "slower for one page: not borne out (%d ns against %d ns)" % (one_v, one_g)
    second = ("faster for several pages: not borne out: vmalloc is slower than __get_free_pages "
              "of the same order at every order from 1 up" if not v_wins else
              "faster for several pages: borne out at orders %s" % ", ".join(map(str, v_wins)))
    out.append("**\"vmalloc is faster than __get_free_pages for several pages, slower for one, "
               "because it builds page tables\"**: %s; %s (vmalloc/__get_free_pages, "
               "allocate+free: %s). A contiguous order-n block comes off the buddy free lists "
               "in one step, while vmalloc allocates 2^n separate pages (bulk, order 0), finds "
               "a virtual range in its area tree, writes 2^n PTEs and on free queues the range "
               "for a lazy TLB flush, so its cost grows with the page count. With zeroing "
               "(vzalloc against __get_free_pages+memset: %s) the gap %s, since both write every "
               "byte once. %s"
               % (first, second, ", ".join(parts), ", ".join(zparts),
                  "closes" if am(d, "vzalloc", "alloc+free", orders[-1]) / am(d, "__get_free_pages", "alloc+zero+free", orders[-1]) < 1.5 else "narrows",
                  "What the book may have had in mind holds in a different sense: __get_free_pages "
                  "needs physically contiguous memory, which a fragmented machine may not have at "
                  "high orders, where vmalloc still succeeds; nothing here fragments memory, so "
                  "this run cannot show that."))

    # 3. vmalloc is for large buffers.
    lo, hi = orders[0], orders[-1]
    over_lo = am(d, "vmalloc", "alloc+free", lo) - am(d, "__get_free_pages", "alloc+free", lo)
    over_hi = am(d, "vmalloc", "alloc+free", hi) - am(d, "__get_free_pages", "alloc+free", hi)
    rel_lo = am(d, "vzalloc", "alloc+free", lo) / am(d, "kmalloc", "alloc+zero+free", lo)
    rel_hi = am(d, "vzalloc", "alloc+free", hi) / am(d, "__get_free_pages", "alloc+zero+free", hi)
    out.append("**\"vmalloc is for large buffers\"**: borne out in the sense that its fixed cost "
               "is amortised: for usable (zeroed) memory vzalloc costs %.1fx kmalloc+memset at "
               "%s but %.2fx __get_free_pages+memset at %s, i.e. %.0f ns per page. Its overhead "
               "over the page allocator, without zeroing, is %d ns for %s and %d ns for %s "
               "(%.0f ns per page), so it never gets cheaper than the page allocator, only "
               "relatively less expensive; its real advantage for large buffers is that it "
               "needs no physical contiguity."
               % (rel_lo, size_name(4096 << lo), rel_hi, size_name(4096 << hi),
                  am(d, "vzalloc", "alloc+free", hi) / (1 << hi),
                  over_lo, size_name(4096 << lo), over_hi, size_name(4096 << hi),
                  over_hi / (1 << hi)))
    return out


# ---------------------------------------------------------------- report

def machine_section(d, meta):
    info = d["info"]
    kernel = next((i[len("kernel "):] for i in info if i.startswith("kernel ")), "?")
    cpu = next((i for i in info if i.startswith("cpus ")), "?")
    mem = next((i for i in info if i.startswith("MemTotal")), "?")
    lines = []
    lines.append("| | |")
    lines.append("|---|---|")
    try:
        busy = float(meta.get("host_load_start", "").split()[0]) >= 0.5
    except (ValueError, IndexError):
        busy = None
    lines.append("| host | %s CPUs (`nproc`), %s (`/proc/cpuinfo`), %s memory; load average "
                 "%s before the run, %s after it (%s) |"
                 % (meta.get("host_nproc", "?"), meta.get("host_cpu", "?"),
                    meta.get("host_mem", "?"), meta.get("host_load_start", "?"),
                    meta.get("host_load_end", "?"),
                    "other work was running as it started" if busy else
                    "nothing else ran as it started; the load after it is qemu's own"
                    if busy is False else "load unknown"))
    lines.append("| emulator | %s, **TCG (no KVM)**: `%s` |"
                 % (meta.get("qemu", "?"), meta.get("qemu_cmd", "?").split(" -kernel")[0] + " ..."))
    lines.append("| guest kernel | Linux %s; tinyconfig + `scripts/bench.d/bench.config` "
                 "(no KASAN, lockdep, kmemleak, SLUB or VM debugging; -O2; full SLUB) |" % kernel)
    lines.append("| guest CPU | %s; %s |" % (cpu.replace("cpus ", "").replace(" cpu ", " vCPUs, "), mem))
    lines.append("| clocksource | `%s`; at the start of the benchmark: %s; at the end: %s |"
                 % (d["clocksource_lines"][-1] if d["clocksource_lines"] else "none",
                    d["cs_start"] or "?", d["cs_end"] or "?"))
    lines.append("| scullv | %s; repository at %s |" % (meta.get("tree", "?"), meta.get("repo_commit", "?")))
    lines.append("| when | %s; build %s s, qemu run %s s |"
                 % (meta.get("date", "?"), meta.get("build_secs", "?"), meta.get("run_secs", "?")))
    return lines


def seq_table(data, order):
    blocks = data.blocks("fill")
    lines = ["| test | target | " + " | ".join(bname(b) for b in blocks) + " |",
             "|---|---|" + "---|" * len(blocks)]
    for t in SEQ_TESTS:
        for tgt in ("scullv", "tmpfs"):
            cells = [data.get(t, tgt, order, b) for b in blocks]
            lines.append("| %s | %s | %s |" % (t, tgt, " | ".join(c.cell() if c else "–" for c in cells)))
        lines.append("| %s | **scullv/tmpfs** | %s |"
                     % (t, " | ".join(rcell(data.ratio(data.get(t, "scullv", order, b),
                                                       data.get(t, "tmpfs", order, b))) for b in blocks)))
    zero = [data.get("read", "zero", order, b) for b in blocks]
    lines.append("| read | **scullv//dev/zero** | %s |"
                 % " | ".join(rcell(data.ratio(data.get("read", "scullv", order, b), z))
                              for b, z in zip(blocks, zero)))
    return lines


def write_report(d, meta, out_dir):
    data = Data(d)
    L = []
    quick = meta.get("quick") == "1"
    L.append("# scullv benchmarks")
    L.append("")
    L.append("Generated by `scripts/bench` (%s) from one boot of a benchmark kernel under qemu. "
             "Do not edit: run `scripts/bench` again." % ("**--quick run: not for the record**" if quick else "full run"))
    L.append("")
    L.append("**Only ratios within this one boot mean anything.** qemu ran under TCG, without KVM: "
             "every guest instruction is translated and every memory access goes through qemu's "
             "software MMU, so absolute figures are far below a real machine's, and they move with "
             "the host's load (when other builds share its 2 cores, one repetition can run at a "
             "third of the speed of the next). So the figures that are compared were measured together: "
             "the fill of an empty scullv device and of an empty tmpfs file, the rewrite and the "
             "read of a second device and file, and reads of /dev/zero move their data in 8 MiB "
             "chunks in turn, each stream's time being the sum of its chunks', so all of them "
             "span the same stretch of wall time and a slowdown of the host hits them all. The "
             "mmap and offset measurements are interleaved the same way.")
    L.append("")
    L.append("## Machine")
    L.append("")
    L += machine_section(d, meta)
    L.append("")

    # Targets.
    L.append("## Targets")
    L.append("")
    L.append("Each ratio is the median over the repetitions of that repetition's ratio of "
             "throughputs (higher is better for scullv), with their range in brackets: each "
             "repetition measured scullv and what it is compared with in the same interleaved run.")
    L.append("")
    L.append("| target | measured | goal | verdict |")
    L.append("|---|---|---|---|")
    tlist = targets(data)
    for name, r, goal, kind in tlist:
        m = met(r, goal, kind)
        goal_s = ("≥ %gx" % goal) if kind == ">=" else ("within %gx" % goal)
        L.append("| %s | %s | %s | %s %s |" % (name, rcell(r), goal_s,
                                               "✅" if m else ("❌" if m is False else "–"),
                                               shortfall(r, goal, kind)))
    sc_ok, sc_rows = syscall_check(data)
    L.append("| one read/write call per requested block, at any order | %s | every call moves its whole block | %s |"
             % ("%d of %d runs" % (sum(1 for r in sc_rows if r[7]), len(sc_rows)),
                "✅ met" if sc_ok and sc_rows else "❌ missed"))
    L.append("")
    L += analysis(data, d, tlist)
    L.append("")

    for order in data.orders():
        L.append("## Sequential transfers, order %d (%s quanta, %d MiB per measurement)"
                 % (order, size_name(4096 << order), next(iter(data.s.values())).bytes // MIB))
        L.append("")
        L.append("MiB/s, median (min–max) of %d repetitions; ratios as above."
                 % len(next(iter(data.s.values())).runs))
        L.append("")
        L += seq_table(data, order)
        L.append("")

    # mmap.
    L.append("## mmap")
    L.append("")
    L.append("A fresh `MAP_SHARED` read-only mapping of the whole data each time, then either one "
             "load per page (touch: the cost of the page faults) or a memcpy of everything into a "
             "1 MiB buffer (copy), then munmap. MiB/s of data covered.")
    L.append("")
    L.append("The ceiling device maps its whole buffer at mmap() time with remap_vmalloc_range(), "
             "so its touches take no fault at all; its mmap() call counts in its time.")
    L.append("")
    L.append("| order | test | scullv | tmpfs | ceiling | scullv/tmpfs | scullv/ceiling |")
    L.append("|---|---|---|---|---|---|---|")
    for order in data.orders():
        for t in ("mmap-touch", "mmap-copy"):
            bss = sorted({k[3] for k in data.s if k[0] == t and k[2] == str(order)})
            for bs in bss:
                a, b = data.get(t, "scullv", order, bs), data.get(t, "tmpfs", order, bs)
                c = data.get(t, "ceiling", order, bs)
                L.append("| %d | %s | %s | %s | %s | %s | %s |"
                         % (order, t, a.cell() if a else "–", b.cell() if b else "–",
                            c.cell() if c else "–", rcell(data.ratio(a, b)), rcell(data.ratio(a, c))))
    L.append("")
    fl = d["faults"]
    if fl:
        L.append("Page faults the loads took, median over the repetitions, and pages per fault:")
        L.append("")
        L.append("| order | test | scullv | tmpfs | ceiling |")
        L.append("|---|---|---|---|---|")
        for order in data.orders():
            for t in ("mmap-touch", "mmap-copy"):
                cells = []
                for tgt in ("scullv", "tmpfs", "ceiling"):
                    v = fl.get((t, tgt, str(order)))
                    if not v:
                        cells.append("–")
                        continue
                    m = statistics.median(x[0] for x in v)
                    cells.append("%d (%s)" % (m, "%.1f" % (v[0][1] / m) if m else "no fault"))
                L.append("| %d | %s | %s |" % (order, t, " | ".join(cells)))
        L.append("")

    L += readers_section(data)
    L += sendfile_section(data)
    L += wlat_section(d)
    L += baseline_section(data, d, meta)

    # Offsets.
    L.append("## Read at offset 0 against offset 512 MiB")
    L.append("")
    L.append("The same amount of data written at offset 0 and at offset 512 MiB (nothing between), "
             "then read from each place; which goes first alternates between repetitions. MiB/s.")
    L.append("")
    L.append("| order | block | scullv at 0 | scullv at 512 MiB | far/near | tmpfs at 0 | tmpfs at 512 MiB | far/near |")
    L.append("|---|---|---|---|---|---|---|---|")
    for order in data.orders():
        for bs in data.blocks("read-far"):
            sn, sf = data.get("read-near", "scullv", order, bs), data.get("read-far", "scullv", order, bs)
            tn, tf = data.get("read-near", "tmpfs", order, bs), data.get("read-far", "tmpfs", order, bs)
            L.append("| %d | %s | %s | %s | %s | %s | %s | %s |"
                     % (order, bname(bs), sn.cell() if sn else "–", sf.cell() if sf else "–",
                        rcell(data.ratio(sf, sn)), tn.cell() if tn else "–", tf.cell() if tf else "–",
                        rcell(data.ratio(tf, tn))))
    L.append("")

    # Ceiling.
    L.append("## Transfer ceilings in the same boot")
    L.append("")
    L.append("`/dev/zero` reads are the cheapest kernel-to-user transfer (a clear_user() per call, "
             "no source to read); they ran interleaved with the scullv and tmpfs reads of each "
             "order, so there is one row per order. The userspace memcpy copies from a buffer as large as the data "
             "into a block-sized one, as read() does; under TCG, glibc's vector (SSE2) memcpy is "
             "emulated instruction by instruction by qemu's helpers, so it says more about qemu "
             "than about memory, and it is not comparable with the kernel's `rep movsq` copies.")
    L.append("")
    blocks = data.blocks("read") or data.blocks("memcpy")
    L.append("| | " + " | ".join(bname(b) for b in blocks) + " |")
    L.append("|---|" + "---|" * len(blocks))
    rows = [("read", "zero", o, "/dev/zero read beside order %d" % o) for o in data.orders()]
    rows.append(("memcpy", "user", "-", "userspace memcpy"))
    for test, tgt, order, label in rows:
        cells = [data.get(test, tgt, order, b) for b in blocks]
        L.append("| %s, MiB/s | %s |" % (label, " | ".join(c.cell() if c else "–" for c in cells)))
    L.append("")

    # Syscalls.
    L.append("## Bytes moved per system call (scullv)")
    L.append("")
    L.append("Each read() or write() asked for one whole block; a call that returns less is counted "
             "as short and the rest of the block is asked for again. The largest count over the "
             "repetitions is shown.")
    L.append("")
    sc_bs = sorted({r[2] for r in sc_rows})
    L.append("| order | test | " + " | ".join("%s blocks: calls / blocks, short, bytes per call" % bname(b)
                                             for b in sc_bs) + " |")
    L.append("|---|---|" + "---|" * len(sc_bs))
    cells = collections.OrderedDict()
    for order, test, bs, blocks_, calls, shorts, bpc, good in sc_rows:
        cells.setdefault((order, test), {})[bs] = "%d / %d, %d, %s%s" % (
            calls, blocks_, shorts, size_name(bpc) if bpc >= 1024 else "%d B" % bpc,
            "" if good else " ❌")
    for (order, test), row in cells.items():
        L.append("| %s | %s | %s |" % (order, test, " | ".join(row.get(b, "–") for b in sc_bs)))
    L.append("")

    # Allocator.
    L.append("## Allocator microbenchmark (bench/scullv_allocbench.c)")
    L.append("")
    notes = [n for n in d["alloc_notes"] if n.startswith("begin") or n.startswith("note") or n.startswith("end")]
    L.append("ns per operation in the guest kernel, median (min–max) of the batches. Each batch "
             "is a run of back-to-back allocate(+memset)+free operations of one size, timed with "
             "ktime_get_ns() (TSC), after an unmeasured warm-up batch. Module output: %s."
             % "; ".join("`%s`" % n for n in notes))
    L.append("")
    orders = alloc_orders(d)
    L.append("| allocator | operation | " + " | ".join("order %d (%s)" % (o, size_name(4096 << o)) for o in orders) + " |")
    L.append("|---|---|" + "---|" * len(orders))
    for alloc, mode in ALLOC_ROWS:
        cells = []
        for o in orders:
            e = d["alloc"].get((alloc, mode, o))
            cells.append("%d (%d–%d)" % (e["median"], e["min"], e["max"]) if e else "–")
        label = mode if alloc != "vzalloc" else "alloc(+zero)+free"
        L.append("| %s | %s | %s |" % (alloc, label, " | ".join(cells)))
    L.append("")
    L.append("kmalloc of order 2 and up (above KMALLOC_MAX_CACHE_SIZE, 8 KiB) is served by the page "
             "allocator through kmalloc_large(); kvmalloc first tries kmalloc without retrying and "
             "only falls back to vmalloc when that fails, which never happens on this idle guest, so "
             "its row is kmalloc's plus a little.")
    L.append("")
    L.append("### The book's claims on 6.12")
    L.append("")
    for s in seed_claims(d):
        L.append("- " + s)
    L.append("")

    L.append("## Plot")
    L.append("")
    L.append("![throughput and allocation costs](report.png)")
    L.append("")
    L.append("## How to reproduce")
    L.append("")
    L.append("`scripts/bench` (about %s min on this machine including the build; `--no-build` "
             "reuses the last build, `--help` lists the options). The raw console log is left in "
             "`artifacts/bench-console.log`."
             % ("%.0f" % ((int(meta.get("build_secs", 0)) + int(meta.get("run_secs", 0))) / 60)))
    if d["fails"]:
        L.append("")
        L.append("## Problems in this run")
        L.append("")
        for f in d["fails"]:
            L.append("- `%s`" % f)
    L.append("")
    with open(os.path.join(out_dir, "REPORT.md"), "w") as f:
        f.write("\n".join(L))


def readers_section(data):
    L = []
    orders = [o for o in data.orders() if reader_counts(data, o)]
    if not orders:
        return L
    L.append("## Readers in parallel")
    L.append("")
    L.append("N processes, each with its own fd, each read all %d MiB of the same data in 1 MiB "
             "pread()s, started together; aggregate MiB/s (the bytes of all of them over the wall "
             "time until the last is done), median (min–max). Within a repetition the "
             "targets and the reader counts run in turn. The guest has as many vCPUs as the "
             "largest N; with 2 vCPUs, \"as many readers as vCPUs\" is the 2-reader row."
             % (next(iter(data.s.values())).bytes // MIB))
    L.append("")
    L.append("| order | readers | scullv | tmpfs | ceiling | scullv/ceiling | scullv vs its 1 reader "
             "| tmpfs vs its 1 reader | ceiling vs its 1 reader |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for order in orders:
        for n in reader_counts(data, order):
            cells = [data.get("readers-%d" % n, t, order, MIB) for t in ("scullv", "tmpfs", "ceiling")]
            ones = [data.get("readers-1", t, order, MIB) for t in ("scullv", "tmpfs", "ceiling")]
            L.append("| %d | %d | %s | %s | %s | %s | %s | %s | %s |"
                     % ((order, n) + tuple(c.cell() if c else "–" for c in cells)
                        + (rcell(data.ratio(cells[0], cells[2])),)
                        + tuple(rcell(data.ratio(c, o1)) for c, o1 in zip(cells, ones))))
    L.append("")
    paged = [(o, n) for o in orders if o == 0 for n in reader_counts(data, o)
             if data.get("readers-%d" % n, "ceilpaged", o, MIB)]
    if paged:
        L.append("The ceiling's buffer read a page per `copy_to_iter()` call (`ceilpaged`: "
                 "/dev/scullv_ceiling_paged, the same module and buffer), as scullv must read at "
                 "order 0, where each page is a quantum of its own, measured in the same turns:")
        L.append("")
        L.append("| order | readers | ceiling, a page per copy | its ratio to the ceiling "
                 "| scullv against it |")
        L.append("|---|---|---|---|---|")
        for o, n in paged:
            cp = data.get("readers-%d" % n, "ceilpaged", o, MIB)
            L.append("| %d | %d | %s | %s | %s |"
                     % (o, n, cp.cell(), rcell(data.ratio(cp, data.get("readers-%d" % n, "ceiling", o, MIB))),
                        rcell(data.ratio(data.get("readers-%d" % n, "scullv", o, MIB), cp))))
        L.append("")
    return L


def sendfile_section(data):
    L = []
    keys = sorted({(k[2], k[3]) for k in data.s if k[0] in ("sendfile", "sendfile-in")})
    if not keys:
        return L
    L.append("## sendfile")
    L.append("")
    L.append("`sendfile()` in 8 MiB chunks: out of the device and out of a tmpfs file into a new "
             "tmpfs file (`sendfile`), and from a tmpfs file into an empty device and into a new "
             "tmpfs file (`sendfile-in`), the four interleaved by chunk. MiB/s, median (min–max).")
    L.append("")
    L.append("| order | test | scullv | tmpfs | scullv/tmpfs |")
    L.append("|---|---|---|---|---|")
    for order, bs in keys:
        for t in ("sendfile", "sendfile-in"):
            a, b = data.get(t, "scullv", order, bs), data.get(t, "tmpfs", order, bs)
            if a or b:
                L.append("| %s | %s | %s | %s | %s |" % (order, t, a.cell() if a else "–",
                                                         b.cell() if b else "–", rcell(data.ratio(a, b))))
    L.append("")
    return L


def wlat_section(d):
    L = []
    if not d["wlat"]:
        return L
    L.append("## A writer among readers that never stop")
    L.append("")
    L.append("Two processes read the device in 1 MiB pread()s without a pause while a third makes "
             "4 KiB pwrite()s with a 1 ms pause between them. With the device's rw_semaphore a "
             "write waits for the reads in flight, and readers that come after it queue behind "
             "it, so its latency is bounded by about one read (a reader-preferring lock would "
             "let the stream of reads hold it off until the readers stop).")
    L.append("")
    L.append("| order | readers | writes done | write latency median | p90 | max | one 1 MiB read (mean) "
             "| max / one read |")
    L.append("|---|---|---|---|---|---|---|---|")
    for w in d["wlat"]:
        L.append("| %d | %d | %d of %d | %.0f µs | %.0f µs | %.0f µs | %.0f µs | %.1f |"
                 % (w["order"], w["readers"], w["writes"], w["writes"], w["median"] / 1000,
                    w["p90"] / 1000, w["max"] / 1000, w["read_ns"] / 1000,
                    w["max"] / w["read_ns"] if w["read_ns"] else float("nan")))
    L.append("")
    return L


def baseline_section(data, d, meta):
    L = []
    if not any(k[1] == "scullv-base" for k in data.s):
        return L
    ref = next((i[len("baseline: "):] for i in d["info"] if i.startswith("baseline: ")), "?")
    L.append("## Single-stream transfers before and after (order 4)")
    L.append("")
    L.append("`scripts/bench --baseline %s`: after everything above, the same boot unloaded this "
             "driver, loaded the driver of that commit, %s (built out of tree against the same kernel) "
             "and ran the sequential transfers again, each beside tmpfs as above. The two runs are "
             "compared through tmpfs: the column is (scullv/tmpfs now) over (scullv/tmpfs then)."
             % (ref.split(" ")[0], ref))
    L.append("")
    blocks = data.blocks("fill")
    L.append("| test | " + " | ".join("%s: now / baseline (vs tmpfs), now over baseline" % bname(b)
                                      for b in blocks) + " |")
    L.append("|---|" + "---|" * len(blocks))
    for t in SEQ_TESTS:
        cells = []
        for b in blocks:
            now = data.ratio(data.get(t, "scullv", 4, b), data.get(t, "tmpfs", 4, b))
            base = data.ratio(data.get(t, "scullv-base", 4, b), data.get(t, "tmpfs-base", 4, b))
            r = baseline_ratio(data, t, 4, b)
            cells.append("%s / %s, %s" % (ratio_fmt(now[0]) if now else "–",
                                          ratio_fmt(base[0]) if base else "–", rcell(r)))
        L.append("| %s | %s |" % (t, " | ".join(cells)))
    L.append("")
    return L


def analysis(data, d, tlist):
    """Why targets are met or missed, with figures from this run."""
    L = ["### Analysis", ""]
    o, mb, q = 4, MIB, 4096 << 4

    def us_per(st, unit):
        """Microseconds per @unit bytes at the median throughput."""
        return unit / (st.median * MIB) * 1e6 if st else None

    def g(test, target, order, bs):
        return data.get(test, target, order, bs)

    fill, rew, rd = g("fill", "scullv", o, mb), g("rewrite", "scullv", o, mb), g("read", "scullv", o, mb)
    tfill, trew, trd = g("fill", "tmpfs", o, mb), g("rewrite", "tmpfs", o, mb), g("read", "tmpfs", o, mb)
    zero = g("read", "zero", o, mb)
    vz, vm = am(d, "vzalloc", "alloc+free", 4), am(d, "vmalloc", "alloc+free", 4)

    if fill and rew and tfill:
        fq, rq = us_per(fill, q), us_per(rew, q)
        fr = ", ".join("%.2fx with %s blocks" % (data.ratio(g("fill", "scullv", o, b), g("fill", "tmpfs", o, b))[0], bname(b))
                       for b in data.blocks("fill") if g("fill", "scullv", o, b) and g("fill", "tmpfs", o, b))
        text = ("- **Fill (target 1.7x at 1 MiB, 1.3x at every size; measured %s).** "
                "At order 4 with 1 MiB blocks scullv fills at %s MiB/s and "
                "rewrites the same bytes at %s MiB/s: %.1f µs against %.1f µs per 64 KiB quantum, so "
                "populating a quantum costs %.1f µs. A 64 KiB or 1 MiB write covers each new "
                "quantum whole, so scullv_store_fill_hole() allocates it without __GFP_ZERO (the "
                "copy overwrites every byte; only what a short copy leaves is zeroed before the "
                "quantum is published): populating is the xarray slot and a vmalloc() of 64 KiB. "
                % (fr, fmt(fill.median), fmt(rew.median), fq, rq, fq - rq))
        if vz and vm:
            text += ("The allocator benchmark of the same boot (run before, so at another moment of "
                     "the host) puts vmalloc+vfree of 64 KiB at %.1f µs and vzalloc+vfree at %.1f µs: "
                     "the %.1f µs of zeroing that the driver skips would be %.0f%% of this fill. "
                     % (vm / 1000, vz / 1000, (vz - vm) / 1000, (vz - vm) / 1000 / (fq + (vz - vm) / 1000) * 100))
            extra = fq - rq - vm / 1000
            if extra > 0.1 * vm / 1000:
                text += ("Beyond vmalloc+vfree, populating costs %.1f µs more, as far as this run "
                         "can tell the cost of touching fresh memory, which the allocator "
                         "benchmark's back-to-back pairs, reusing the same hot pages, do not see: "
                         "the first accesses through a new vmalloc mapping, each a TLB refill in "
                         "qemu's software MMU, and the vmap-area purges and TLB flushes that the "
                         "trims queue. " % extra)
            else:
                text += ("Populating costs no more than the allocator benchmark's vmalloc+vfree "
                         "pair (and the fill pays the vfree only later, at the trim): what a fill "
                         "adds to a rewrite is the allocation itself, nothing else. ")
        if trew:
            tp = us_per(tfill, 4096) - us_per(trew, 4096)
            text += ("tmpfs, for its part, pays %.2f µs per 4 KiB page on a fill over its rewrite "
                     "(page allocation, page-cache insertion, LRU), %.1f µs per 64 KiB, but no "
                     "zeroing of pages a write covers." % (tp, tp * 16))
        L.append(text)

    s4, t4 = g("read", "scullv", o, 4096), g("read", "tmpfs", o, 4096)

    def per_call(a, b):
        """µs per call that smaller blocks add: (time a - time b) / (calls a - calls b)."""
        ta = a.bytes / (a.median * MIB)
        tb = b.bytes / (b.median * MIB)
        return (ta - tb) / (max(a.calls) - max(b.calls)) * 1e6

    if rd and trd:
        per_page_s, per_page_t = us_per(rd, 4096), us_per(trd, 4096)
        text = ("- **Read against tmpfs (no target: issue 15 dropped 2.0x).** Both are copy_to_user() loops: scullv one "
                "copy per 64 KiB quantum, tmpfs one per 4 KiB page with a page-cache lookup, a "
                "folio reference and mark_page_accessed() around it. With 1 MiB blocks scullv "
                "spends %.2f µs per 4 KiB and tmpfs %.2f µs: tmpfs's per-page bookkeeping costs "
                "%.2f µs beside a copy of about %.2f µs. "
                % (per_page_s, per_page_t, per_page_t - per_page_s, per_page_s))
        if s4:
            ov = per_call(s4, rd)
            text += ("scullv's own per-call cost (see small blocks) is %.2f µs, %.4f µs per 4 KiB "
                     "of a 1 MiB call, so its read time is the copy and nothing else: even a driver "
                     "with no overhead at all would read at about %.2fx tmpfs in this boot. "
                     % (ov, ov / 256, per_page_t / max(per_page_s - ov / 256, 1e-9)))
        text += ("The ratio is set by how much the copy costs against tmpfs's bookkeeping, and under "
                 "TCG the copy is expensive: each 8-byte element of the kernel's `rep movsq` is "
                 "executed by qemu as a load and a store through its software TLB. On hardware, "
                 "where a 4 KiB copy takes a few hundred ns, the same bookkeeping weighs relatively "
                 "more and the ratio would be larger; this boot cannot show by how much.")
        L.append(text)

    if rd and zero:
        L.append("- **Read against /dev/zero (no target: issue 15 dropped 0.6x).** scullv reads at %.2fx /dev/zero "
                 "(%s MiB/s, read in the same interleaved run). /dev/zero's read is "
                 "rep_stos_alternative(): stores only, 64 bytes per loop, into a 1 MiB user buffer "
                 "that stays in the host's cache, with no source to load; every read of stored "
                 "data must load each byte from %d MiB of guest memory and store it. tmpfs, the "
                 "same copy behind page-cache bookkeeping, reads at %.2fx /dev/zero. scullv's "
                 "read is already the bare copy (previous point), so no change to the driver can "
                 "close this gap: the target assumes a copy costs less than twice a clear, which "
                 "TCG's emulated `rep movsq` does not allow."
                 % (data.ratio(rd, zero)[0], fmt(zero.median), rd.bytes // MIB,
                    data.ratio(trd, zero)[0] if trd else float("nan")))

    def pc_text(v):
        return "%.2f µs" % v if v > 0 else "nothing measurable (%.2f µs, below the noise)" % v

    if s4 and rd and t4 and trd:
        text = ("- **Small blocks (target 1.3x for fill and rewrite at every size; reads have none).** Reading with 4 KiB instead of 1 MiB "
                "blocks costs scullv %s more per call (system call entry and exit, "
                "down_read_interruptible() and up_read(), scullv_store_locate() and one xa_load()) and "
                "tmpfs %s (system call, filemap_read() setup; its per-page steps are the same at "
                "any block size). The per-call rwsem is uncontended and cheap. Reads of 4 KiB run "
                "at %.2fx tmpfs against %.2fx with 1 MiB blocks: each call now pays a system call "
                "beside a single 4 KiB copy, costs that scullv and tmpfs share, so scullv's lighter "
                "bookkeeping is a smaller part of the whole. "
                % (pc_text(per_call(s4, rd)), pc_text(per_call(t4, trd)),
                   data.ratio(s4, t4)[0], data.ratio(rd, trd)[0]))
        f4, tf4, w4 = g("fill", "scullv", o, 4096), g("fill", "tmpfs", o, 4096), g("rewrite", "scullv", o, 4096)
        if f4 and tf4 and w4 and vm and vz:
            proj_q = us_per(f4, q) - (vz - vm) / 1000
            proj = q / (proj_q / 1e6) / MIB
            text += ("Writes of 4 KiB rewrite at %.2fx tmpfs (tmpfs's write path adds the inode "
                     "lock, file_update_time() and the write_begin/write_end steps to every "
                     "call), but the fill falls to %.2fx because every 16th call also populates "
                     "a zeroed 64 KiB quantum: %.1f µs per 64 KiB in all against %.1f µs for the "
                     "rewrite. Here the zeroing cannot be skipped: a 4 KiB write covers a "
                     "sixteenth of its new quantum, and the rest must read as zeros until it is "
                     "written, whatever the next calls do. Were the zeroing free (vzalloc against "
                     "vmalloc above), the 4 KiB fill would run at about %.2fx tmpfs; a writer that "
                     "wants the fast fill writes in blocks of a quantum or more."
                     % (data.ratio(w4, g("rewrite", "tmpfs", o, 4096))[0], data.ratio(f4, tf4)[0],
                        us_per(f4, q), us_per(w4, q), proj / tf4.median))
        L.append(text)

    r0, r4 = g("read", "scullv", 0, mb), g("read", "scullv", 4, mb)
    w0, w4 = g("rewrite", "scullv", 0, mb), g("rewrite", "scullv", 4, mb)
    rr0 = data.ratio(r0, g("read", "tmpfs", 0, mb))
    rr4 = data.ratio(r4, g("read", "tmpfs", 4, mb))
    rw0 = data.ratio(w0, g("rewrite", "tmpfs", 0, mb))
    rw4 = data.ratio(w4, g("rewrite", "tmpfs", 4, mb))
    if rr0 and rr4 and rw0 and rw4:
        rel_r, rel_w = rr0[0] / rr4[0], rw0[0] / rw4[0]
        t4_r, t4_w = us_per(r4, MIB), us_per(w4, MIB)
        cost_r = (1 / rel_r - 1) * t4_r / 240
        cost_w = (1 / rel_w - 1) * t4_w / 240
        L.append("- **Per-quantum work.** At order 0 a 1 MiB call visits 256 quanta (for each: "
                 "a step to the next slot of the set and a separate copy; the division of "
                 "scullv_store_locate() and an xa_load() come once per call and once per quantum "
                 "set), at order 4 only 16. The two orders ran at different times, so "
                 "they are compared through tmpfs, measured beside each: scullv's read is %.2fx "
                 "tmpfs at order 0 and %.2fx at order 4, its rewrite %.2fx and %.2fx. That puts "
                 "the cost of visiting a quantum at about %.2f µs on a read and %.2f µs on a "
                 "rewrite (against %.1f µs to copy 4 KiB): %s."
                 % (rr0[0], rr4[0], rw0[0], rw4[0], cost_r, cost_w, us_per(r4, 4096),
                    "small against the copy of even one page"
                    if max(cost_r, cost_w) < 0.5 * us_per(r4, 4096) else
                    "a noticeable share of a 4 KiB copy: what is left per quantum is the "
                    "separate copy_to_iter() or copy_from_iter() call, which quanta of one "
                    "page cannot avoid"))
    f0, tf0 = g("fill", "scullv", 0, mb), g("fill", "tmpfs", 0, mb)
    v0 = am(d, "vzalloc", "alloc+free", 0)
    if f0 and tf0 and v0 and w0:
        L.append("- **Order 0 fill.** Each 4 KiB quantum is its own vzalloc() (%.1f µs here, with a "
                 "guard page, a vmap area and a lazy TLB flush on free) against %.1f µs to copy "
                 "4 KiB in, so at order 0 scullv fills at %.2fx tmpfs: the book's point that order 0 "
                 "wastes vmalloc, which pays off only for larger quanta."
                 % (v0 / 1000, us_per(w0, 4096), data.ratio(f0, tf0)[0]))

    off_rows = [(n, r) for n, r, goal, kind in tlist if "offset" in n and r]
    if off_rows:
        worst = max(off_rows, key=lambda nr: max(nr[1][0], 1 / nr[1][0]))
        L.append("- **Offsets.** The quantum set at 512 MiB is found by one xa_load() on the set "
                 "number, as the one at 0 is, so the far read should cost the same; the largest "
                 "gap measured is %s (%s)%s."
                 % (ratio_fmt(worst[1][0]), worst[0],
                    "; its paired repetitions range from %s to %s, across 1.0: that is the host's "
                    "noise, not the driver"
                    % (ratio_fmt(worst[1][1]), ratio_fmt(worst[1][2]))
                    if worst[1][1] <= 1.0 <= worst[1][2] else ""))

    for mo in data.orders():
        mt, mtt = g("mmap-touch", "scullv", mo, 4096), g("mmap-touch", "tmpfs", mo, 4096)
        mtc = g("mmap-touch", "ceiling", mo, 4096)
        if not (mt and mtt):
            continue
        text = ("- **mmap first touch, order %d (target 1.0x tmpfs; measured %.2fx).** A first touch "
                "of each page costs scullv %.2f µs and tmpfs %.2f µs%s, all in, mmap() and munmap() "
                "included. scullv's fault handler maps with vm_insert_pages() every page that "
                "exists in the 2 MiB window, aligned in the file, that the fault lands in; tmpfs's "
                "fault-around maps the 16 pages of page cache around the fault. "
                % (mo, data.ratio(mt, mtt)[0], us_per(mt, 4096), us_per(mtt, 4096),
                   (" and the ceiling, which maps everything at mmap() time, %.2f µs"
                    % us_per(mtc, 4096)) if mtc else ""))
        fs, ft = d["faults"].get(("mmap-touch", "scullv", str(mo))), d["faults"].get(("mmap-touch", "tmpfs", str(mo)))
        if fs and ft:
            text += ("In this run a touch of all %d pages took scullv %d faults and tmpfs %d "
                     "(medians). " % (fs[0][1], statistics.median(x[0] for x in fs),
                                      statistics.median(x[0] for x in ft)))
        if mtc:
            text += ("The ceiling, which takes no fault, is %.2f µs per page below tmpfs and %.2f µs "
                     "below scullv. " % (us_per(mtt, 4096) - us_per(mtc, 4096),
                                         us_per(mt, 4096) - us_per(mtc, 4096)))
        others = [x for x in data.orders() if x != mo]
        if mtc and data.ratio(mt, mtt)[0] < 1.0 and others:
            xo = others[0]
            xt, xc = g("mmap-touch", "scullv", xo, 4096), g("mmap-touch", "ceiling", xo, 4096)
            if xt and xc and (1 << xo) > (1 << mo):
                text += ("At order %d, with the same faults and the same per-page code (a "
                         "vmalloc_to_page() and an insertion each), scullv is %.2f µs per page above "
                         "the ceiling, against %.2f µs here: what order %d adds is per quantum, since "
                         "every page is a vmalloc area of its own (with a guard page after it) found "
                         "through a slot of its own. This run does not separate the two further. "
                         % (xo, us_per(xt, 4096) - us_per(xc, 4096),
                            us_per(mt, 4096) - us_per(mtc, 4096), mo))
        mc, mct = g("mmap-copy", "scullv", mo, MIB), g("mmap-copy", "tmpfs", mo, MIB)
        fc = d["faults"].get(("mmap-copy", "scullv", str(mo)))
        if mc and mct and fc:
            text += ("A memcpy() out of the mapping runs at %.2fx tmpfs with %d faults, the "
                     "same as the touch: the window is aligned, so the faults do not depend on "
                     "which way the copy goes through the pages. "
                     % (data.ratio(mc, mct)[0], statistics.median(x[0] for x in fc)))
        L.append(text)

    for so in data.orders():
        sf, sft = g("sendfile", "scullv", so, 8 * MIB), g("sendfile", "tmpfs", so, 8 * MIB)
        if sf and sft:
            L.append("- **sendfile, order %d (target 1.0x tmpfs; measured %.2fx).** Out of scullv "
                     "the quantum pages themselves go into sendfile's internal pipe (a reference "
                     "each, no copy), as tmpfs's page-cache pages do; both then copy once into the "
                     "new tmpfs file, whose page allocation and page-cache insertion are most of "
                     "the cost: %.2f µs per 4 KiB for scullv against %.2f µs for tmpfs."
                     % (so, data.ratio(sf, sft)[0], us_per(sf, 4096), us_per(sft, 4096)))

    for n, r, goal, kind in tlist:
        if "ceiling" in n and r and r[0] < goal:
            m = re.match(r"order (\d+): (\d+) reader", n)
            ro, k = int(m.group(1)), int(m.group(2))
            cp = g("readers-%d" % k, "ceilpaged", ro, MIB)
            text = ("- **%s: %.2fx, %.0f%% short of 0.9x.** scullv pays per call the rwsem and one "
                    "lookup, and per quantum a separate copy_to_iter() call, which the ceiling, one "
                    "flat buffer, does not." % (n, r[0], (1 - r[0] / goal) * 100))
            if cp and ro == 0:
                cr = data.ratio(cp, g("readers-%d" % k, "ceiling", ro, MIB))
                sr = data.ratio(g("readers-%d" % k, "scullv", ro, MIB), cp)
                text += (" The ceiling's own buffer, read a page per copy_to_iter() call as order 0 "
                         "forces (each 4 KiB quantum is a vmalloc area of its own, with a guard page "
                         "after it, so no copy can run on into the next quantum), reaches %.2fx "
                         "the ceiling in the same turns; scullv reads at %.2fx of that. So the "
                         "split into pages accounts for %.0f%% of the ceiling's speed and scullv's "
                         "lock, lookups and slot walk for the rest." % (cr[0], sr[0], (1 - cr[0]) * 100))
            L.append(text)
    return L


# ------------------------------------------------------------------ plot

def plot(d, out_dir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = Data(d)
    orders = data.orders()
    fig, axes = plt.subplots(3, 2, figsize=(14, 15))
    colors = {"scullv": "#1f77b4", "tmpfs": "#ff7f0e", "ceiling": "#2ca02c"}
    for ax, order in zip(axes[0], (orders + [None, None])[:2]):
        if order is None:
            ax.axis("off")
            continue
        blocks = data.blocks("fill")
        groups = [(t, b) for t in SEQ_TESTS for b in blocks]
        x = range(len(groups))
        w = 0.4
        for i, tgt in enumerate(("scullv", "tmpfs")):
            med, lo, hi = [], [], []
            for t, b in groups:
                s = data.get(t, tgt, order, b)
                med.append(s.median if s else 0)
                lo.append(s.median - s.min if s else 0)
                hi.append(s.max - s.median if s else 0)
            ax.bar([xi + (i - 0.5) * w for xi in x], med, w, yerr=[lo, hi], capsize=2,
                   label=tgt, color=colors[tgt])
        for b in blocks:
            z = data.get("read", "zero", order, b)
            if z:
                idx = [j for j, g in enumerate(groups) if g[0] == "read" and g[1] == b][0]
                ax.plot([idx - 0.5, idx + 0.5], [z.median] * 2, "k--", lw=1)
        for j, (t, b) in enumerate(groups):
            r = data.ratio(data.get(t, "scullv", order, b), data.get(t, "tmpfs", order, b))
            s_ = data.get(t, "scullv", order, b)
            if r and s_:
                ax.annotate("%.2fx" % r[0], (j - 0.5 * w, s_.max), textcoords="offset points",
                            xytext=(0, 4), ha="center", fontsize=8)
        ax.set_xticks(list(x))
        ax.set_xticklabels(["%s\n%s" % (t, bname(b)) for t, b in groups], fontsize=8)
        ax.set_ylabel("MiB/s (median, min–max)")
        ax.set_title("order %d (%s quanta): scullv vs tmpfs (label: median paired ratio);\n"
                     "dashed: /dev/zero read in the same run" % (order, size_name(4096 << order)),
                     fontsize=10)
        ax.legend()
    aorders = alloc_orders(d)
    for ax, modes, title in ((axes[1][0], ("alloc+free",), "allocate+free"),
                             (axes[1][1], ("alloc+zero+free",), "allocate+zero+free (vzalloc: its own zeroing)")):
        for alloc in ("kmalloc", "__get_free_pages", "vmalloc", "vzalloc", "kvmalloc"):
            mode = "alloc+free" if alloc == "vzalloc" else modes[0]
            if alloc == "vzalloc" and modes[0] == "alloc+free":
                continue
            ys = [am(d, alloc, mode, o) for o in aorders]
            if any(y is None for y in ys):
                continue
            # A label that starts with "_" would be left out of the legend: a space first.
            ax.plot([4096 << o for o in aorders], ys, "o-", label=" " + alloc + "()")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("bytes")
        ax.set_ylabel("ns per operation (median)")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    plot_parallel(data, axes[2], colors)
    fig.suptitle("scullv benchmarks, one boot under qemu TCG (no KVM): compare within the figure only")
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "report.png"), dpi=90)


def plot_parallel(data, axes, colors):
    """Readers in parallel; mmap first touch and sendfile (order 4, else the last order)."""
    orders = data.orders()
    order = 4 if 4 in orders else (orders[-1] if orders else None)
    ax = axes[0]
    counts = reader_counts(data, order) if order is not None else []
    if not counts:
        ax.axis("off")
    else:
        w = 0.27
        for i, tgt in enumerate(("scullv", "tmpfs", "ceiling")):
            st = [data.get("readers-%d" % n, tgt, order, MIB) for n in counts]
            ax.bar([j + (i - 1) * w for j in range(len(counts))], [x.median if x else 0 for x in st],
                   w, yerr=[[x.median - x.min if x else 0 for x in st],
                            [x.max - x.median if x else 0 for x in st]],
                   capsize=2, label=tgt, color=colors[tgt])
        ax.set_xticks(range(len(counts)))
        ax.set_xticklabels(["%d reader%s" % (n, "s" if n > 1 else "") for n in counts])
        ax.set_ylabel("aggregate MiB/s (median, min–max)")
        ax.set_title("order %d: readers in parallel, own fds, 1 MiB pread()" % order, fontsize=10)
        ax.legend()
    ax = axes[1]
    groups = []
    if order is not None:
        for t, bs in (("mmap-touch", 4096), ("sendfile", 8 * MIB), ("sendfile-in", 8 * MIB)):
            if data.get(t, "scullv", order, bs):
                groups.append((t, bs))
    if not groups:
        ax.axis("off")
        return
    w = 0.27
    for i, tgt in enumerate(("scullv", "tmpfs", "ceiling")):
        st = [data.get(t, tgt, order, bs) for t, bs in groups]
        ax.bar([j + (i - 1) * w for j in range(len(groups))], [x.median if x else 0 for x in st],
               w, label=tgt, color=colors[tgt])
    for j, (t, bs) in enumerate(groups):
        r = data.ratio(data.get(t, "scullv", order, bs), data.get(t, "tmpfs", order, bs))
        s_ = data.get(t, "scullv", order, bs)
        if r and s_:
            ax.annotate("%.2fx" % r[0], (j - w, s_.median), textcoords="offset points",
                        xytext=(0, 4), ha="center", fontsize=8)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([t for t, _ in groups])
    ax.set_ylabel("MiB/s (median)")
    ax.set_title("order %d: mmap first touch, sendfile out to and in from tmpfs\n"
                 "(label: scullv/tmpfs)" % order, fontsize=10)
    ax.legend()


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--console", required=True)
    ap.add_argument("--meta")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    d = parse(a.console)
    if not d["bench"] and not d["alloc"]:
        print("report.py: no BENCH or ALLOC lines in %s" % a.console, file=sys.stderr)
        return 1
    meta = read_meta(a.meta)
    os.makedirs(a.out, exist_ok=True)
    write_report(d, meta, a.out)
    plot(d, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
