#include "sim/integrator.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/contact.h"
#include "sim/dynamics.h"
#include "sim/errors.h"
#include "sim/implicit_damping.h"

namespace sl {

const char* IntegratorName(IntegratorKind k) {
  switch (k) {
    case IntegratorKind::kSemiImplicitEuler: return "semi_implicit_euler";
    case IntegratorKind::kRk4: return "rk4";
    case IntegratorKind::kDopri5: return "dopri5";
    case IntegratorKind::kRos2: return "ros2";
    case IntegratorKind::kRos34pw2: return "ros34pw2";
    case IntegratorKind::kImplicitDampingVerlet: return "implicit_damping_verlet";
  }
  return "?";
}

bool ParseIntegratorName(const std::string& name, IntegratorKind* out) {
  for (IntegratorKind k : {IntegratorKind::kSemiImplicitEuler, IntegratorKind::kRk4,
                           IntegratorKind::kDopri5, IntegratorKind::kRos2, IntegratorKind::kRos34pw2,
                           IntegratorKind::kImplicitDampingVerlet}) {
    if (name == IntegratorName(k)) {
      *out = k;
      return true;
    }
  }
  return false;
}

IntegratorOptions DefaultIntegratorOptions() { return IntegratorOptions{}; }

namespace {

using Vec = Eigen::VectorXd;

// Tangent rate of the stage's position offset xi for body velocities qvel: positions move
// with v, orientation offsets with dexp^-1(xi, w_B) (RKMK).
void PositionTangentRate(const Model& m, const Vec& xi, const Vec& qvel, Vec& kq) {
  for (int b = 0; b < m.nbody(); ++b) {
    kq.segment<3>(6 * b) = qvel.segment<3>(6 * b);
    kq.segment<3>(6 * b + 3) = DexpInvRight(xi.segment<3>(6 * b + 3), qvel.segment<3>(6 * b + 3));
  }
}

int ActiveContacts(const Data& d) {
  int n = 0;
  for (const auto& c : d.contacts) n += c.penetration_m > 0;
  return n;
}

// Names the element most likely responsible for a blow-up: the first with a non-finite
// output, else the one carrying the largest force.
std::string DiagnoseBlowUp(const Model& m, Data& d) {
  CalcOutputs(m, d);
  std::string worst = "body '" + m.bodies[0].name + "'";
  double worst_f = -1;
  auto consider = [&](const std::string& what, double f) {
    if (!std::isfinite(f)) f = INFINITY;
    if (f > worst_f) {
      worst_f = f;
      worst = what;
    }
  };
  for (size_t i = 0; i < m.bushings.size(); ++i)
    consider("bushing '" + m.bushings[i].name + "'", d.bushings[i].f_F.norm() + d.bushings[i].t_F.norm());
  for (size_t i = 0; i < m.lines.size(); ++i)
    consider("line element '" + m.lines[i].name + "'", std::abs(d.lines[i].tension_N));
  for (size_t i = 0; i < m.contacts.size(); ++i)
    consider("contact '" + m.contacts[i].name + "'", d.contacts[i].f_W.norm());
  if (worst_f < 0) {
    for (int b = 0; b < m.nbody(); ++b)
      if (!d.qpos.segment<7>(7 * b).allFinite() || !d.qvel.segment<6>(6 * b).allFinite())
        return "body '" + m.bodies[b].name + "'";
  }
  return worst;
}

// A bushing's rotation law acts on the rotation vector of M in F, which wraps at pi rad: the
// spring torque flips there and the two bodies spin (this once spun a lumped shank). A run
// that takes a sprung bushing that far stops with the element and the angle named. Checked
// every kRotationCheckSteps steps: every step cost 15 % of the running model's time (8 of 52 ms
// per stride); to cross the 0.1 pi band unseen a body would have to turn 0.1 pi in 8 steps
// (785 rad/s at 5e-5 s, 65 rad/s at 6e-4 s), and a body spinning that fast is caught in the band
// on a later turn.
constexpr long kRotationCheckSteps = 8;

void CheckBushingRotations(const Model& m, const IntegratorOptions& opt, const Data& d) {
  for (size_t i = 0; i < m.bushings.size(); ++i) {
    const Bushing& k = m.bushings[i];
    if (k.k_rot_Nm_rad.isZero()) continue;  // no rotational spring: nothing to wrap
    const Quat q_WF = (k.parent == kWorld ? Quat::Identity() : q_WB(d.qpos, k.parent)) * k.q_PF;
    const Quat q_WM = q_WB(d.qpos, k.child) * k.q_CM;
    const Quat q_FM = q_WF.conjugate() * q_WM;
    const double angle_rad = 2.0 * std::atan2(q_FM.vec().norm(), std::abs(q_FM.w()));
    if (!(angle_rad > opt.max_bushing_rotation_rad)) continue;
    std::ostringstream os;
    os << "bushing '" << k.name << "' turned " << angle_rad << " rad at t = " << d.t_s
       << " s (limit " << opt.max_bushing_rotation_rad
       << " rad): its rotation law wraps at pi rad; stiffen or tie the child body's rotation, or "
          "look for what spins it (e.g. a controller gain too high for its update period)";
    throw SimulationError(os.str(), d.t_s, "bushing '" + k.name + "'");
  }
}

void CheckState(const Model& m, const IntegratorOptions& opt, Data& d) {
  if (d.steps % kRotationCheckSteps == 0) CheckBushingRotations(m, opt, d);
  bool bad = !d.qpos.allFinite() || !d.qvel.allFinite();
  if (!bad) {
    for (int b = 0; b < m.nbody() && !bad; ++b)
      bad = d.qvel.segment<3>(6 * b).norm() > opt.max_speed_m_s;
  }
  if (!bad) return;
  const std::string element = DiagnoseBlowUp(m, d);
  std::ostringstream os;
  os << "simulation diverged at t = " << d.t_s << " s (non-finite or faster than "
     << opt.max_speed_m_s << " m/s); largest load in " << element
     << "; try a smaller step or check the element's stiffness";
  throw SimulationError(os.str(), d.t_s, element);
}

// ---------------------------------------------------------------- semi-implicit Euler
void StepSemiImplicitEuler(const Model& m, Data& d, double h) {
  auto& s = d.scratch;
  CalcDerivative(m, d, d.qpos, d.qvel, d.qacc);
  d.qvel.noalias() += h * d.qacc;
  s.xi.noalias() = h * d.qvel;
  IntegratePositions(m, d.qpos, s.xi, s.q1);
  d.qpos = s.q1;
}

// ---------------------------------------------------------------- implicit-damping Verlet
// Generalised Stoermer-Verlet (Hairer, Lubich & Wanner, Geometric Numerical Integration,
// VI.3) with the bushings' and contacts' damping implicit in the first half kick:
//   v_1/2  = v_n + h/2 M^-1 f(q_n, v_1/2)      (linear in the damping: one solve with M + h/2 D)
//   q_n+1  = q_n (+) h v_1/2
//   v_n+1  = v_1/2 + h/2 M^-1 f(q_n+1, v_1/2)  (explicit)
// D (implicit_damping.h) is constant in body coordinates. For the damping this is the
// trapezoidal rule (A-stable), so it no longer limits the step; the springs do (h omega < 2).
// Order 2 where the velocity-dependent forces are the bushings' damping.
//
// One force evaluation per step: the next first half kick needs f(q_n+1, v_n+1), which
// differs from the evaluation f(q_n+1, v_1/2) only through the velocity. That difference is
// -D (v_n+1 - v_1/2) for the bushings' damping (linear), and the contacts and the gyroscopic
// terms are evaluated again at v_n+1 (cheap: no bushing kinematics). Models with line
// elements (their damping and controls) evaluate everything again.

// Generalized force of the last CalcDerivative in body coordinates: M a.
void GeneralizedForceB(const Model& m, const Data& d, Eigen::VectorXd& f_B) {
  for (int b = 0; b < m.nbody(); ++b) {
    f_B.segment<3>(6 * b) = m.bodies[b].mass_kg * (d.kin[b].R_WB.transpose() * d.qacc.segment<3>(6 * b));
    f_B.segment<3>(6 * b + 3) = m.bodies[b].I_Bcm_B * d.qacc.segment<3>(6 * b + 3);
  }
}

// Re-evaluates the contacts at the positions of d.kin and the velocities qvel (into d.contacts).
void RecomputeContacts(const Model& m, Data& d, const Eigen::VectorXd& qvel) {
  for (size_t i = 0; i < m.contacts.size(); ++i) {
    const ContactPoint& c = m.contacts[i];
    BodyKinematics k = d.kin[c.body];
    k.v_WB_W = qvel.segment<3>(6 * c.body);
    k.w_WB_W = k.R_WB * qvel.segment<3>(6 * c.body + 3);
    d.contacts[i] = CalcContact(c, *m.terrains[c.terrain], k, static_cast<ContactMode>(d.contact_mode[i]),
                                ContactAnchor(d, i));
  }
}

// The generalized forces (body coordinates) of the contacts in d.contacts and of the
// gyroscopic terms at the velocities qvel.
void VelocityForcesB(const Model& m, const Data& d, const Eigen::VectorXd& qvel, Eigen::VectorXd& out) {
  for (int b = 0; b < m.nbody(); ++b) {
    const Vec3 w = qvel.segment<3>(6 * b + 3);
    out.segment<3>(6 * b).setZero();
    out.segment<3>(6 * b + 3) = -w.cross(m.bodies[b].I_Bcm_B * w);
  }
  for (size_t i = 0; i < m.contacts.size(); ++i) {
    const ContactPoint& c = m.contacts[i];
    const BodyKinematics& k = d.kin[c.body];
    const Vec3& f = d.contacts[i].f_W;
    out.segment<3>(6 * c.body) += k.R_WB.transpose() * f;
    out.segment<3>(6 * c.body + 3) += k.R_WB.transpose() * (d.contacts[i].p_WC - k.p_WB).cross(f);
  }
}

// out = D x for the bushing damping matrix, by blocks along the tree when there is one.
void BushingDampingTimes(const Model& m, const Data& d, const Eigen::VectorXd& x, Eigen::VectorXd& out) {
  const auto& s = d.scratch;
  if (!s.damping_tree) {
    out.noalias() = s.damping_D * x;
    return;
  }
  for (int b = 0; b < m.nbody(); ++b)
    out.segment<6>(6 * b).noalias() = s.tree_D_diag[static_cast<size_t>(b)] * x.segment<6>(6 * b);
  for (int b = 0; b < m.nbody(); ++b) {
    const int p = s.tree_parent[static_cast<size_t>(b)];
    if (p < 0) continue;
    const auto& Dup = s.tree_D_up[static_cast<size_t>(b)];
    out.segment<6>(6 * b).noalias() += Dup * x.segment<6>(6 * p);
    out.segment<6>(6 * p).noalias() += Dup.transpose() * x.segment<6>(6 * b);
  }
}

void StepImplicitDampingVerlet(const Model& m, const IntegratorOptions& opt, Data& d, double h) {
  auto& s = d.scratch;
  // f(q_n, v_n) in body coordinates, into fsal_f_B.
  if (s.fsal_valid && s.fsal_t_s == d.t_s && m.lines.empty()) {
    // From the last evaluation at v_n-1/2: its velocity forces out, D dv and the velocity
    // forces at v_n in (dv = v_n - v_n-1/2, kept in fsal_dnu_B).
    BushingDampingTimes(m, d, s.fsal_dnu_B, s.rhs);
    s.fsal_f_B -= s.fsal_fv_B + s.rhs;
    RecomputeContacts(m, d, d.qvel);
    VelocityForcesB(m, d, d.qvel, s.fsal_fv_B);
    s.fsal_f_B += s.fsal_fv_B;
  } else {
    CalcDerivative(m, d, d.qpos, d.qvel, d.qacc);
    GeneralizedForceB(m, d, s.fsal_f_B);
  }
  // Refactor when the step or the set of loaded contacts changes, else every
  // jacobian_refresh_steps (the contacts' damping follows the feet's orientation).
  const int contacts_now = ActiveContacts(d);
  if (s.damping_factored_step_s != 0.5 * h || contacts_now != s.last_active_contacts ||
      s.steps_since_jacobian >= opt.jacobian_refresh_steps) {
    FactorImplicitDamping(m, d, 0.5 * h);
    s.last_active_contacts = contacts_now;
    s.steps_since_jacobian = 0;
  }
  ++s.steps_since_jacobian;
  // First half kick: (M + h/2 D) dv = h/2 f(q_n, v_n), in body coordinates.
  s.rhs = (0.5 * h) * s.fsal_f_B;
  SolveImplicitDamping(d, s.rhs, s.v1);
  for (int b = 0; b < m.nbody(); ++b) {
    d.qvel.segment<3>(6 * b) += d.kin[b].R_WB * s.v1.segment<3>(6 * b);
    d.qvel.segment<3>(6 * b + 3) += s.v1.segment<3>(6 * b + 3);
  }
  // Drift, then the explicit second half kick.
  s.xi.noalias() = h * d.qvel;
  IntegratePositions(m, d.qpos, s.xi, s.q1);
  d.qpos = s.q1;
  CalcDerivative(m, d, d.qpos, d.qvel, d.qacc);
  if (m.lines.empty()) {
    GeneralizedForceB(m, d, s.fsal_f_B);
    VelocityForcesB(m, d, d.qvel, s.fsal_fv_B);  // d.contacts: from this evaluation, at v_1/2
    for (int b = 0; b < m.nbody(); ++b) {
      s.fsal_dnu_B.segment<3>(6 * b) = (0.5 * h) * (d.kin[b].R_WB.transpose() * d.qacc.segment<3>(6 * b));
      s.fsal_dnu_B.segment<3>(6 * b + 3) = (0.5 * h) * d.qacc.segment<3>(6 * b + 3);
    }
    s.fsal_valid = true;
    s.fsal_t_s = d.t_s + h;  // FixedStep advances t_s by h after this
  }
  d.qvel.noalias() += (0.5 * h) * d.qacc;
}

// ---------------------------------------------------------------- explicit RK (RKMK)
// Evaluates stage i at q = q0 ⊕ xi, v = v1 (already formed) and stores its tangents.
void RkStage(const Model& m, Data& d, int i) {
  auto& s = d.scratch;
  IntegratePositions(m, s.q0, s.xi, s.q1);
  CalcDerivative(m, d, s.q1, s.v1, s.kv[i]);
  PositionTangentRate(m, s.xi, s.v1, s.kq[i]);
}

void FormStage(Data& d, double h, const double* a, int n) {
  auto& s = d.scratch;
  s.xi.setZero();
  s.v1 = s.v0;
  for (int j = 0; j < n; ++j) {
    if (a[j] == 0.0) continue;
    s.xi.noalias() += (h * a[j]) * s.kq[j];
    s.v1.noalias() += (h * a[j]) * s.kv[j];
  }
}

void StepRk4(const Model& m, Data& d, double h) {
  auto& s = d.scratch;
  s.q0 = d.qpos;
  s.v0 = d.qvel;
  static constexpr double A[4][3] = {{0, 0, 0}, {0.5, 0, 0}, {0, 0.5, 0}, {0, 0, 1}};
  static constexpr double B[4] = {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6};
  for (int i = 0; i < 4; ++i) {
    FormStage(d, h, A[i], i);
    RkStage(m, d, i);
  }
  FormStage(d, h, B, 4);
  IntegratePositions(m, s.q0, s.xi, d.qpos);
  d.qvel = s.v1;
}

// Dormand-Prince 5(4). Returns the scaled error norm of the attempted step; the step is
// applied only when it is <= 1.
double AttemptDopri5(const Model& m, const IntegratorOptions& opt, Data& d, double h,
                     bool force_accept = false) {
  static constexpr double A[7][6] = {
      {0, 0, 0, 0, 0, 0},
      {1.0 / 5, 0, 0, 0, 0, 0},
      {3.0 / 40, 9.0 / 40, 0, 0, 0, 0},
      {44.0 / 45, -56.0 / 15, 32.0 / 9, 0, 0, 0},
      {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729, 0, 0},
      {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656, 0},
      {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}};
  static constexpr double E[7] = {71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920,
                                  -17253.0 / 339200, 22.0 / 525, -1.0 / 40};
  auto& s = d.scratch;
  s.q0 = d.qpos;
  s.v0 = d.qvel;
  // Stage 1 (first same as last: the acceleration at the start is known after a step).
  if (!s.fsal_valid) CalcDerivative(m, d, s.q0, s.v0, s.kv[6]);
  s.kv[0] = s.kv[6];
  s.kq[0] = s.v0;
  for (int i = 1; i < 7; ++i) {
    FormStage(d, h, A[i], i);
    RkStage(m, d, i);
  }
  // The 7th stage point is the 5th-order solution: q1 = q0 ⊕ xi, v1.
  double sum = 0;
  const int nv = static_cast<int>(s.v0.size());
  for (int k = 0; k < nv; ++k) {
    double eq = 0, ev = 0;
    for (int i = 0; i < 7; ++i) {
      eq += E[i] * s.kq[i][k];
      ev += E[i] * s.kv[i][k];
    }
    eq *= h;
    ev *= h;
    const bool translational = (k % 6) < 3;
    const double scale_q = opt.atol + opt.rtol * (translational ? std::abs(s.xi[k]) + 1.0 : 1.0);
    const double scale_v = opt.atol + opt.rtol * std::max(std::abs(s.v0[k]), std::abs(s.v1[k]));
    sum += (eq / scale_q) * (eq / scale_q) + (ev / scale_v) * (ev / scale_v);
  }
  const double err = std::sqrt(sum / (2.0 * nv));
  if ((err <= 1.0 && std::isfinite(err)) || force_accept) {
    d.qpos = s.q1;
    d.qvel = s.v1;
    s.fsal_valid = true;  // kv[6] holds the acceleration at the new state
  }
  return std::isfinite(err) ? err : INFINITY;
}

// ---------------------------------------------------------------- Rosenbrock W-method ROS2
constexpr double kRos2Gamma = 1.0 + 0.70710678118654752440;

void UpdateJacobian(const Model& m, Data& d) {
  auto& s = d.scratch;
  const int nv = static_cast<int>(d.qvel.size());
  // Reference acceleration at the step's start; the contact set is then frozen so that no
  // finite-difference probe switches a contact on or off.
  CalcDerivative(m, d, d.qpos, d.qvel, s.kv[5]);
  for (size_t i = 0; i < m.contacts.size(); ++i) {
    s.contact_mode_saved[i] = d.contact_mode[i];
    if (d.contact_mode[i] == static_cast<signed char>(ContactMode::kAuto))
      d.contact_mode[i] = static_cast<signed char>(d.contacts[i].penetration_m > 0 ? ContactMode::kOn : ContactMode::kOff);
  }
  s.xi.setZero();
  for (int j = 0; j < nv; ++j) {
    const double eps_q = 1e-7;
    s.xi[j] = eps_q;
    IntegratePositions(m, d.qpos, s.xi, s.q1);
    CalcDerivative(m, d, s.q1, d.qvel, s.kv[6]);
    s.Jq.col(j) = (s.kv[6] - s.kv[5]) / eps_q;
    s.xi[j] = 0;
  }
  s.v1 = d.qvel;
  for (int j = 0; j < nv; ++j) {
    const double eps_v = 1e-7 * std::max(1.0, std::abs(d.qvel[j]));
    s.v1[j] = d.qvel[j] + eps_v;
    CalcDerivative(m, d, d.qpos, s.v1, s.kv[6]);
    s.Jv.col(j) = (s.kv[6] - s.kv[5]) / eps_v;
    s.v1[j] = d.qvel[j];
  }
  for (size_t i = 0; i < m.contacts.size(); ++i) d.contact_mode[i] = s.contact_mode_saved[i];
  s.steps_since_jacobian = 0;
  s.last_active_contacts = ActiveContacts(d);
  ++d.jacobian_evaluations;
}

void FactorIterationMatrix(Data& d, double h, double gamma = kRos2Gamma) {
  auto& s = d.scratch;
  const double gh = gamma * h;
  s.A.setIdentity();
  s.A.noalias() -= gh * s.Jv;
  s.A.noalias() -= (gh * gh) * s.Jq;
  s.lu.compute(s.A);
  s.factored_step_s = h;
}

// Solves (I - gamma h J) [kq; kv] = [rq; rv] through the velocity block.
void SolveW(Data& d, double h, const Vec& rq, const Vec& rv, Vec& kq, Vec& kv, double gamma = kRos2Gamma) {
  auto& s = d.scratch;
  const double gh = gamma * h;
  s.rhs = rv;
  s.rhs.noalias() += gh * (s.Jq * rq);
  kv = s.lu.solve(s.rhs);
  kq = rq;
  kq.noalias() += gh * kv;
}

void StepRos2(const Model& m, const IntegratorOptions& opt, Data& d, double h) {
  auto& s = d.scratch;
  if (s.steps_since_jacobian >= opt.jacobian_refresh_steps) {
    UpdateJacobian(m, d);
    FactorIterationMatrix(d, h);
  } else if (s.factored_step_s != h) {
    FactorIterationMatrix(d, h);
  }
  s.q0 = d.qpos;
  s.v0 = d.qvel;
  // Stage 1: f(y_n).
  CalcDerivative(m, d, s.q0, s.v0, s.kv[2]);
  const int contacts_now = ActiveContacts(d);
  if (contacts_now != s.last_active_contacts) {
    // Contact set changed: the old Jacobian misses (or wrongly has) a contact's stiffness.
    UpdateJacobian(m, d);
    FactorIterationMatrix(d, h);
    CalcDerivative(m, d, s.q0, s.v0, s.kv[2]);
  }
  SolveW(d, h, s.v0, s.kv[2], s.kq[0], s.kv[0]);
  // Stage 2: f(y_n ⊕ h k1) - 2 k1.
  s.xi.noalias() = h * s.kq[0];
  IntegratePositions(m, s.q0, s.xi, s.q1);
  s.v1 = s.v0;
  s.v1.noalias() += h * s.kv[0];
  CalcDerivative(m, d, s.q1, s.v1, s.kv[3]);
  PositionTangentRate(m, s.xi, s.v1, s.kq[3]);
  s.kq[3].noalias() -= 2.0 * s.kq[0];
  s.kv[3].noalias() -= 2.0 * s.kv[0];
  SolveW(d, h, s.kq[3], s.kv[3], s.kq[1], s.kv[1]);
  // y_{n+1} = y_n ⊕ h (3/2 k1 + 1/2 k2).
  s.xi.noalias() = (1.5 * h) * s.kq[0];
  s.xi.noalias() += (0.5 * h) * s.kq[1];
  IntegratePositions(m, s.q0, s.xi, d.qpos);
  d.qvel.noalias() += (1.5 * h) * s.kv[0];
  d.qvel.noalias() += (0.5 * h) * s.kv[1];
  ++s.steps_since_jacobian;
}

// ---------------------------------------------------------------- Rosenbrock W-method ROS34PW2
// Rang & Angermann (2005), BIT 45:761-787: 4 stages, order 3 for any Jacobian approximation
// (W-method), L-stable. Published in the standard form (alpha, Gamma, b); we step in the
// transformed form of Hairer & Wanner (IV.7.25), whose coefficients follow from it:
//   (I/(h gamma) - J) U_i = f(y (+) sum_j a_ij U_j) + sum_j (c_ij / h) U_j,   y1 = y (+) sum_j m_j U_j
// with a = alpha Gamma^-1, c = diag(1/gamma) - Gamma^-1, m = b Gamma^-1.
struct RosWTableau {
  static constexpr int kStages = 4;
  double gamma;
  double a[kStages][kStages] = {};
  double c[kStages][kStages] = {};
  double m[kStages] = {};
};

RosWTableau MakeRos34pw2() {
  constexpr int S = RosWTableau::kStages;
  const double gamma = 4.3586652150845900e-01;
  const double alpha[S][S] = {{0, 0, 0, 0},
                              {8.7173304301691801e-01, 0, 0, 0},
                              {8.4457060015369423e-01, -1.1299064236484185e-01, 0, 0},
                              {0, 0, 1, 0}};
  const double Gamma[S][S] = {{gamma, 0, 0, 0},
                              {-8.7173304301691801e-01, gamma, 0, 0},
                              {-9.0338057013044082e-01, 5.4180672388095326e-02, gamma, 0},
                              {2.4212380706095346e-01, -1.2232505839045147e+00, 5.4526025533510214e-01, gamma}};
  const double b[S] = {2.4212380706095346e-01, -1.2232505839045147e+00, 1.5452602553351020e+00,
                       4.3586652150845900e-01};
  // Gamma^-1 of the lower-triangular Gamma by forward substitution.
  double Gi[S][S] = {};
  for (int j = 0; j < S; ++j) {
    Gi[j][j] = 1.0 / Gamma[j][j];
    for (int i = j + 1; i < S; ++i) {
      double sum = 0;
      for (int k = j; k < i; ++k) sum += Gamma[i][k] * Gi[k][j];
      Gi[i][j] = -sum / Gamma[i][i];
    }
  }
  RosWTableau t;
  t.gamma = gamma;
  for (int i = 0; i < S; ++i) {
    for (int j = 0; j < S; ++j) {
      for (int k = 0; k < S; ++k) t.a[i][j] += alpha[i][k] * Gi[k][j];
      t.c[i][j] = (i == j ? 1.0 / gamma : 0.0) - Gi[i][j];
    }
    for (int k = 0; k < S; ++k) t.m[i] += b[k] * Gi[k][i];
  }
  return t;
}

void StepRosW(const Model& m, const IntegratorOptions& opt, Data& d, double h, const RosWTableau& t) {
  auto& s = d.scratch;
  constexpr int S = RosWTableau::kStages;
  if (s.steps_since_jacobian >= opt.jacobian_refresh_steps) {
    UpdateJacobian(m, d);
    FactorIterationMatrix(d, h, t.gamma);
  } else if (s.factored_step_s != h) {
    FactorIterationMatrix(d, h, t.gamma);
  }
  s.q0 = d.qpos;
  s.v0 = d.qvel;
  const double gh = t.gamma * h;
  for (int i = 0; i < S; ++i) {
    // Stage point y (+) sum_j a_ij U_j and its derivative f.
    s.xi.setZero();
    s.v1 = s.v0;
    for (int j = 0; j < i; ++j) {
      if (t.a[i][j] == 0.0) continue;
      s.xi.noalias() += t.a[i][j] * s.kq[j];
      s.v1.noalias() += t.a[i][j] * s.kv[j];
    }
    IntegratePositions(m, s.q0, s.xi, s.q1);
    CalcDerivative(m, d, s.q1, s.v1, s.kv[5]);
    if (i == 0 && ActiveContacts(d) != s.last_active_contacts) {
      // Contact set changed: the old Jacobian misses (or wrongly has) a contact's stiffness.
      UpdateJacobian(m, d);
      FactorIterationMatrix(d, h, t.gamma);
      CalcDerivative(m, d, s.q1, s.v1, s.kv[5]);
    }
    PositionTangentRate(m, s.xi, s.v1, s.kq[5]);
    // Right-hand side h gamma (f + sum_j c_ij / h U_j), then U_i = (I - h gamma J)^-1 rhs.
    for (int j = 0; j < i; ++j) {
      s.kq[5].noalias() += (t.c[i][j] / h) * s.kq[j];
      s.kv[5].noalias() += (t.c[i][j] / h) * s.kv[j];
    }
    s.kq[5] *= gh;
    s.kv[5] *= gh;
    SolveW(d, h, s.kq[5], s.kv[5], s.kq[i], s.kv[i], t.gamma);
  }
  s.xi.setZero();
  for (int j = 0; j < S; ++j) {
    s.xi.noalias() += t.m[j] * s.kq[j];
    d.qvel.noalias() += t.m[j] * s.kv[j];
  }
  IntegratePositions(m, s.q0, s.xi, d.qpos);
  ++s.steps_since_jacobian;
}

void FixedStep(const Model& m, const IntegratorOptions& opt, Data& d, double h) {
  switch (opt.kind) {
    case IntegratorKind::kSemiImplicitEuler: StepSemiImplicitEuler(m, d, h); break;
    case IntegratorKind::kRk4: StepRk4(m, d, h); break;
    case IntegratorKind::kImplicitDampingVerlet: StepImplicitDampingVerlet(m, opt, d, h); break;
    case IntegratorKind::kRos2: StepRos2(m, opt, d, h); break;
    case IntegratorKind::kRos34pw2: {
      static const RosWTableau kRos34pw2 = MakeRos34pw2();
      StepRosW(m, opt, d, h, kRos34pw2);
      break;
    }
    case IntegratorKind::kDopri5: SL_ASSERT(false); break;
  }
  d.t_s += h;
  ++d.steps;
  CheckState(m, opt, d);
}


// Penetration of every contact point from positions alone (no forces).
void ContactGaps(const Model& m, const Eigen::VectorXd& qpos, double* gap) {
  for (size_t i = 0; i < m.contacts.size(); ++i) {
    const ContactPoint& c = m.contacts[i];
    const Vec3 p_WC = p_WB(qpos, c.body) + q_WB(qpos, c.body) * c.p_BC_B;
    gap[i] = m.terrains[c.terrain]->Query(p_WC).penetration_m;
  }
}

// A step of size h from the current state with any method (kDopri5: accepted whatever its
// error estimate, used only for steps shorter than one just accepted).
void ForcedStep(const Model& m, const IntegratorOptions& opt, Data& d, double h) {
  if (opt.kind == IntegratorKind::kDopri5) {
    d.scratch.fsal_valid = false;  // the stored stage may belong to another attempt
    AttemptDopri5(m, opt, d, h, /*force_accept=*/true);
    d.t_s += h;
    ++d.steps;
    CheckState(m, opt, d);
  } else {
    FixedStep(m, opt, d, h);
  }
}

// Saves the state before a step so that LocateOnset can redo it.
void SaveStepStart(const Model& m, Data& d) {
  auto& s = d.scratch;
  ContactGaps(m, d.qpos, s.gap_before.data());
  s.q_save = d.qpos;
  s.v_save = d.qvel;
  s.t_save = d.t_s;
  s.steps_save = d.steps;
}

// Whether a contact point that was out at the saved start penetrates beyond the tolerance at
// the end state qpos.
bool OnsetCrossed(const Model& m, const IntegratorOptions& opt, Data& d, const Eigen::VectorXd& qpos) {
  auto& s = d.scratch;
  ContactGaps(m, qpos, s.gap_after.data());
  for (size_t i = 0; i < m.contacts.size(); ++i)
    if (s.gap_before[i] <= 0 && s.gap_after[i] > opt.onset_tolerance_m) return true;
  return false;
}

// After a step of size h from the saved start: if a contact point started to penetrate
// during it, redo it shorter (secant on the penetration) so that it ends with that point in
// (0, onset_tolerance_m]. Returns the step finally taken.
double LocateOnset(const Model& m, const IntegratorOptions& opt, Data& d, double h) {
  auto& s = d.scratch;
  const int nc = static_cast<int>(m.contacts.size());
  ContactGaps(m, d.qpos, s.gap_after.data());
  int hit = -1;
  double frac = 1.0;
  for (int i = 0; i < nc; ++i) {
    if (s.gap_before[i] <= 0 && s.gap_after[i] > opt.onset_tolerance_m) {
      const double f = -s.gap_before[i] / (s.gap_after[i] - s.gap_before[i]);
      if (f < frac) { frac = f; hit = i; }
    }
  }
  if (hit < 0) return h;
  // The redone step must see no contact force from the points that were out at its start,
  // even where a stage's trial state already penetrates: it ends at the onset.
  for (int i = 0; i < nc; ++i)
    if (s.gap_before[i] <= 0) d.contact_mode[i] = static_cast<signed char>(ContactMode::kOff);
  double lo = 0, hi = h, g_lo = s.gap_before[hit], g_hi = s.gap_after[hit];
  double tau = h;
  const double target = 0.5 * opt.onset_tolerance_m;
  for (int it = 0; it < 30; ++it) {
    // Secant towards gap = target, kept inside the bracket.
    const double f = std::clamp((target - g_lo) / (g_hi - g_lo), 0.02, 0.98);
    tau = lo + (hi - lo) * f;
    d.qpos = s.q_save;
    d.qvel = s.v_save;
    d.t_s = s.t_save;
    d.steps = s.steps_save;
    ForcedStep(m, opt, d, tau);
    ContactGaps(m, d.qpos, s.gap_after.data());
    // An earlier onset of another point inside the redone step takes over the search.
    for (int i = 0; i < nc; ++i) {
      if (i != hit && s.gap_before[i] <= 0 && s.gap_after[i] > opt.onset_tolerance_m) {
        hit = i;
        lo = 0;
        g_lo = s.gap_before[i];
        hi = tau;
        g_hi = s.gap_after[i];
      }
    }
    const double g = s.gap_after[hit];
    if (g > 0 && g <= opt.onset_tolerance_m) break;
    if (g <= 0) { lo = tau; g_lo = g; } else { hi = tau; g_hi = g; }
    if (hi - lo < 1e-13) break;
  }
  for (auto& mode : d.contact_mode) mode = static_cast<signed char>(ContactMode::kAuto);
  // Another point that crossed earlier within tau is caught by the next step.
  d.t_s = s.t_save + tau;
  d.scratch.fsal_valid = false;
  return tau;
}

}  // namespace

void StepOnce(const Model& m, const IntegratorOptions& opt, Data& d, double h) {
  if (opt.kind == IntegratorKind::kDopri5) {
    if (AttemptDopri5(m, opt, d, h) <= 1.0) {
      d.t_s += h;
      ++d.steps;
      UpdateContactAnchors(m, d);
    }
    CheckState(m, opt, d);
    return;
  }
  FixedStep(m, opt, d, h);
  UpdateContactAnchors(m, d);
}

void Advance(const Model& m, const IntegratorOptions& opt, Data& d, double t_end, StepObserver obs) {
  SL_ASSERT(opt.step_s > 0);
  if (!(t_end > d.t_s)) return;
  auto notify = [&] {
    if (obs.fn) obs.fn(m, d, obs.user);
  };
  if (opt.kind != IntegratorKind::kDopri5) {
    d.scratch.fsal_valid = false;  // controls may have changed since the last call
    // Equal steps no larger than step_s that land exactly on t_end; a step that crosses a
    // contact onset is shortened to end just after it.
    const double span = t_end - d.t_s;
    const long n = std::max(1L, static_cast<long>(std::ceil(span / opt.step_s - 1e-9)));
    const double h_nominal = span / static_cast<double>(n);
    const bool locate = opt.locate_contact_onsets && !m.contacts.empty();
    while (d.t_s < t_end) {
      const double remaining = t_end - d.t_s;
      const bool last = remaining <= h_nominal * (1 + 1e-9);
      double h = last ? remaining : h_nominal;
      if (locate) SaveStepStart(m, d);
      FixedStep(m, opt, d, h);
      if (locate) h = LocateOnset(m, opt, d, h);
      d.t_s = (last && h == remaining) ? t_end : d.t_s;
      UpdateContactAnchors(m, d);
      notify();
    }
    return;
  }
  auto& s = d.scratch;
  s.fsal_valid = false;  // controls may have changed since the last call
  const bool locate = opt.locate_contact_onsets && !m.contacts.empty();
  double h = s.h_next_s > 0 ? s.h_next_s : opt.step_s;
  double h_accepted = 0;  // last accepted step (s)
  while (d.t_s < t_end) {
    const double remaining = t_end - d.t_s;
    const bool last = h >= remaining;
    double h_try = last ? remaining : h;
    if (locate) SaveStepStart(m, d);
    const double err = AttemptDopri5(m, opt, d, h_try);
    if (locate && OnsetCrossed(m, opt, d, s.q1)) {
      double frac = 1.0;
      for (size_t i = 0; i < m.contacts.size(); ++i)
        if (s.gap_before[i] <= 0 && s.gap_after[i] > opt.onset_tolerance_m)
          frac = std::min(frac, -s.gap_before[i] / (s.gap_after[i] - s.gap_before[i]));
      if (err <= 1.0 || frac * h_try <= h_accepted) {
        // The motion up to the touchdown is smooth and no longer than a step already
        // accepted: end the step exactly there.
        d.qpos = s.q1;  // the attempted end state brackets the search
        LocateOnset(m, opt, d, h_try);
        h_accepted = 0;  // the force jump starts new dynamics: no step is known good yet
        UpdateContactAnchors(m, d);
        notify();
        continue;
      }
      // Rejected across a distant touchdown: stop short of it first.
      ++d.rejected_steps;
      s.fsal_valid = false;
      d.qpos = s.q_save;
      d.qvel = s.v_save;
      h = std::max(opt.min_step_s, 0.99 * frac * h_try);
      continue;
    }
    const double factor = err == 0 ? 5.0 : std::clamp(0.9 * std::pow(err, -0.2), 0.2, 5.0);
    if (err <= 1.0) {
      d.t_s = last ? t_end : d.t_s + h_try;
      ++d.steps;
      CheckState(m, opt, d);
      UpdateContactAnchors(m, d);
      notify();
      h_accepted = h_try;
      h = std::min(opt.max_step_s, h_try * factor);
      if (!last) s.h_next_s = h;
    } else {
      ++d.rejected_steps;
      s.fsal_valid = false;  // kv[6] now holds a rejected stage
      h = h_try * factor;
      if (h < opt.min_step_s) {
        const std::string element = DiagnoseBlowUp(m, d);
        std::ostringstream os;
        os << "adaptive step fell below " << opt.min_step_s << " s at t = " << d.t_s
           << " s; largest load in " << element;
        throw SimulationError(os.str(), d.t_s, element);
      }
    }
  }
}

}  // namespace sl
