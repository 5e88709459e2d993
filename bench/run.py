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


QUERIES = ["who-backs-norm", "norms-backed-by", "common-ground", "alignment-20", "contested-norms",
           "contradictions"]
# What each engine attempts (bench/peers.py); the other cells read "—", not "> limit".
ATTEMPTS = {
    "normgraph": ["load", "rules", *QUERIES, "validation"],
    "pyoxigraph-mem": ["load", "rules", *QUERIES],
    "pyoxigraph-disk": ["load", "rules", *QUERIES],
    "rdflib": ["load", "rules", *QUERIES],
    "pyshacl": ["validation"],
}


def single_run(r):
    """A query timed once (cold) because its first run took over 2 s: no warm figure."""
    if "warm_runs" in r:
        return r["warm_runs"] == 0
    return r["cold_s"] == r["warm_s"]


def cell(res, op, triples, engine):
    if res is None:
        return "—"
    if op == "rss":
        # A run stopped at its time limit might have grown further.
        return f"{'≥ ' if res.get('_timed_out') else ''}{res['rss']:.0f}"
    if op not in ATTEMPTS[engine]:
        return "—"
    r = res.get(op)
    if r is None:
        if res.get("_timed_out"):
            return f"> {res['_elapsed']:.0f} s (limit)"
        return "—"
    if "error" in r:
        return "n/a"
    if op == "load":
        return f"{triples / r['cold_s']:,.0f}"
    if op in ("rules", "validation"):
        return f"{r['cold_s']:.2f}"
    cold = " (1 run)" if engine != "normgraph" and single_run(r) else ""
    if op in ("who-backs-norm", "norms-backed-by", "common-ground"):
        return f"{r['warm_s'] * 1000:.1f}{cold}"
    return f"{r['warm_s']:.3f}{cold}"


def value(res, op, triples, cold=False):
    """A comparable number (seconds; for load, seconds too) or None; `cold`: the first run."""
    if res is None:
        return None
    if op == "rss":
        return res["rss"]
    r = res.get(op)
    if r is None or "error" in r:
        return None
    return r["cold_s"] if cold or op in ("load", "rules", "validation") else r["warm_s"]


def ratio(results, label, op, triples, engine):
    """Peer / normgraph; a peer's single cold run is compared with normgraph's cold run."""
    peer_res = results[(label, engine)]
    other = value(peer_res, op, triples)
    r = peer_res.get(op) or {}
    cold = op in QUERIES and "cold_s" in r and single_run(r)
    ng = value(results[(label, "normgraph")], op, triples, cold=cold)
    if not ng or not other:
        return "—"
    return f"{other / ng:.2f}x{' (cold)' if cold else ''}"


SIZES = [("100k", 100_000), ("1M", 1_000_000), ("10M", 10_000_000)]
ENGINES_FOR = {
    "100k": ["normgraph", "pyoxigraph-mem", "pyoxigraph-disk", "rdflib", "pyshacl"],
    "1M": ["normgraph", "pyoxigraph-mem", "pyoxigraph-disk"],
    "10M": ["normgraph", "pyoxigraph-disk"],
}


def main():
    sizes = SIZES if not ARGS.without_10m else SIZES[:2]
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
        for engine in ENGINES_FOR[label]:
            limit = own_limits[label] if engine == "normgraph" else limits[label]
            results[(label, engine)] = measure(engine, label, nt, limit)
            results[(label, engine)]["_triples"] = triples
        os.remove(nt)
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
            "total_s": time.time() - started, "command": ARGS.command}
    write(results, sizes, meta)


def rerender(path):
    """Writes BENCHMARKS.md again from a saved results.json (the same measurements)."""
    with open(path) as f:
        saved = json.load(f)
    meta = saved.pop("_meta")
    meta["rendered"] = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    results = {tuple(k.split("/", 1)): v for k, v in saved.items()}
    sizes = [(label, n) for label, n in SIZES if (label, "normgraph") in results]
    write(results, sizes, meta)


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


def write(results, sizes, meta):
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
    lines.append(f"- Date: {meta['date']}")
    if "rendered" in meta:
        lines.append(f"- Report rendered again on {meta['rendered']} from the same measurements "
                     "(`bench/run.py --from-results bench/results.json`)")
    lines.append(f"- Machine: {os.cpu_count()} CPUs ({cpu}), {mem_kb / 1048576:.1f} GiB memory, {platform.system()} {platform.release()}")
    lines.append(f"- Command: `{meta['command']}`; whole run {meta['total_s'] / 60:.1f} min; "
                 "raw figures in `bench/results.json`")
    lines.append("- Engines: normgraph (on-disk RocksDB store; bulk loader; rules and analyses in Rust), "
                 "pyoxigraph 0.5.13 in memory and on disk (bulk_load, rules as SPARQL UPDATE, queries as SPARQL), "
                 "rdflib 7.6.0 in memory (queries only: it loads pyoxigraph's inferred graph), pySHACL 0.40.1 (validation only).")
    lines.append("- Data: `normgraph generate --triples N` (seed 1), N-Triples, plus the ontology files; "
                 "peers run the same queries with the same bindings (`bench/peers.py`).")
    lines.append("- Load = parse + store of the files (rules apart; for normgraph, with the RocksDB compaction that follows its bulk load); query times are the median of 5 warm runs "
                 "(a single run when the first took over 2 s); rules and validation are single runs. "
                 "Peak RSS is per process (whole run of that engine at that size).\n")
    for label, _ in sizes:
        engines = ENGINES_FOR[label]
        triples = next(results[(label, e)]["_triples"] for e in engines)
        lines.append(f"## {label} ({triples:,} triples)\n")
        growth = label == "10M" and ("1M", "normgraph") in results
        header = "| operation | " + " | ".join(engines) + " | " + " | ".join(f"normgraph vs {e}" for e in engines[1:]) + " |"
        if growth:
            header += " normgraph 10M / 1M |"
        lines.append(header)
        lines.append("|" + "---|" * (1 + 2 * len(engines) - 1 + (1 if growth else 0)))
        for op, name in OPS:
            cells = [cell(results[(label, e)], op, triples, e) for e in engines]
            # > 1 means normgraph is better (faster, or less memory).
            ratios = [ratio(results, label, op, triples, e) for e in engines[1:]]
            row = f"| {name} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |"
            if growth:
                small = results[("1M", "normgraph")]
                a = value(small, op, small["_triples"])
                b = value(results[(label, "normgraph")], op, triples)
                if a and b:
                    # time (load included: seconds, not triples/s) or memory, 10M over 1M
                    row += f" {b / a:.1f}x |"
                else:
                    row += " — |"
            lines.append(row)
        lines.append("")
        # Same workload, same answers: a query whose row count differs from normgraph's is named.
        ng_res = results[(label, "normgraph")]
        for e in engines[1:]:
            for op in QUERIES:
                mine, theirs = ng_res.get(op) or {}, results[(label, e)].get(op) or {}
                if "rows" in mine and "rows" in theirs and mine["rows"] != theirs["rows"]:
                    lines.append(f"- ROWS DIFFER at {label}: {e} {op} {theirs['rows']} vs normgraph {mine['rows']}")
        for e in engines:
            r = results[(label, e)]
            if r.get("_timed_out"):
                lines.append(f"- {e} at {label}: stopped at the time limit ({r['_limit']} s); operations not reached are marked.")
        lines.append("")
    lines.append("Ratios are peer / normgraph: above 1.00x normgraph is faster (or smaller). "
                 "\"(1 run)\": a peer's query took over 2 s cold and was not repeated; its ratio \"(cold)\" "
                 "is to normgraph's cold run. \"≥\": the memory of a run stopped at its limit. "
                 "\"—\": not attempted by that engine. "
                 "The last column of the 10M table is normgraph's time (for load too: seconds, not triples/s) "
                 "or memory at 10M over its figure at 1M, for 10x the triples: near 10x is linear growth.\n")
    lines.append("## Targets (issue #8)\n")
    for line in targets(results):
        lines.append(f"- {line}")
    lines.append("")
    with open(os.path.join(os.path.dirname(os.path.abspath(ARGS.out)), "bench", "results.json"), "w") as f:
        saved = {f"{k[0]}/{k[1]}": v for k, v in results.items()}
        json.dump({"_meta": meta, **saved}, f, indent=1)
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(ARGS.out), "w") as f:
        f.write(text)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--normgraph")
    ap.add_argument("--python")
    ap.add_argument("--root")
    ap.add_argument("--work")
    ap.add_argument("--out", required=True)
    ap.add_argument("--command", default="bench/run.sh")
    ap.add_argument("--without-10m", action="store_true")
    ap.add_argument("--from-results", help="write the report again from a saved results.json")
    ARGS = ap.parse_args()
    if ARGS.from_results:
        rerender(ARGS.from_results)
    else:
        main()
