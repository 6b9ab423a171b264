#include "sim/dynamics.h"

#include "sim/bushing.h"
#include "sim/contact.h"
#include "sim/line_element.h"

namespace sl {
namespace {
// Slot of a body in Data::kin / f_B_W / tau_B_W; the world sits after the last body.
inline int Slot(const Model& m, BodyIndex b) { return b == kWorld ? m.nbody() : b; }
}  // namespace

void CalcKinematics(const Model& m, Data& d, const Eigen::VectorXd& qpos, const Eigen::VectorXd& qvel) {
  for (int b = 0; b < m.nbody(); ++b) {
    BodyKinematics& k = d.kin[b];
    k.p_WB = p_WB(qpos, b);
    k.q_WB = q_WB(qpos, b);
    k.R_WB = k.q_WB.toRotationMatrix();
    k.v_WB_W = v_WB_W(qvel, b);
    k.w_WB_W = k.R_WB * w_WB_B(qvel, b);
  }
}

void CalcForces(const Model& m, Data& d) {
  // gravity and actuator wrenches set by a controller (the world slot only collects reactions and is cleared)
  d.f_B_W[m.nbody()].setZero();
  d.tau_B_W[m.nbody()].setZero();
  for (int b = 0; b < m.nbody(); ++b) {
    d.f_B_W[b] = m.bodies[b].mass_kg * m.gravity_W + d.body_force_W[b];
    d.tau_B_W[b] = d.body_torque_W[b];
  }
  // bushings
  for (size_t i = 0; i < m.bushings.size(); ++i) {
    const Bushing& k = m.bushings[i];
    const int P = Slot(m, k.parent);
    ApplyBushing(k, d.kin[P], d.kin[k.child], d.bushings[i], d.f_B_W[P], d.tau_B_W[P],
                 d.f_B_W[k.child], d.tau_B_W[k.child]);
  }
  // line elements (muscles, ligaments, legs)
  for (size_t i = 0; i < m.lines.size(); ++i) {
    const LineElement& l = m.lines[i];
    const int A = Slot(m, l.body_a);
    ApplyLineElement(l, d.kin[A], d.kin[l.body_b], d.line_rest_length_m[i],
                     d.line_control_N[i], d.lines[i], d.f_B_W[A], d.tau_B_W[A],
                     d.f_B_W[l.body_b], d.tau_B_W[l.body_b]);
  }
  // ground contacts
  for (size_t i = 0; i < m.contacts.size(); ++i) {
    const ContactPoint& c = m.contacts[i];
    ApplyContact(c, *m.terrains[c.terrain], d.kin[c.body], static_cast<ContactMode>(d.contact_mode[i]),
                 ContactAnchor(d, i), d.contacts[i], d.f_B_W[c.body], d.tau_B_W[c.body]);
  }
}

void CalcAccelerations(const Model& m, Data& d, const Eigen::VectorXd& qvel, Eigen::VectorXd& qacc) {
  for (int b = 0; b < m.nbody(); ++b) {
    const Body& body = m.bodies[b];
    const BodyKinematics& k = d.kin[b];
    qacc.segment<3>(6 * b) = d.f_B_W[b] / body.mass_kg;
    const Vec3 w_B = w_WB_B(qvel, b);
    const Vec3 tau_B = k.R_WB.transpose() * d.tau_B_W[b];
    // Euler's equations in the body frame: I dw/dt = tau - w x (I w).
    qacc.segment<3>(6 * b + 3) = body.I_Bcm_B_inv * (tau_B - w_B.cross(body.I_Bcm_B * w_B));
  }
}

void CalcDerivative(const Model& m, Data& d, const Eigen::VectorXd& qpos, const Eigen::VectorXd& qvel,
                    Eigen::VectorXd& qacc) {
  CalcKinematics(m, d, qpos, qvel);
  CalcForces(m, d);
  CalcAccelerations(m, d, qvel, qacc);
  ++d.derivative_evaluations;
}

void CalcOutputs(const Model& m, Data& d) { CalcDerivative(m, d, d.qpos, d.qvel, d.qacc); }

void CalcContactOutputs(const Model& m, Data& d) {
  CalcKinematics(m, d, d.qpos, d.qvel);
  for (size_t i = 0; i < m.contacts.size(); ++i) {
    const ContactPoint& c = m.contacts[i];
    d.contacts[i] = CalcContact(c, *m.terrains[c.terrain], d.kin[c.body], ContactMode::kAuto, ContactAnchor(d, i));
  }
}

void IntegratePositions(const Model& m, const Eigen::VectorXd& q_in, const Eigen::VectorXd& xi,
                        Eigen::VectorXd& q_out) {
  for (int b = 0; b < m.nbody(); ++b) {
    q_out.segment<3>(7 * b) = q_in.segment<3>(7 * b) + xi.segment<3>(6 * b);
    Quat q = q_WB(q_in, b) * QuatFromRotationVector(xi.segment<3>(6 * b + 3));
    q.normalize();
    set_q_WB(q_out, b, q);
  }
}

void DifferencePositions(const Model& m, const Eigen::VectorXd& q0, const Eigen::VectorXd& q1,
                         Eigen::VectorXd& xi) {
  for (int b = 0; b < m.nbody(); ++b) {
    xi.segment<3>(6 * b) = q1.segment<3>(7 * b) - q0.segment<3>(7 * b);
    xi.segment<3>(6 * b + 3) = RotationVectorFromQuat(q_WB(q0, b).conjugate() * q_WB(q1, b));
  }
}

}  // namespace sl
