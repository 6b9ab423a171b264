// Oracles:
// 1. The data sheet's equations of motion for Liu & Nigg (2000), section 3a, integrated here
//    on their own (a 4-DOF vertical ODE, classic RK4): the engine's model, built from bodies,
//    line elements and the power-law contact, must give the same ground force.
// 2. Liu & Nigg's published directions: a heavier lower rigid or wobbling mass and a faster
//    touchdown raise the impact peak; the upper masses leave it and change the active peak.
// The published magnitude (1353 N at 23 ms) is NOT reproduced: the data sheet's parameters
// give 910 N at 8.7 ms in both integrations (the rigid lower mass, 6.15 kg, on the hard
// shoe's ~370 kN/m sets a ~9 ms rise). Zadpoor & Nikooyan (2006/2007) report that the
// published model had simulation problems; their corrected values are not in the data sheet.
// This stays open in issue 3 (validate's two Liu & Nigg rows).
#include "models/liu_nigg.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace sl {
namespace {

struct OdeResult {
  double impact_peak_N = 0, impact_time_s = 0;
};

// The data sheet's four equations (x positive downward, x1 the ground penetration).
OdeResult IntegrateDataSheetEquations(const liu_nigg::Parameters& p, double t_end_s) {
  using State = std::array<double, 8>;  // x1..x4, v1..v4
  const double g = 9.81;
  auto ground = [&](const State& s) {
    if (s[0] <= 0) return 0.0;
    const double v1 = s[4];
    const double f = p.area_factor * (p.a * std::pow(s[0], p.b) + p.c * std::pow(s[0], p.d) * v1);
    return std::max(f, 0.0);
  };
  auto deriv = [&](const State& s) {
    const double x1 = s[0], x2 = s[1], x3 = s[2], x4 = s[3];
    const double v1 = s[4], v2 = s[5], v3 = s[6], v4 = s[7];
    const double k45 = p.k4 + p.k5;
    State ds{};
    ds[0] = v1, ds[1] = v2, ds[2] = v3, ds[3] = v4;
    ds[4] = (p.m1 * g - ground(s) - p.k1 * (x1 - x3) - p.k2 * (x1 - x2) - p.c1 * (v1 - v3) - p.c2 * (v1 - v2)) / p.m1;
    ds[5] = (p.m2 * g + p.k2 * (x1 - x2) - p.k3 * (x2 - x3) + p.c2 * (v1 - v2)) / p.m2;
    ds[6] = (p.m3 * g + p.k1 * (x1 - x3) + p.k3 * (x2 - x3) - k45 * (x3 - x4) + p.c1 * (v1 - v3) - p.c4 * (v3 - v4)) / p.m3;
    ds[7] = (p.m4 * g + k45 * (x3 - x4) + p.c4 * (v3 - v4)) / p.m4;
    return ds;
  };
  State s{};
  for (int i = 4; i < 8; ++i) s[i] = p.touchdown_speed_m_s;
  const double dt = 2e-6;
  OdeResult r;
  double f_prev = 0;
  bool rising = true;
  for (double t = 0; t < t_end_s; t += dt) {
    const State k1 = deriv(s);
    State tmp;
    for (int i = 0; i < 8; ++i) tmp[i] = s[i] + 0.5 * dt * k1[i];
    const State k2 = deriv(tmp);
    for (int i = 0; i < 8; ++i) tmp[i] = s[i] + 0.5 * dt * k2[i];
    const State k3 = deriv(tmp);
    for (int i = 0; i < 8; ++i) tmp[i] = s[i] + dt * k3[i];
    const State k4 = deriv(tmp);
    for (int i = 0; i < 8; ++i) s[i] += dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    const double f = ground(s);
    if (rising && f < f_prev) {
      rising = false;
      r.impact_peak_N = f_prev;
      r.impact_time_s = t;
    }
    f_prev = f;
  }
  return r;
}

TEST(LiuNigg, EngineModelMatchesTheDataSheetEquationsIntegratedIndependently) {
  for (double v : {0.3, 0.6, 1.0}) {
    liu_nigg::Parameters p;
    p.touchdown_speed_m_s = v;
    const auto engine = liu_nigg::Simulate(p, 0.1);
    const OdeResult ode = IntegrateDataSheetEquations(p, 0.05);
    ASSERT_GT(ode.impact_peak_N, 0.0);
    // The engine samples its output every 0.1 ms: the peak within 0.5 %, its time within 0.2 ms.
    EXPECT_NEAR(engine.impact_peak_N, ode.impact_peak_N, 0.005 * ode.impact_peak_N) << "touchdown " << v << " m/s";
    EXPECT_NEAR(engine.impact_time_s, ode.impact_time_s, 2e-4) << "touchdown " << v << " m/s";
  }
}

TEST(LiuNigg, HeavierLowerRigidMassRaisesTheImpactPeak) {
  // Liu & Nigg 2000: m1 2.15 -> 10.15 kg raises the impact peak by 161-172 N per 2 kg. The data
  // sheet's parameters give 134-171 N per 2 kg (the published step is not held; see above).
  liu_nigg::Parameters p;
  p.m1 = 2.15;
  double previous = liu_nigg::Simulate(p, 0.06).impact_peak_N;
  for (int i = 0; i < 4; ++i) {
    p.m1 += 2.0;
    const double peak = liu_nigg::Simulate(p, 0.06).impact_peak_N;
    EXPECT_GT(peak - previous, 100.0) << "m1 = " << p.m1 << " kg";
    EXPECT_LT(peak - previous, 200.0) << "m1 = " << p.m1 << " kg";
    previous = peak;
  }
}

TEST(LiuNigg, HeavierLowerWobblingMassRaisesTheImpactPeak) {
  // Liu & Nigg 2000: m2 2 -> 10 kg raises the impact peak (by up to 86 N).
  liu_nigg::Parameters light, heavy;
  light.m2 = 2.0;
  heavy.m2 = 10.0;
  const double rise = liu_nigg::Simulate(heavy, 0.06).impact_peak_N - liu_nigg::Simulate(light, 0.06).impact_peak_N;
  EXPECT_GT(rise, 0.0);
  EXPECT_LT(rise, 86.0 * 1.2);
}

TEST(LiuNigg, UpperMassesLeaveTheImpactPeakAndChangeTheActivePeak) {
  // Liu & Nigg 2000: the upper masses have a minimal effect on the impact peak and a great one
  // on the active peak.
  liu_nigg::Parameters base, heavy;
  heavy.m4 += 10.0;
  const auto b = liu_nigg::Simulate(base), h = liu_nigg::Simulate(heavy);
  EXPECT_NEAR(h.impact_peak_N, b.impact_peak_N, 0.01 * b.impact_peak_N);
  // The active peak rises by roughly the added weight's share: more than 5 % for +20 % mass.
  EXPECT_GT(h.max_force_N, 1.05 * b.max_force_N);
}

TEST(LiuNigg, FasterTouchdownRaisesTheImpactPeak) {
  // Liu & Nigg 2000: touchdown speed 0.2 -> 1.0 m/s raises the impact peak (by up to 222 N; the
  // data sheet's parameters give about 1100 N, the rigid lower mass's momentum).
  liu_nigg::Parameters slow, fast;
  slow.touchdown_speed_m_s = 0.2;
  fast.touchdown_speed_m_s = 1.0;
  EXPECT_GT(liu_nigg::Simulate(fast).impact_peak_N, liu_nigg::Simulate(slow).impact_peak_N);
}

}  // namespace
}  // namespace sl
