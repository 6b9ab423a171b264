// The Liu & Nigg (2000) four-mass impact model (data sheet 3a), built with the engine's
// bodies, line elements and contact law: a validation of the impact mechanics on its own
// published parameters. Vertical motion only (all forces act along the vertical line).
#pragma once

#include <vector>

namespace sl::liu_nigg {

struct Parameters {
  double m1 = 6.15, m2 = 6.00, m3 = 12.58, m4 = 50.34;  ///< kg
  double k1 = 6e3, k2 = 6e3, k3 = 10e3, k4 = 10e3, k5 = 18e3;  ///< N/m
  double c1 = 300, c2 = 650, c4 = 1900;                 ///< N·s/m
  double a = 1.0e6, b = 1.38, c = 2.0e4, d = 0.75;      ///< hard shoe law, Fg = Ac [a x^b + c x^d dx]
  double area_factor = 2.0;                              ///< Ac
  double touchdown_speed_m_s = 0.6;
};

struct Result {
  double impact_peak_N = 0, impact_time_s = 0;  ///< first local maximum of the ground force
  double max_force_N = 0;
  double contact_time_s = 0;                    ///< until the ground force returns to zero
  std::vector<double> t_s, force_N;
};

/// Simulates the impact from touchdown until lift-off (or t_end).
Result Simulate(const Parameters& p, double t_end_s = 0.6);

}  // namespace sl::liu_nigg
