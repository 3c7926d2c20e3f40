#!/usr/bin/python3
"""Holds every figure of the model and the stacks against a published one.

    ./lpwan validate [--out DIR] [--only PREFIX]
    analysis/validate.py --bin-dir build/bin [--references validation/references.json] ...

The references (validation/references.json) name each figure, its value, its tolerance (exact,
or a relative band) and where in which document it is. The values to compare come from
measurements, never from this script: the probes (validation/*-probe.cc, programs of the build)
run the real protocol cores and the ns-3 model in the case that matches each reference's
assumptions and print one JSON object per row; the RFC test vectors are the unit tests that
reproduce them byte for byte. Prints the table (Markdown) and writes OUT/validation.md,
OUT/validation.csv and OUT/validation.png (model / reference per row, with its tolerance).

A row passes when its value is inside its tolerance. A row outside it, or one the project
cannot measure, fails, unless the reference marks it as a known deviation whose reason
docs/validation.md explains; those are listed as such, never counted as passes. Exit status:
0 when every row passes or is a known deviation, 1 otherwise, 2 on bad arguments or a probe
that fails.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

PASS, OUT_OF_TOLERANCE, DEVIATION, UNSUPPORTED, MISSING = (
    "pass", "out of tolerance", "known deviation", "unsupported", "not measured")


def die(message):
    print(f"validate: {message}", file=sys.stderr)
    sys.exit(2)


def load_references(path):
    try:
        with open(path, encoding="utf-8") as f:
            refs = json.load(f)
    except (OSError, ValueError) as e:
        die(f"{path}: {e}")
    ids = [r["id"] for r in refs["rows"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        die(f"{path}: rows given twice: {', '.join(duplicates)}")
    for r in refs["rows"]:
        if r["source"] not in refs["sources"]:
            die(f"{path}: row {r['id']} names an unknown source '{r['source']}'")
    return refs


def run_probe(path):
    """The probe's rows by id: {"id", "model" | "unsupported", "unit", "case", ...}."""
    if not os.access(path, os.X_OK):
        die(f"{path} is missing: build first (./lpwan validate builds it)")
    r = subprocess.run([path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        die(f"{path} failed (exit {r.returncode}): {r.stderr.strip()}")
    rows = {}
    for n, line in enumerate(r.stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as e:
            die(f"{path}: output line {n} is not JSON ({e}): {line[:80]}")
        rows[row["id"]] = row
    return rows


def run_vectors(unit_tests, vectors):
    """Per vector test: True when it passed, False when it failed or did not run."""
    if not os.access(unit_tests, os.X_OK):
        die(f"{unit_tests} is missing: build first (./lpwan validate builds it)")
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "vectors.json")
        subprocess.run([unit_tests, "--gtest_filter=" + ":".join(v["test"] for v in vectors),
                        "--gtest_output=json:" + report],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with open(report, encoding="utf-8") as f:
                result = json.load(f)
        except (OSError, ValueError) as e:
            die(f"{unit_tests} wrote no test report ({e})")
    passed = {}
    for suite in result.get("testsuites", []):
        for case in suite.get("testsuite", []):
            name = f"{suite['name']}.{case['name']}"
            passed[name] = case.get("result") == "COMPLETED" and not case.get("failures")
    return {v["test"]: passed.get(v["test"], False) for v in vectors}


def within(model, reference, tolerance):
    if tolerance == "exact":
        return model == reference
    return abs(model / reference - 1.0) <= tolerance["relative"]


def tolerance_text(tolerance):
    return "exact" if tolerance == "exact" else f"±{tolerance['relative'] * 100:g} %"


def evaluate(refs, measured, vectors_passed):
    rows = []
    for ref in refs["rows"]:
        got = measured.get(ref["id"])
        row = {"id": ref["id"], "group": ref["group"], "what": ref["what"],
               "reference": ref["reference"], "unit": ref["unit"],
               "tolerance": tolerance_text(ref["tolerance"]), "source": ref["source"],
               "location": ref["location"], "model": None, "ratio": None,
               "case": "", "note": "", "deviation": ref.get("deviation", "")}
        if got is None:
            row["status"] = MISSING
        elif "unsupported" in got:
            row["status"] = UNSUPPORTED
            row["note"] = got["unsupported"]
        else:
            row["model"] = got["model"]
            row["case"] = got.get("case", "")
            row["note"] = got.get("note", "")
            if got.get("unit", ref["unit"]) != ref["unit"]:
                die(f"row {ref['id']}: the probe measures {got['unit']}, "
                    f"the reference is in {ref['unit']}")
            row["ratio"] = got["model"] / ref["reference"] if ref["reference"] else None
            row["status"] = (PASS if within(got["model"], ref["reference"], ref["tolerance"])
                             else OUT_OF_TOLERANCE)
        if row["status"] != PASS and row["deviation"]:
            row["status"] = DEVIATION
        rows.append(row)
    for v in refs["vectors"]:
        ok = vectors_passed[v["test"]]
        rows.append({"id": "vector." + v["test"], "group": "vectors",
                     "what": f"{v['location']} reproduced byte for byte ({v['test']})",
                     "reference": "published bytes", "unit": "", "tolerance": "exact",
                     "source": v["source"], "location": v["location"],
                     "model": "identical" if ok else "differs", "ratio": None, "case": "",
                     "note": "", "deviation": "", "status": PASS if ok else OUT_OF_TOLERANCE})
    return rows


def number(value):
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.1f}"


def markdown(rows, refs):
    lines = ["| row | model | reference | ratio | tolerance | status | source |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        unit = f" {r['unit']}" if r["unit"] else ""
        ratio = f"{r['ratio']:.3f}" if r["ratio"] is not None else "–"
        status = r["status"] if r["status"] != UNSUPPORTED else f"unsupported: {r['note']}"
        lines.append(f"| `{r['id']}`: {r['what']} | {number(r['model'])}{unit if r['model'] is not None else ''} "
                     f"| {number(r['reference'])}{unit} | {ratio} | {r['tolerance']} | {status} "
                     f"| [{r['source']}] {r['location']} |")
    reasons = {}
    for r in rows:
        if r["status"] == DEVIATION:
            reasons.setdefault(r["deviation"], []).append(r["id"])
    if reasons:
        lines.append("")
        lines.append("Known deviations (why each listed row is outside its tolerance):")
        lines.append("")
        for reason, ids in reasons.items():
            lines.append(f"- {', '.join('`' + i + '`' for i in ids)}: {reason}")
    lines.append("")
    for key, s in refs["sources"].items():
        lines.append(f"[{key}]: {s['title']}; {s['version']}; {s['where']}")
    return "\n".join(lines)


def summary_line(rows):
    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    order = [PASS, DEVIATION, OUT_OF_TOLERANCE, UNSUPPORTED, MISSING]
    return f"{len(rows)} rows: " + ", ".join(f"{counts[s]} {s}" for s in order if s in counts)


def write_csv(rows, path):
    fields = ["id", "group", "what", "model", "reference", "unit", "ratio", "tolerance", "status",
              "source", "location", "case", "note", "deviation"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in fields})


def write_figure(rows, refs, path):
    """Model / reference per numeric row, on a log axis, with each row's tolerance band."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    numeric = [r for r in rows if r["ratio"] is not None]
    if not numeric:
        return False
    colours = {PASS: "tab:green", DEVIATION: "tab:orange", OUT_OF_TOLERANCE: "tab:red"}
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(numeric) + 1.5))
    for y, r in enumerate(numeric):
        ref = next(x for x in refs["rows"] if x["id"] == r["id"])
        if ref["tolerance"] != "exact":
            band = ref["tolerance"]["relative"]
            ax.plot([1 - band, 1 + band], [y, y], color="0.8", linewidth=6, solid_capstyle="butt")
        ax.plot([r["ratio"]], [y], "o", color=colours.get(r["status"], "black"))
    ax.axvline(1.0, color="0.4", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yticks(range(len(numeric)))
    ax.set_yticklabels([r["id"] for r in numeric], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("model / reference (grey: tolerance; green pass, orange known deviation, red out)")
    ax.set_title("lpwan-sec against published figures (./lpwan validate)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin-dir", required=True, help="the build's bin directory (probes, tests)")
    ap.add_argument("--references", default=os.path.join(ROOT, "validation", "references.json"))
    ap.add_argument("--out", default="results/validation")
    ap.add_argument("--only", default="",
                    help="rows whose id starts with this prefix (e.g. overhead., energy.)")
    args = ap.parse_args()

    refs = load_references(args.references)
    if args.only:
        refs["rows"] = [r for r in refs["rows"] if r["id"].startswith(args.only)]
        refs["vectors"] = [v for v in refs["vectors"] if ("vector." + v["test"]).startswith(args.only)]
        if not refs["rows"] and not refs["vectors"]:
            die(f"--only {args.only}: no row starts with it")
    measured = {}
    for probe in refs["probes"] if refs["rows"] else []:
        measured.update(run_probe(os.path.join(args.bin_dir, probe)))
    vectors = (run_vectors(os.path.join(args.bin_dir, "lpwan-unit-tests"), refs["vectors"])
               if refs["vectors"] else {})
    rows = evaluate(refs, measured, vectors)

    os.makedirs(args.out, exist_ok=True)
    table = markdown(rows, refs)
    with open(os.path.join(args.out, "validation.md"), "w", encoding="utf-8") as f:
        f.write("# lpwan-sec against published figures\n\n")
        f.write("Written by `./lpwan validate`; what each row means and why each known deviation "
                "exists: docs/validation.md in the repository.\n\n")
        f.write(table + "\n\n" + summary_line(rows) + "\n")
    write_csv(rows, os.path.join(args.out, "validation.csv"))
    figure = write_figure(rows, refs, os.path.join(args.out, "validation.png"))
    print(table)
    print()
    print(summary_line(rows))
    print(f"(written: {args.out}/validation.md, validation.csv"
          + (", validation.png)" if figure else "; no numeric row, so no figure)"))
    bad = [r for r in rows if r["status"] not in (PASS, DEVIATION)]
    for r in bad:
        print(f"validate: {r['id']}: {r['status']}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
