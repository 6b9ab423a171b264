// The derivative of the state, as named stages:
//   CalcKinematics    poses and velocities of the bodies in W
//   CalcForces        gravity, controller wrenches, bushings, line elements, contacts
//                     -> net force per body
//   CalcAccelerations Newton-Euler with the gyroscopic term
#pragma once

#include "sim/data.h"
#include "sim/model.h"

namespace sl {

void CalcKinematics(const Model& m, Data& d, const Eigen::VectorXd& qpos, const Eigen::VectorXd& qvel);
void CalcForces(const Model& m, Data& d);
void CalcAccelerations(const Model& m, Data& d, const Eigen::VectorXd& qvel, Eigen::VectorXd& qacc);

/// All three stages at (qpos, qvel); writes the body accelerations into qacc.
void CalcDerivative(const Model& m, Data& d, const Eigen::VectorXd& qpos, const Eigen::VectorXd& qvel,
                    Eigen::VectorXd& qacc);

/// Evaluates the stages at the current state so that every output in Data belongs to it.
void CalcOutputs(const Model& m, Data& d);

/// Kinematics and contact outputs only (no forces applied): cheap sampling of ground forces.
void CalcContactOutputs(const Model& m, Data& d);

/// Position update on the configuration manifold: positions add h·v, orientations compose
/// with exp(xi) in the body frame: q_out = q_in ⊕ xi where xi = (dp (m), dtheta_B (rad)) per body.
void IntegratePositions(const Model& m, const Eigen::VectorXd& q_in, const Eigen::VectorXd& xi,
                        Eigen::VectorXd& q_out);

/// Tangent difference: xi such that q1 = q0 ⊕ xi.
void DifferencePositions(const Model& m, const Eigen::VectorXd& q0, const Eigen::VectorXd& q1,
                         Eigen::VectorXd& xi);

}  // namespace sl
