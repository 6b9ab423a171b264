#!/usr/bin/python3
"""Bad input through the real command line: one case per error class of the bad-input issue.

Oracle: the documented contract (README "Exit status"): exit status 2, a message of at most
two lines on stderr that names the file (and line:column where there is one), the key, the
value and what is allowed; no trace, no core dump, and no output file.
Usage: cli_errors_test.py STRIDELOAD_EXE [--with-viz]
"""
import os
import shutil
import subprocess
import sys
import tempfile

EXE = sys.argv[1]
WITH_VIZ = "--with-viz" in sys.argv[2:]
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TMP = tempfile.mkdtemp(prefix="sl-errors-")
FAILURES = []


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def expect_error(label, args, *needles, max_lines=2):
    p = subprocess.run([EXE] + args, capture_output=True, text=True, cwd=TMP)
    lines = [l for l in p.stderr.splitlines() if l.strip() and not l.startswith("Run with --help")]
    problems = []
    if p.returncode != 2:
        problems.append(f"exit status {p.returncode}, want 2")
    if not 1 <= len(lines) <= max_lines:
        problems.append(f"{len(lines)} message lines, want 1..{max_lines}")
    for n in needles:
        if n not in p.stderr:
            problems.append(f"message lacks {n!r}")
    if problems:
        FAILURES.append(label)
        print(f"FAIL {label}: {'; '.join(problems)}\n  stderr: {p.stderr.strip()[:500]}")
    else:
        print(f"ok   {label}: {lines[0][:110]}")


ok = write("ok.yaml", "name: ok\nsimulation: {strides: 1, warmup_strides: 1, output_rate_hz: 50}\n")

# --- scenario and sweep files --------------------------------------------------------------
expect_error("unknown key, with a suggestion", ["check", write("u.yaml", "runner: {sped_m_s: 3.0}\n")],
             "u.yaml:1:", "runner.sped_m_s", "did you mean 'runner.speed_m_s'")
expect_error("wrong type", ["check", write("w.yaml", "runner:\n  cadence_steps_min: fast\n")],
             "w.yaml:2:", "runner.cadence_steps_min", "'fast'", "130 .. 220")
expect_error("a list where one value belongs", ["check", write("l.yaml", "runner: {speed_m_s: [3, 4]}\n")],
             "l.yaml:1:", "runner.speed_m_s", "single value")
expect_error("speed 0", ["check", write("s0.yaml", "runner: {speed_m_s: 0}\n")], "runner.speed_m_s = '0'", "1.5 .. 7")
expect_error("speed 50 m/s", ["check", write("s50.yaml", "runner: {speed_m_s: 50}\n")], "'50'", "1.5 .. 7")
expect_error("cadence 0", ["check", write("c0.yaml", "runner: {cadence_steps_min: 0}\n")], "'0'", "130 .. 220")
expect_error("cadence misspelt", ["check", write("cp.yaml", "runner:\n  cadence_steps_min: prefered\n")],
             "cp.yaml:2:", "runner.cadence_steps_min", "'prefered'", "130 .. 220", "'preferred'")
expect_error("lean of 80 deg", ["check", write("lean.yaml", "form:\n  trunk_lean_deg: 80\n")],
             "lean.yaml:2:", "form.trunk_lean_deg = '80'", "-10 .. 30")
expect_error("camber of 45 deg", ["check", write("cam.yaml", "surface: {name: asphalt, camber_deg: 45}\n")],
             "cam.yaml:1:", "surface.camber_deg = '45'", "0 .. 10")
expect_error("unknown surface", ["check", write("sf.yaml", "surface: lava\n")], "surface = 'lava'", "asphalt")
expect_error("unknown shoe", ["check", write("sh.yaml", "shoe: moonboot\n")], "shoe = 'moonboot'", "neutral")
expect_error("empty sweep axis", ["check", write("e.yaml", "sweep:\n  form.trunk_lean_deg: []\n")],
             "e.yaml:2:", "non-empty list")
expect_error("duplicate scenario names", ["check", write("d.yaml", "cases:\n  - name: a\n  - name: a\n")],
             "d.yaml:3:", "duplicate scenario name 'a'")
big = write("big.yaml", "sweep:\n  form.trunk_lean_deg: [0, 1, 2, 3]\n  surface: [asphalt, grass]\n")
expect_error("sweep above --max-scenarios", ["run", big, "--max-scenarios", "4", "-o", "big.h5"], "more than 4 scenarios")
expect_error("malformed YAML", ["check", write("m.yaml", "runner: {speed_m_s: 3.0\n")], "m.yaml:", "malformed YAML")
expect_error("missing file", ["check", "nope.yaml"], "nope.yaml", "cannot read")
os.makedirs(os.path.join(TMP, "adir.yaml"))
expect_error("a folder given as the scenario file", ["check", "adir.yaml"], "adir.yaml", "is a folder")

# --- --set values and command-line options ---------------------------------------------------
expect_error("--set without '='", ["check", ok, "--set", "form.trunk_lean_deg"], "expected key=value")
expect_error("--set out of range", ["check", ok, "--set", "form.trunk_lean_deg=80"], "form.trunk_lean_deg", "'80'",
             "-10 .. 30")
expect_error("--set unknown key", ["check", ok, "--set", "form.trunk_lean=5"], "did you mean 'form.trunk_lean_deg'")
expect_error("option out of range", ["run", ok, "--threads", "0"], "--threads", "1 to 1024")
expect_error("unknown option", ["run", ok, "--frobnicate"], "--frobnicate")

# --- model and library files -----------------------------------------------------------------
models = os.path.join(TMP, "models")
shutil.copytree(os.path.join(SRC, "models", "data"), models)
with open(os.path.join(models, "runner.yaml")) as f:
    runner = f.read().splitlines()
line = next(i for i, l in enumerate(runner) if l.strip().startswith("pelvis_mass_kg:"))
runner[line] = "  pelvis_mass_kg: -3"
with open(os.path.join(models, "runner.yaml"), "w") as f:
    f.write("\n".join(runner) + "\n")
expect_error("negative mass in a model file", ["--models", models, "check", ok],
             f"runner.yaml:{line + 1}:", "pelvis_mass_kg", "-3", "> 0")
surf = os.path.join(TMP, "models2")
shutil.copytree(os.path.join(SRC, "models", "data"), surf)
with open(os.path.join(surf, "surfaces.yaml")) as f:
    text_s = f.read()
with open(os.path.join(surf, "surfaces.yaml"), "w") as f:
    f.write(text_s.replace("  stiffness_N_m:", "  stiffnes_N_m:", 1))
expect_error("misspelt required parameter in a model file", ["--models", surf, "check", ok],
             "surfaces.yaml:", "stiffnes_N_m", "did you mean 'stiffness_N_m'")
with open(os.path.join(surf, "surfaces.yaml"), "w") as f:
    f.write(text_s.replace("  stiffness_N_m:", "  camber_dg: 2\n  stiffness_N_m:", 1))
expect_error("misspelt optional parameter in a model file", ["--models", surf, "check", ok],
             "surfaces.yaml:", "camber_dg", "did you mean 'camber_deg'")
shoes_dir = os.path.join(TMP, "models3")
shutil.copytree(os.path.join(SRC, "models", "data"), shoes_dir)
with open(os.path.join(shoes_dir, "shoes.yaml")) as f:
    shoes = f.read().splitlines()
line = next(i for i, l in enumerate(shoes) if l.startswith("heel_pad_exponent:"))
shoes[line] = "heel_pad_exponent: 12"
with open(os.path.join(shoes_dir, "shoes.yaml"), "w") as f:
    f.write("\n".join(shoes) + "\n")
expect_error("heel pad exponent out of range", ["--models", shoes_dir, "check", ok],
             f"shoes.yaml:{line + 1}:", "heel_pad_exponent", "12", "1..8")
with open(os.path.join(shoes_dir, "shoes.yaml"), "w") as f:
    f.write("\n".join(l for l in shoes if not l.startswith("heel_pad_exponent:")) + "\n")
expect_error("heel pad exponent missing", ["--models", shoes_dir, "check", ok],
             "shoes.yaml", "heel_pad_exponent", "missing")
runner_dir = os.path.join(TMP, "runner_models")
shutil.copytree(os.path.join(SRC, "models", "data"), runner_dir)
with open(os.path.join(runner_dir, "runner.yaml")) as f:
    runner = f.read().splitlines()
for key, bad, allowed in (("shank_soft_tissue_share", "1.5", "0..0.9"),
                          ("liftoff_distance_ratio", "0.1", "0.3..2"),
                          ("thrust_symmetry_gain_m_per_s", "-1", "0..2"),
                          ("thrust_landing_gain_per_froude", "3", "0..1"),
                          ("ankle_roll_yaw_stiffness_Nm_rad", "-5", "0..1000"),
                          ("sole_friction_coefficient", "0", "0.05..2"),
                          ("sole_tangential_stiffness_N_m", "-1", "0..2e+06"),
                          ("ankle_stance_damping_Nms_rad", "17", "0..16"),
                          ("residual_vertical_filter_steps", "0", "0.1..5"),
                          ("slope_steps_min_per_m_s", "-3", "0..50"),
                          ("reference_height_m", "0.5", "1..2.5")):
    edited = list(runner)
    line = next(i for i, l in enumerate(edited) if l.strip().startswith(key + ":"))
    indent = edited[line][: len(edited[line]) - len(edited[line].lstrip())]
    edited[line] = f"{indent}{key}: {bad}"
    with open(os.path.join(runner_dir, "runner.yaml"), "w") as f:
        f.write("\n".join(edited) + "\n")
    expect_error(f"runner.yaml {key} out of range", ["--models", runner_dir, "check", ok],
                 f"runner.yaml:{line + 1}:", key, bad, allowed)
expect_error("missing model folder", ["--models", os.path.join(TMP, "none"), "check", ok], "runner.yaml", "cannot read")

# --- output path ---------------------------------------------------------------------------
expect_error("output folder that does not exist", ["run", ok, "-o", "/nonexistent/dir/r.h5"],
             "/nonexistent/dir", "does not exist")
expect_error("output path that is a folder", ["run", ok, "-o", TMP], TMP, "not a file")
check_none = not os.path.exists("/nonexistent/dir/r.h5")
if not check_none:
    FAILURES.append("no output for a bad output path")

# --- results files given to summary and the figures ----------------------------------------
good = os.path.join(TMP, "good.h5")
subprocess.run([EXE, "run", ok, "-o", good, "--quiet"], check=True)
text = write("notes.h5", "these are not results\n")
truncated = os.path.join(TMP, "truncated.h5")
with open(good, "rb") as f, open(truncated, "wb") as g:
    g.write(f.read()[: os.path.getsize(good) // 3])
foreign = os.path.join(TMP, "foreign.h5")
subprocess.run(["/usr/bin/python3", "-c", f"import h5py; h5py.File({foreign!r}, 'w').create_dataset('x', data=[1])"],
               check=True)
expect_error("results file that does not exist", ["summary", "none.h5"], "none.h5", "no such file")
expect_error("results file that is not HDF5", ["summary", text], "notes.h5", "not an HDF5 file")
expect_error("truncated results file", ["summary", truncated], "truncated.h5", "truncated")
expect_error("HDF5 file that is not strideload's", ["summary", foreign], "foreign.h5", "not a strideload results file")
if WITH_VIZ:
    expect_error("compare: truncated results file", ["compare", truncated, "--scenarios", "ok", "-o", "c.png"],
                 "truncated.h5")
    expect_error("compare: unknown scenario", ["compare", good, "--scenarios", "ok,nope", "-o", "c.png"],
                 "no scenario 'nope'")
    expect_error("plot: not a strideload file", ["plot", foreign, "--x", "a", "--y", "b", "-o", "p.png"],
                 "not a strideload results file")
    expect_error("plot: heat map without --by", ["plot", good, "--x", "trunk_lean_deg", "--y", "contact_time_s",
                                                  "--heatmap", "-o", "p.png"], "--heatmap needs --by")
    expect_error("render: --at outside the stance range", ["render", good, "--scenario", "ok", "--at", "140%", "-o", "r.png"],
                 "'140%'", "allowed")
    expect_error("render: --at a time outside the run", ["render", good, "--scenario", "ok", "--at", "99s", "-o", "r.png"],
                 "'99s'", "this run")
    expect_error("render: unknown scenario", ["render", good, "--scenario", "nope", "-o", "r.png"], "no scenario 'nope'")
    expect_error("animate: odd frame size", ["animate", good, "--scenario", "ok", "--width", "641", "-o", "a.ogv"],
                 "even")
    expect_error("export-vtk: unknown scenario", ["export-vtk", good, "--scenario", "nope", "-o", "vtk"],
                 "no scenario 'nope'")
    for f in ["c.png", "p.png", "r.png", "a.ogv", "vtk/nope.pvd"]:
        if os.path.exists(os.path.join(TMP, f)):
            FAILURES.append(f"no output ({f}) after an error")

shutil.rmtree(TMP, ignore_errors=True)
if FAILURES:
    print(f"{len(FAILURES)} error class(es) failed: {FAILURES}")
    sys.exit(1)
print("all error classes give exit status 2 and a clear message")
