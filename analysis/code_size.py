#!/usr/bin/python3
"""Code size of each security profile's stack as built here, beside published embedded figures.

    ./lpwan code-size
    analysis/code_size.py --build build [--json]

For each profile, the release build's object files of the stack (protocols/<component>/, x86-64,
-O2) are linked into a program with Debian's static mbedTLS 2.28 and libsodium archives, and
`size` gives the machine code (.text) it contains: the project's own code, and the library code
the linker had to pull in to resolve it. Only what the stack needs is linked, but whole object
files and whole archive members (no --gc-sections; Debian configures mbedTLS with every cipher,
and its generic cipher layer references them all), and C++'s standard library stays a shared
library outside the figure. These are figures of this build, to compare the profiles with each
other; an embedded build is an order of magnitude smaller, which is why the published figures of
embedded builds are printed beside them, labelled as such.

The simulation's instrumentation (the crypto tally's phase marks, the simulated wall clock for
mbedTLS) is not part of a device's stack and is left out; the link must leave nothing else
unresolved, or the script fails.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

COMMON = ["common/hex.cc.o", "common/random-bytes.cc.o"]
HKDF = ["common/sha256-hkdf.cc.o"]
COAP = ["coap/*.o"]
OSCORE = COAP + COMMON + HKDF + ["oscore/*.o", "glue/oscore-*.o"]
EDHOC = OSCORE + ["edhoc/*.o", "glue/edhoc-*.o"]
# DTLS and TLS 1.2 over mbedTLS: the project's session, server and record accounting.
TLS12 = ["tls/tls-session.cc.o", "tls/tls-config.cc.o", "tls/tls-drbg.cc.o",
         "tls/record-scanner.cc.o", "tls/stream-session.cc.o", "tls/handshake-figures.cc.o"]
DTLS = COAP + COMMON + TLS12 + ["tls/dtls-transport.cc.o", "tls/dtls-server.cc.o"]
MQTT = ["mqtt/mqtt-client.cc.o", "mqtt/mqtt-codec.cc.o", "mqtt/mqtt-packet.cc.o",
        "mqtt/mqtt-remaining-length.cc.o", "mqtt/mqtt-stream-decoder.cc.o",
        "mqtt/mqtt-topic.cc.o", "mqtt/mqtt-utf8.cc.o"]
# tls13's stream sessions share tls/stream-session.cc with TLS 1.2's factory, which brings the
# TLS 1.2 session with it: that is how the code is built here.
TLS13 = MQTT + COMMON + TLS12 + HKDF + ["tls13/*.o"]
MBEDTLS = ["mbedtls", "mbedx509", "mbedcrypto"]

# profile -> (object globs under the protocols build dir, static libraries). libsodium is in
# every secured one: the project's constant-time comparison and hex helpers (common/) use it.
PROFILES = {
    "none": (COAP + ["common/hex.cc.o"], ["sodium"]),
    "oscore": (OSCORE, ["mbedcrypto", "sodium"]),
    "dtls-psk": (DTLS, MBEDTLS + ["sodium"]),
    "dtls-ecdhe": (DTLS, MBEDTLS + ["sodium"]),
    "tls-mqtt": (MQTT + COMMON + TLS12, MBEDTLS + ["sodium"]),
    "edhoc-oscore": (EDHOC, ["mbedcrypto", "sodium"]),
    "oscore-dtls": (OSCORE + DTLS, MBEDTLS + ["sodium"]),
    "tls13-mqtt": (TLS13, MBEDTLS + ["sodium"]),
    # DTLS 1.3 is built in the tls13 folder, whose stream session (linked with it) brings the
    # TLS 1.2 session along: an upper bound for a device with DTLS 1.3 alone.
    "dtls13-psk": (COAP + TLS13[len(MQTT):], MBEDTLS + ["sodium"]),
    "dtls13-ecdhe": (COAP + TLS13[len(MQTT):], MBEDTLS + ["sodium"]),
}

# Symbols of the simulation's instrumentation, not of a device's stack.
INSTRUMENTATION = re.compile(r"CryptoPhaseScope|SimulatedWallClock")

# Published figures of embedded builds (nRF52840, Cortex-M4), as the uoscore-uedhoc project
# states them; its (D)TLS 1.3 figures are quoted from Restuccia et al. (not read here).
PUBLISHED = {
    "source": "eriptic/uoscore-uedhoc benchmarks.md at commit 3b74d302daf6781878a34a8a67820625ae0f7c2b",
    "rows": [
        {"stack": "uOSCORE + uEDHOC 3.0.x (tinycrypt, zcbor; P-256, AES-128-CCM, X.509)",
         "flash_bytes": 41156, "ram_bytes": "6916 initiator / 6656 responder (stack only)"},
        {"stack": "TLS 1.3 (mbedTLS), quoted from Restuccia et al., 'Low-Power IoT "
                  "Communication Security: On the Performance of DTLS and TLS 1.3', "
                  "hal-03035402, Tables II and V",
         "flash_bytes": 52023, "ram_bytes": "21692 (stack and heap)"},
        {"stack": "DTLS 1.3 (mbedTLS), same source", "flash_bytes": 58097,
         "ram_bytes": "22026 (stack and heap)"},
    ],
}


def text_size(paths):
    out = subprocess.run(["size", "-t"] + paths, check=True, stdout=subprocess.PIPE,
                         text=True).stdout.strip().splitlines()
    return int(out[-1].split()[0])


def objects(protocols_dir, globs):
    found = []
    for g in globs:
        matches = sorted(glob.glob(os.path.join(protocols_dir, g)))
        if not matches:
            sys.exit(f"code-size: no object file {g} under {protocols_dir} (build first)")
        found += [m for m in matches if m not in found]
    return found


def measure(protocols_dir, profile, tmp):
    globs, libs = PROFILES[profile]
    objs = objects(protocols_dir, globs)
    main_c = os.path.join(tmp, "main.c")
    with open(main_c, "w") as f:
        f.write("int main(void) { return 0; }\n")
    base = os.path.join(tmp, "base")
    subprocess.run(["gcc", "-no-pie", "-o", base, main_c], check=True)
    exe = os.path.join(tmp, profile)
    link = (["g++", "-no-pie", "-o", exe, main_c] + objs + ["-Wl,-Bstatic"]
            + [f"-l{l}" for l in libs] + ["-Wl,-Bdynamic", "-lcbor"])
    # First a strict link: what it cannot resolve must be the instrumentation only.
    strict = subprocess.run(link, stderr=subprocess.PIPE, text=True)
    strays = sorted({m for m in re.findall(r"undefined reference to `([^']*)'", strict.stderr)
                     if not INSTRUMENTATION.search(m)})
    if strays or (strict.returncode != 0 and "undefined reference" not in strict.stderr):
        sys.exit(f"code-size: {profile}: the link failed: {strays[:5] or strict.stderr[-500:]}")
    subprocess.run(link[:5] + ["-Wl,--unresolved-symbols=ignore-all"] + link[5:], check=True)
    total = text_size([exe]) - text_size([base])
    # The project's code alone, linked the same way (inline functions and templates that
    # several object files carry are kept once, as in the whole program).
    alone = os.path.join(tmp, profile + "-alone")
    subprocess.run(["g++", "-no-pie", "-o", alone, main_c] + objs
                   + ["-Wl,--unresolved-symbols=ignore-all", "-lcbor"], check=True)
    own = text_size([alone]) - text_size([base])
    return {"profile": profile, "project_text_bytes": own,
            "library_text_bytes": total - own, "total_text_bytes": total,
            "libraries": [f"lib{l}.a" for l in libs]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build", help="the release build directory")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    protocols_dir = os.path.join(args.build, "CMakeFiles", "lpwan-protocols.dir", "protocols")
    if not os.path.isdir(protocols_dir):
        sys.exit(f"code-size: {protocols_dir}: not a directory (build the project first)")
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(protocols_dir, p, tmp) for p in PROFILES]
    if args.json:
        print(json.dumps({"unit": "bytes of .text, x86-64 release build", "profiles": rows,
                          "published_embedded": PUBLISHED}, indent=2))
        return
    print("As built here (x86-64, -O2; KiB of machine code; libraries: Debian's static "
          "archives, whole members):\n")
    print("| profile | project code | library code | total | libraries |")
    print("|---|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['profile']} | {r['project_text_bytes'] / 1024:.0f} | "
              f"{r['library_text_bytes'] / 1024:.0f} | {r['total_text_bytes'] / 1024:.0f} | "
              f"{', '.join(r['libraries']) or '-'} |")
    print(f"\nPublished, embedded builds on nRF52840 (Cortex-M4), from {PUBLISHED['source']}:\n")
    print("| stack | flash bytes | RAM bytes |")
    print("|---|---:|---|")
    for r in PUBLISHED["rows"]:
        print(f"| {r['stack']} | {r['flash_bytes']} | {r['ram_bytes']} |")


if __name__ == "__main__":
    main()
