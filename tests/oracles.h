// Closed-form reference solutions shared by tests and benchmarks.
#pragma once

#include <cmath>

namespace sl::oracles {

/// Position of a damped linear oscillator m x'' + c x' + k x = 0 (underdamped), x(0) = x0,
/// x'(0) = v0. SI units.
inline double DampedOscillator(double m, double c, double k, double x0, double v0, double t) {
  const double w0 = std::sqrt(k / m);
  const double zeta = c / (2.0 * std::sqrt(k * m));
  const double wd = w0 * std::sqrt(1.0 - zeta * zeta);
  return std::exp(-zeta * w0 * t) * (x0 * std::cos(wd * t) + (v0 + zeta * w0 * x0) / wd * std::sin(wd * t));
}

}  // namespace sl::oracles
