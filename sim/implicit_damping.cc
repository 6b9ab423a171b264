#include "sim/implicit_damping.h"

namespace sl {
namespace {

Mat3 Skew(const Vec3& r) {
  Mat3 S;
  S << 0, -r.z(), r.y(), r.z(), 0, -r.x(), -r.y(), r.x(), 0;
  return S;
}

// G of a frame at p_BJ with orientation R_BJ on body B: deflection rate (in J) =
// [R_BJ^T (v_B + w_B x p_BJ); R_BJ^T w_B], with v_B and w_B in B.
Mat6 FrameMap(const Vec3& p_BJ, const Quat& q_BJ) {
  const Mat3 Rt = q_BJ.toRotationMatrix().transpose();
  Mat6 G = Mat6::Zero();
  G.block<3, 3>(0, 0) = Rt;
  G.block<3, 3>(0, 3) = -Rt * Skew(p_BJ);
  G.block<3, 3>(3, 3) = Rt;
  return G;
}

}  // namespace

void BushingDampingMatrix(const Model& m, Eigen::MatrixXd& D) {
  const int n = 6 * m.nbody();
  D = Eigen::MatrixXd::Zero(n, n);
  for (const Bushing& k : m.bushings) {
    Eigen::Matrix<double, 6, 1> c;
    c << k.c_trans_Ns_m, k.c_rot_Nms_rad;
    const auto C = c.asDiagonal();
    const Mat6 Gc = FrameMap(k.p_CM_C, k.q_CM);
    const int ic = 6 * k.child;
    D.block<6, 6>(ic, ic) += Gc.transpose() * C * Gc;
    if (k.parent == kWorld) continue;
    const Mat6 Gp = FrameMap(k.p_PF_P, k.q_PF);
    const int ip = 6 * k.parent;
    D.block<6, 6>(ip, ip) += Gp.transpose() * C * Gp;
    D.block<6, 6>(ic, ip) -= Gc.transpose() * C * Gp;
    D.block<6, 6>(ip, ic) -= Gp.transpose() * C * Gc;
  }
}

void FactorImplicitDamping(const Model& m, Data& d, double h_half) {
  auto& s = d.scratch;
  s.A = h_half * s.damping_D;
  for (int b = 0; b < m.nbody(); ++b) {
    s.A.block<3, 3>(6 * b, 6 * b) += m.bodies[b].mass_kg * Mat3::Identity();
    s.A.block<3, 3>(6 * b + 3, 6 * b + 3) += m.bodies[b].I_Bcm_B;
  }
  for (size_t i = 0; i < m.contacts.size(); ++i) {
    const ContactOutput& o = d.contacts[i];
    if (!(o.penetration_m > 0)) continue;
    const ContactPoint& c = m.contacts[i];
    const Mat3& R = d.kin[c.body].R_WB;
    Eigen::Matrix<double, 3, 6> G;  // point velocity (world) from the body's (v_B, w_B)
    G.block<3, 3>(0, 0) = R;
    G.block<3, 3>(0, 3) = -R * Skew(c.p_BC_B);
    const Mat3 nn = o.n_W * o.n_W.transpose();
    const Mat3 C = o.normal_damping_Ns_m * nn + o.friction_damping_Ns_m * (Mat3::Identity() - nn);
    s.A.block<6, 6>(6 * c.body, 6 * c.body) += h_half * (G.transpose() * C * G);
  }
  s.damping_llt.compute(s.A);
  s.damping_factored_step_s = h_half;
}

void SolveImplicitDamping(Data& d, const Eigen::VectorXd& rhs, Eigen::VectorXd& dnu) {
  dnu = rhs;
  d.scratch.damping_llt.solveInPlace(dnu);
}

}  // namespace sl
