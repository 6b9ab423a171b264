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
"""
import math

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


if __name__ == "__main__":
    pad = fit_pad()
    pad_layer = (pad[0], pad[1], pad[2], Q)
    f, x, loss, tp = drop([pad_layer], 5.0, 0.93)
    print(f"heel pad: secant {pad[0]:.0f} N/m at {F_REF:.0f} N, exponent {pad[1]}, damping {pad[2]:.0f}"
          f" -> Kinoshita drop {f:.0f} N, {x:.1f} mm, loss {loss * 100:.0f} % (569 N, 11.3 mm, 79 %)")
    presets = {"minimalist": (400e3, 0.40), "neutral": (118e3, 0.30), "max_cushion": (90e3, 0.20),
               "worn_neutral_500km": (118e3 * 1.44, 0.35)}
    fitted = {}
    for name, (ksec, loss) in presets.items():
        mid = midsole(ksec, loss)
        comp, target, worst = fit_composite(pad_layer, mid)
        fitted[name] = comp
        print(f"{name}: midsole damping {mid[2]:.0f}; composite secant {comp[0]:.0f} N/m, exponent {comp[1]:.2f},"
              f" damping {comp[2]:.0f} (series drop loss {target * 100:.0f} %, curve error <= {worst * 100:.1f} %)")
    wear = fitted["worn_neutral_500km"][0] / fitted["neutral"][0] - 1.0
    print(f"wear_stiffening_per_500km (composite secant, worn / new - 1): {wear:.3f}")
