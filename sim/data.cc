#include "sim/data.h"

#include "sim/implicit_damping.h"

namespace sl {

Data MakeData(const Model& model) {
  const int nb = model.nbody();
  const int nv = 6 * nb;
  Data d;
  d.qpos = Eigen::VectorXd::Zero(7 * nb);
  for (int b = 0; b < nb; ++b) d.qpos[7 * b + 3] = 1.0;
  d.qvel = Eigen::VectorXd::Zero(nv);
  d.qacc = Eigen::VectorXd::Zero(nv);
  const int nl = static_cast<int>(model.lines.size());
  d.line_control_N = Eigen::VectorXd::Zero(nl);
  d.line_rest_length_m.resize(nl);
  for (int i = 0; i < nl; ++i) d.line_rest_length_m[i] = model.lines[i].rest_length_m;
  d.body_force_W.assign(nb, Vec3::Zero());
  d.body_torque_W.assign(nb, Vec3::Zero());
  d.contact_mode.assign(model.contacts.size(), -1);
  d.contact_anchor_W.assign(model.contacts.size(), Vec3::Zero());
  d.contact_anchored.assign(model.contacts.size(), 0);
  d.kin.assign(nb + 1, BodyKinematics{Vec3::Zero(), Quat::Identity(), Mat3::Identity(), Vec3::Zero(),
                                   Vec3::Zero()});
  d.f_B_W.assign(nb + 1, Vec3::Zero());  // + world slot (ignored)
  d.tau_B_W.assign(nb + 1, Vec3::Zero());
  d.bushings.assign(model.bushings.size(), BushingOutput{});
  d.lines.assign(model.lines.size(), LineOutput{});
  d.contacts.assign(model.contacts.size(), ContactOutput{});

  auto& s = d.scratch;
  SetUpImplicitDamping(model, d);
  s.fsal_f_B = Eigen::VectorXd::Zero(nv);
  s.fsal_fv_B = Eigen::VectorXd::Zero(nv);
  s.fsal_dnu_B = Eigen::VectorXd::Zero(nv);
  s.q0 = d.qpos; s.q1 = d.qpos;
  s.v0 = d.qvel; s.v1 = d.qvel;
  for (auto& k : s.kq) k = Eigen::VectorXd::Zero(nv);
  for (auto& k : s.kv) k = Eigen::VectorXd::Zero(nv);
  s.xi = Eigen::VectorXd::Zero(nv);
  s.q_save = d.qpos;
  s.v_save = d.qvel;
  s.gap_before.assign(model.contacts.size(), 0.0);
  s.gap_after.assign(model.contacts.size(), 0.0);
  s.contact_mode_saved.assign(model.contacts.size(), -1);
  s.err = Eigen::VectorXd::Zero(2 * nv);
  s.Jq = Eigen::MatrixXd::Zero(nv, nv);
  s.Jv = Eigen::MatrixXd::Zero(nv, nv);
  s.A = Eigen::MatrixXd::Identity(nv, nv);
  s.lu = Eigen::PartialPivLU<Eigen::MatrixXd>(s.A);
  s.rhs = Eigen::VectorXd::Zero(nv);
  return d;
}

void SetBodyState(const Model& /*model*/, Data& data, BodyIndex b, const Vec3& p, const Quat& q,
                  const Vec3& v, const Vec3& w_W) {
  p_WB(data.qpos, b) = p;
  const Quat qn = q.normalized();
  set_q_WB(data.qpos, b, qn);
  v_WB_W(data.qvel, b) = v;
  w_WB_B(data.qvel, b) = qn.toRotationMatrix().transpose() * w_W;
  data.scratch.fsal_valid = false;
  data.scratch.steps_since_jacobian = 1 << 30;
}

}  // namespace sl
