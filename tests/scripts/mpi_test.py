#!/usr/bin/python3
"""The MPI sweep (issue #7): `mpirun --allow-run-as-root --oversubscribe -n 2 strideload run`
writes a file equal in content to a single-process run of the same sweep; a rank killed with
SIGKILL (the job then aborted by mpirun) and a job stopped with SIGTERM (as Slurm's scancel)
leave the finished scenarios resumable with --resume, under MPI, to the same content.

Oracle: bit-for-bit equality of every dataset, every attribute of every group and of the root
attributes (except created_utc and command_line) with the single-process file.

Usage: mpi_test.py STRIDELOAD_BINARY
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

EXE = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="sl-mpi-")
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-n", "2"]
FAILURES = []


def check(cond, msg):
    if not cond:
        FAILURES.append(msg)
        print("FAIL:", msg)
    else:
        print("ok  ", msg)


def content(path):
    out = {}
    with h5py.File(path, "r") as f:
        for k, v in f.attrs.items():
            if k not in ("created_utc", "command_line"):
                out["R:" + k] = v

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out["D:" + name] = (obj.dtype.str, obj.shape, obj[()].tobytes())
            for k, v in obj.attrs.items():
                out["A:" + name + ":" + k] = v.tobytes() if isinstance(v, np.ndarray) else v
        f.visititems(visit)
    return out


def same(a, b, label):
    ca, cb = content(a), content(b)
    diff = sorted(k for k in set(ca) | set(cb) if k not in ca or k not in cb or
                  (ca[k] != cb[k] if not isinstance(ca[k], np.generic) else not np.array_equal(ca[k], cb[k])))
    check(not diff, f"{label}: equal to the single-process file ({len(ca)} items compared)" +
          (f"; differ: {diff[:5]}" if diff else ""))


sweep = os.path.join(TMP, "sweep.yaml")
with open(sweep, "w") as f:
    f.write("name: m\nsimulation: {strides: 2, warmup_strides: 1, output_rate_hz: 100}\n"
            "sweep:\n  form.trunk_lean_deg: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]\n  surface: [asphalt, grass, uneven_trail]\n")
N = 30
single = os.path.join(TMP, "single.h5")
p = subprocess.run([EXE, "run", sweep, "-o", single, "--threads", "2", "--quiet"], capture_output=True, text=True)
check(p.returncode == 0 and os.path.exists(single), f"single-process run (exit {p.returncode}) {p.stderr[-300:]}")

# --- 2 ranks x 1 thread --------------------------------------------------------------------
out = os.path.join(TMP, "mpi.h5")
p = subprocess.run(MPIRUN + [EXE, "run", sweep, "-o", out, "--threads", "1"], capture_output=True, text=True)
check(p.returncode == 0, f"mpirun -n 2 exit status {p.returncode}: {p.stderr[-500:]}")
check(f"MPI: 2 ranks x 1 threads on {N} scenarios" in p.stderr, "rank 0 reports the layout")
check("(rank 1)" in p.stderr, "rank 1 ran scenarios (dynamic hand-out)")
check(not os.path.exists(out + ".parts"), "parts removed after assembly")
same(out, single, "mpirun -n 2")


def ranks_of(job):
    """pid of each rank launched by this mpirun (from OMPI_COMM_WORLD_RANK in /proc/PID/environ)."""
    found = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if job.encode() in cmd and EXE.encode() in cmd:
            for e in env:
                if e.startswith(b"OMPI_COMM_WORLD_RANK="):
                    found[int(e.split(b"=")[1])] = int(pid)
    return found


def parts(path):
    d = path + ".parts"
    return [x for x in os.listdir(d) if x.endswith(".h5") and not x.startswith("tmp-")] if os.path.isdir(d) else []


def interrupted_then_resumed(label, stop):
    out = os.path.join(TMP, f"{label}.h5")
    job = subprocess.Popen(MPIRUN + [EXE, "run", sweep, "-o", out, "--threads", "1", "--quiet"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t0 = time.time()
    while len(parts(out)) < 3 and time.time() - t0 < 120 and job.poll() is None:
        time.sleep(0.05)
    kept_before = len(parts(out))
    stop(job, out)
    try:
        job.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        job.kill()
        job.communicate()
    check(job.returncode != 0, f"{label}: the job ends with a non-zero status ({job.returncode})")
    check(not os.path.exists(out), f"{label}: no results file from an interrupted job")
    kept = len(parts(out))
    check(3 <= kept < N and kept >= kept_before, f"{label}: finished scenarios kept ({kept} of {N})")
    p = subprocess.run(MPIRUN + [EXE, "run", sweep, "-o", out, "--threads", "1", "--resume"],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"{label}: --resume under MPI completes (exit {p.returncode}) {p.stderr[-300:]}")
    check(f"resuming: {kept} of {N} scenarios already done" in p.stderr, f"{label}: resume skips the kept scenarios")
    if os.path.exists(out):
        same(out, single, f"{label} then --resume")


def kill_rank1(job, out):
    r = ranks_of(os.path.basename(out))
    check(1 in r, "found rank 1's process")
    if 1 in r:
        os.kill(r[1], signal.SIGKILL)


def term_job(job, out):
    job.send_signal(signal.SIGTERM)


interrupted_then_resumed("rank_killed", kill_rank1)
interrupted_then_resumed("job_terminated", term_job)

shutil.rmtree(TMP, ignore_errors=True)
if FAILURES:
    print(f"{len(FAILURES)} failure(s)")
    sys.exit(1)
print("MPI sweep: equal to single-process, resumable after a killed rank or job")
