// Pose and velocity of one body as the force elements need it (all in W).
#pragma once

#include "sim/math.h"

namespace sl {

struct BodyKinematics {
  Vec3 p_WB;     ///< COM position (m)
  Quat q_WB;     ///< orientation
  Mat3 R_WB;     ///< same as a matrix
  Vec3 v_WB_W;   ///< COM velocity (m/s)
  Vec3 w_WB_W;   ///< angular velocity (rad/s)

  /// Velocity of the material point at p_WQ (m/s).
  Vec3 PointVelocity(const Vec3& p_WQ) const { return v_WB_W + w_WB_W.cross(p_WQ - p_WB); }
};

/// Accumulates a force applied at a world point into a body's net force and COM torque.
inline void ApplyForceAtPoint(const BodyKinematics& body, const Vec3& p_WQ, const Vec3& f_W,
                              Vec3& f_B_W, Vec3& tau_B_W) {
  f_B_W += f_W;
  tau_B_W += (p_WQ - body.p_WB).cross(f_W);
}

}  // namespace sl
