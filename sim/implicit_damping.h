// Implicit bushing damping: the damping of every bushing, linearised about the rest
// configuration, in body coordinates (linear and angular velocity of each body in its own
// frame). For small deflections this matrix is constant, so M + (h/2) D is factored once per
// step size and every step solves with it (MuJoCo's implicit damping, with the coupling).
#pragma once

#include <vector>

#include <Eigen/Dense>

#include "sim/data.h"
#include "sim/model.h"

namespace sl {

using Mat6 = Eigen::Matrix<double, 6, 6>;

/// D (6 nbody x 6 nbody) = sum over bushings of [G_C, -G_P]^T diag(Ct, Cr) [G_C, -G_P], with
/// G the map from a body's velocity (in its frame) to the deflection rate of the bushing's
/// frame on it. Rigid motions of the whole chain are in its null space (no damping).
void BushingDampingMatrix(const Model& m, Eigen::MatrixXd& D);

/// Sets up data.scratch for the factorizations: D, and when the bushings join the bodies as a
/// forest, its blocks and the elimination order along the trees (MakeData calls it).
void SetUpImplicitDamping(const Model& m, Data& d);

/// Factors M + h_half (D + D_contact) into data.scratch.damping_llt for the step size h_half
/// (s), where D_contact is the normal and friction damping of the contacts in data.contacts
/// (those carrying load), at the body orientations in data.kin.
void FactorImplicitDamping(const Model& m, Data& d, double h_half);

/// Solves (M + h_half D) dnu = rhs in body coordinates (rhs and dnu: 6 per body).
void SolveImplicitDamping(Data& d, const Eigen::VectorXd& rhs, Eigen::VectorXd& dnu);

}  // namespace sl
