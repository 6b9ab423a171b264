// Small spatial-math helpers shared by the engine. Frames follow docs/notation.md:
// R_AB rotates vectors expressed in B into A; p_AB_E is the position of B from A expressed in E.
#pragma once

#include <Eigen/Core>
#include <Eigen/Geometry>

namespace sl {

using Vec3 = Eigen::Vector3d;
using Mat3 = Eigen::Matrix3d;
using Quat = Eigen::Quaterniond;

/// Rotation vector theta (unit axis times angle, angle in [0, pi]) of the unit quaternion q.
Vec3 RotationVectorFromQuat(const Quat& q);

/// Unit quaternion of the rotation vector theta (rad).
Quat QuatFromRotationVector(const Vec3& theta);

/// The matrix [r]x with [r]x v = r x v.
inline Mat3 CrossMatrix(const Vec3& r) {
  Mat3 S;
  S << 0, -r.z(), r.y(), r.z(), 0, -r.x(), -r.y(), r.x(), 0;
  return S;
}

/// Inverse right Jacobian of SO(3) applied to w, truncated after the second commutator:
/// the rate of xi when exp(xi) moves with body-frame angular velocity w. Exact to O(|xi|^3),
/// which keeps Runge-Kutta-Munthe-Kaas stages of order <= 4 at full order.
inline Vec3 DexpInvRight(const Vec3& xi, const Vec3& w) {
  const Vec3 xw = xi.cross(w);
  return w + 0.5 * xw + (1.0 / 12.0) * xi.cross(xw);
}

}  // namespace sl
