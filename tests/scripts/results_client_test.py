#!/usr/bin/python3
"""Results files as real clients see them (h5py, pandas), determinism across thread counts,
an interrupted sweep (SIGKILL, SIGINT, SIGTERM) resumed to the same content, and bounded memory.

Oracles: the documented layout (docs/results-format.md); bit-for-bit equality of every
dataset and scenario attribute between runs; peak RSS of a 200-scenario sweep against a
20-scenario one.

Usage: results_client_test.py STRIDELOAD_BINARY
"""
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
import pandas as pd

EXE = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="sl-results-")
FAILURES = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAIL:", msg)


def sweep_file(n_lean, name="s"):
    leans = ", ".join(str(v) for v in range(n_lean))
    path = os.path.join(TMP, f"{name}.yaml")
    with open(path, "w") as f:
        f.write("name: t\nsimulation: {strides: 1, warmup_strides: 1, output_rate_hz: 50}\n")
        f.write(f"sweep:\n  form.trunk_lean_deg: [{leans}]\n  surface: [asphalt, grass]\n")
    return path


def run(args, **kw):
    return subprocess.run([EXE] + args, capture_output=True, text=True, **kw)


def content(path):
    """Every dataset and every scenario attribute (root attributes carry time and command)."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out["D:" + name] = obj[()].tobytes()
                out["U:" + name] = obj.attrs.get("units")
            elif name.startswith("scenarios/"):
                for k, v in obj.attrs.items():
                    out["A:" + name + ":" + k] = v if not isinstance(v, np.ndarray) else v.tobytes()
        f.visititems(visit)
    return out


# --- layout, units and clients -------------------------------------------------------------
src = sweep_file(3)
r1 = os.path.join(TMP, "r1.h5")
p = run(["run", src, "-o", r1, "--threads", "1", "--quiet"])
check(p.returncode in (0, 1), f"run exit status {p.returncode}: {p.stderr}")
check(os.path.exists(r1) and not os.path.exists(r1 + ".parts"), "results file complete, parts removed")
with h5py.File(r1, "r") as f:
    check(f.attrs["format"] == "strideload-results", "format attribute")
    for a in ["tool_version", "created_utc", "command_line", "model_files", "model_files_sha256", "sweep_sha256"]:
        check(a in f.attrs, f"root attribute {a}")
    df = pd.DataFrame(f["summary"][:])
    check(len(df) == 6, f"summary has 6 rows, got {len(df)}")
    for col in ["name", "status", "trunk_lean_deg", "surface", "speed_m_s", "impact_peak_bw", "active_peak_bw",
                "loading_rate_bw_s", "contact_time_s", "braking_peak_bw", "propulsive_peak_bw",
                "peak_compression_bw_L5_S1", "peak_compression_bw_T12_L1", "peak_ap_shear_bw_L5_S1",
                "peak_lateral_shear_bw_L5_S1", "peak_compression_bw", "residual_force_rms_bw",
                "residual_moment_rms_bw_m"]:
        check(col in df.columns, f"summary column {col}")
    check(sorted(df["trunk_lean_deg"].tolist()) == [0, 0, 1, 1, 2, 2], "swept parameter column")
    names = [n.decode() for n in df["name"]]
    check(set(names) == set(f["scenarios"].keys()), "one group per summary row")
    g = f["scenarios"][names[0]]
    for d in ["time", "grf_left", "grf_right", "cop_left", "cop_right", "joints/L5_S1/force", "joints/T12_L1/moment", "bodies/pelvis/position",
              "bodies/HAT/orientation", "muscles/erector_spinae_l/tension", "events/touchdown_right"]:
        check(d in g, f"dataset {d}")
    n = g["time"].shape[0]
    check(g["joints/L5_S1/force"].shape == (n, 3), "joint force is N x 3")
    check(g["bodies/HAT/orientation"].shape == (n, 4), "orientation is N x 4")
    check(g["cop_left"].shape == (n, 3) and np.all(np.isfinite(g["cop_left"][:])), "centre of pressure is N x 3, finite")
    # The heel layer's deflection, split into the midsole's and the heel pad's, and the surface's.
    for d in ["shoe_left", "heel_pad_left", "surface_right"]:
        x = g["deflections/" + d][:]
        check(x.shape == (n,) and np.all(np.isfinite(x)) and x.min() >= 0, f"deflections/{d}: N finite, >= 0")
    check(g["deflections/heel_pad_left"][:].max() > 0.005, "the heel pad deflects more than 5 mm in a heel strike")
    missing = []
    g.visititems(lambda k, o: missing.append(k) if isinstance(o, h5py.Dataset) and "units" not in o.attrs else None)
    check(not missing, f"every dataset has units, missing: {missing[:3]}")
    check("scenario_yaml" in g.attrs and "param.form.trunk_lean_deg" in g.attrs, "resolved scenario attributes")
    for k in g["grf_left"][:].ravel():
        if not np.isfinite(k):
            check(False, "non-finite GRF")
            break

# summary command, CSV form
p = run(["summary", r1, "--csv"])
check(p.returncode == 0 and p.stdout.count("\n") == 7, "summary --csv prints header + 6 rows")

# --- same results whatever the thread count --------------------------------------------------
r2 = os.path.join(TMP, "r2.h5")
p = run(["run", src, "-o", r2, "--threads", "2", "--quiet"])
c1, c2 = content(r1), content(r2)
check(c1.keys() == c2.keys(), "same objects with 1 and 2 threads")
diff = [k for k in c1 if c1[k] != c2.get(k)]
check(not diff, f"identical content with 1 and 2 threads; differs: {diff[:3]}")

# --- --compress 0: the same values, stored without filters ------------------------------------
r0 = os.path.join(TMP, "r0.h5")
p = run(["run", src, "-o", r0, "--threads", "2", "--quiet", "--compress", "0"])
c0 = content(r0)
diff = [k for k in c1 if c1[k] != c0.get(k)]
check(not diff, f"--compress 0 stores the same values; differs: {diff[:3]}")
with h5py.File(r0, "r") as f0, h5py.File(r1, "r") as f1:
    name = f0["summary"]["name"][0].decode()
    check(f0[f"scenarios/{name}/grf_left"].compression is None, "--compress 0: no filter")
    check(f1[f"scenarios/{name}/grf_left"].compression == "gzip" and f1[f"scenarios/{name}/grf_left"].shuffle,
          "default: shuffle + deflate (gzip) filters")
def stored_bytes(path):
    """Bytes the datasets occupy on disk (the file also holds metadata that filters do not
    shrink, and with 1-stride test runs at 50 Hz that metadata dominates the file size)."""
    total = 0
    with h5py.File(path, "r") as f:
        def add(name, obj):
            nonlocal total
            if isinstance(obj, h5py.Dataset):
                total += obj.id.get_storage_size()
        f.visititems(add)
    return total


check(stored_bytes(r0) > stored_bytes(r1), "the uncompressed datasets take more space")
p = run(["run", src, "-o", r0, "--compress", "12"])
check(p.returncode == 2 and "compress" in p.stderr, "--compress 12 is refused with exit status 2")

# --- killed mid-sweep, resumed: same content --------------------------------------------------
src_k = sweep_file(6, "kill")
ref = os.path.join(TMP, "ref.h5")
run(["run", src_k, "-o", ref, "--threads", "2", "--quiet"])
for seed in range(3):
    out = os.path.join(TMP, f"killed{seed}.h5")
    proc = subprocess.Popen([EXE, "run", src_k, "-o", out, "--threads", "2", "--quiet"])
    parts = out + ".parts"
    deadline = time.time() + 60
    want = random.Random(seed).randint(1, 10)  # a seeded random point among the 12 scenarios
    while time.time() < deadline:
        done = [x for x in os.listdir(parts) if x.endswith(".h5") and not x.startswith("tmp-")] if os.path.isdir(parts) else []
        if len(done) >= want or proc.poll() is not None:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    check(not os.path.exists(out), "no results file after a kill")
    p = run(["run", src_k, "-o", out, "--threads", "2", "--resume"])
    check(os.path.exists(out), f"resumed run wrote the file: {p.stderr[-300:]}")
    if os.path.exists(out):
        ck, cr = content(out), content(ref)
        diff = [k for k in cr if cr[k] != ck.get(k)]
        check(not diff and ck.keys() == cr.keys(), f"resumed content equals an uninterrupted run; differs: {diff[:3]}")

# --- SIGINT / SIGTERM: the sweep stops after the scenarios in flight, keeps them, says how to
# resume, exits 128+signal, and the resumed file equals an uninterrupted run -------------------
for sig in (signal.SIGINT, signal.SIGTERM):
    out = os.path.join(TMP, f"stopped{int(sig)}.h5")
    proc = subprocess.Popen([EXE, "run", src_k, "-o", out, "--threads", "2", "--quiet"],
                            stderr=subprocess.PIPE, text=True)
    parts = out + ".parts"
    deadline = time.time() + 60
    while time.time() < deadline:
        done = [x for x in os.listdir(parts) if x.endswith(".h5") and not x.startswith("tmp-")] if os.path.isdir(parts) else []
        if len(done) >= 2 or proc.poll() is not None:
            break
        time.sleep(0.01)
    finished_early = proc.poll() is not None
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    check(not finished_early, f"the sweep was still running when {sig.name} was sent")
    if not finished_early:
        check(proc.returncode == 128 + int(sig), f"exit status {128 + int(sig)} after {sig.name}, got {proc.returncode}: {err[-300:]}")
        check("interrupted" in err and "--resume" in err, f"{sig.name}: the message says how to resume: {err[-300:]}")
        check(not os.path.exists(out), f"no results file after {sig.name}")
        kept = [x for x in os.listdir(parts) if x.endswith(".h5") and not x.startswith("tmp-")]
        check(len(kept) >= 2, f"{sig.name}: finished scenarios are kept ({len(kept)})")
    p = run(["run", src_k, "-o", out, "--threads", "2", "--resume"])
    check(p.returncode == 0 and os.path.exists(out), f"resumed after {sig.name}: {p.stderr[-300:]}")
    if os.path.exists(out):
        ck, cr = content(out), content(ref)
        diff = [k for k in cr if cr[k] != ck.get(k)]
        check(not diff and ck.keys() == cr.keys(), f"{sig.name}: resumed content equals an uninterrupted run; differs: {diff[:3]}")

# --- out of space (a file-size limit, ulimit -f): a clear error, exit 1, no partial file, the
# previous results file untouched, finished scenarios kept; --resume then completes -----------
def fsize_limit(nbytes):
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))


full = os.path.getsize(ref)
# (a) every part fits, the assembled file does not (parts are ~1/12 of it)
out = os.path.join(TMP, "full_disk.h5")
with open(out, "wb") as f:
    f.write(b"previous results")
p = run(["run", src_k, "-o", out, "--threads", "2", "--quiet"], preexec_fn=fsize_limit(full // 2))
check(p.returncode == 1, f"exit status 1 when the results file cannot be written, got {p.returncode}: {p.stderr[-300:]}")
check("disk full" in p.stderr and "--resume" in p.stderr, f"the message names the cause and the remedy: {p.stderr[-300:]}")
check(p.stderr.count("\n") <= 3, f"a short message, no trace: {p.stderr}")
with open(out, "rb") as f:
    check(f.read() == b"previous results", "the previous results file survives")
check(not os.path.exists(out + ".tmp"), "no half-written temporary file is left")
p = run(["run", src_k, "-o", out, "--threads", "2", "--resume", "--quiet"])
check(p.returncode == 0, f"resume after the disk-full error: {p.stderr[-300:]}")
if p.returncode == 0:
    ck, cr = content(out), content(ref)
    diff = [k for k in cr if cr[k] != ck.get(k)]
    check(not diff and ck.keys() == cr.keys(), f"resumed after disk full equals an uninterrupted run; differs: {diff[:3]}")
# (b) not even one scenario's part fits
out = os.path.join(TMP, "tiny_disk.h5")
p = run(["run", src_k, "-o", out, "--threads", "2", "--quiet"], preexec_fn=fsize_limit(4096))
check(p.returncode == 1 and "disk full" in p.stderr, f"a part that cannot be written is a clear error: {p.returncode} {p.stderr[-300:]}")
check(not os.path.exists(out), "no results file when no part could be written")
left = [x for x in os.listdir(out + ".parts") if x.startswith("tmp-")] if os.path.isdir(out + ".parts") else []
check(not left, f"no half-written part is left: {left}")

# --resume refuses parts of another sweep
other = sweep_file(2, "other")
out = os.path.join(TMP, "mixed.h5")
os.makedirs(out + ".parts")
with open(out + ".parts/sweep.sha256", "w") as f:
    f.write("0" * 64 + "\n")
p = run(["run", other, "-o", out, "--resume", "--quiet"])
check(p.returncode == 2 and "different sweep" in p.stderr, f"resume of another sweep is refused: {p.stderr}")

# --- a scenario that fails at run time is recorded, the others go on, exit status 1 --------
fail_src = os.path.join(TMP, "fail.yaml")
with open(fail_src, "w") as f:
    f.write("name: f\nsimulation: {strides: 1, warmup_strides: 1, output_rate_hz: 50}\n"
            "cases:\n  - name: fine\n  - name: too_fast\n    runner: {speed_m_s: 7.0, cadence_steps_min: 130, overstride_m: 0.3}\n")
fail_out = os.path.join(TMP, "fail.h5")
p = run(["run", fail_src, "-o", fail_out, "--quiet"])
check(p.returncode == 1, f"exit status 1 when a scenario fails, got {p.returncode}")
with h5py.File(fail_out, "r") as f:
    st = {r["name"].decode(): r["status"].decode() for r in f["summary"][:]}
    check(st.get("fine") == "ok" and st.get("too_fast") == "failed", f"statuses recorded: {st}")
    check(len(f["scenarios/too_fast"].attrs["reason"]) > 10, "the failure reason is recorded")

# --- bounded memory: 200 scenarios do not need 10x the memory of 20 ----------------------------
def peak_rss_kb(n_lean):
    src_m = sweep_file(n_lean, f"mem{n_lean}")
    out_m = os.path.join(TMP, f"mem{n_lean}.h5")
    code = ("import resource,subprocess,sys;subprocess.run(sys.argv[1:]);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    p = subprocess.run(["/usr/bin/python3", "-c", code, EXE, "run", src_m, "-o", out_m, "--threads", "2", "--quiet"],
                       capture_output=True, text=True)
    return int(p.stdout.strip().splitlines()[-1])

small, large = peak_rss_kb(10), peak_rss_kb(100)
print(f"peak RSS: 20 scenarios {small} kB, 200 scenarios {large} kB")
check(large < 1.5 * small + 20000, f"peak memory bounded: {small} kB vs {large} kB")

shutil.rmtree(TMP, ignore_errors=True)
print("all checks passed" if not FAILURES else f"{len(FAILURES)} check(s) failed")
sys.exit(1 if FAILURES else 0)
