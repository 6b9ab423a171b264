#include "models/gait_controller.h"

#include <algorithm>
#include <cmath>

namespace sl {
namespace {

constexpr double kTouchdownN = 40.0, kToeoffN = 10.0;
constexpr double kMinStanceS = 0.05;

double Smooth(double x) {
  x = std::clamp(x, 0.0, 1.0);
  return x * x * (3 - 2 * x);
}

double FootNormal(const RunningModel& rm, const Data& d, int s) {
  double f = 0;
  for (int c : rm.foot_contacts[s]) f += d.contacts[c].normal_N;
  return f;
}

// Internal actuation through a massless leg strut from hip H to ankle A: force F on the foot,
// -F on the pelvis at H and the couple -r x F on the pelvis (r = A - H), so that the pair
// carries no net moment (momentum is conserved).
void StrutForce(const RunningModel& rm, Data& d, const Vec3& p_WH, const Vec3& r, const Vec3& F_foot, int s) {
  d.body_force_W[rm.foot[s]] += F_foot;
  d.body_force_W[rm.pelvis] -= F_foot;
  d.body_torque_W[rm.pelvis] += (p_WH - d.kin[rm.pelvis].p_WB).cross(-F_foot) - r.cross(F_foot);
}

// The hip puts the couple tau on the pelvis through the strut: a transverse force on the
// foot, its reaction at the hip, and the part of tau along the leg passed to the foot as a
// couple (the pair carries no net moment).
void HipCouple(const RunningModel& rm, Data& d, int s, const Vec3& p_WH, const Vec3& r, const Vec3& tau) {
  const double L2 = r.squaredNorm();
  const Vec3 tau_par = tau.dot(r) / L2 * r;
  const Vec3 F_H = (tau - tau_par).cross(r) / L2;
  d.body_force_W[rm.pelvis] += F_H;
  d.body_torque_W[rm.pelvis] += tau + (p_WH - d.kin[rm.pelvis].p_WB).cross(F_H);
  d.body_force_W[rm.foot[s]] -= F_H;
  d.body_torque_W[rm.foot[s]] -= tau_par;
}

// Torque pair between foot and pelvis (ankle and the leg above it carry the couple).
void FootCouple(const RunningModel& rm, Data& d, int s, const Vec3& tau_foot_W) {
  d.body_torque_W[rm.foot[s]] += tau_foot_W;
  d.body_torque_W[rm.pelvis] -= tau_foot_W;
}

double Yaw(const Quat& q) {
  const Vec3 x = q * Vec3::UnitX();
  return std::atan2(x.y(), x.x());
}

}  // namespace

void UpdateControl(const RunningModel& rm, Data& d, GaitState& gs) {
  const ControlGains& g = rm.gains;
  const Scenario& sc = rm.scenario;
  const double t = d.t_s;
  for (auto& f : d.body_force_W) f.setZero();
  for (auto& f : d.body_torque_W) f.setZero();

  const BodyKinematics& P = d.kin[rm.pelvis];
  const BodyKinematics& H = d.kin[rm.hat];

  // ---- phase detection and step regulators -------------------------------------------------
  for (int s = 0; s < 2; ++s) {
    GaitState::Leg& leg = gs.leg[s];
    const double fn = FootNormal(rm, d, s);
    if (!leg.stance && fn > kTouchdownN && t - leg.t_toeoff_s > 0.05) {
      leg.stance = true;
      leg.t_touchdown_s = t;
      gs.events.push_back({s, true, t});
      if (gs.last_touchdown_s >= 0) {
        const double T = t - gs.last_touchdown_s;
        const double v_avg = (P.p_WB.x() - gs.x_last_touchdown_m) / T;
        // Cadence: a step shorter than the target needs a longer flight, i.e. more thrust.
        gs.thrust_m = std::clamp(gs.thrust_m + g.thrust_gain * (rm.step_period_s - T) * 0.1, 0.0, 0.08);
        // Speed: integral correction of the foot placement.
        gs.placement_offset_m = std::clamp(gs.placement_offset_m + 0.25 * g.speed_gain_s * (v_avg - sc.speed_m_s), -0.15, 0.15);
      }
      gs.last_touchdown_s = t;
      gs.x_last_touchdown_m = P.p_WB.x();
      ++gs.steps;
    } else if (leg.stance) {
      // Toe-off: unloaded for 8 ms with the hip ahead of the ankle (a foot that slaps down
      // after a heel strike may unload for a moment early in stance).
      if (fn >= kToeoffN) {
        leg.unloaded_since_s = -1;
        continue;
      }
      if (leg.unloaded_since_s < 0) leg.unloaded_since_s = t;
      const Vec3 hip = P.p_WB + P.R_WB * rm.p_PHip_P[s];
      const bool behind = d.kin[rm.foot[s]].p_WB.x() < hip.x();
      if (t - leg.unloaded_since_s < 0.008 || !behind || t - leg.t_touchdown_s < kMinStanceS) continue;
      leg.stance = false;
      leg.t_toeoff_s = leg.unloaded_since_s;
      leg.unloaded_since_s = -1;
      leg.p_toeoff_rel_W = d.kin[rm.foot[s]].p_WB - (P.p_WB + P.R_WB * rm.p_PHip_P[s]);
      gs.contact_time_s = leg.t_toeoff_s - leg.t_touchdown_s;
      gs.events.push_back({s, false, leg.t_toeoff_s});
    }
  }

  // ---- pelvis: hold the scenario's tilt (and no roll, no yaw) through the stance hip ----------
  const Quat q_target = rm.q_WP_target;
  const Vec3 err_W = RotationVectorFromQuat(P.q_WB * q_target.conjugate());
  const Vec3 w_P = P.w_WB_W;
  const Vec3 tau_pelvis(-g.pelvis_roll_k * err_W.x() - g.pelvis_roll_c * w_P.x(),
                        -g.pelvis_pitch_k * err_W.y() - g.pelvis_pitch_c * w_P.y(),
                        -g.pelvis_yaw_k * err_W.z() - g.pelvis_yaw_c * w_P.z());
  const int n_stance = gs.leg[0].stance + gs.leg[1].stance;

  const double heading = Yaw(P.q_WB);
  const Quat q_heading(Eigen::AngleAxisd(heading, Vec3::UnitZ()));
  for (int s = 0; s < 2; ++s) {
    const GaitState::Leg& leg = gs.leg[s];
    const BodyKinematics& F = d.kin[rm.foot[s]];
    const Vec3 p_WH = P.p_WB + P.R_WB * rm.p_PHip_P[s];
    const Vec3 v_WH = P.PointVelocity(p_WH);
    const Vec3 r = F.p_WB - p_WH;
    const double L = r.norm();
    const Vec3 e = r / L;
    const int line = rm.leg_line[s];
    if (leg.stance) {
      // Thrust after mid-stance (leg lengthening), ramped over 40 ms.
      const double Ldot = d.lines[line].velocity_m_s;
      const double since = t - leg.t_touchdown_s;
      const double ramp = Ldot > 0 ? Smooth((since - 0.3 * gs.contact_time_s) / 0.04) : 0.0;
      d.line_rest_length_m[line] = rm.leg_rest_length_m + gs.thrust_m * ramp;
      HipCouple(rm, d, s, p_WH, r, tau_pelvis / n_stance);
      // Ankle: a plantarflexor spring about the flat foot (pitch, in the foot's frame) and
      // light damping of roll and yaw relative to the leg; the ground holds the foot.
      const Vec3 ef = RotationVectorFromQuat(q_heading.conjugate() * F.q_WB);
      const Vec3 w_rel = F.w_WB_W - P.w_WB_W;
      const Vec3 tau_foot = F.R_WB * Vec3(0, -g.ankle_stance_k * ef.y(), 0) - g.ankle_stance_c * w_rel;
      FootCouple(rm, d, s, tau_foot);
    } else {
      // Swing: shorten for clearance, re-extend before touchdown.
      const double swing_time = std::max(0.15, 2.0 * rm.step_period_s - gs.contact_time_s);
      const double phase = (t - leg.t_toeoff_s) / swing_time;
      // The leg re-extends only once the other leg has left the ground (flight), so that
      // stance phases alternate with a flight in between.
      const GaitState::Leg& other = gs.leg[1 - s];
      const bool next_to_land = other.t_toeoff_s > leg.t_toeoff_s;
      const double extend = (other.stance || !next_to_land)
                                ? 0.0
                                : Smooth((t - other.t_toeoff_s) / 0.06) * Smooth((phase - 0.3) / 0.2);
      d.line_rest_length_m[line] = rm.leg_rest_length_m - g.swing_clearance_m * (1.0 - extend);
      // Foot placement (Raibert): half the contact length ahead of the hip, corrected for
      // speed, reached on a minimum-jerk path from where the foot left the ground.
      const Vec3 v = P.v_WB_W;
      const double ahead = v.x() * gs.contact_time_s / 2 + g.speed_gain_s * (v.x() - sc.speed_m_s) + sc.overstride_m -
                           gs.placement_offset_m;
      const double side = s == 0 ? 1.0 : -1.0;
      const double lateral = (P.p_WB.y() - p_WH.y()) + side * g.step_width_m / 2 + g.lateral_gain_s * v.y();
      const double T_sw = 0.8 * swing_time;
      const double u = std::clamp((t - leg.t_toeoff_s) / T_sw, 0.0, 1.0);
      const double sp = u * u * u * (10 - 15 * u + 6 * u * u);
      const double sv = u < 1 ? 30 * u * u * (1 - u) * (1 - u) / T_sw : 0.0;
      const double sa = u < 1 ? 60 * u * (1 - u) * (1 - 2 * u) / (T_sw * T_sw) : 0.0;
      const Vec3 goal(ahead, lateral, 0);
      const Vec3 start(leg.p_toeoff_rel_W.x(), leg.p_toeoff_rel_W.y(), 0);
      const Vec3 rel_des = start + (goal - start) * sp;
      const Vec3 p_des(p_WH.x() + rel_des.x(), p_WH.y() + rel_des.y(), F.p_WB.z());
      Vec3 dp = p_des - F.p_WB;
      Vec3 dv = v_WH + (goal - start) * sv - F.v_WB_W;
      dv.z() = v_WH.z() - F.v_WB_W.z();
      Vec3 a_ff = (goal - start) * sa;
      dp -= dp.dot(e) * e;  // transverse only: the leg spring holds the length
      dv -= dv.dot(e) * e;
      a_ff -= a_ff.dot(e) * e;
      const double m_foot = rm.model->bodies[rm.foot[s]].mass_kg;
      Vec3 F_foot = m_foot * a_ff + g.swing_stiffness_N_m * dp + g.swing_damping_Ns_m * dv;
      // Knee: damp the leg-length oscillation of the swinging lower mass on the leg spring.
      const double c_axial = 1.4 * std::sqrt(rm.leg_stiffness_N_m * m_foot);
      F_foot -= c_axial * d.lines[line].velocity_m_s * e;
      const Vec3 grav = m_foot * rm.model->gravity_W;
      F_foot -= grav - grav.dot(e) * e;  // carry the foot's weight across the leg
      StrutForce(rm, d, p_WH, r, F_foot, s);
      // In flight the hips still hold the pelvis, against the swinging legs.
      if (n_stance == 0) HipCouple(rm, d, s, p_WH, r, 0.5 * tau_pelvis);
      // Foot pitched for the strike pattern (toe up positive) by touchdown.
      const Quat q_des = Quat(Eigen::AngleAxisd(-rm.strike_pitch_rad, Vec3::UnitY()));  // running along +x
      const Vec3 ef = RotationVectorFromQuat(F.q_WB * q_des.conjugate());
      FootCouple(rm, d, s, -g.foot_flight_k * ef - g.foot_flight_c * (F.w_WB_W - P.w_WB_W));
    }
  }

  // ---- trunk muscles: hold the upper trunk at its lean on the pelvis ------------------------
  const Quat q_PH = P.q_WB.conjugate() * H.q_WB;
  const Vec3 err_T = RotationVectorFromQuat(rm.q_PH_neutral.conjugate() * q_PH);  // in the neutral HAT frame
  const Vec3 w_rel = P.R_WB.transpose() * (H.w_WB_W - P.w_WB_W);
  const double tau_y = -g.trunk_pitch_k * err_T.y() - g.trunk_pitch_c * w_rel.y();  // + flexes
  const double tau_x = -g.trunk_roll_k * err_T.x() - g.trunk_roll_c * w_rel.x();    // + tilts right
  for (const MuscleInfo& mu : rm.muscles) {
    double T = g.co_contraction_N;
    const double arm = std::max(0.02, mu.moment_arm_m);
    switch (mu.group) {
      case MuscleGroup::kErectorSpinae: T += tau_y < 0 ? 0.3 * -tau_y / arm : 0.0; break;
      case MuscleGroup::kMultifidus: T += tau_y < 0 ? 0.08 * -tau_y / arm : 0.0; break;
      case MuscleGroup::kRectusAbdominis: T += tau_y > 0 ? 0.35 * tau_y / arm : 0.0; break;
      case MuscleGroup::kObliques:
        T += tau_y > 0 ? 0.15 * tau_y / arm : 0.0;
        // Negative tau_x (tilt left) is made by the left-side muscles and vice versa.
        if ((tau_x < 0 && mu.side > 0) || (tau_x > 0 && mu.side < 0)) T += std::abs(tau_x) / rm.oblique_lateral_arm_m;
        break;
      case MuscleGroup::kPsoas: T += g.psoas_tone_N; break;
    }
    d.line_control_N[mu.line] = T;
  }
}

void SetInitialRunningState(const RunningModel& rm, Data& d, GaitState& gs) {
  const Model& m = *rm.model;
  const Scenario& sc = rm.scenario;
  gs = GaitState{};
  gs.contact_time_s = 0.9 * rm.step_period_s * 0.7;
  // Hips at the apex of a short flight; the right foot half a contact length ahead.
  const double ahead = sc.speed_m_s * gs.contact_time_s / 2 + sc.overstride_m;
  const double L = rm.leg_rest_length_m;
  const double drop = std::sqrt(std::max(0.0, L * L - ahead * ahead));
  const double ankle_h = rm.hip_height_m - rm.leg_rest_length_m;  // ankle above the sole
  const double hip_z = drop + ankle_h + 0.02;
  const Vec3 shift(0, 0, hip_z - rm.hip_height_m);
  const Vec3 v(sc.speed_m_s, 0, 0);
  for (int b = 0; b < m.nbody(); ++b) SetBodyState(m, d, b, rm.p_WB0[b] + shift, rm.q_WB0[b], v, Vec3::Zero());
  const Vec3 hip_c(0, 0, hip_z);
  for (int s = 0; s < 2; ++s) {
    const Vec3 hip = rm.p_WB0[rm.pelvis] + shift + rm.q_WB0[rm.pelvis] * rm.p_PHip_P[s];
    Vec3 ankle;
    Quat q;
    if (s == 1) {
      ankle = hip + Vec3(ahead, 0, -drop);
      q = Quat(Eigen::AngleAxisd(-rm.strike_pitch_rad, Vec3::UnitY()));
      gs.leg[s].t_toeoff_s = -1e3;  // long in swing: ready to land
      gs.leg[s].p_toeoff_rel_W = Vec3(ahead, 0, 0);
    } else {
      const double Ls = L - rm.gains.swing_clearance_m;
      ankle = hip + Vec3(-0.2, 0, -std::sqrt(Ls * Ls - 0.04));
      q = Quat::Identity();
      gs.leg[s].t_toeoff_s = -0.1;
      gs.leg[s].p_toeoff_rel_W = Vec3(-0.45, 0, 0);
    }
    SetBodyState(m, d, rm.foot[s], ankle, q, v, Vec3::Zero());
    d.line_rest_length_m[rm.leg_line[s]] = (ankle - hip).norm();
  }
  (void)hip_c;
}

}  // namespace sl
