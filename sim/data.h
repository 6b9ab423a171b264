// Mutable simulation data: the state, the controls and every intermediate, grouped by the
// stage that writes it. One Data per thread; everything is sized by MakeData so that a step
// allocates no heap memory.
#pragma once

#include <array>
#include <vector>

#include <Eigen/Core>
#include <Eigen/LU>

#include "sim/kinematics.h"
#include "sim/model.h"

namespace sl {

/// Deflection and load of one bushing, all in F (the parent's frame at the joint).
struct BushingOutput {
  Vec3 p_FM_F = Vec3::Zero();      ///< translation of M from F (m)
  Vec3 theta_FM = Vec3::Zero();    ///< rotation vector of R_FM (rad)
  Vec3 v_FM_F = Vec3::Zero();      ///< rate of p seen in F (m/s)
  Vec3 w_FM_F = Vec3::Zero();      ///< angular velocity of M relative to F (rad/s)
  Vec3 f_F = Vec3::Zero();         ///< force on the child at M's origin (N)
  Vec3 t_F = Vec3::Zero();         ///< torque on the child (N·m)
  double stiffness_factor = 1.0;   ///< disc preload factor g (1 without a disc law)
  double potential_J = 0;          ///< 1/2 p·Kt p + 1/2 theta·Kr theta (+ disc axial energy)
  double dissipation_W = 0;        ///< v·Ct v + w·Cr w >= 0
};

struct LineOutput {
  double length_m = 0;
  double velocity_m_s = 0;  ///< dL/dt
  double tension_N = 0;     ///< > 0 pulls the ends together
  double potential_J = 0;   ///< spring energy
  double dissipation_W = 0; ///< damper power >= 0
  double actuator_power_W = 0;  ///< power the actuator puts into the bodies
};

struct ContactOutput {
  Vec3 p_WC = Vec3::Zero();       ///< contact point, world (m)
  double penetration_m = 0;       ///< total penetration along the normal (m)
  std::array<double, kMaxContactLayers> layer_deflection_m{};  ///< per layer, in the model's order (m)
  double normal_N = 0;            ///< >= 0
  Vec3 friction_W = Vec3::Zero(); ///< tangential force on the body (N)
  Vec3 f_W = Vec3::Zero();        ///< total force on the body (N)
  double potential_J = 0;         ///< elastic energy stored in the layers
  double dissipation_W = 0;       ///< normal damping plus friction power >= 0
  Vec3 n_W = Vec3::UnitZ();       ///< surface normal at the point (world)
  double normal_damping_Ns_m = 0;   ///< d(normal force)/d(penetration rate) now (0 when clamped)
  double friction_damping_Ns_m = 0; ///< friction force / slip speed now (<= the slip damping)
  Vec3 anchor_offset_W = Vec3::Zero(); ///< k_t > 0: tangential offset of the point from its
                                       ///< anchor, at most mu Fn / k_t long (m)
};

struct Data {
  // ---- state -------------------------------------------------------------------------
  double t_s = 0;
  Eigen::VectorXd qpos;  ///< 7 per body: p_WB (m), q_WB (w, x, y, z)
  Eigen::VectorXd qvel;  ///< 6 per body: v_WB_W (m/s), w_WB_B (rad/s, in B)
  /// Per contact with tangential stiffness (ContactPoint::tangential_stiffness_N_m > 0): the
  /// surface point its tangential spring is tied to (m, world), valid while contact_anchored
  /// is 1. Set at touchdown, dragged while slipping, released at lift-off; moved by
  /// UpdateContactAnchors after every step.
  std::vector<Vec3> contact_anchor_W;
  std::vector<signed char> contact_anchored;

  // ---- controls (set by a controller before each step, held over the step) --------------
  Eigen::VectorXd line_control_N;     ///< actuator tension u >= 0 of each line element
  Eigen::VectorXd line_rest_length_m; ///< current rest length of each line element
  std::vector<Vec3> body_force_W;     ///< external/actuator force at each COM (N), world
  std::vector<Vec3> body_torque_W;    ///< external/actuator torque on each body (N·m), world
  std::vector<signed char> contact_mode;  ///< ContactMode per contact; kAuto except inside an integrator

  // ---- kinematics stage (CalcKinematics) ----------------------------------------------
  std::vector<BodyKinematics> kin;  ///< pose and velocity of each body in W, then the world

  // ---- force stage (CalcForces) -------------------------------------------------------
  std::vector<Vec3> f_B_W;    ///< net force on each body, world (N)
  std::vector<Vec3> tau_B_W;  ///< net torque about each COM, world (N·m)
  std::vector<BushingOutput> bushings;
  std::vector<LineOutput> lines;
  std::vector<ContactOutput> contacts;

  // ---- acceleration stage (CalcAccelerations) -----------------------------------------
  Eigen::VectorXd qacc;  ///< 6 per body: dv_WB_W/dt, dw_WB_B/dt

  // ---- integrator scratch -------------------------------------------------------------
  struct Scratch {
    Eigen::VectorXd q0, q1;          ///< positions
    Eigen::VectorXd v0, v1;          ///< velocities
    std::array<Eigen::VectorXd, 7> kq, kv;  ///< stage tangents (position, velocity)
    Eigen::VectorXd xi;              ///< accumulated position tangent of a stage
    Eigen::VectorXd err;
    Eigen::VectorXd q_save, v_save;  ///< state at the start of a step being located
    double t_save = 0;
    long steps_save = 0;
    std::vector<double> gap_before, gap_after;  ///< contact penetrations (m)
    std::vector<signed char> contact_mode_saved;
    Eigen::MatrixXd Jq, Jv, A;       ///< W-method Jacobians and iteration matrix
    Eigen::PartialPivLU<Eigen::MatrixXd> lu;
    Eigen::VectorXd rhs;
    int steps_since_jacobian = 1 << 30;
    int last_active_contacts = -1;
    double h_next_s = 0;             ///< adaptive step proposal
    double factored_step_s = 0;      ///< step the W-method matrix was factored for
    Eigen::MatrixXd damping_D;       ///< implicit damping: bushing damping in body coordinates
    Eigen::LLT<Eigen::MatrixXd> damping_llt;  ///< of M + (h/2) D (when the bushings form no tree)
    // Where the bushings join the bodies as a forest (a spine chain, the running model), the
    // same factor by 6 x 6 blocks along the tree, children before parents (no fill-in).
    bool damping_tree = false;
    std::vector<int> tree_order, tree_parent;  ///< elimination order; parent body or -1
    std::vector<Eigen::Matrix<double, 6, 6>> tree_D_diag, tree_D_up;  ///< D blocks (b,b), (b,parent)
    std::vector<Eigen::Matrix<double, 6, 6>> tree_S, tree_W;          ///< Schur complements; L_b^-1 A_b,parent
    std::vector<Eigen::LLT<Eigen::Matrix<double, 6, 6>>> tree_L;
    std::vector<Eigen::Matrix<double, 6, 6>> tree_Linv;  ///< L_b^-1 (the solves are then products)
    double damping_factored_step_s = 0;
    // implicit-damping Verlet, at the end of the last step (time fsal_t_s, with fsal_valid):
    Eigen::VectorXd fsal_f_B;   ///< generalized force (body coordinates) at (q, v_1/2)
    Eigen::VectorXd fsal_fv_B;  ///< its contacts' and gyroscopic part
    Eigen::VectorXd fsal_dnu_B; ///< v_n+1 - v_1/2 (body coordinates)
    double fsal_t_s = -1;
    bool fsal_valid = false;
  } scratch;

  // ---- counters ----------------------------------------------------------------------
  long steps = 0;
  long derivative_evaluations = 0;
  long jacobian_evaluations = 0;
  long rejected_steps = 0;
};

/// Allocate a Data for the model, bodies at the origin, at rest, identity orientation.
Data MakeData(const Model& model);

// State accessors (by body index).
inline Eigen::Map<Vec3> p_WB(Eigen::VectorXd& qpos, int b) { return Eigen::Map<Vec3>(qpos.data() + 7 * b); }
inline Eigen::Map<const Vec3> p_WB(const Eigen::VectorXd& qpos, int b) {
  return Eigen::Map<const Vec3>(qpos.data() + 7 * b);
}
inline Quat q_WB(const Eigen::VectorXd& qpos, int b) {
  const double* d = qpos.data() + 7 * b + 3;
  return Quat(d[0], d[1], d[2], d[3]);
}
inline void set_q_WB(Eigen::VectorXd& qpos, int b, const Quat& q) {
  double* d = qpos.data() + 7 * b + 3;
  d[0] = q.w(); d[1] = q.x(); d[2] = q.y(); d[3] = q.z();
}
inline Eigen::Map<Vec3> v_WB_W(Eigen::VectorXd& qvel, int b) { return Eigen::Map<Vec3>(qvel.data() + 6 * b); }
inline Eigen::Map<const Vec3> v_WB_W(const Eigen::VectorXd& qvel, int b) {
  return Eigen::Map<const Vec3>(qvel.data() + 6 * b);
}
inline Eigen::Map<Vec3> w_WB_B(Eigen::VectorXd& qvel, int b) { return Eigen::Map<Vec3>(qvel.data() + 6 * b + 3); }
inline Eigen::Map<const Vec3> w_WB_B(const Eigen::VectorXd& qvel, int b) {
  return Eigen::Map<const Vec3>(qvel.data() + 6 * b + 3);
}

/// Set a body's pose and velocity; w_WB_W is given in the world frame.
void SetBodyState(const Model& model, Data& data, BodyIndex b, const Vec3& p_WB, const Quat& q_WB,
                  const Vec3& v_WB, const Vec3& w_WB_W);

}  // namespace sl
