#!/usr/bin/python3
"""Property-based tests of the sweep-file reader (analysis/sweep_spec.py) with Hypothesis
(Debian python3-hypothesis); ctest runs them (label workflow). The sweep reader is Python, so
this is its counterpart of the libFuzzer targets in test/fuzz/.

Properties:
  1. Any bytes, any text, any YAML document built of sweep-like pieces, and any mutation of the
     catalogue's sweep files: load_sweep returns a sweep or raises SweepError with one line
     that names the file; never another exception.
  2. A valid sweep (grid of distinct values, value sets, seeds) loads to exactly the points
     of its grid times its cases, each with the values written, fixed keys in every run.

derandomize=True: the same examples on every run (CI must not be flaky); the number of
examples is LPWAN_HYPOTHESIS_EXAMPLES (default 200 per property).
"""
import itertools
import os
import sys
import tempfile

import yaml
import hypothesis.configuration
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "analysis"))

from lpwan_runs import KeyInfo  # noqa: E402
from sweep_spec import TOP_LEVEL, SweepError, load_sweep  # noqa: E402

SCENARIO_DIR = os.path.join(ROOT, "scenarios")
# A few keys of each type, as lpwan-run --list-keys describes them.
KEYS = {
    "security.profile": KeyInfo("security.profile", "one of none|oscore|dtls-psk|dtls-ecdhe"),
    "traffic.type": KeyInfo("traffic.type", "one of con|non"),
    "link.loss": KeyInfo("link.loss", "real"),
    "traffic.interval_s": KeyInfo("traffic.interval_s", "real"),
    "devices.count": KeyInfo("devices.count", "integer"),
    "traffic.payload_bytes": KeyInfo("traffic.payload_bytes", "integer"),
    "trace.pcap": KeyInfo("trace.pcap", "boolean"),
    "name": KeyInfo("name", "text"),
}
EXAMPLES = int(os.environ.get("LPWAN_HYPOTHESIS_EXAMPLES", "200"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))
TMP = tempfile.mkdtemp(prefix="sweep-properties-")
hypothesis.configuration.set_hypothesis_home_dir(os.path.join(TMP, ".hypothesis"))
PATH = os.path.join(TMP, "sweep.yaml")


def load_text(text):
    """Property 1 for one file content (text or bytes); returns the sweep or None."""
    with open(PATH, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass"))
    try:
        return load_sweep(PATH, KEYS, SCENARIO_DIR)
    except SweepError as e:
        message = str(e)
        assert "\n" not in message, f"a sweep error of several lines: {message!r}"
        assert message.startswith(PATH), f"a sweep error that does not name the file: {message!r}"
        return None


# ---- 1. anything in, one clear error out ----

scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                    st.sampled_from(["default", "lpwan-star", "none", "oscore", "con"]))
key_names = st.one_of(st.sampled_from(TOP_LEVEL + list(KEYS) + ["link", "loss", "security",
                                                                "profile", "simulation.seed"]),
                      st.text(max_size=10))
documents = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(key_names, children, max_size=5)),
    max_leaves=20)


@SETTINGS
@given(st.text(max_size=300))
@example("\x1f")  # found by this test: yaml's ReaderError escaped as a traceback
def any_text(text):
    load_text(text)


@SETTINGS
@given(st.binary(max_size=300))
@example(b"seeds: \xff")  # not UTF-8: was a UnicodeDecodeError traceback
def any_bytes(data):
    load_text(data)


@SETTINGS
@given(st.dictionaries(st.sampled_from(TOP_LEVEL + ["other"]), documents, max_size=5))
def any_document(doc):
    load_text(yaml.safe_dump(doc, allow_unicode=True))


CATALOGUE = [open(os.path.join(SCENARIO_DIR, "sweeps", n), encoding="utf-8").read()
             for n in sorted(os.listdir(os.path.join(SCENARIO_DIR, "sweeps")))]


@SETTINGS
@given(st.sampled_from(CATALOGUE), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 3),
                                                      st.text(max_size=3)), max_size=4))
def mutated_catalogue(text, edits):
    for at, cut, insert in edits:
        at %= len(text) + 1
        text = text[:at] + insert + text[at + cut:]
    load_text(text)


# ---- 2. valid sweeps load to exactly their points ----

def values_of(key):
    info = KEYS[key]
    if info.type == "choice":
        return st.sampled_from(info.choices)
    if info.type == "integer":
        return st.integers(1, 10**6)
    if info.type == "real":
        return st.floats(0, 1e6, allow_nan=False)
    if info.type == "boolean":
        return st.booleans()
    return st.text(alphabet="abcdefgh-_", min_size=1, max_size=8)


@st.composite
def valid_sweeps(draw):
    keys = draw(st.permutations(list(KEYS)))
    n_fixed, n_grid, n_cases = draw(st.tuples(st.integers(0, 2), st.integers(0, 3),
                                              st.integers(0, 2)))
    fixed_keys = keys[:n_fixed]
    grid_keys = keys[n_fixed:n_fixed + n_grid]
    case_keys = keys[n_fixed + n_grid:n_fixed + n_grid + n_cases]
    doc = {"scenario": draw(st.sampled_from(["default", "lpwan-star"]))}
    if fixed_keys:
        doc["set"] = {k: draw(values_of(k)) for k in fixed_keys}
    grid = {}
    for k in grid_keys:
        grid[k] = draw(st.lists(values_of(k), min_size=1, max_size=3,
                                unique_by=lambda v: repr(float(v)) if isinstance(v, float) else str(v)))
    if grid:
        doc["grid"] = grid
    cases = []
    if case_keys:
        cases = draw(st.lists(st.fixed_dictionaries({k: values_of(k) for k in case_keys}),
                              min_size=1, max_size=3, unique_by=lambda c: repr(sorted(c.items()))))
        doc["cases"] = cases
    doc["seeds"] = draw(st.one_of(st.integers(1, 20),
                                  st.lists(st.integers(1, 1000), min_size=1, max_size=4,
                                           unique=True)))
    return doc, fixed_keys, grid, cases


@SETTINGS
@given(valid_sweeps())
def valid_sweep_points(example):
    doc, fixed_keys, grid, cases = example
    spec = load_text(yaml.safe_dump(doc, sort_keys=False))
    assert spec is not None, f"a valid sweep was refused: {doc}"
    n_points = len(cases or [None])
    for values in grid.values():
        n_points *= len(values)
    assert len(spec.points) == n_points, (doc, len(spec.points))
    seeds = doc["seeds"]
    assert spec.seeds == (list(range(1, seeds + 1)) if isinstance(seeds, int) else seeds)
    assert len({p.slug for p in spec.points}) == n_points
    assert sorted(a.key for a in spec.fixed) == sorted(fixed_keys)
    expected = [list(combo) for combo in itertools.product(*grid.values())]
    for k, point in enumerate(spec.points):
        got = point.values()
        case = (cases or [{}])[k // max(1, len(expected))]
        for key, value in zip(grid, expected[k % len(expected)]):
            assert got[key] == value, (key, got[key], value)
        for key, value in case.items():
            assert got[key] == value, (key, got[key], value)


def main():
    failed = 0
    for prop in (any_text, any_bytes, any_document, mutated_catalogue, valid_sweep_points):
        try:
            prop()
            print(f"ok   {prop.__name__} ({EXAMPLES} examples)")
        except Exception as e:  # the property's counterexample is printed by Hypothesis
            failed += 1
            print(f"FAIL {prop.__name__}: {type(e).__name__}: {e}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
