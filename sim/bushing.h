// 6-DOF bushing law (benchmarks/spine-chain/spec.md) with the optional disc axial law.
#pragma once

#include "sim/data.h"
#include "sim/kinematics.h"
#include "sim/model.h"

namespace sl {

/// Preload stiffening factor g(F) of a disc: piecewise-linear in the compressive force F (N),
/// held at the last table value beyond it; 1 for F <= first entry.
double DiscStiffnessFactor(const DiscAxialLaw& law, double compression_N);

/// Deflection, load and energy of the bushing for the given parent/child kinematics. Pure.
BushingOutput CalcBushing(const Bushing& k, const BodyKinematics& P, const BodyKinematics& C);

/// Computes the bushing and adds its load pair to the net forces of parent and child.
void ApplyBushing(const Bushing& k, const BodyKinematics& P, const BodyKinematics& C,
                  BushingOutput& out, Vec3& f_P_W, Vec3& tau_P_W, Vec3& f_C_W, Vec3& tau_C_W);

}  // namespace sl
