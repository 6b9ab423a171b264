#include "sim/math.h"

#include <cmath>

namespace sl {

Vec3 RotationVectorFromQuat(const Quat& q_in) {
  // Use the representative with w >= 0 so that the angle lies in [0, pi].
  Quat q = q_in;
  if (q.w() < 0.0) q.coeffs() = -q.coeffs();
  const Vec3 v = q.vec();
  const double s = v.norm();
  if (s < 1e-8) {
    // angle = 2 atan2(s, w) ~ 2 s / w; theta = angle * v / s ~ 2 v / w (1 - s^2 / (3 w^2)).
    const double w = q.w();
    return (2.0 / w) * (1.0 - s * s / (3.0 * w * w)) * v;
  }
  const double angle = 2.0 * std::atan2(s, q.w());
  return (angle / s) * v;
}

Quat QuatFromRotationVector(const Vec3& theta) {
  const double a = theta.norm();
  double c, k;  // cos(a/2) and sin(a/2)/a
  if (a < 1e-3) {
    // Taylor series to a^4: the next terms are below 1e-19, so this is exact in double and
    // spares the trigonometric calls for the small rotations of a time step.
    const double a2 = a * a;
    c = 1.0 - a2 / 8.0 + a2 * a2 / 384.0;
    k = 0.5 - a2 / 48.0 + a2 * a2 / 3840.0;
  } else {
    c = std::cos(0.5 * a);
    k = std::sin(0.5 * a) / a;
  }
  return Quat(c, k * theta.x(), k * theta.y(), k * theta.z());
}

}  // namespace sl
