#!/usr/bin/python3
"""`strideload validate` through the real command line.

Oracle: issue 3's list of validation cases (baseline speed and ranges, forefoot strike, speed
2.5 -> 5.0 m/s, the Liu & Nigg sub-model, left/right symmetry at 3.5 and 5.0 m/s) plus the overstride
mechanism (the foot lands further ahead) and the command's contract:
every case has a row with the model's value, the published range and a source; a row outside
its range is starred; the summary counts the starred rows; the exit status is 0 only when no
row is starred and every run finished.
Usage: validate_test.py STRIDELOAD_EXE
"""
import re
import subprocess
import sys

p = subprocess.run([sys.argv[1], "validate"], capture_output=True, text=True)
out = p.stdout
failures = []
expected = [
    "running speed (m/s)", "impact peak (BW)", "impact peak time (ms)", "active peak (BW)", "contact time (s)",
    "loading rate (BW/s)", "braking peak (BW)", "propulsive peak (BW)",
    "braking to propulsion (% stance)", "L5/S1 peak compression (BW)",
    "left/right difference, largest (%)", "forefoot: steps with an impact peak (%)",
    "forefoot / rearfoot loading rate", "2.5 -> 5.0 m/s: impact peak slope (BW per m/s)",
    "2.5 -> 5.0 m/s: active peak change (BW)", "2.5 -> 5.0 m/s: contact time change (s)",
    "5.0 m/s: left/right difference, largest (%)",
    "overstride +0.10 m: landing distance change (m)",
    "Liu & Nigg model: impact peak (N)", "Liu & Nigg model: impact peak time (ms)",
]
rows = {}
for line in out.splitlines():
    for q in expected:
        if line.startswith(q + " "):
            rest = line[len(q):].split()
            rows[q] = line
            try:
                float(rest[0])
            except ValueError:
                failures.append(f"row {q!r}: model value {rest[0]!r} is not a number")
            if "nan" in line.lower():
                failures.append(f"row {q!r} has a NaN")
for q in expected:
    if q not in rows:
        failures.append(f"no row for {q!r}")
starred = sum(1 for line in rows.values() if re.search(r"\s\*\s", line))
m = re.search(r"^(\d+) of (\d+) outside the published range", out, re.M)
if not m:
    failures.append("no summary line")
else:
    if int(m.group(1)) != starred:
        failures.append(f"summary counts {m.group(1)} rows outside, table stars {starred}")
    if int(m.group(2)) != len(expected):
        failures.append(f"summary counts {m.group(2)} rows, want {len(expected)}")
ran_ok = "runs that failed" not in out
want_rc = 0 if starred == 0 and ran_ok else 1
if p.returncode != want_rc:
    failures.append(f"exit status {p.returncode}, want {want_rc} ({starred} rows starred, runs ok: {ran_ok})")
if p.stderr.strip():
    failures.append(f"unexpected stderr: {p.stderr.strip()[:200]}")
if failures:
    print(out)
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print(f"validate: {len(rows)} rows, {starred} outside the published range, exit status {p.returncode} as documented")
