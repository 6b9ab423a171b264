#include "sim/line_element.h"

#include <algorithm>

namespace sl {
namespace {

LineOutput Calc(const LineElement& l, const BodyKinematics& A, const BodyKinematics& B, double L0,
                double u_in, Vec3& p_Wa, Vec3& p_Wb, Vec3& e_ab_W) {
  LineOutput o;
  p_Wa = A.p_WB + A.R_WB * l.p_AoA_A;
  p_Wb = B.p_WB + B.R_WB * l.p_BoB_B;
  const Vec3 d = p_Wb - p_Wa;
  o.length_m = d.norm();
  e_ab_W = o.length_m > 1e-12 ? Vec3(d / o.length_m) : Vec3::UnitZ();
  o.velocity_m_s = e_ab_W.dot(B.PointVelocity(p_Wb) - A.PointVelocity(p_Wa));
  const double stretch = o.length_m - L0;
  const bool slack = l.tension_only && stretch < 0;
  const double spring = slack ? 0.0 : l.stiffness_N_m * stretch;
  const double damper = l.damping_Ns_m * o.velocity_m_s;
  const double u = std::max(0.0, u_in);
  double T = spring + damper + u;
  if (l.tension_only) T = std::max(0.0, T);
  o.tension_N = T;
  o.potential_J = slack ? 0.0 : 0.5 * l.stiffness_N_m * stretch * stretch;
  // Split of the power T·dL/dt into its parts (damping only while the element carries it).
  const bool carrying = !l.tension_only || (spring + damper + u) > 0;
  o.dissipation_W = carrying ? damper * o.velocity_m_s : 0.0;
  o.actuator_power_W = carrying ? -u * o.velocity_m_s : 0.0;
  return o;
}

}  // namespace

LineOutput CalcLineElement(const LineElement& l, const BodyKinematics& A, const BodyKinematics& B,
                           double L0, double u) {
  Vec3 a, b, e;
  return Calc(l, A, B, L0, u, a, b, e);
}

void ApplyLineElement(const LineElement& l, const BodyKinematics& A, const BodyKinematics& B,
                      double L0, double u, LineOutput& out, Vec3& f_A_W, Vec3& tau_A_W,
                      Vec3& f_B_W, Vec3& tau_B_W) {
  Vec3 p_Wa, p_Wb, e;
  out = Calc(l, A, B, L0, u, p_Wa, p_Wb, e);
  const Vec3 f = out.tension_N * e;  // pulls a towards b and b towards a
  ApplyForceAtPoint(A, p_Wa, f, f_A_W, tau_A_W);
  ApplyForceAtPoint(B, p_Wb, -f, f_B_W, tau_B_W);
}

}  // namespace sl
