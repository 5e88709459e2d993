"""Benchmark driver (called by bench/run.sh): generates the graphs, runs normgraph and the peers on
each, measures wall time per operation and peak RSS per process, prints the table and writes
BENCHMARKS.md. Every engine runs as its own process with a time limit; what it measured before
the limit is kept and the rest is reported as "> limit".
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time

OPS = [
    ("load", "load (triples/s)"),
    ("rules", "rules (s)"),
    ("who-backs-norm", "who-backs-norm warm (ms)"),
    ("norms-backed-by", "norms-backed-by warm (ms)"),
    ("common-ground", "common-ground warm (ms)"),
    ("alignment-20", "alignment, 20 states (s)"),
    ("contested-norms", "contested norms (s)"),
    ("contradictions", "contradiction check (s)"),
    ("validation", "full validation (s)"),
    ("rss", "peak RSS (MiB)"),
]


def run_limited(cmd, limit, env=None, cwd=None):
    """Runs cmd; returns (JSON lines parsed, peak RSS MiB, timed out?, stderr tail)."""
    out_path = os.path.join(ARGS.work, "out.jsonl")
    err_path = os.path.join(ARGS.work, "err.txt")
    with open(out_path, "w") as out, open(err_path, "w") as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
        start = time.time()
        timed_out = False
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.time() - start > limit:
                p.kill()
                pid, status, usage = os.wait4(p.pid, 0)
                timed_out = True
                break
            time.sleep(0.2)
    rows = []
    with open(out_path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                rows.append(json.loads(line))
    with open(err_path) as f:
        tail = f.read()[-2000:]
    return rows, usage.ru_maxrss / 1024, timed_out, tail


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def measure(engine, size, nt, limit):
    """Results of one engine on one graph: {op: seconds or rate or text}."""
    res = {}
    work = os.path.join(ARGS.work, f"{engine}-{size}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    inferred = os.path.join(ARGS.work, f"inferred-{size}.nq")
    if engine == "normgraph":
        cmd = [ARGS.normgraph, "--store", os.path.join(work, "store"), "--home", ARGS.root,
               "bench", nt, "--validate"]
    else:
        cmd = [ARGS.python, os.path.join(ARGS.root, "bench", "peers.py"), engine, work,
               os.path.join(ARGS.root, "ontology"), os.path.join(ARGS.root, "queries"), nt]
        if engine in ("pyoxigraph-mem", "rdflib", "pyshacl"):
            cmd += ["--inferred", inferred]
    log(f"  {engine} on {size}: {' '.join(cmd[-3:])} (limit {limit:.0f} s)")
    t = time.time()
    rows, rss, timed_out, tail = run_limited(cmd, limit)
    log(f"    {time.time() - t:.1f} s, peak RSS {rss:.0f} MiB{', TIME LIMIT' if timed_out else ''}")
    for r in rows:
        res[r["op"]] = r
    res["_timed_out"] = timed_out
    res["_limit"] = limit
    res["_elapsed"] = time.time() - t
    res["rss"] = rss
    if not rows and tail:
        log(tail)
    shutil.rmtree(work, ignore_errors=True)
    return res


def cell(res, op, triples):
    if res is None:
        return "—"
    if op == "rss":
        return f"{res['rss']:.0f}"
    r = res.get(op)
    if r is None:
        if res.get("_timed_out"):
            return f"> {res['_elapsed']:.0f} s (limit)"
        return "—"
    if "error" in r:
        return "n/a"
    if op == "load":
        return f"{triples / r['cold_s']:,.0f}"
    if op in ("who-backs-norm", "norms-backed-by", "common-ground"):
        return f"{r['warm_s'] * 1000:.1f}"
    if op in ("rules", "validation"):
        return f"{r['cold_s']:.2f}"
    return f"{r['warm_s']:.3f}"


def value(res, op, triples):
    """A comparable number (seconds; for load, seconds too) or None."""
    if res is None:
        return None
    if op == "rss":
        return res["rss"]
    r = res.get(op)
    if r is None or "error" in r:
        return None
    return r["cold_s"] if op in ("load", "rules", "validation") else r["warm_s"]


def main():
    sizes = [("100k", 100_000), ("1M", 1_000_000)]
    if not ARGS.without_10m:
        sizes.append(("10M", 10_000_000))
    engines_for = {
        "100k": ["normgraph", "pyoxigraph-mem", "pyoxigraph-disk", "rdflib", "pyshacl"],
        "1M": ["normgraph", "pyoxigraph-mem", "pyoxigraph-disk"],
        "10M": ["normgraph", "pyoxigraph-disk"],
    }
    # Time limits per engine and size (seconds): the whole run stays under 30 minutes on 2 cores.
    # normgraph gets room to finish at every size; the peers get what they need for the load and
    # the fast queries, and are cut off in the slow joins (reported as "> limit").
    limits = {"100k": 120, "1M": 180, "10M": 240}
    own_limits = {"100k": 300, "1M": 600, "10M": 900}
    results = {}
    started = time.time()
    for label, n in sizes:
        nt = os.path.join(ARGS.work, f"synthetic-{label}.nt")
        t = time.time()
        subprocess.run([ARGS.normgraph, "generate", "--triples", str(n), "-o", nt], check=True,
                       stderr=subprocess.DEVNULL)
        triples = sum(1 for _ in open(nt, "rb"))
        log(f"{label}: generated {triples} triples in {time.time() - t:.1f} s")
        for engine in engines_for[label]:
            limit = own_limits[label] if engine == "normgraph" else limits[label]
            results[(label, engine)] = measure(engine, label, nt, limit)
            results[(label, engine)]["_triples"] = triples
        os.remove(nt)
    total = time.time() - started
    write(results, sizes, engines_for, total)


def targets(results):
    """Met or missed, with the measured figure."""
    out = []
    ng = results.get(("1M", "normgraph"))
    if ng is None:
        return ["no 1M run"]
    n = ng["_triples"]

    def check(what, ok, figure):
        out.append(f"{'met' if ok else 'MISSED'}: {what} — {figure}")

    disk = results.get(("1M", "pyoxigraph-disk"))
    a, b = value(ng, "load", n), value(disk, "load", n)
    if a and b:
        check("1M load >= 1.0x pyoxigraph on-disk bulk load", b / a >= 1.0, f"{b / a:.2f}x")
    for op, limit, unit in [("who-backs-norm", 0.010, "ms"), ("norms-backed-by", 0.010, "ms"),
                            ("alignment-20", 1.0, "s"), ("contradictions", 2.0, "s"),
                            ("validation", 10.0, "s")]:
        v = value(ng, op, n)
        shown = f"{v * 1000:.1f} ms" if unit == "ms" and v is not None else (f"{v:.2f} s" if v is not None else "not finished")
        if v is None and ng.get("_timed_out"):
            shown = f"not finished within the {ng['_limit']} s limit"
        check(f"1M {op} <= {limit * 1000 if unit == 'ms' else limit:g} {unit}", v is not None and v <= limit, shown)
    big = results.get(("10M", "normgraph"))
    if big:
        check("10M peak RSS < 2 GiB", big["rss"] < 2048, f"{big['rss']:.0f} MiB")
    else:
        out.append("10M not run (bench/run.sh --without-10m)")
    return out


def write(results, sizes, engines_for, total):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    lines = []
    lines.append("# normgraph benchmarks\n")
    lines.append("Generated by `bench/run.sh` (issue #8). Do not edit by hand: rerun the script.\n")
    lines.append(f"- Date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
    lines.append(f"- Machine: {os.cpu_count()} CPUs ({cpu}), {mem_kb / 1048576:.1f} GiB memory, {platform.system()} {platform.release()}")
    lines.append(f"- Command: `{ARGS.command}`; whole run {total / 60:.1f} min")
    lines.append("- Engines: normgraph (on-disk RocksDB store; bulk loader; rules and analyses in Rust), "
                 "pyoxigraph 0.5.13 in memory and on disk (bulk_load, rules as SPARQL UPDATE, queries as SPARQL), "
                 "rdflib 7.6.0 in memory (queries only: it loads pyoxigraph's inferred graph), pySHACL 0.40.1 (validation only).")
    lines.append("- Data: `normgraph generate --triples N` (seed 1), N-Triples, plus the ontology files; "
                 "peers run the same queries with the same bindings (`bench/peers.py`).")
    lines.append("- Load = parse + store of the files (rules apart); query times are the median of 5 warm runs "
                 "(a single run when the first took over 2 s); rules and validation are single runs. "
                 "Peak RSS is per process (whole run of that engine at that size).\n")
    for label, _ in sizes:
        engines = engines_for[label]
        triples = next(results[(label, e)]["_triples"] for e in engines)
        lines.append(f"## {label} ({triples:,} triples)\n")
        growth = label == "10M" and ("1M", "normgraph") in results
        header = "| operation | " + " | ".join(engines) + " | " + " | ".join(f"normgraph vs {e}" for e in engines[1:]) + " |"
        if growth:
            header += " normgraph 10M / 1M |"
        lines.append(header)
        lines.append("|" + "---|" * (1 + 2 * len(engines) - 1 + (1 if growth else 0)))
        for op, name in OPS:
            cells = [cell(results[(label, e)], op, triples) for e in engines]
            ratios = []
            ng = value(results[(label, "normgraph")], op, triples)
            for e in engines[1:]:
                other = value(results[(label, e)], op, triples)
                if ng and other:
                    # > 1 means normgraph is better (faster, or less memory).
                    ratios.append(f"{other / ng:.2f}x")
                else:
                    ratios.append("—")
            row = f"| {name} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |"
            if growth:
                small = results[("1M", "normgraph")]
                a = value(small, op, small["_triples"])
                b = value(results[(label, "normgraph")], op, triples)
                if op == "load" and a and b:
                    # seconds per load: growth of the time, for 10x the triples
                    row += f" {b / a:.1f}x |"
                elif a and b:
                    row += f" {b / a:.1f}x |"
                else:
                    row += " — |"
            lines.append(row)
        lines.append("")
        for e in engines:
            r = results[(label, e)]
            if r.get("_timed_out"):
                lines.append(f"- {e} at {label}: stopped at the time limit ({r['_limit']} s); operations not reached are marked.")
        lines.append("")
    lines.append("Ratios are peer / normgraph: above 1.00x normgraph is faster (or smaller). "
                 "The last column of the 10M table is normgraph's time (or memory) at 10M over its figure at 1M, "
                 "for 10x the triples: near 10x is linear growth.\n")
    lines.append("## Targets (issue #8)\n")
    for line in targets(results):
        lines.append(f"- {line}")
    lines.append("")
    with open(os.path.join(ARGS.work, "results.json"), "w") as f:
        json.dump({f"{k[0]}/{k[1]}": v for k, v in results.items()}, f, indent=1)
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(ARGS.out), "w") as f:
        f.write(text)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--normgraph", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--command", default="bench/run.sh")
    ap.add_argument("--without-10m", action="store_true")
    ARGS = ap.parse_args()
    main()
