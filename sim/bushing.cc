#include "sim/bushing.h"

#include <algorithm>

namespace sl {

double DiscStiffnessFactor(const DiscAxialLaw& law, double F) {
  const auto& x = law.preload_N;
  const auto& g = law.stiffness_factor;
  if (F <= x[0]) return g[0];
  for (size_t i = 1; i < x.size(); ++i) {
    if (F <= x[i]) return g[i - 1] + (g[i] - g[i - 1]) * (F - x[i - 1]) / (x[i] - x[i - 1]);
  }
  return g.back();
}

namespace {

// The law, also returning R_WF and M's origin in W for applying the load.
BushingOutput Calc(const Bushing& k, const BodyKinematics& P, const BodyKinematics& C, Mat3& R_WF,
                   Vec3& p_WMo) {
  BushingOutput o;
  // Frame F on the parent and M on the child, in W.
  const Quat q_WF = P.q_WB * k.q_PF;
  const Quat q_WM = C.q_WB * k.q_CM;
  R_WF = q_WF.toRotationMatrix();
  const Vec3 p_WFo = P.p_WB + P.R_WB * k.p_PF_P;
  p_WMo = C.p_WB + C.R_WB * k.p_CM_C;

  // Deflection in F: p, its rate seen in F, rotation vector and relative angular velocity.
  const Vec3 p_FM_W = p_WMo - p_WFo;
  o.p_FM_F = R_WF.transpose() * p_FM_W;
  const Vec3 v_Mo_W = C.PointVelocity(p_WMo);
  const Vec3 v_Fo_W = P.PointVelocity(p_WFo);
  o.v_FM_F = R_WF.transpose() * (v_Mo_W - v_Fo_W - P.w_WB_W.cross(p_FM_W));
  o.theta_FM = RotationVectorFromQuat(q_WF.conjugate() * q_WM);
  o.w_FM_F = R_WF.transpose() * (C.w_WB_W - P.w_WB_W);

  Vec3 kt = k.k_trans_N_m;
  Vec3 kr = k.k_rot_Nm_rad;
  double axial_force = 0, axial_energy = 0;
  if (k.disc.enabled) {
    // Compression c > 0 when M moves towards F along the disc normal.
    const double c = -o.p_FM_F.z();
    const double kz = k.k_trans_N_m.z();
    if (c > 0) {
      const double g = DiscStiffnessFactor(k.disc, kz * c);
      o.stiffness_factor = g;
      axial_force = g * kz * c;            // pushes the child away from F (+z)
      axial_energy = 0.5 * axial_force * c;  // secant estimate, exact where g is constant
    } else {
      axial_force = k.disc.tension_stiffness_ratio * kz * c;  // c < 0: pulls back
      axial_energy = 0.5 * k.disc.tension_stiffness_ratio * kz * c * c;
    }
    kt.x() *= o.stiffness_factor;
    kt.y() *= o.stiffness_factor;
    kt.z() = 0;  // replaced by the axial law
    kr *= o.stiffness_factor;
  }
  o.f_F = -(kt.cwiseProduct(o.p_FM_F) + k.c_trans_Ns_m.cwiseProduct(o.v_FM_F));
  o.f_F.z() += axial_force;
  o.t_F = -(kr.cwiseProduct(o.theta_FM) + k.c_rot_Nms_rad.cwiseProduct(o.w_FM_F));
  o.potential_J = 0.5 * o.p_FM_F.dot(kt.cwiseProduct(o.p_FM_F)) +
                  0.5 * o.theta_FM.dot(kr.cwiseProduct(o.theta_FM)) + axial_energy;
  o.dissipation_W = o.v_FM_F.dot(k.c_trans_Ns_m.cwiseProduct(o.v_FM_F)) +
                    o.w_FM_F.dot(k.c_rot_Nms_rad.cwiseProduct(o.w_FM_F));
  return o;
}

}  // namespace

BushingOutput CalcBushing(const Bushing& k, const BodyKinematics& P, const BodyKinematics& C) {
  Mat3 R_WF;
  Vec3 p_WMo;
  return Calc(k, P, C, R_WF, p_WMo);
}

void ApplyBushing(const Bushing& k, const BodyKinematics& P, const BodyKinematics& C,
                  BushingOutput& out, Vec3& f_P_W, Vec3& tau_P_W, Vec3& f_C_W, Vec3& tau_C_W) {
  Mat3 R_WF;
  Vec3 p_WMo;
  out = Calc(k, P, C, R_WF, p_WMo);
  const Vec3 f_W = R_WF * out.f_F;
  const Vec3 t_W = R_WF * out.t_F;
  ApplyForceAtPoint(C, p_WMo, f_W, f_C_W, tau_C_W);
  tau_C_W += t_W;
  ApplyForceAtPoint(P, p_WMo, -f_W, f_P_W, tau_P_W);
  tau_P_W -= t_W;
}

}  // namespace sl
