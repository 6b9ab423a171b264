// Two-point line element: spring, damper and actuator (muscles, ligaments, legs).
#pragma once

#include "sim/data.h"
#include "sim/kinematics.h"
#include "sim/model.h"

namespace sl {

/// Length, rate and tension for the given kinematics, rest length L0 (m) and actuator
/// tension u (N, clamped to >= 0). Pure.
LineOutput CalcLineElement(const LineElement& l, const BodyKinematics& A, const BodyKinematics& B,
                           double rest_length_m, double control_N);

/// Computes the element and adds its pull to both bodies.
void ApplyLineElement(const LineElement& l, const BodyKinematics& A, const BodyKinematics& B,
                      double rest_length_m, double control_N, LineOutput& out, Vec3& f_A_W,
                      Vec3& tau_A_W, Vec3& f_B_W, Vec3& tau_B_W);

}  // namespace sl
