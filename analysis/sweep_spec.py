"""A sweep file, read and validated completely before any run starts.

    scenario: default            # base scenario: a NAME in scenarios/ or a path (relative to
                                 # the sweep file, else to the working directory)
    set:                         # fixed values for every run (any scenario key)
      devices.count: 20
    grid:                        # every combination of these values...
      security.profile: [none, oscore]
      link.loss: [0.0, 0.1, 0.2]
    cases:                       # ...and/or explicit value sets; each case is combined with
      - {traffic.interval_s: 600}            # every combination of the grid
      - {traffic.interval_s: 3600, traffic.jitter_s: 60}
    seeds: 5                     # seeds 1..5, or a list: [3, 7, 11]

Keys are dotted scenario keys, or nested sections (link: {loss: [...]}). Every problem is a
SweepError whose text is one line naming the sweep file, the line and the key.
"""
import hashlib
import itertools
import os
import re
import stat

import yaml

TOP_LEVEL = ["scenario", "set", "grid", "cases", "seeds"]
MAX_SEED = 4294967295  # simulation.seed's range in lpwan-run
# A sweep file is a regular file of at most 1 MiB, like a scenario file (kMaxScenarioFileBytes in
# runner/scenario-config.h): a FIFO would block the open, /dev/zero would grow without end.
MAX_SWEEP_FILE_BYTES = 1 << 20


class SweepError(Exception):
    pass


class Located:
    """A YAML value with the line it starts on and its kind ("map", "seq" or "scalar").
    A map's value is a list of (key, key_line, Located), so duplicate keys can be reported;
    a seq's is a list of Located; a scalar's is the Python value."""

    def __init__(self, value, line, kind="scalar"):
        self.value = value
        self.line = line
        self.kind = kind


def _located(loader, node, path):
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        items, seen = [], set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise SweepError(f"{path}:{key_line}: {key!r}: a key must be text")
            if key in seen:
                raise SweepError(f"{path}:{key_line}: {key}: appears twice")
            seen.add(key)
            items.append((key, key_line, _located(loader, value_node, path)))
        return Located(items, line, "map")
    if isinstance(node, yaml.SequenceNode):
        return Located([_located(loader, n, path) for n in node.value], line, "seq")
    return Located(loader.construct_object(node, deep=True), line)


def load_yaml_located(path):
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise SweepError(f"{path}: not a regular file (a sweep file must be one)")
        if info.st_size > MAX_SWEEP_FILE_BYTES:
            raise SweepError(f"{path}: {info.st_size} bytes: a sweep file may have at most "
                             f"{MAX_SWEEP_FILE_BYTES} bytes (1 MiB)")
        with open(path, encoding="utf-8") as f:
            text = f.read(MAX_SWEEP_FILE_BYTES + 1)
        if len(text.encode("utf-8")) > MAX_SWEEP_FILE_BYTES:
            raise SweepError(f"{path}: a sweep file may have at most {MAX_SWEEP_FILE_BYTES} "
                             "bytes (1 MiB)")
    except OSError as e:
        raise SweepError(f"{path}: cannot read the sweep file: {e.strerror}")
    except UnicodeDecodeError as e:
        raise SweepError(f"{path}: the sweep file is not UTF-8 text (byte {e.start})")
    loader = None
    try:
        # The reader checks the characters as it is built (ReaderError): inside the try.
        loader = yaml.SafeLoader(text)
        root = loader.get_single_node()
        if root is None:
            raise SweepError(f"{path}: the sweep file is empty")
        return _located(loader, root, path)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise SweepError(f"{where}: not valid YAML: {problem}")
    finally:
        if loader is not None:
            loader.dispose()


def _describe(node):
    if node.kind != "scalar":
        return "a list" if node.kind == "seq" else "a mapping"
    return "nothing" if node.value is None else repr(node.value)


def value_text(info, value):
    """The --set text of a scalar YAML value for a key of this type, or None when it does
    not fit."""
    if value is None:
        return None
    if info.type == "integer":
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else None
    if info.type == "real":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return repr(float(value)) if isinstance(value, float) else str(value)
    if info.type == "boolean":
        return ("true" if value else "false") if isinstance(value, bool) else None
    if isinstance(value, bool):
        return None
    text = str(value)
    if info.type == "choice" and text not in info.choices:
        return None
    return text


class Assignment:
    """key = value for one run, with where it was written (for error messages)."""

    def __init__(self, key, value, text, origin):
        self.key = key
        self.value = value
        self.text = text
        self.origin = origin

    def set_arg(self):
        return f"{self.key}={self.text}"


class Point:
    """One combination of swept values: the runs of its seeds differ only in the seed."""

    def __init__(self, assignments):
        self.assignments = assignments
        self.slug = _slug(assignments)

    def values(self):
        return {a.key: a.value for a in self.assignments}

    def label(self):
        return ", ".join(f"{a.key}={a.text}" for a in self.assignments) or "(base)"


def _slug(assignments):
    """A directory name that says which values the point has."""
    text = ",".join(f"{a.key}={a.text}" for a in assignments) or "base"
    safe = re.sub(r"[^A-Za-z0-9._=,+-]", "_", text)
    if safe != text or len(safe) > 120:
        digest = hashlib.sha1(text.encode()).hexdigest()[:10]
        safe = safe[:100] + "-" + digest
    return safe


class SweepSpec:
    def __init__(self, path):
        self.path = path
        self.scenario = None      # absolute path of the base scenario file
        self.fixed = []           # Assignments applied to every run
        self.varied_keys = []     # keys the points set, in the sweep file's order
        self.points = []
        self.seeds = [1]

    def runs(self):
        return [(p, s) for p in self.points for s in self.seeds]

    def run_sets(self, point):
        """Every --set of a run of this point, in the order lpwan-run applies them."""
        return [a.set_arg() for a in self.fixed + point.assignments]


def _flatten_section(path, items, prefix, allow_lists):
    """(dotted key, key line, Located value) of a mapping whose values are values (or lists of
    values when allow_lists) or nested sections."""
    out = []
    for key, key_line, node in items:
        name = f"{prefix}.{key}" if prefix else key
        if node.kind == "map":
            out += _flatten_section(path, node.value, name, allow_lists)
        else:
            out.append((name, key_line, node))
    return out


def _check_key(path, line, key, keys):
    if key not in keys:
        raise SweepError(f"{path}:{line}: {key}: unknown parameter "
                         "(lpwan-run --list-keys lists them all)")
    if key == "simulation.seed":
        raise SweepError(f"{path}:{line}: {key}: give the seeds with 'seeds:' instead")


def _assignment(path, line, key, node, keys):
    text = value_text(keys[key], node.value) if node.kind == "scalar" else None
    if text is None:
        raise SweepError(f"{path}:{line}: {key}: expected {keys[key].describe()}, "
                         f"got {_describe(node)}")
    return Assignment(key, node.value, text, f"{path}:{line}")


def _mapping(path, node, what):
    if node.kind != "map":
        raise SweepError(f"{path}:{node.line}: {what}: expected a mapping of scenario keys, "
                         f"got {_describe(node)}")
    return node.value


def _scalar_assignments(path, items, keys, what):
    result = []
    for key, line, node in _flatten_section(path, items, "", False):
        _check_key(path, line, key, keys)
        if node.kind == "seq":
            raise SweepError(f"{path}:{line}: {key}: a list under {what}: "
                             "values to sweep go under grid:")
        result.append(_assignment(path, line, key, node, keys))
    return result


def _seeds(path, node):
    v = node.value
    if node.kind == "scalar" and isinstance(v, int) and not isinstance(v, bool):
        if not 1 <= v <= 100000:
            raise SweepError(f"{path}:{node.line}: seeds: {v} is out of range [1, 100000]")
        return list(range(1, v + 1))
    if node.kind == "seq":
        if not v:
            raise SweepError(f"{path}:{node.line}: seeds: empty value list")
        seeds = []
        for item in v:
            s = item.value
            if (item.kind != "scalar" or isinstance(s, bool) or not isinstance(s, int)
                    or not 1 <= s <= MAX_SEED):
                raise SweepError(f"{path}:{item.line}: seeds: expected an integer in "
                                 f"[1, {MAX_SEED}], got {_describe(item)}")
            if s in seeds:
                raise SweepError(f"{path}:{item.line}: seeds: {s} appears twice")
            seeds.append(s)
        return seeds
    raise SweepError(f"{path}:{node.line}: seeds: expected a count or a list of seeds, "
                     f"got {_describe(node)}")


def _resolve_scenario(path, line, name, scenario_dir):
    if not isinstance(name, str) or not name:
        raise SweepError(f"{path}:{line}: scenario: expected a scenario name or file")
    candidates = [os.path.join(os.path.dirname(os.path.abspath(path)), name), name]
    if scenario_dir:
        candidates.append(os.path.join(scenario_dir, name + ".yaml"))
    for c in candidates:
        if os.path.isfile(c):
            return os.path.abspath(c)
    raise SweepError(f"{path}:{line}: scenario: {name}: no such scenario file "
                     f"(nor {candidates[-1]})")


def load_sweep(path, keys, scenario_dir=None, overrides=()):
    """Reads and validates a sweep file. keys: lpwan_runs.scenario_keys(); overrides:
    "key=value" strings from the command line, fixed for every run after the file's set:."""
    root = load_yaml_located(path)
    top = _mapping(path, root, "the sweep file")
    spec = SweepSpec(path)
    nodes = {}
    for key, line, node in top:
        if key not in TOP_LEVEL:
            raise SweepError(f"{path}:{line}: {key}: unknown sweep key (expected one of "
                             + ", ".join(TOP_LEVEL) + ")")
        nodes[key] = (line, node)

    line, node = nodes.get("scenario", (1, Located("default", 1)))
    if node.kind != "scalar":
        raise SweepError(f"{path}:{node.line}: scenario: expected a scenario name or file, "
                         f"got {_describe(node)}")
    spec.scenario = _resolve_scenario(path, node.line, node.value, scenario_dir)

    if "set" in nodes:
        spec.fixed = _scalar_assignments(path, _mapping(path, nodes["set"][1], "set"), keys,
                                         "set:")

    grid = []  # (key, [Assignment])
    if "grid" in nodes:
        for key, line, node in _flatten_section(path, _mapping(path, nodes["grid"][1], "grid"),
                                                "", True):
            _check_key(path, line, key, keys)
            if node.kind != "seq":
                raise SweepError(f"{path}:{line}: {key}: expected a list of values "
                                 f"(write [{node.value}] for a single one)")
            if not node.value:
                raise SweepError(f"{path}:{line}: {key}: empty value list")
            values, texts = [], set()
            for item in node.value:
                a = _assignment(path, item.line, key, item, keys)
                if a.text in texts:
                    raise SweepError(f"{path}:{item.line}: {key}: {a.text} appears twice")
                texts.add(a.text)
                values.append(a)
            grid.append((key, values))

    cases = [[]]
    if "cases" in nodes:
        node = nodes["cases"][1]
        if node.kind != "seq":
            raise SweepError(f"{path}:{node.line}: cases: expected a list of value sets, "
                             f"got {_describe(node)}")
        if not node.value:
            raise SweepError(f"{path}:{node.line}: cases: empty value list")
        cases = []
        for item in node.value:
            case = _scalar_assignments(path, _mapping(path, item, "cases"), keys, "cases:")
            if not case:
                raise SweepError(f"{path}:{item.line}: cases: empty value set")
            cases.append(case)

    if "seeds" in nodes:
        spec.seeds = _seeds(path, nodes["seeds"][1])

    # A key is fixed or swept, by the grid or by the cases, never two of these.
    where = {}
    for a in spec.fixed:
        where[a.key] = ("set:", a.origin)
    for key, values in grid:
        if key in where:
            raise SweepError(f"{values[0].origin}: {key}: also under {where[key][0]} "
                             f"({where[key][1]}); a key is fixed or swept, not both")
        where[key] = ("grid:", values[0].origin)
    case_keys = {}
    for case in cases:
        for a in case:
            if where.get(a.key, ("cases:",))[0] != "cases:":
                raise SweepError(f"{a.origin}: {a.key}: also under {where[a.key][0]} "
                                 f"({where[a.key][1]}); a key is fixed or swept, not both")
            case_keys.setdefault(a.key, a.origin)
    spec.varied_keys = [k for k, _ in grid] + list(case_keys)

    for text in overrides:
        key, eq, value = text.partition("=")
        if not eq or not key:
            raise SweepError(f"--set {text}: expected key=value")
        if key not in keys:
            raise SweepError(f"--set {text}: {key}: unknown parameter "
                             "(lpwan-run --list-keys lists them all)")
        if key in spec.varied_keys or key == "simulation.seed":
            raise SweepError(f"--set {text}: {key}: swept by {path}; "
                             "it cannot also be fixed")
        spec.fixed = [a for a in spec.fixed if a.key != key]
        spec.fixed.append(Assignment(key, value, value, f"--set {text}"))

    for case in cases:
        for combo in itertools.product(*[values for _, values in grid]):
            spec.points.append(Point(list(combo) + case))
    slugs = [p.slug for p in spec.points]
    if len(set(slugs)) != len(slugs):
        dup = next(s for s in slugs if slugs.count(s) > 1)
        raise SweepError(f"{path}: two parameter points are the same ({dup}): "
                         "check the cases for repeated value sets")
    return spec


def explain_check_failure(spec, point, stderr):
    """One line for a point lpwan-run --check rejected: lpwan-run names the --set (or the
    scenario file) and the key; this points at the sweep file's line that set it."""
    line = next((l for l in stderr.splitlines() if l.strip()), "lpwan-run --check failed")
    line = line.removeprefix("lpwan-run: ")
    m = re.match(r"^--set ([^=]+)=.*?: \1: (.*)$", line)
    if m:
        key, message = m.group(1), m.group(2)
        for a in point.assignments + spec.fixed:
            if a.key == key:
                # A fixed value may be wrong only together with some swept one: say which.
                swept = any(b.key == key for b in point.assignments)
                extra = f" (at {point.label()})" if point.assignments and not swept else ""
                return f"{a.origin}: {key}: {message}{extra}"
    return f"{spec.path}: at {point.label()}: {line}"
