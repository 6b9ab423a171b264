#!/usr/bin/env python3
"""Derive each shoe's heel layer in models/data/shoes.yaml: the heel pad in series with the midsole.

The model has one nonlinear viscoelastic layer per shoe between the foot and the surface,
F = k d^p + c d^q dd/dt (Liu & Nigg 2000 form). The real heel interface is two layers in
series: the heel fat pad and the midsole. This script

1. fits the heel pad to Kinoshita et al. 1993 (in vivo, 5 kg dropped on the heel at
   0.93 m/s: peak 569 N (5 kg x 11.6 g), maximum deformation 11.3 mm, 79 % of the energy
   absorbed);
2. gives each midsole a secant stiffness at 1.5 kN: neutral 118 kN/m (the data sheet's value
   derived from Fuss 2025's Air Max test, E), minimalist 400 and max-cushion 90 kN/m (data
   sheet table P4, E), worn neutral x1.44 at 500 km (P4, E: +20 % peak force, Cook 1985)
   with the Liu & Nigg soft-shoe exponent 1.56 (V), and a damping that absorbs the preset's
   energy loss (minimalist 40 %, neutral 30 %, max-cushion 20 %, worn 35 %, P4 E) in the
   standard 5 J shoe impact test (Fuss 2025: 8.5 kg, 5 J);
3. fits one layer to the pad and midsole in series: k and p to the static force-deflection
   curve over 0.2-2.5 kN (the heel's running range), c so that Kinoshita's drop loses the
   same energy on the single layer as on the two layers in series.

Barefoot is the pad alone. Run: python3 scripts/fit_heel_interface.py
With --check models/data/shoes.yaml it exits 1 if the file's values differ from the fit
(a CTest keeps the data and its derivation together).
"""
import math
import re
import sys

F_REF = 1500.0      # N, the reference force of shoes.yaml's secant stiffness
Q = 0.73            # damping exponent (Liu & Nigg soft shoe, V)
P_MIDSOLE = 1.56    # midsole stiffness exponent (Liu & Nigg soft shoe, V)


def k_from_secant(ksec, p):
    """k of F = k d^p whose secant F/d is ksec at F_REF."""
    return F_REF / (F_REF / ksec) ** p


def drop(layers, m, v0, dt=1e-6):
    """1-D drop of mass m at v0 onto layers [(ksec, p, c, q)] in series (massless interface).

    Returns (peak force N, max deflection mm, energy loss fraction, time of peak ms)."""
    ks = [k_from_secant(a, p) for a, p, c, q in layers]
    d = [1e-7] * len(layers)  # layer deflections; a tiny start keeps the dampers defined
    v, t, fmax, xmax, tpk = v0, 0.0, 0.0, 0.0, 0.0
    while True:
        el = [k * di ** p for k, di, (a, p, c, q) in zip(ks, d, layers)]
        cd = [c * di ** q for di, (a, p, c, q) in zip(d, layers)]
        if len(layers) == 1:
            rates = [v]
        else:
            # Equal force through the series: el_i + cd_i r_i = F with sum r_i = v.
            inv = sum(1.0 / x for x in cd)
            force = (v + sum(e / x for e, x in zip(el, cd))) / inv
            rates = [(force - e) / x for e, x in zip(el, cd)]
        f = max(el[0] + cd[0] * rates[0], 0.0)
        v -= f / m * dt
        d = [max(di + ri * dt, 1e-7) for di, ri in zip(d, rates)]
        t += dt
        x = sum(d)
        if f > fmax:
            fmax, tpk = f, t
        xmax = max(xmax, x)
        if v < 0 and (f <= 0.0 or x <= 1e-6 * len(layers)):
            break
        if t > 0.3:
            break
    return fmax, xmax * 1e3, 1.0 - (v * v) / (v0 * v0), tpk * 1e3


def bisect(fn, lo, hi, target, n=30, log=True):
    """fn increasing; returns x in [lo, hi] with fn(x) = target."""
    for _ in range(n):
        mid = math.sqrt(lo * hi) if log else 0.5 * (lo + hi)
        lo, hi = (mid, hi) if fn(mid) < target else (lo, mid)
    return math.sqrt(lo * hi) if log else 0.5 * (lo + hi)


def fit_pad():
    """Heel pad: exponent and stiffness to 569 N at 11.3 mm, damping to 79 % loss."""
    best = None
    for p in [2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0]:
        for c in [2e3, 4e3, 6e3, 8e3, 1.1e4, 1.5e4, 2e4, 3e4]:
            # stiffness such that the peak force is 569 N
            ksec = bisect(lambda k: drop([(k, p, c, Q)], 5.0, 0.93, 1e-5)[0], 5e3, 2e6, 569.0, 25)
            f, x, loss, _ = drop([(ksec, p, c, Q)], 5.0, 0.93, 1e-5)
            err = ((x - 11.3) / 11.3) ** 2 + ((loss - 0.79) / 0.79) ** 2
            if best is None or err < best[0]:
                best = (err, ksec, p, c)
    return best[1:]


def midsole(ksec, loss):
    """Midsole damping for the preset energy loss in the 5 J, 8.5 kg impact test."""
    v0 = math.sqrt(2 * 5.0 / 8.5)
    c = bisect(lambda c: drop([(ksec, P_MIDSOLE, c, Q)], 8.5, v0, 1e-5)[2], 1e2, 1e6, loss)
    return (ksec, P_MIDSOLE, c, Q)


def deflection(layer, f):
    ksec, p, c, q = layer
    return (f / k_from_secant(ksec, p)) ** (1.0 / p)


def fit_composite(pad, mid):
    """One layer: log-log least squares on the series static curve, then damping to the loss."""
    forces = [200.0 * 1.1 ** i for i in range(27)]  # 0.2-2.6 kN
    xs = [math.log(deflection(pad, f) + deflection(mid, f)) for f in forces]
    ys = [math.log(f) for f in forces]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    p = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    logk = my - p * mx
    ksec = F_REF / (F_REF / math.exp(logk)) ** (1.0 / p)
    worst = max(abs(math.exp((y - logk) / p) / math.exp(x) - 1) for x, y in zip(xs, ys))
    target = drop([pad, mid], 5.0, 0.93)[2]
    c = bisect(lambda c: drop([(ksec, p, c, Q)], 5.0, 0.93, 1e-5)[2], 1e2, 1e6, target)
    return (ksec, p, c, Q), target, worst


def read_shoes(path):
    """The flat two-level shoes.yaml: {preset: {key: value}} and the top-level numbers."""
    shoes, top, cur = {}, {}, None
    for line in open(path):
        line = line.split("#")[0].rstrip()
        m = re.match(r"^(\w+):\s*([-0-9.e+]+)?$", line)
        if m and m.group(2) is not None:
            top[m.group(1)] = float(m.group(2))
            cur = None
        elif m:
            cur = shoes.setdefault(m.group(1), {})
        else:
            m = re.match(r"^\s+(\w+):\s*([-0-9.e+]+)$", line)
            if m and cur is not None:
                cur[m.group(1)] = float(m.group(2))
    return shoes, top


def main(argv):
    pad = fit_pad()
    pad_layer = (pad[0], pad[1], pad[2], Q)
    f, x, loss, tp = drop([pad_layer], 5.0, 0.93)
    print(f"heel pad: secant {pad[0]:.0f} N/m at {F_REF:.0f} N, exponent {pad[1]}, damping {pad[2]:.0f}"
          f" -> Kinoshita drop {f:.0f} N, {x:.1f} mm, loss {loss * 100:.0f} % (569 N, 11.3 mm, 79 %)")
    presets = {"minimalist": (400e3, 0.40), "neutral": (118e3, 0.30), "max_cushion": (90e3, 0.20),
               "worn_neutral_500km": (118e3 * 1.44, 0.35)}
    fitted = {"barefoot": pad_layer}
    for name, (ksec, loss) in presets.items():
        mid = midsole(ksec, loss)
        comp, target, worst = fit_composite(pad_layer, mid)
        fitted[name] = comp
        print(f"{name}: midsole damping {mid[2]:.0f}; composite secant {comp[0]:.0f} N/m, exponent {comp[1]:.2f},"
              f" damping {comp[2]:.0f} (series drop loss {target * 100:.0f} %, curve error <= {worst * 100:.1f} %)")
    wear = fitted["worn_neutral_500km"][0] / fitted["neutral"][0] - 1.0
    print(f"wear_stiffening_per_500km (composite secant, worn / new - 1): {wear:.3f}")
    if len(argv) == 3 and argv[1] == "--check":
        shoes, top = read_shoes(argv[2])
        errors = []

        def expect(what, have, want, rel):
            if abs(have - want) > rel * abs(want):
                errors.append(f"{what} = {have:g} in {argv[2]}, the fit gives {want:g} (tolerance {rel * 100:g} %)")

        # The worn preset starts as the new neutral except for its damping (the 500 km fit).
        rows = {"barefoot": "barefoot", "minimalist": "minimalist", "neutral": "neutral",
                "max_cushion": "max_cushion", "worn_neutral": "neutral"}
        for preset, source in rows.items():
            ksec, p, c, _ = fitted[source]
            have = shoes.get(preset, {})
            expect(preset + ".secant_stiffness_N_m", have.get("secant_stiffness_N_m", 0), ksec, 0.01)
            expect(preset + ".exponent", have.get("exponent", 0), p, 0.01)
            if preset != "worn_neutral":
                expect(preset + ".damping", have.get("damping", 0), c, 0.05)
        expect("worn_neutral.damping", shoes.get("worn_neutral", {}).get("damping", 0),
               fitted["worn_neutral_500km"][2], 0.05)
        expect("wear_stiffening_per_500km", top.get("wear_stiffening_per_500km", 0), wear, 0.02)
        expect("heel_pad_secant_stiffness_N_m", top.get("heel_pad_secant_stiffness_N_m", 0), pad_layer[0], 0.01)
        expect("heel_pad_exponent", top.get("heel_pad_exponent", 0), pad_layer[1], 0.01)
        for e in errors:
            print("MISMATCH: " + e)
        return 1 if errors else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
