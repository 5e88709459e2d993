#!/usr/bin/env python3
"""Generate assets/world-map.tsv: a small Equal Earth world map (one SVG path per state, or a dot for
states too small for the 1:110m data) that the server draws as inline SVG, offline.

Python 3 standard library only. Deterministic: same inputs -> byte-identical output (rows sorted by alpha-3,
fixed rounding, no timestamps, no dict-order or hash-order dependence).

Sources (read 2026-12-05 as git snapshots through the project's search tool; none of this needs the network at
run time)
- countries-110m.json, the world-atlas 2.0.2 build (Mike Bostock, https://github.com/topojson/world-atlas,
  published on npm only; the official repository never committed the JSON), TopoJSON of Natural Earth 1:110m
  admin-0 countries. Copy read: repository wizhaaa/imo_choropleth, commit
  0eb721b02909696c21f4841d99704ab03b0e3da8 ("init files - minimal map done"), path countries-110m.json,
  git blob 055d19ffcf3133435978527737ff8ad37a568c59, 107761 bytes,
  sha256 2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8.
  Committed unchanged as scripts/data/countries-110m.json. The same blob is the first version committed in
  Altline/tourism-data-visualisation 0962212, Triple3A/WorldHappinessLevel 4382b2b, adrianhorvat2/
  Data-Visualisation-Project 857cdac and polinaLyubavina/6017-homework7 8721b37; the other copies compared
  (the current versions in those repositories, sixseventysix/country-guesser-stt, tialikerice/added-sugar-visualization,
  delceyhugo/DrugsMap, Jaweilee/Olympics_VisualExploration) has identical arcs/transform and differs only by
  hand-renamed properties.name, removed features, or a mis-encoded "Côte d'Ivoire". Objects "countries"
  (177 geometries, id = ISO 3166-1 numeric string, properties.name = Natural Earth NAME) and "land".
  (cublya/world-atlas is a 2026 fork rebuilt from Natural Earth 5.1.2 with a "UN boundary view" -- Kosovo
  dissolved into Serbia etc., 174 features -- and was NOT used.)
- countries-50m.json, the world-atlas 2.0.2 1:50m build (241 geometries), NOT committed (756 KB): read at run time
  from the path given with --topo50 ("-" = stdin). Copy read: repository xsmzdd/global-flags, commit
  94bb3a40f73271a1d03a238cb059bac533acfdbe, path countries-50m.json, git blob
  a7a8c4c3f37fa93492ed4f8444532025ce1216f9, 756420 bytes,
  sha256 04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394 (same blob as ericluo-aot/FIT3179-V2
  commit 4337de72d087a99955daf54b603f76ff0d97bb36 "Add files via upload"; KaguyaM/world-data,
  JulianGallegoFranco/D3-GeoJson and Triple3A/WorldHappinessLevel hold the same arcs and geometries with some
  names edited). Only used for the dots (centroids of small states).
- ISO 3166-1 alpha-3 <-> numeric: lukes/ISO-3166-Countries-with-Regional-Codes, commit
  145f1ad3caff212ed25f42b0ee2c8b92a75af895, path all/all.csv (249 rows; columns alpha-3, country-code = numeric).
  The subset used (every numeric id of a 110m feature, plus every state in data/actors/states.ttl) is committed
  as scripts/data/iso3166-numeric.csv (columns alpha-3, numeric, name) and is what this script reads;
  --iso-full PATH_TO_all.csv rewrites that subset first.
- States (the 193 UN members + Holy See + Palestine) and their names: data/actors/states.ttl
  (ng:isoAlpha3, rdfs:label). Row names: the states.ttl label for states, else the ISO name from the CSV.

Licences: Natural Earth data is public domain (https://www.naturalearthdata.com/about/terms-of-use/);
world-atlas is ISC-licensed, Copyright Mike Bostock. The generated table is a derived work of both.

Rerun (from the repository root; the 50m file comes from the git mirror, or any byte-identical copy):
    git --git-dir=/work/.mirror/xsmzdd+global-flags/repo show \\
        94bb3a40f73271a1d03a238cb059bac533acfdbe:countries-50m.json \\
      | python3 scripts/world_map.py --topo50 - [--check-svg /tmp/world-check.svg]
  Options: --topo110 PATH (default scripts/data/countries-110m.json), --out PATH (default assets/world-map.tsv),
  --check-svg PATH (also draw every row into a throw-away SVG: shapes grey, dots red), --iso-full PATH,
  --no-verify (accept inputs whose sha256 differs from the ones above; the output is then not the committed one).

Method
1. TopoJSON decoding: each arc is a list of quantized, delta-encoded positions; absolute position k is the running
   sum of the deltas, then lon = x * transform.scale[0] + transform.translate[0] (likewise lat). A ring is a list
   of arc indices; index i >= 0 is arc i, index i < 0 is arc ~i (= -i - 1) reversed; consecutive arcs share their
   end/start point, which is kept once. Polygon = [exterior ring, hole rings...]; MultiPolygon = [Polygon...].
   Natural Earth rings that cross the antimeridian (Fiji; Chukotka and Wrangel Island in Russia; Antarctica) jump
   from +180 to -180 deg between two points: the arc is cut there (crossing latitude interpolated linearly), and
   the ring becomes one ring per side, closed along the +-180 deg meridian (densified every degree of latitude,
   the meridian being a curve in Equal Earth). So Fiji and far-east Russia appear at both edges of the map.
2. Equal Earth projection (Bojan Šavrič, Tom Patterson & Bernhard Jenny, "The Equal Earth map projection",
   International Journal of Geographical Information Science 33(3), 2019, doi:10.1080/13658816.2018.1504949),
   lambda = longitude, phi = latitude in radians:
       theta = asin(M * sin(phi)),  M = sqrt(3) / 2
       x = lambda * cos(theta) / (M * (A1 + 3*A2*theta^2 + theta^6 * (7*A3 + 9*A4*theta^2)))
       y = theta * (A1 + A2*theta^2 + theta^6 * (A3 + A4*theta^2))
   with A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796. Its extent is |x| <= pi / (M*A1)
   (the equator at +-180 deg) and |y| <= y(90 deg) = 1.3173.
3. View box: width 1000 = the projection's full x extent (scale s = 1000 / (2*pi/(M*A1))), so x_svg =
   (x + pi/(M*A1)) * s. Antarctica (the feature with numeric id 010) is dropped, and the height is the projected
   y extent of everything drawn (all shapes and dots) plus 1 unit of margin above and below, rounded up to an
   integer: y_svg = (y_top - y) * s + 1 (north up). The real H is written on line 2 of the table.
4. Simplification, done on the projected, unrounded arcs (so shared borders stay identical in the two
   neighbours): within an arc, a point closer than 0.4 units to the previous kept point is dropped; arc end
   points are always kept. Rings are then rounded to 1 decimal and consecutive duplicate points dropped; if a
   ring is left with fewer than 4 distinct points it is rebuilt from the unsimplified arcs. A polygon whose
   exterior ring has a projected area below 0.5 square units is dropped with its holes, and a hole below
   0.5 square units is dropped, unless that would leave the state with no polygon (then its largest is kept).
5. Path strings: "M x,y x,y ... Z" per ring (M then implicit line-tos; absolute coordinates; ".0" omitted),
   rings concatenated. Rings keep the source winding (outer rings clockwise on screen, holes counter-clockwise),
   so the default fill-rule nonzero draws holes (Lesotho in South Africa) correctly.
6. Dots: every state of states.ttl without a 110m feature but with a 50m feature gets "cx cy": the area-weighted
   centroid (shoelace formula, holes subtracted) of its largest polygon in the 50m data, computed in projected
   coordinates (Equal Earth is equal-area, so "largest" is largest on the ground), rounded to 1 decimal.

Output: assets/world-map.tsv, UTF-8, LF. Line 1 "# GENERATED by scripts/world_map.py ..." (source and licence),
line 2 "# viewBox 0 0 1000 H", line 3 the header "iso3<TAB>name<TAB>kind<TAB>geometry", then one row per
alpha-3 code sorted (a renderer should draw all shapes before the dots, or a dot such as AND is hidden under
its neighbours): kind "shape" (geometry = SVG path d) for every 1:110m feature with an ISO numeric id
(including the 7 non-state territories present there: ATF, ESH, FLK, GRL, NCL, PRI, TWN -- drawn so the map has
no holes; Antarctica ATA excluded), kind "dot" (geometry = "cx cy") for the small states described above.

Skipped 110m features (no ISO numeric id in world-atlas, and states.ttl has no state:XKX):
    Kosovo, N. Cyprus, Somaliland  (their areas are simply not drawn: gaps next to SRB, CYP, SOM)
  and Antarctica (id 010), cropped by design.

States of data/actors/states.ttl with neither a shape nor a dot (absent from both 110m and 50m):
    TUV (Tuvalu)
"""
import argparse
import csv
import hashlib
import io
import json
import math
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DEFAULT_110 = os.path.join(ROOT, "scripts", "data", "countries-110m.json")
ISO_SUBSET = os.path.join(ROOT, "scripts", "data", "iso3166-numeric.csv")
STATES_TTL = os.path.join(ROOT, "data", "actors", "states.ttl")
DEFAULT_OUT = os.path.join(ROOT, "assets", "world-map.tsv")

SHA256_110 = "2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8"
SHA256_50 = "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394"

# What the docstring lists; the script warns if a run finds something else.
EXPECTED_SKIPPED = ["Kosovo", "N. Cyprus", "Somaliland"]
EXPECTED_NO_GEOMETRY = ["TUV"]

ANTARCTICA = "010"
WIDTH = 1000.0
MARGIN = 1.0
MIN_STEP = 0.4  # units: drop a point closer than this to the previous kept point of its arc
MIN_AREA = 0.5  # square units: drop smaller rings (unless it is the state's only polygon)

# Equal Earth constants.
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3.0) / 2.0
X_MAX = math.pi / (M * A1)
SCALE = WIDTH / (2.0 * X_MAX)

HEADER1 = ("# GENERATED by scripts/world_map.py -- do not edit by hand. Source: world-atlas 2.0.2 "
           "countries-110m.json (+ countries-50m.json for the dots), TopoJSON of Natural Earth 1:110m/1:50m "
           "admin-0 countries; Natural Earth: public domain; world-atlas: ISC licence, (c) Mike Bostock. "
           "Equal Earth projection, Antarctica cropped.")


def equal_earth(lon, lat):
    lam = math.radians(lon)
    phi = math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    # Screen units before the vertical offset: x in [0, 1000], y grows southwards.
    return (x + X_MAX) * SCALE, -y * SCALE


def read_bytes(path):
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as f:
        return f.read()


def load_topology(raw, expected_sha, label, verify):
    digest = hashlib.sha256(raw).hexdigest()
    if digest != expected_sha:
        msg = "%s: sha256 %s differs from the expected %s" % (label, digest, expected_sha)
        if verify:
            sys.exit(msg + " (use --no-verify to accept it)")
        print("warning: " + msg, file=sys.stderr)
    topo = json.loads(raw.decode("utf-8"))
    if topo.get("type") != "Topology" or "countries" not in topo.get("objects", {}):
        sys.exit("%s: not a world-atlas topology (no objects.countries)" % label)
    return topo


def decode_arcs(topo):
    """Every arc as a list of projected pieces, cut where it crosses the antimeridian.

    A piece is (points, start, end); start/end is None, or (side, lat) when that end lies on the antimeridian
    (side = +1 for +180 deg, -1 for -180 deg) because the arc was cut there.
    """
    tr = topo.get("transform")
    out = []
    for arc in topo["arcs"]:
        if tr:
            (kx, ky), (dx, dy) = tr["scale"], tr["translate"]
            lonlat, x, y = [], 0, 0
            for p in arc:
                x += p[0]
                y += p[1]
                lonlat.append((x * kx + dx, y * ky + dy))
        else:
            lonlat = [(p[0], p[1]) for p in arc]
        pieces, cur, start = [], [lonlat[0]], None
        for p, q in zip(lonlat, lonlat[1:]):
            if abs(q[0] - p[0]) > 180.0:
                side = 1 if p[0] > 0 else -1
                q_lon = q[0] + 360.0 * side
                t = (180.0 * side - p[0]) / (q_lon - p[0]) if q_lon != p[0] else 0.0
                lat = p[1] + t * (q[1] - p[1])
                cur.append((180.0 * side, lat))
                pieces.append((cur, start, (side, lat)))
                cur, start = [(-180.0 * side, lat)], (-side, lat)
            cur.append(q)
        pieces.append((cur, start, None))
        out.append([([equal_earth(lon, lat) for lon, lat in pts], a, b) for pts, a, b in pieces])
    return out


def simplify_arc(pts):
    if len(pts) <= 2:
        return list(pts)
    kept = [pts[0]]
    for p in pts[1:-1]:
        q = kept[-1]
        if math.hypot(p[0] - q[0], p[1] - q[1]) >= MIN_STEP:
            kept.append(p)
    last = pts[-1]
    if len(kept) > 1:
        q = kept[-1]
        if math.hypot(last[0] - q[0], last[1] - q[1]) < MIN_STEP:
            kept.pop()
    kept.append(last)
    return kept


def simplify_arcs(arcs):
    return [[(simplify_arc(pts), a, b) for pts, a, b in arc] for arc in arcs]


def ring_parts(ring, arcs):
    """The closed rings (point lists, closing point not repeated necessarily) drawn for one TopoJSON ring.

    Normally one; a ring that crosses the antimeridian (Fiji, Chukotka, Wrangel Island) is split into one part
    per side, each closed along the +-180 deg meridian (densified every degree of latitude, since the meridian
    is a curve in Equal Earth).
    """
    segs = []
    for i in ring:
        pieces = arcs[i] if i >= 0 else [(pts[::-1], b, a) for pts, a, b in reversed(arcs[~i])]
        for n, (pts, a, b) in enumerate(pieces):
            if n == 0 and segs:
                segs[-1][0].extend(pts[1:])
                segs[-1][2] = b
            else:
                segs.append([list(pts), a, b])
    if len(segs) == 1:
        return [segs[0][0]]
    last = segs.pop()
    segs[0] = [last[0] + segs[0][0][1:], last[1], segs[0][2]]
    sides = []
    parts = []
    for pts, a, b in segs:
        if a is None or b is None or a[0] != b[0]:
            sys.exit("unexpected antimeridian crossing")
        side, lat_end, lat_start = b[0], b[1], a[1]
        sides.append(side)
        n = int(math.ceil(abs(lat_start - lat_end)))
        for k in range(1, n):
            pts.append(equal_earth(180.0 * side, lat_end + (lat_start - lat_end) * k / n))
        parts.append(pts)
    if len(set(sides)) != len(sides):
        sys.exit("ring crosses the antimeridian more than twice: not handled")
    return parts


def polygons_of(geom):
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return list(geom["arcs"])
    return []


def shoelace(pts):
    """Signed area and centroid of a ring (closed or not)."""
    a = cx = cy = 0.0
    n = len(pts)
    for k in range(n):
        x0, y0 = pts[k]
        x1, y1 = pts[(k + 1) % n]
        c = x0 * y1 - x1 * y0
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    a /= 2.0
    if a == 0:
        return 0.0, (sum(p[0] for p in pts) / n, sum(p[1] for p in pts) / n)
    return a, (cx / (6.0 * a), cy / (6.0 * a))


def rounded_ring(pts, dy):
    """Round to 1 decimal after the vertical offset; drop consecutive duplicates and the closing point."""
    out = []
    for x, y in pts:
        p = (round(x, 1) + 0.0, round(y + dy, 1) + 0.0)
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[-1] == out[0]:
        out.pop()
    return out


def fmt(v):
    s = "%.1f" % v
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


def path_d(rings):
    parts = []
    for r in rings:
        parts.append("M" + " ".join("%s,%s" % (fmt(x), fmt(y)) for x, y in r) + "Z")
    return "".join(parts)


def parse_states(path):
    text = open(path, encoding="utf-8").read()
    states = {}
    for block in re.split(r"\n\s*\n", text):
        m = re.search(r"^state:([A-Z]{3}) a ng:State\b", block, re.M)
        if not m:
            continue
        a3 = re.search(r'ng:isoAlpha3 "([A-Z]{3})"', block)
        lab = re.search(r'rdfs:label "((?:[^"\\]|\\.)*)"@en', block)
        if not a3 or a3.group(1) != m.group(1):
            sys.exit("states.ttl: state:%s has no matching ng:isoAlpha3" % m.group(1))
        name = re.sub(r"\\(.)", r"\1", lab.group(1)) if lab else m.group(1)
        states[m.group(1)] = name
    if not states:
        sys.exit("no ng:State found in %s" % path)
    return states


def write_iso_subset(full_csv, topo110, states):
    with open(full_csv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    ids110 = {g.get("id") for g in topo110["objects"]["countries"]["geometries"]}
    keep = sorted((r["alpha-3"], r["country-code"], r["name"]) for r in rows
                  if r["country-code"] in ids110 or r["alpha-3"] in states)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["alpha-3", "numeric", "name"])
    w.writerows(keep)
    with open(ISO_SUBSET, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())
    print("wrote %d ISO rows to %s" % (len(keep), os.path.relpath(ISO_SUBSET, ROOT)))


def read_iso_subset():
    with open(ISO_SUBSET, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    num2a3 = {r["numeric"]: r["alpha-3"] for r in rows}
    a3name = {r["alpha-3"]: r["name"] for r in rows}
    return num2a3, a3name


def build_shapes(topo, num2a3, states):
    raw_arcs = decode_arcs(topo)
    simp_arcs = simplify_arcs(raw_arcs)
    features, skipped = {}, []
    for g in topo["objects"]["countries"]["geometries"]:
        gid = g.get("id")
        name = g.get("properties", {}).get("name", "?")
        if gid == ANTARCTICA:
            continue
        a3 = num2a3.get(gid) if gid is not None else None
        if a3 is None and gid is None and name == "Kosovo" and "XKX" in states:
            a3 = "XKX"  # only if states.ttl ever gains state:XKX (it has none as of 2026-12-05)
        if a3 is None:
            skipped.append(name)
            continue
        if a3 in features:
            sys.exit("two 110m features map to %s" % a3)
        features[a3] = polygons_of(g)
    return raw_arcs, simp_arcs, features, sorted(skipped)


def split_polygon(poly, arcs):
    """[exterior, holes...] point lists; a polygon cut by the antimeridian gives one polygon per part."""
    ext = ring_parts(poly[0], arcs)
    holes = []
    for h in poly[1:]:
        hp = ring_parts(h, arcs)
        if len(hp) != 1:
            sys.exit("hole crossing the antimeridian: not handled")
        holes.append(hp[0])
    if len(ext) > 1 and holes:
        sys.exit("polygon with holes crossing the antimeridian: not handled")
    return [[e] + holes for e in ext]


def finish_shape(polys, raw_arcs, simp_arcs, dy):
    """Rounded rings of one feature after simplification and area filtering."""
    cand = []  # (exterior area, [rings])
    for poly in polys:
        for simp, raw in zip(split_polygon(poly, simp_arcs), split_polygon(poly, raw_arcs)):
            rings = []
            for k, (sp, rp) in enumerate(zip(simp, raw)):
                r = rounded_ring(sp, dy)
                if len(r) < 4:
                    r = rounded_ring(rp, dy)
                if len(r) < 3:
                    if k == 0:
                        break
                    continue
                area = abs(shoelace(r)[0])
                if k == 0 or area >= MIN_AREA:
                    rings.append((area, r))
            if rings:
                cand.append((rings[0][0], [r for _, r in rings]))
    kept = [c for c in cand if c[0] >= MIN_AREA]
    if not kept and cand:
        kept = [max(cand, key=lambda c: c[0])]
    return [r for _, rings in kept for r in rings]


def dot_centroid(topo50, arcs, numeric):
    best = None
    for g in topo50["objects"]["countries"]["geometries"]:
        if g.get("id") != numeric:
            continue
        for poly in polygons_of(g):
            for rings in split_polygon(poly, arcs):
                ext_a, ext_c = shoelace(rings[0])
                ext_a = abs(ext_a)
                area, mx, my = ext_a, ext_c[0] * ext_a, ext_c[1] * ext_a
                for hole in rings[1:]:
                    ha, hc = shoelace(hole)
                    ha = abs(ha)
                    area -= ha
                    mx -= hc[0] * ha
                    my -= hc[1] * ha
                if area > 0 and (best is None or area > best[0]):
                    best = (area, mx / area, my / area)
    return None if best is None else (best[1], best[2])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--topo50", required=True, help="world-atlas 2.0.2 countries-50m.json, or - for stdin")
    ap.add_argument("--topo110", default=DEFAULT_110)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--check-svg", help="also write a throw-away SVG drawing every row")
    ap.add_argument("--iso-full", help="lukes all/all.csv: rewrite scripts/data/iso3166-numeric.csv first")
    ap.add_argument("--no-verify", action="store_true", help="accept inputs with another sha256")
    args = ap.parse_args()
    verify = not args.no_verify

    topo110 = load_topology(read_bytes(args.topo110), SHA256_110, "110m", verify)
    topo50 = load_topology(read_bytes(args.topo50), SHA256_50, "50m", verify)
    states = parse_states(STATES_TTL)
    if args.iso_full:
        write_iso_subset(args.iso_full, topo110, states)
    num2a3, a3name = read_iso_subset()
    a3num = {v: k for k, v in num2a3.items()}

    raw_arcs, simp_arcs, features, skipped = build_shapes(topo110, num2a3, states)

    # Dots: states with no 110m feature, centroid of the largest 50m polygon.
    dots, missing = {}, []
    arcs50 = decode_arcs(topo50)
    for a3 in sorted(states):
        if a3 in features:
            continue
        c = dot_centroid(topo50, arcs50, a3num[a3]) if a3 in a3num else None
        if c is None:
            missing.append(a3)
        else:
            dots[a3] = c

    # Vertical extent (unrounded, after simplification) of everything drawn.
    ys = []
    for polys in features.values():
        for poly in polys:
            for rings in split_polygon(poly, simp_arcs):
                for ring in rings:
                    ys.extend(p[1] for p in ring)
    ys.extend(c[1] for c in dots.values())
    dy = MARGIN - min(ys)
    height = int(math.ceil(max(ys) + dy + MARGIN))

    rows = []
    for a3, polys in features.items():
        rings = finish_shape(polys, raw_arcs, simp_arcs, dy)
        if not rings:
            sys.exit("%s: no ring left" % a3)
        rows.append((a3, states.get(a3, a3name.get(a3, a3)), "shape", path_d(rings)))
    for a3, (cx, cy) in dots.items():
        rows.append((a3, states[a3], "dot", "%s %s" % (fmt(round(cx, 1) + 0.0), fmt(round(cy + dy, 1) + 0.0))))
    rows.sort()

    lines = [HEADER1, "# viewBox 0 0 %d %d" % (int(WIDTH), height), "iso3\tname\tkind\tgeometry"]
    for r in rows:
        if any("\t" in f or "\n" in f for f in r):
            sys.exit("tab or newline in row %r" % (r[:2],))
        lines.append("\t".join(r))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "wb") as f:
        f.write(data)

    nshape = sum(1 for r in rows if r[2] == "shape")
    ndot = len(rows) - nshape
    print("wrote %s: %d rows (%d shape, %d dot), %d bytes, viewBox 0 0 %d %d"
          % (os.path.relpath(os.path.abspath(args.out), ROOT), len(rows), nshape, ndot, len(data), int(WIDTH), height))
    print("skipped 110m features (no ISO numeric id): %s" % ", ".join(skipped))
    print("states with neither shape nor dot: %s" % (", ".join(missing) or "none"))
    nonstate = sorted(a3 for a3 in features if a3 not in states)
    print("non-state 110m features drawn: %s" % ", ".join(nonstate))
    if skipped != EXPECTED_SKIPPED or missing != EXPECTED_NO_GEOMETRY:
        print("warning: the skipped / missing lists differ from the module docstring; update it", file=sys.stderr)

    if args.check_svg:
        out = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d">'
               % (int(WIDTH), height, int(WIDTH), height),
               '<rect width="100%" height="100%" fill="#eef4fa"/>']
        for a3, name, kind, geom in rows:  # shapes first, so that no shape hides a dot
            if kind == "shape":
                out.append('<path d="%s" fill="#bbb" stroke="#fff" stroke-width="0.3"><title>%s</title></path>'
                           % (geom, a3))
        for a3, name, kind, geom in rows:
            if kind == "dot":
                cx, cy = geom.split()
                out.append('<circle cx="%s" cy="%s" r="2" fill="red"><title>%s</title></circle>' % (cx, cy, a3))
        out.append("</svg>")
        with open(args.check_svg, "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
        print("wrote check SVG %s" % args.check_svg)


if __name__ == "__main__":
    main()
