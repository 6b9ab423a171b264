#include "models/gait_controller.h"

#include <algorithm>
#include <cmath>

namespace sl {
namespace {

constexpr double kTouchdownN = 40.0, kToeoffN = 10.0;
constexpr double kMinStanceS = 0.08;

double Smooth(double x) {
  x = std::clamp(x, 0.0, 1.0);
  return x * x * (3 - 2 * x);
}

double FootNormal(const RunningModel& rm, const Data& d, int s) {
  double f = 0;
  for (int c : rm.foot_contacts[s]) f += d.contacts[c].normal_N;
  return f;
}

// Height of the foot's lowest contact point (heel or forefoot) above the ground under it (m;
// negative when it is in contact).
double FootClearance(const RunningModel& rm, const Data& d, int s) {
  double h = 1e9;
  for (int c : rm.foot_contacts[s]) {
    const ContactPoint& cp = rm.model->contacts[c];
    const Vec3 p_WC = d.kin[cp.body].p_WB + d.kin[cp.body].R_WB * cp.p_BC_B;
    h = std::min(h, -rm.model->terrains[cp.terrain]->Query(p_WC).penetration_m);
  }
  return h;
}

// Internal actuation through a massless leg strut from hip H to ankle A: force F on the foot,
// -F on the pelvis at H and the couple -r x F on the pelvis (r = A - H), so that the pair
// carries no net moment (momentum is conserved).
void StrutForce(const RunningModel& rm, Data& d, const Vec3& p_WH, const Vec3& r, const Vec3& F_foot, int s) {
  d.body_force_W[rm.ankle[s]] += F_foot;
  d.body_force_W[rm.pelvis] -= F_foot;
  d.body_torque_W[rm.pelvis] += (p_WH - d.kin[rm.pelvis].p_WB).cross(-F_foot) - r.cross(F_foot);
}

// The hip puts the couple tau on the pelvis through the strut: a transverse force on the
// foot, its reaction at the hip, and the part of tau along the leg passed to the foot as a
// couple (the pair carries no net moment).
void HipCouple(const RunningModel& rm, Data& d, int s, const Vec3& p_WH, const Vec3& r, const Vec3& tau_in,
               double max_axial_Nm = 1e9) {
  const double L2 = r.squaredNorm();
  // The part along the leg twists the foot against the ground: no more than its friction
  // couple can hold, or the foot would spin.
  const double axial = std::clamp(tau_in.dot(r) / std::sqrt(L2), -max_axial_Nm, max_axial_Nm);
  const Vec3 excess = (tau_in.dot(r) / std::sqrt(L2) - axial) * r / std::sqrt(L2);
  const Vec3 tau = tau_in - excess;
  // The rest of the twist comes from counter-rotating the trunk (obliques): a pelvis/HAT pair
  // that the lumbar discs carry as torsion.
  d.body_torque_W[rm.pelvis] += excess;
  d.body_torque_W[rm.hat] -= excess;
  const Vec3 tau_par = tau.dot(r) / L2 * r;
  const Vec3 F_H = (tau - tau_par).cross(r) / L2;
  d.body_force_W[rm.pelvis] += F_H;
  d.body_torque_W[rm.pelvis] += tau + (p_WH - d.kin[rm.pelvis].p_WB).cross(F_H);
  d.body_force_W[rm.ankle[s]] -= F_H;
  d.body_torque_W[rm.sole[s]] -= tau_par;
}

// Torque pair between foot and pelvis (ankle and the leg above it carry the couple).
void FootCouple(const RunningModel& rm, Data& d, int s, const Vec3& tau_foot_W) {
  d.body_torque_W[rm.sole[s]] += tau_foot_W;
  d.body_torque_W[rm.pelvis] -= tau_foot_W;
}

// First guess of the contact time: 63 % of the step period, but no longer than the stance
// of 0.78 m of ground (about 0.22 s at 3.5 m/s and 0.16 s at 5 m/s, as measured in runners,
// Cavanagh & Lafortune 1980; Weyand 2000).
double FirstGuessContactTime(const RunningModel& rm) {
  return std::min(0.63 * rm.step_period_s, 0.78 / std::max(rm.scenario.speed_m_s, 0.5));
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
  // Whole-body centre of mass: the swinging legs trade momentum with the pelvis, so speed
  // and take-off velocity are measured on the COM.
  Vec3 p_com = Vec3::Zero(), v_com = Vec3::Zero();
  double mass = 0;
  for (int b = 0; b < rm.model->nbody(); ++b) {
    const double mb = rm.model->bodies[b].mass_kg;
    p_com += mb * d.kin[b].p_WB;
    v_com += mb * d.kin[b].v_WB_W;
    mass += mb;
  }
  p_com /= mass;
  v_com /= mass;
  gs.p_com_W = p_com;

  // ---- phase detection and step regulators -------------------------------------------------
  for (int s = 0; s < 2; ++s) {
    GaitState::Leg& leg = gs.leg[s];
    const double fn = FootNormal(rm, d, s);
    // A foot may land only when it is next: the other leg is in stance or left the ground after
    // this one. A swing foot that brushes the ground just after its own lift-off while the
    // other foot is still to land (a toe scuff, seen on forefoot strikes) is not a step.
    const GaitState::Leg& other = gs.leg[1 - s];
    const bool next_to_land = other.stance || other.t_toeoff_s > leg.t_toeoff_s;
    if (!leg.stance && fn > kTouchdownN && t - leg.t_toeoff_s > 0.05 && next_to_land) {
      leg.stance = true;
      leg.t_touchdown_s = t;
      leg.rest_at_touchdown_m = d.line_rest_length_m[rm.leg_line[s]];
      leg.touchdown_ahead_m = d.kin[rm.ankle[s]].p_WB.x() - (P.p_WB + P.R_WB * rm.p_PHip_P[s]).x();
      gs.mean_touchdown_ahead_m = gs.landed_once ? gs.mean_touchdown_ahead_m + g.contact_time_smoothing *
                                                       (leg.touchdown_ahead_m - gs.mean_touchdown_ahead_m)
                                                 : leg.touchdown_ahead_m;
      gs.landed_once = true;
      gs.events.push_back({s, true, t});
      if (gs.last_touchdown_s >= 0) {
        const double T = t - gs.last_touchdown_s;
        const double v_avg = (p_com.x() - gs.x_last_touchdown_m) / T;
        // Cadence: a step longer than the target needs less flight, i.e. less thrust.
        gs.thrust_m = std::clamp(gs.thrust_m + g.thrust_gain * (rm.step_period_s - T), g.thrust_min_m, g.thrust_max_m);
        // The step that just ended came from the other leg's push-off (for the symmetry trim).
        gs.leg[1 - s].step_s = T;
        // Speed: integral correction of the foot placement.
        gs.placement_offset_m = std::clamp(gs.placement_offset_m + g.speed_integral_m_per_m_s * (v_avg - sc.speed_m_s), -0.4, 0.4);
      }
      gs.last_touchdown_s = t;
      gs.x_last_touchdown_m = p_com.x();
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
      const bool behind = d.kin[rm.ankle[s]].p_WB.x() < hip.x();
      if (t - leg.unloaded_since_s < 0.008 || !behind || t - leg.t_touchdown_s < kMinStanceS) continue;
      leg.stance = false;
      leg.t_toeoff_s = leg.unloaded_since_s;
      leg.unloaded_since_s = -1;
      leg.p_toeoff_rel_W = d.kin[rm.ankle[s]].p_WB - (P.p_WB + P.R_WB * rm.p_PHip_P[s]);
      // A running average: planning with each step's own contact time let one long contact
      // place the next foot further ahead (a left/right alternation).
      gs.contact_time_s += g.contact_time_smoothing * (leg.t_toeoff_s - leg.t_touchdown_s - gs.contact_time_s);
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

  // Residual actuators on the pelvis (as OpenSim's RRA/CMC residuals): a weak external wrench
  // that stands in for the balance strategies the model lacks (arm swing, ankle and hip
  // strategies in the frontal plane). It holds orientation and the lateral lane and is
  // reported with the results so that users can check it stays small against the GRF.
  {
    const Vec3 tau_res(-g.residual_k * err_W.x() - g.residual_c * w_P.x(),
                       -g.residual_k * err_W.y() - g.residual_c * w_P.y(),
                       -g.residual_k * err_W.z() - g.residual_c * w_P.z());
    const double f_lat = -g.residual_lateral_k * p_com.y() - g.residual_lateral_c * v_com.y();
    const double f_fwd = g.residual_speed_Ns_m * (sc.speed_m_s - v_com.x());
    // Vertical: only on the COM height and velocity averaged over about a step (first-order
    // filters, time constant residual_vertical_filter_steps step periods), so that the bounce
    // within a step is left to the legs.
    // Filter step: the time since the last update (the caller's control period), so that the
    // filters keep their time constant whatever the period.
    const double dt_c = gs.t_last_update_s >= 0 ? t - gs.t_last_update_s : 0.0;
    gs.t_last_update_s = t;
    const double a = std::min(1.0, dt_c / (g.residual_vertical_filter_steps * rm.step_period_s));
    gs.z_com_filtered_m += a * (p_com.z() - gs.z_com_filtered_m);
    gs.vz_com_filtered_m_s += a * (v_com.z() - gs.vz_com_filtered_m_s);
    const double f_up = -g.residual_vertical_Ns_m * gs.vz_com_filtered_m_s;
    d.body_torque_W[rm.pelvis] += tau_res;
    d.body_force_W[rm.pelvis] += Vec3(f_fwd, f_lat, f_up);
    gs.residual_torque_W = tau_res;
    gs.residual_force_W = Vec3(f_fwd, f_lat, f_up);
  }

  const double heading = Yaw(P.q_WB);
  const Quat q_heading(Eigen::AngleAxisd(heading, Vec3::UnitZ()));
  for (int s = 0; s < 2; ++s) {
    GaitState::Leg& leg = gs.leg[s];
    const BodyKinematics& F = d.kin[rm.ankle[s]];  // the ankle (leg spring's end)
    const BodyKinematics& S = d.kin[rm.sole[s]];   // the foot (its orientation is controlled)
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
      // The thrust ramps in smoothly from maximum leg compression (the first lengthening).
      if (Ldot > 0 && leg.t_max_compression_s < leg.t_touchdown_s && since > 0.02) leg.t_max_compression_s = t;
      const double ramp = leg.t_max_compression_s >= leg.t_touchdown_s ? Smooth((t - leg.t_max_compression_s) / 0.06) : 0.0;
      const double settle = Smooth(since / (g.settle_fraction * gs.contact_time_s));
      const double L_rest = leg.rest_at_touchdown_m + (rm.leg_rest_length_m - leg.rest_at_touchdown_m) * settle;
      // Thrust (after mid-stance): the leg lengthens by gs.thrust_m, which a per-step
      // integral on the step period sets (above), so that the flight gives the cadence.
      // (Until session 8 the thrust came from an energy balance that counted the leg spring's
      // energy as vertical: in early stance the spring also stores the horizontal kinetic
      // energy, about 100 J against a 15 J target, so the thrust sat at its lower bound, -4 cm,
      // through every push-off.)
      // Symmetry trim: a leg whose last step was longer than the mean of the two pushes that
      // much less (proportional, on the left/right difference only; the common thrust keeps the
      // cadence). Landing trim: a leg that landed further ahead than the running mean pushes
      // less. Such a leg vaults more (a longer flight, so the next foot, still retracting,
      // lands closer and vaults less): a step-to-step loop that grows at 5 m/s into a limp
      // (docs/validation.md, sessions 12 and 13); this trim acts on its cause, the symmetry
      // trim on its effect.
      const double T0 = gs.leg[0].step_s, T1 = gs.leg[1].step_s;
      const double thrust = gs.thrust_m + (T0 > 0 && T1 > 0 ? g.thrust_symmetry_gain * (0.5 * (T0 + T1) - leg.step_s) : 0.0) +
                            g.thrust_landing_gain * (gs.mean_touchdown_ahead_m - leg.touchdown_ahead_m);
      // Lift-off: once the foot is liftoff_distance_ratio of its landing distance behind the
      // hip, the knee flexes and the leg unloads (runner.yaml: below 1, so that the lift-off
      // comes before the leg's natural unloading and both legs leave at the same geometry).
      const double behind = (p_WH.x() - F.p_WB.x()) - g.liftoff_distance_ratio * std::max(leg.touchdown_ahead_m, 0.25);
      const double release = Smooth(behind / 0.04);
      d.line_rest_length_m[line] = (L_rest + thrust * ramp) - release * g.swing_clearance_m;
      // Friction couple of the foot about the leg: mu x load x half the contact spread.
      const double fn = FootNormal(rm, d, s);
      HipCouple(rm, d, s, p_WH, r, tau_pelvis / n_stance, 0.8 * fn * 0.06);
      // Ankle: a plantarflexor spring about the flat foot (pitch, in the foot's frame) and
      // light damping of roll and yaw relative to the leg; the ground holds the foot.
      const Vec3 ef = RotationVectorFromQuat(q_heading.conjugate() * S.q_WB);
      const Vec3 w_rel = S.w_WB_W - P.w_WB_W;
      const Vec3 tau_foot = S.R_WB * Vec3(0, -g.ankle_stance_k * ef.y(), 0) - g.ankle_stance_c * w_rel;
      FootCouple(rm, d, s, tau_foot);
    } else {
      // Swing: the ankle follows a planned path. Horizontally it goes on a minimum-jerk path
      // from where it left the ground to the Raibert placement (half the contact length
      // ahead of the COM, corrected for speed, plus the scenario's overstride); vertically it
      // is lifted clear of the ground (knee flexion) and, once this leg is next to land and
      // the other leg is past mid-stance, lowered towards the ground at the landing speed.
      // The leg spring's rest length follows the planned hip-ankle distance, a transverse
      // servo (hip) and an axial damper (knee) track the path.
      const GaitState::Leg& other = gs.leg[1 - s];
      const bool next_to_land = other.stance || other.t_toeoff_s > leg.t_toeoff_s;
      // Timing from the other leg: it leaves the ground one contact time after it landed,
      // and this leg lands one flight (of the cadence's step period) after that.
      const double t_flight = std::max(0.05, rm.step_period_s - gs.contact_time_s);
      const double planned_td = other.stance ? other.t_touchdown_s + gs.contact_time_s + t_flight
                                : next_to_land ? std::max(other.t_toeoff_s + t_flight, t + 0.01)
                                           : leg.t_toeoff_s + 2.0 * rm.step_period_s - gs.contact_time_s;
      const double swing_time = std::max(0.15, planned_td - leg.t_toeoff_s);
      const Vec3 v = v_com;
      // Planned for the measured contact time, but for no more than 1.25 x the first guess: a
      // long contact must not place the next foot further ahead, brake harder and lengthen
      // the contact again (at 2.5 m/s this loop made the runner stall and fall).
      const double t_contact_plan = std::min(gs.contact_time_s, 1.25 * FirstGuessContactTime(rm));
      const double ahead = (p_com.x() - p_WH.x()) + v.x() * t_contact_plan / 2 + g.speed_gain_s * (v.x() - sc.speed_m_s) +
                           sc.overstride_m + gs.placement_offset_m;
      const double side = s == 0 ? 1.0 : -1.0;
      const double lateral = (p_com.y() - p_WH.y()) + side * g.step_width_m / 2 + v.y() * gs.contact_time_s / 2 +
                             g.lateral_gain_s * v.y();
      // Planned touchdown at the end of the swing; the foot arrives moving back relative to
      // the hip (swing-leg retraction, Seyfarth et al. 2003), so that it lands slowed towards
      // ground speed and, if the landing comes late, on a steeper leg.
      const double T_sw = swing_time;
      const double t_sw = t - leg.t_toeoff_s;
      const double u = std::clamp(t_sw / T_sw, 0.0, 1.0);
      const double sp = u * u * u * (10 - 15 * u + 6 * u * u);
      const double sv = u < 1 ? 30 * u * u * (1 - u) * (1 - u) / T_sw : 0.0;
      const double sa = u < 1 ? 60 * u * (1 - u) * (1 - 2 * u) / (T_sw * T_sw) : 0.0;
      const double bp = u * u * u * (-4 + 7 * u - 3 * u * u);      // end-velocity shape
      const double bv = u * u * (-12 + 28 * u - 15 * u * u) / T_sw;
      const double ba = u * (-24 + 84 * u - 60 * u * u) / (T_sw * T_sw);
      const double v_end = -g.retraction_fraction * sc.speed_m_s;
      const Vec3 goal(ahead, lateral, 0);
      const Vec3 start(leg.p_toeoff_rel_W.x(), leg.p_toeoff_rel_W.y(), 0);
      Vec3 rel = start + (goal - start) * sp;
      const double late = std::clamp(t_sw - T_sw, 0.0, 0.08);  // retraction continues a little past the plan
      rel.x() += v_end * T_sw * bp + v_end * late;
      const double rel_vx = (goal.x() - start.x()) * sv + (t_sw > T_sw ? (late < 0.08 ? v_end : 0.0) : v_end * T_sw * bv);
      const double rel_ax = (goal.x() - start.x()) * sa + (t_sw > T_sw ? 0.0 : v_end * T_sw * ba);
      // Height of the ankle above the ground under it.
      const TerrainQuery tq = rm.model->terrains[0]->Query(F.p_WB);
      const double ground_z = F.p_WB.z() + tq.penetration_m / tq.n_W.z();
      const double ankle_h = rm.hip_height_m - rm.leg_rest_length_m;
      const double lift = g.swing_clearance_m * Smooth(u / 0.25);
      // Landing: once this leg is next and the other is past mid-stance, the leg extends to
      // its stance length at the planned angle (spring-mass running: the body then falls onto
      // an extended leg, and a late landing comes with a steeper leg).
      const double ext_start = planned_td - g.extension_lead_s;
      const double ext = next_to_land ? Smooth((t - ext_start) / g.extension_time_s) : 0.0;
      const double L0 = rm.leg_rest_length_m;
      // Overstride: the leg reaches the extra distance ahead at the height at which the
      // neutral leg would land (knee extended: a longer leg at touchdown), so the foot lands
      // at the same time, further ahead; in stance the leg settles to its stance length.
      const double horiz = std::min(std::hypot(rel.x() - sc.overstride_m, rel.y()), 0.95 * L0);
      const double drop = std::sqrt(L0 * L0 - horiz * horiz);
      const double z_extended = p_WH.z() - drop;
      const double L_reach = std::hypot(drop, std::hypot(std::max(rel.x(), 0.0), rel.y()));
      const double z_lifted = ground_z + ankle_h + lift;
      // The foot never aims below the ground; its planned sink rate at full extension is
      // capped at the landing speed (Liu & Nigg 2000: ~0.6 m/s; a velocity target of the
      // transverse servo and of the knee damper, while the leg's rest length below is what
      // brings the foot down).
      const double z_floor = ground_z + ankle_h - 0.005;
      const double z_des = std::max(z_floor, ext * z_extended + (1.0 - ext) * std::max(z_lifted, z_extended));
      const double vz_des = ext >= 1.0 ? std::max(v_WH.z(), -g.touchdown_sink_speed_m_s) : 0.0;
      const Vec3 p_des(p_WH.x() + rel.x(), p_WH.y() + rel.y(), z_des);
      const Vec3 v_des(v_WH.x() + rel_vx, v_WH.y() + (goal.y() - start.y()) * sv, vz_des);
      // Axial: the spring's rest length is the planned leg length (never beyond its stance
      // length, or the overstriding leg's reach).
      // The leg that is next to land reaches its landing length whatever the ground's height:
      // a foot that meets the ground early presses on it and the stance begins on an extended
      // leg. (Before session 7 the foot hovered at ground level while the leg shortened with
      // the falling hip until its force crossed the touchdown threshold; how long it hovered
      // depended on the swing timing and fed back into the next step: the left/right limp.)
      // In the last landing_flex_height_m above the ground the knee flexes, the leg's rest
      // length shortening landing_flex_ratio m per m of foot descent: a state-based landing,
      // not a clocked one.
      const double L_land = std::max(L0, L_reach);
      double L_des = std::min((p_des - p_WH).norm(), L_land + 0.02);
      double Ldot_flex = 0;
      bool flexing = false;
      if (next_to_land) {
        L_des = std::max(L_des, ext * L_land);
        const double h = ext >= 1.0 ? FootClearance(rm, d, s) : 1e9;
        if (h < g.landing_flex_height_m) {
          L_des = std::min(L_des, L_land - g.landing_flex_ratio * (g.landing_flex_height_m - std::max(h, 0.0)));
          Ldot_flex = g.landing_flex_ratio * std::min(0.0, F.v_WB_W.z());
          flexing = true;
        }
      }
      d.line_rest_length_m[line] = L_des;
      Vec3 dp = p_des - F.p_WB;
      Vec3 dv = v_des - F.v_WB_W;
      Vec3 a_ff(rel_ax, (goal.y() - start.y()) * sa, 0);
      dp -= dp.dot(e) * e;  // transverse only: the leg spring holds the length
      dv -= dv.dot(e) * e;
      a_ff -= a_ff.dot(e) * e;
      // The lower mass the swing servo carries: shank, foot and the shank's soft tissue.
      double m_foot = rm.model->bodies[rm.ankle[s]].mass_kg + rm.model->bodies[rm.sole[s]].mass_kg;
      if (rm.soft_tissue[s] >= 0) m_foot += rm.model->bodies[rm.soft_tissue[s]].mass_kg;
      Vec3 F_foot = m_foot * a_ff + g.swing_stiffness_N_m * dp + g.swing_damping_Ns_m * dv;
      // Knee: damp the leg-length motion relative to the planned rate.
      const double c_axial = 2.0 * g.knee_damping_ratio * std::sqrt(rm.leg_stiffness_N_m * m_foot);
      const double Ldot_des = flexing ? Ldot_flex : (v_des - v_WH).dot(e);
      F_foot -= c_axial * (d.lines[line].velocity_m_s - Ldot_des) * e;
      const Vec3 grav = m_foot * rm.model->gravity_W;
      F_foot -= grav - grav.dot(e) * e;  // carry the foot's weight across the leg
      StrutForce(rm, d, p_WH, r, F_foot, s);
      // In flight the hips still hold the pelvis, against the swinging legs.
      if (n_stance == 0) HipCouple(rm, d, s, p_WH, r, 0.5 * tau_pelvis, 0.0);
      // Foot pitched for the strike pattern (toe up positive) by touchdown.
      const Quat q_des = Quat(Eigen::AngleAxisd(-rm.strike_pitch_rad, Vec3::UnitY()));  // running along +x
      const Vec3 ef = RotationVectorFromQuat(S.q_WB * q_des.conjugate());
      FootCouple(rm, d, s, -g.foot_flight_k * ef - g.foot_flight_c * (S.w_WB_W - P.w_WB_W));
    }
  }

  // ---- trunk muscles: hold the upper trunk at its lean on the pelvis ------------------------
  const Quat q_PH = P.q_WB.conjugate() * H.q_WB;
  const Vec3 err_T = RotationVectorFromQuat(rm.q_PH_neutral.conjugate() * q_PH);  // in the neutral HAT frame
  const Vec3 w_rel = P.R_WB.transpose() * (H.w_WB_W - P.w_WB_W);
  const double tau_y = -g.trunk_pitch_k * err_T.y() - g.trunk_pitch_c * w_rel.y();  // + flexes
  const double tau_x = -g.trunk_roll_k * err_T.x() - g.trunk_roll_c * w_rel.x();    // + tilts right
  const double share_mf = g.multifidus_extension_share;
  for (const MuscleInfo& mu : rm.muscles) {
    double T = g.co_contraction_N;
    const double arm = std::max(0.02, mu.moment_arm_m);
    switch (mu.group) {
      // Extension: multifidus (deep, 5 fascicles) carry multifidus_extension_share of it at a
      // normal core; the erector spinae (superficial, 2 sides) take the rest, so a weak core
      // shifts load to them.
      case MuscleGroup::kErectorSpinae:
        T += tau_y < 0 ? 0.5 * (1.0 - share_mf * std::min(1.0, g.deep_fraction)) * -tau_y / arm : 0.0;
        break;
      case MuscleGroup::kMultifidus:
        T = g.co_contraction_N * g.deep_fraction + (tau_y < 0 ? share_mf / 5.0 * std::min(1.0, g.deep_fraction) * -tau_y / arm : 0.0);
        break;
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
  gs.z_com_filtered_m = 0;
  // A faster start on a long contact-time guess lands the first foot so far ahead that the
  // runner falls (5 m/s did).
  gs.contact_time_s = FirstGuessContactTime(rm);
  gs.thrust_m = rm.gains.thrust_initial_m;
  // Hips at the apex of a short flight; the right foot half a contact length ahead. The first
  // landing is neutral: the overstride's reach comes with the first swing (starting on a leg
  // inclined for 0.12 m or more of overstride, the runner fell in the first stance).
  const double ahead = sc.speed_m_s * gs.contact_time_s / 2;
  const double L = rm.leg_rest_length_m;
  const double drop = std::sqrt(std::max(0.0, L * L - ahead * ahead));
  const double ankle_h = rm.hip_height_m - rm.leg_rest_length_m;  // ankle above the sole
  const double hip_z = drop + ankle_h + 0.02;
  const Vec3 shift(0, 0, hip_z - rm.hip_height_m);
  const Vec3 v(sc.speed_m_s, 0, 0);
  for (int b = 0; b < m.nbody(); ++b) SetBodyState(m, d, b, rm.p_WB0[b] + shift, rm.q_WB0[b], v, Vec3::Zero());
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
    SetBodyState(m, d, rm.ankle[s], ankle, q, v, Vec3::Zero());
    SetBodyState(m, d, rm.sole[s], ankle, q, v, Vec3::Zero());
    if (rm.soft_tissue[s] >= 0) SetBodyState(m, d, rm.soft_tissue[s], ankle, Quat::Identity(), v, Vec3::Zero());
    d.line_rest_length_m[rm.leg_line[s]] = (ankle - hip).norm();
  }
}

}  // namespace sl
