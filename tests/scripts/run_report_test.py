#!/usr/bin/python3
"""`strideload run`'s report of runs that finished with stumbles, through the real command line.

Oracle: the results file's own summary (`strideload summary --csv`, column irregular_steps):
every scenario with irregular steps is reported as "ok, N irregular steps (stumbles)" with
its N, the others as "ok", and the closing line counts them; the exit status stays 0 (they
finished). The case: 2.5 m/s with 0.1 m of overstride stumbles (README), without it not.
With --with-mpi the same through `mpirun -n 2` (the ranks' reports travel to rank 0).
Usage: run_report_test.py STRIDELOAD_EXE [--with-mpi]
"""
import csv
import io
import os
import re
import subprocess
import sys
import tempfile

EXE = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="sl-report-")
FAILURES = []
sweep = os.path.join(TMP, "s.yaml")
with open(sweep, "w") as f:
    f.write("name: s\nrunner: {speed_m_s: 2.5}\nsimulation: {strides: 12, warmup_strides: 3, output_rate_hz: 50}\n"
            "sweep:\n  runner.overstride_m: [0.0, 0.1]\n")


def check(label, launcher):
    out = os.path.join(TMP, label + ".h5")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    p = subprocess.run(launcher + [EXE, "run", sweep, "-o", out], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        FAILURES.append(f"{label}: exit status {p.returncode}, want 0\n{p.stderr}")
        return
    s = subprocess.run([EXE, "summary", out, "--csv"], capture_output=True, text=True, check=True).stdout
    rows = list(csv.DictReader(io.StringIO(s)))
    stumbled = 0
    for r in rows:
        n = int(r["irregular_steps"])
        want = f"ok, {n} irregular steps (stumbles)" if n > 0 else "ok ("
        line = next((l for l in p.stderr.splitlines() if f"] {r['name']}" in l), "")
        if want not in line:
            FAILURES.append(f"{label}: {r['name']} has irregular_steps {n}; its line {line!r} lacks {want!r}")
        stumbled += n > 0
    if stumbled == 0:
        FAILURES.append(f"{label}: no scenario stumbled; the case no longer tests the report")
    m = re.search(r"\((\d+) scenarios, (\d+) failed(?:, (\d+) finished with stumbles)?", p.stderr)
    if not m or int(m.group(1)) != len(rows) or int(m.group(2)) != 0 or int(m.group(3) or 0) != stumbled:
        FAILURES.append(f"{label}: closing line does not count {stumbled} stumbled of {len(rows)}: {p.stderr.splitlines()[-1:]}")
    print(f"{label}: {stumbled} of {len(rows)} scenarios stumbled, reported as such")


check("openmp", [])
if "--with-mpi" in sys.argv[2:]:
    check("mpi", ["mpirun", "--allow-run-as-root", "--oversubscribe", "-n", "2"])
if FAILURES:
    print("\n".join("FAIL: " + f for f in FAILURES))
    sys.exit(1)
