"""How every figure of the project draws: one colour and marker per security profile and per
coverage level (the same in every sweep, comparison and report), readable labels with units
for the keys and figures it plots, the coverage-level bands on coupling-loss axes, and error
bars clipped to what a quantity allows. plot_figures.py, exchange_view.py, oscore_saving.py
and the example notebook use it."""
import re
import zlib

# Security profiles in the order figures list them, each with its colour, marker and name.
PROFILE_STYLE = {
    "none": ("#7f7f7f", "o", "no security"),
    "oscore": ("#1f77b4", "s", "OSCORE"),
    "edhoc-oscore": ("#17becf", "D", "EDHOC + OSCORE"),
    "dtls-psk": ("#ff7f0e", "^", "DTLS 1.2 PSK"),
    "dtls-ecdhe": ("#d62728", "v", "DTLS 1.2 ECDHE"),
    "oscore-dtls": ("#9467bd", "P", "OSCORE in DTLS"),
    "tls-mqtt": ("#8c564b", "X", "MQTT / TLS 1.2"),
    "tls13-mqtt": ("#e377c2", "*", "MQTT / TLS 1.3"),
    "dtls13-psk": ("#bcbd22", "<", "DTLS 1.3 PSK"),
    "dtls13-ecdhe": ("#393b79", ">", "DTLS 1.3 RPK"),
}
PROFILE_ORDER = list(PROFILE_STYLE)
# A profile not listed above keeps one colour too: picked from these by a hash of its name.
_SPARE_COLOURS = ["#637939", "#8c6d31", "#843c39", "#7b4173"]
_SPARE_MARKERS = ["h", "p", "8", "<", ">", "d"]

# Coverage levels (CE0..CE2) and out of coverage.
CE_COLOURS = {"CE0": "#4c72b0", "CE1": "#dd8452", "CE2": "#c44e52", "out": "#555555"}
# The upper coupling loss (dB, inclusive) of each level: NbIotRadioProfile::NbIot() and LteM()
# (model/nbiot/nbiot-radio-profile.cc).
CE_BOUNDS_DB = {"nbiot": [144, 154, 164], "ltem": [144, 150, 156]}

# A swept key on a coupling-loss axis (which gets the coverage-level bands).
COVERAGE_X = re.compile(r"coupling_loss|coverage|ce_level|\bce\b|mcl", re.IGNORECASE)

# The keys and figures figures put on an axis: what a reader sees instead of the key.
LABELS = {
    "security.profile": "security profile",
    "link.loss": "frame loss on the link",
    "nbiot.coupling_loss_db": "coupling loss [dB]",
    "traffic.interval_s": "reporting interval [s]",
    "traffic.payload_bytes": "report payload [bytes]",
    "devices.count": "devices",
    "link.nat_binding_timeout_s": "NAT binding timeout [s]",
    "energy.session_lifetime_days": "security session lifetime [days]",
    "messages.delivery_ratio": "delivered / sent",
    "retransmissions.total": "repeated datagrams",
    "latency_s.p95": "latency, 95th percentile [s]",
    "latency_s.mean": "latency, mean [s]",
    "bytes.on_air_per_delivered_message": "bytes on air per delivered report",
    "energy.per_delivered_message_j": "energy per delivered report [J]",
    "battery_life_years.mean": "battery life, mean over devices [years]",
    "battery_life_years.p5": "battery life, 5th percentile of devices [years]",
    "battery_life_years.min": "battery life, shortest device [years]",
    "battery_life_years.p50": "battery life, median device [years]",
    "battery_life_years.median": "battery life, median device [years]",
}

# Bounds of quantities an error bar must not cross: (lowest, highest).
BOUNDS = {"messages.delivery_ratio": (0.0, 1.0)}


def profile_style(profile):
    """(colour, marker, readable name) of a security profile, the same in every figure."""
    if profile in PROFILE_STYLE:
        return PROFILE_STYLE[profile]
    h = zlib.crc32(str(profile).encode())
    return (_SPARE_COLOURS[h % len(_SPARE_COLOURS)], _SPARE_MARKERS[h % len(_SPARE_MARKERS)],
            str(profile))


def ordered_profiles(profiles):
    """The profiles in the figures' order: listed ones first, others by name."""
    present = list(dict.fromkeys(profiles))
    known = [p for p in PROFILE_ORDER if p in present]
    return known + sorted(p for p in present if p not in known)


def label(key):
    """A key or figure as a reader reads it: LABELS, else the key with its unit spelt out."""
    if key in LABELS:
        return LABELS[key]
    text = key.replace("_", " ")
    for suffix, unit in ((" s", "[s]"), (" j", "[J]"), (" db", "[dB]"), (" bytes", "[bytes]")):
        if text.endswith(suffix):
            return f"{text[:-len(suffix)]} {unit}"
    return text


def value_label(key, value):
    """One value of a swept key in a legend or panel title: a profile's name, else
    'label = value' (integers without a decimal point)."""
    if key == "security.profile":
        return profile_style(value)[2]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{label(key)} = {value}"


def clipped_yerr(key, means, halfwidths):
    """Asymmetric error bars [[below], [above]] that stop at the quantity's bounds (a delivery
    ratio's interval never goes above 1)."""
    lo, hi = BOUNDS.get(key, (None, None))
    below, above = [], []
    for m, h in zip(means, halfwidths):
        h = 0.0 if h != h else h
        below.append(h if lo is None else max(0.0, min(h, m - lo)))
        above.append(h if hi is None else max(0.0, min(h, hi - m)))
    return [below, above]


def mark_coverage_levels(ax, link_kind="nbiot"):
    """Shades the coverage levels behind a coupling-loss x axis and names them at the top."""
    bounds = CE_BOUNDS_DB.get(link_kind, CE_BOUNDS_DB["nbiot"])
    lo, hi = ax.get_xlim()
    edges = [min(lo, bounds[0] - 10)] + bounds
    for i, name in enumerate(["CE0", "CE1", "CE2"]):
        a, b = max(edges[i], lo), min(edges[i + 1], hi)
        if a >= b:
            continue
        ax.axvspan(a, b, color=CE_COLOURS[name], alpha=0.08, linewidth=0)
        ax.text((a + b) / 2, 1.0, name, transform=ax.get_xaxis_transform(), ha="center",
                va="bottom", fontsize=8, color=CE_COLOURS[name])
    if hi > bounds[-1]:
        ax.axvspan(bounds[-1], hi, color=CE_COLOURS["out"], alpha=0.15, linewidth=0)
    ax.set_xlim(lo, hi)


def log_axis(axis):
    """A log scale labelled 1, 2, 5, 10, 20, ... in plain numbers (not 10^0, 10^1)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    axis.axes.set_yscale("log") if axis.axis_name == "y" else axis.axes.set_xscale("log")
    axis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(NullFormatter())


def spans_decades(values, ratio=10.0):
    """True when the positive values span at least `ratio` (a log axis reads them better)."""
    positive = [v for v in values if v == v and v > 0]
    return len(positive) >= 2 and max(positive) / min(positive) >= ratio
