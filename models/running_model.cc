#include "models/running_model.h"

#include <cmath>
#include <cstdint>

#include "models/yaml_util.h"
#include "sim/errors.h"

namespace sl {
namespace {

constexpr double kDeg = M_PI / 180.0;
constexpr double kG = 9.81;

Mat3 RotY(double a) { return Eigen::AngleAxisd(a, Vec3::UnitY()).toRotationMatrix(); }
Vec3 Up(double a) { return Vec3(std::sin(a), 0, std::cos(a)); }        // axis tilted forward by a
Vec3 Ahead(double a) { return Vec3(std::cos(a), 0, -std::sin(a)); }    // anterior, perpendicular to Up(a)
Mat3 Diag(const std::array<double, 3>& v, double s) { return Vec3(v[0] * s, v[1] * s, v[2] * s).asDiagonal(); }

// Seeded value noise: block heights uniform in [-A, A] on a square grid of size w, blended
// with a smoothstep so that height and slope are continuous.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
double CellHeight(int64_t ix, int64_t iy, uint64_t seed, double A) {
  const uint64_t h = Mix(seed ^ Mix(static_cast<uint64_t>(ix) * 0x1000193ULL ^ Mix(static_cast<uint64_t>(iy))));
  return A * (2.0 * (static_cast<double>(h >> 11) / 9007199254740992.0) - 1.0);
}
double UnevenHeight(double x, double y, double* hx, double* hy, uint64_t seed, double A, double w) {
  const double fx = x / w, fy = y / w;
  const double x0 = std::floor(fx), y0 = std::floor(fy);
  const double tx = fx - x0, ty = fy - y0;
  const double sx = tx * tx * (3 - 2 * tx), sy = ty * ty * (3 - 2 * ty);
  const double dsx = 6 * tx * (1 - tx) / w, dsy = 6 * ty * (1 - ty) / w;
  const int64_t ix = static_cast<int64_t>(x0), iy = static_cast<int64_t>(y0);
  const double h00 = CellHeight(ix, iy, seed, A), h10 = CellHeight(ix + 1, iy, seed, A);
  const double h01 = CellHeight(ix, iy + 1, seed, A), h11 = CellHeight(ix + 1, iy + 1, seed, A);
  const double a = h00 + (h10 - h00) * sx, b = h01 + (h11 - h01) * sx;
  *hx = ((h10 - h00) + ((h11 - h01) - (h10 - h00)) * sy) * dsx;
  *hy = (b - a) * dsy;
  return a + (b - a) * sy;
}

double Series(std::initializer_list<double> ks) {
  double c = 0;
  for (double k : ks) c += 1.0 / k;
  return 1.0 / c;
}

void Check(bool ok, const std::string& key, double value, const std::string& allowed) {
  if (!ok) throw InputError("scenario: " + key + " = " + std::to_string(value) + " is not allowed (" + allowed + ")");
}

}  // namespace

const char* MuscleGroupName(MuscleGroup g) {
  switch (g) {
    case MuscleGroup::kErectorSpinae: return "erector_spinae";
    case MuscleGroup::kMultifidus: return "multifidus";
    case MuscleGroup::kRectusAbdominis: return "rectus_abdominis";
    case MuscleGroup::kObliques: return "obliques";
    case MuscleGroup::kPsoas: return "psoas";
  }
  return "?";
}

const char* FootStrikeName(FootStrike s) {
  switch (s) {
    case FootStrike::kRearfoot: return "rearfoot";
    case FootStrike::kMidfoot: return "midfoot";
    case FootStrike::kForefoot: return "forefoot";
  }
  return "?";
}

RunningModel BuildRunningModel(const Library& lib, const Scenario& scenario) {
  const RunnerParams& r = lib.runner;
  Scenario sc = scenario;
  ResolvePreferredCadence(lib, sc);
  Check(sc.body_mass_kg >= 30 && sc.body_mass_kg <= 150, "runner.body_mass_kg", sc.body_mass_kg, "30..150");
  Check(sc.height_m >= 1.4 && sc.height_m <= 2.1, "runner.height_m", sc.height_m, "1.4..2.1");
  const auto surf_it = lib.surfaces.find(sc.surface);
  if (surf_it == lib.surfaces.end()) throw InputError("scenario: surface '" + sc.surface + "' is not in surfaces.yaml");
  const auto shoe_it = lib.shoes.find(sc.shoe);
  if (shoe_it == lib.shoes.end()) throw InputError("scenario: shoe '" + sc.shoe + "' is not in shoes.yaml");
  const SurfaceSpec& surface = surf_it->second;
  const ShoeSpec& shoe = shoe_it->second;

  RunningModel rm;
  rm.scenario = sc;
  const double M = sc.body_mass_kg;
  const double sm = M / r.ref_mass_kg, sl = sc.height_m / r.ref_height_m, si = sm * sl * sl;
  rm.body_weight_N = M * kG;
  rm.hip_height_m = r.leg_length_m * sl;
  rm.lower_mass_kg = r.lower_mass_fraction * M;
  rm.step_period_s = 60.0 / sc.cadence_steps_min;
  rm.leg_rest_length_m = (r.leg_length_m - r.ankle_height_m) * sl;
  rm.strike_pitch_rad = r.strike_pitch_rad.at(FootStrikeName(sc.foot_strike));

  // ---- posture: pelvic tilt, sacral slope, lordosis, disc angles (Legaye: PI = PT + SS) ---
  const double d_apt = sc.pelvic_tilt_deg * kDeg - r.reference_pelvic_tilt_rad;
  const double lean = sc.trunk_lean_deg * kDeg;
  const Mat3 R_WP = RotY(d_apt);
  rm.q_WP_target = Quat(R_WP);
  rm.sacral_slope_rad = r.sacral_slope_standing_rad + d_apt;
  std::array<double, 6> seg{};
  double ll_base = 0;
  for (int i = 0; i < 6; ++i) {
    seg[i] = r.running_lordosis_factor * r.segmental_lordosis_rad[i];
    ll_base += seg[i];
  }
  const double ll = rm.sacral_slope_rad - (lean - r.thoracic_offset_rad);
  for (int i = 0; i < 6; ++i) seg[i] += (ll - ll_base) * r.flexion_distribution[i];
  rm.lumbar_lordosis_rad = ll;
  std::array<double, 6> endplate{};  // inferior endplate angle of each disc
  std::array<double, 5> axis{};      // vertebral body axis angles, L5..L1
  double e = rm.sacral_slope_rad;
  for (int i = 0; i < 6; ++i) {
    endplate[i] = e;
    rm.disc_angle_rad[i] = e - 0.5 * seg[i];
    e -= seg[i];
    if (i < 5) axis[i] = e;
  }

  // ---- positions at the built posture (hip centre at (0, 0, hip height)) -----------------
  const Vec3 hip_c(0, 0, rm.hip_height_m);
  const double half_hip = 0.5 * r.hip_width_m * sl;
  const Vec3 hip_W[2] = {hip_c + Vec3(0, half_hip, 0), hip_c - Vec3(0, half_hip, 0)};
  std::array<Vec3, 6> J;
  J[0] = hip_c + R_WP * Vec3(-r.l5s1_posterior_of_hips_m * sl, 0, r.l5s1_above_hips_m * sl);
  for (int i = 0; i < 5; ++i) J[i + 1] = J[i] + r.disc_spacing_m[i] * sl * Up(axis[i]);

  Model m;
  auto add_body = [&](const std::string& name, double mass, const Mat3& I_B, const Vec3& p, const Mat3& R) {
    Body b;
    b.name = name;
    b.mass_kg = mass;
    b.I_Bcm_B = I_B;
    m.bodies.push_back(b);
    rm.p_WB0.push_back(p);
    rm.q_WB0.push_back(Quat(R));
    return static_cast<BodyIndex>(m.bodies.size() - 1);
  };

  // Pelvis with both thighs (the part of each leg above the lower mass rides with it).
  {
    const double mp = r.pelvis_mass_kg * sm;
    const double mt = r.leg_mass_kg * sm - rm.lower_mass_kg;
    Check(mt > 0, "runner lower mass", rm.lower_mass_kg, "below the leg mass");
    const Vec3 cp = hip_c + R_WP * Vec3(-r.pelvis_com_posterior_m * sl, 0, r.pelvis_com_above_hips_m * sl);
    const Vec3 ct[2] = {hip_W[0] - Vec3(0, 0, r.thigh_com_below_hip_m * sl), hip_W[1] - Vec3(0, 0, r.thigh_com_below_hip_m * sl)};
    const double mtot = mp + 2 * mt;
    const Vec3 com = (mp * cp + mt * (ct[0] + ct[1])) / mtot;
    auto shift = [](double mass, const Vec3& d) { return mass * (d.squaredNorm() * Mat3::Identity() - d * d.transpose()); };
    Mat3 I_W = R_WP * Diag(r.pelvis_inertia, si) * R_WP.transpose() + shift(mp, cp - com);
    for (int s = 0; s < 2; ++s) I_W += Diag(r.thigh_inertia, si) + shift(mt, ct[s] - com);
    Mat3 I_B = R_WP.transpose() * I_W * R_WP;
    I_B = 0.5 * (I_B + I_B.transpose());
    rm.pelvis = add_body("pelvis", mtot, I_B, com, R_WP);
  }
  const char* vnames[5] = {"L5", "L4", "L3", "L2", "L1"};
  for (int i = 0; i < 5; ++i) {
    const Vec3 c = 0.5 * (J[i] + J[i + 1]) + r.vertebra_com_anterior_m * sl * Ahead(axis[i]);
    rm.vertebra[i] = add_body(vnames[i], r.vertebra_mass_kg[i] * sm, Diag(r.vertebra_inertia[i], si), c, RotY(axis[i]));
  }
  const Vec3 hat_com = J[5] + r.hat_com_above_t12l1_m * sl * Up(lean) + r.hat_com_anterior_m * sl * Ahead(lean);
  // Upper trunk: the rest of the body mass (mass balance of the data sheet, P1).
  double below = r.pelvis_mass_kg + 2 * r.leg_mass_kg;
  for (double mv : r.vertebra_mass_kg) below += mv;
  const double hat_mass = M - below * sm;
  Check(hat_mass > 0.2 * M, "upper-trunk mass (kg)", hat_mass, "> 20 % of body mass");
  rm.hat = add_body("HAT", hat_mass, Diag(r.hat_inertia, si), hat_com, RotY(lean));
  rm.q_PH_neutral = Quat(R_WP.transpose() * RotY(lean));
  const char* fnames[2] = {"foot_l", "foot_r"};
  const char* snames[2] = {"shank_l", "shank_r"};
  const double m_sole = r.foot_mass_fraction * M + shoe.mass_kg;
  Check(r.foot_mass_fraction * M < rm.lower_mass_kg, "runner foot mass (kg)", r.foot_mass_fraction * M, "below the lower mass");
  for (int s = 0; s < 2; ++s) {
    const Vec3 ankle = hip_W[s] - Vec3(0, 0, rm.leg_rest_length_m);
    rm.ankle[s] = add_body(snames[s], rm.lower_mass_kg - r.foot_mass_fraction * M, Diag(r.foot_inertia, si), ankle, Mat3::Identity());
    rm.sole[s] = add_body(fnames[s], m_sole, Diag(r.sole_inertia, si), ankle, Mat3::Identity());
  }
  // Shank soft tissue: a wobbling mass on the shank (Liu & Nigg 2000), its share of the lower
  // mass taken from the shank body and hung on a spring-damper at the shank body's centre of
  // mass (the model lumps the shank at the ankle).
  const double m_soft = r.shank_soft_tissue_share * rm.lower_mass_kg;
  if (m_soft > 0) {
    Check(m_soft < rm.lower_mass_kg - r.foot_mass_fraction * M, "shank soft tissue mass (kg)", m_soft, "below the shank's mass");
    const char* tnames[2] = {"shank_soft_tissue_l", "shank_soft_tissue_r"};
    for (int s = 0; s < 2; ++s) {
      m.bodies[rm.ankle[s]].mass_kg -= m_soft;
      // A solid cylinder around the tibia, 0.4 m long and 0.05 m in radius (E).
      const double Ixx = m_soft * (3 * 0.05 * 0.05 + 0.4 * 0.4) / 12 * sl * sl;
      const Vec3 I(Ixx, Ixx, 0.5 * m_soft * 0.05 * 0.05 * sl * sl);
      rm.soft_tissue[s] = add_body(tnames[s], m_soft, I.asDiagonal(), rm.p_WB0[rm.ankle[s]], Mat3::Identity());
    }
  }
  auto local = [&](BodyIndex b, const Vec3& p_W) { return Vec3(rm.q_WB0[b].conjugate() * (p_W - rm.p_WB0[b])); };

  // ---- intervertebral joints ------------------------------------------------------------
  const double active = 1.0 + r.active_stiffness_per_core * sc.core_strength;
  for (int i = 0; i < 6; ++i) {
    Bushing k;
    k.name = r.levels[i];
    rm.level_names[i] = r.levels[i];
    k.parent = i == 0 ? rm.pelvis : rm.vertebra[i - 1];
    k.child = i < 5 ? rm.vertebra[i] : rm.hat;
    const Quat q_WF(RotY(rm.disc_angle_rad[i]));
    k.p_PF_P = local(k.parent, J[i]);
    k.q_PF = rm.q_WB0[k.parent].conjugate() * q_WF;
    k.p_CM_C = local(k.child, J[i]);
    k.q_CM = rm.q_WB0[k.child].conjugate() * q_WF;
    k.k_trans_N_m = Vec3(r.disc_shear_stiffness_N_m, r.disc_shear_stiffness_N_m, r.disc_axial_stiffness_N_m[i]);
    k.c_trans_Ns_m = Vec3(r.disc_shear_damping_Ns_m, r.disc_shear_damping_Ns_m, r.disc_axial_damping_Ns_m);
    k.k_rot_Nm_rad = active * Vec3(r.disc_lat_bend_Nm_rad, r.disc_flex_ext_Nm_rad, r.disc_axial_rot_Nm_rad);
    k.c_rot_Nms_rad = Vec3::Constant(r.disc_rot_damping_Nms_rad);
    k.disc.enabled = true;
    k.disc.tension_stiffness_ratio = r.disc_tension_ratio;
    k.disc.preload_N = r.disc_preload_N;
    k.disc.stiffness_factor = r.disc_preload_factor;
    rm.level_bushing[i] = static_cast<int>(m.bushings.size());
    m.bushings.push_back(k);
  }

  // ---- trunk muscles (line elements, tension-only) --------------------------------------
  const Vec3 uS = Up(endplate[0]), aS = Ahead(endplate[0]);  // sacral plate frame
  const Vec3 uH = Up(lean), aH = Ahead(lean);
  const Vec3 yL = Vec3::UnitY();
  auto add_muscle = [&](const std::string& name, BodyIndex A, const Vec3& pA_W, BodyIndex B, const Vec3& pB_W,
                        MuscleGroup g, int side) {
    LineElement l;
    l.name = name;
    l.body_a = A;
    l.body_b = B;
    l.p_AoA_A = local(A, pA_W);
    l.p_BoB_B = local(B, pB_W);
    l.stiffness_N_m = r.muscle_stiffness_N_m;
    l.damping_Ns_m = r.muscle_damping_Ns_m;
    l.rest_length_m = (pB_W - pA_W).norm();
    l.tension_only = true;
    // Sagittal moment arm about L5/S1: distance of the line of action from J0 in the x-z plane.
    const Vec3 d = (pB_W - pA_W).normalized();
    const Vec3 arm = (J[0] - pA_W) - (J[0] - pA_W).dot(d) * d;
    MuscleInfo mi{static_cast<int>(m.lines.size()), g, side, std::hypot(arm.x(), arm.z())};
    rm.muscles.push_back(mi);
    m.lines.push_back(l);
  };
  const double es_arm = r.es_arm_m * sl, mf_arm = r.mf_arm_m * sl, ra_arm = r.ra_arm_m * sl;
  for (int side : {+1, -1}) {
    const std::string sfx = side > 0 ? "_l" : "_r";
    add_muscle("erector_spinae" + sfx, rm.pelvis, J[0] - es_arm * aS - 0.04 * sl * uS + side * r.es_lateral_m * sl * yL,
               rm.hat, J[5] + 0.10 * sl * uH - es_arm * aH + side * r.es_lateral_m * sl * yL, MuscleGroup::kErectorSpinae, side);
    add_muscle("rectus_abdominis" + sfx, rm.pelvis, J[0] + ra_arm * aS - 0.12 * sl * uS + side * 0.04 * sl * yL,
               rm.hat, J[5] + 0.05 * sl * uH + ra_arm * aH + side * 0.04 * sl * yL, MuscleGroup::kRectusAbdominis, side);
    add_muscle("obliques" + sfx, rm.pelvis, J[0] + 0.03 * sl * aS - 0.03 * sl * uS + side * r.obl_lateral_m * sl * yL,
               rm.hat, J[5] + 0.05 * sl * uH + r.obl_anterior_m * sl * aH + side * r.obl_lateral_m * sl * yL,
               MuscleGroup::kObliques, side);
    const Vec3 l1 = rm.p_WB0[rm.vertebra[4]];
    add_muscle("psoas" + sfx, rm.pelvis, hip_W[side > 0 ? 0 : 1] + 0.03 * sl * Vec3::UnitX() - side * 0.02 * sl * yL,
               rm.vertebra[4], l1 + r.psoas_anterior_m * sl * Ahead(axis[4]) + side * r.psoas_lateral_m * sl * yL,
               MuscleGroup::kPsoas, side);
  }
  for (int i = 0; i < 5; ++i) {
    const Vec3 c = rm.p_WB0[rm.vertebra[i]];
    add_muscle(std::string("multifidus_") + vnames[i], rm.pelvis, J[0] - mf_arm * aS - 0.03 * sl * uS, rm.vertebra[i],
               c - (mf_arm + r.vertebra_com_anterior_m * sl) * Ahead(axis[i]), MuscleGroup::kMultifidus, 0);
  }

  // ---- ankles: ball joints (translation only; the foot's rotation is the controller's) -------
  for (int s = 0; s < 2; ++s) {
    Bushing k;
    k.name = s == 0 ? "ankle_l" : "ankle_r";
    k.parent = rm.ankle[s];
    k.child = rm.sole[s];
    k.k_trans_N_m = Vec3::Constant(r.ankle_joint_stiffness_N_m);
    k.c_trans_Ns_m = Vec3::Constant(r.ankle_joint_damping_Ns_m);
    // Roll and yaw: the subtalar joint and the leg's rotations tie the foot to the shank
    // (runner.yaml); pitch is free, held by the controller's plantarflexor/dorsiflexor couple.
    const double k_ry = r.ankle_roll_yaw_stiffness_Nm_rad * sm * sl, c_ry = r.ankle_roll_yaw_damping_Nms_rad * sm * sl;
    k.k_rot_Nm_rad = Vec3(k_ry, 0.0, k_ry);
    k.c_rot_Nms_rad = Vec3(c_ry, 0.05, c_ry);
    rm.ankle_bushing[s] = static_cast<int>(m.bushings.size());
    m.bushings.push_back(k);
  }

  // ---- shank orientation: the lumped shank turns with the pelvis ---------------------------
  // The shank is a mass at the ankle whose own orientation means nothing to the strut model;
  // left free in pitch (as the ankle joint leaves it), it drifted, and once its angle from the
  // foot neared pi the ankle joint's rotation vector flipped and spun it up (10-20 rad/s), a
  // parasitic 400 W through the ankle joint's roll/yaw dampers (session 11). A rotational tie
  // to the pelvis (no translation) keeps it aligned, so that the ankle joint's roll and yaw act
  // between the foot and the body's heading. Stiff against the ankle's roll/yaw stiffness and
  // critically damped on the shank's inertia (E).
  for (int s = 0; s < 2; ++s) {
    Bushing k;
    k.name = s == 0 ? "shank_orientation_l" : "shank_orientation_r";
    k.parent = rm.pelvis;
    k.child = rm.ankle[s];
    k.k_trans_N_m = Vec3::Zero();
    k.c_trans_Ns_m = Vec3::Zero();
    const Vec3 I = m.bodies[rm.ankle[s]].I_Bcm_B.diagonal();
    k.k_rot_Nm_rad = Vec3::Constant(2000.0 * si);
    k.c_rot_Nms_rad = 2.0 * (k.k_rot_Nm_rad.cwiseProduct(I)).cwiseSqrt();
    rm.shank_orientation_bushing[s] = static_cast<int>(m.bushings.size());
    m.bushings.push_back(k);
  }

  // ---- shank soft tissue: spring-damper to the shank (translation; rotation held) ----------
  for (int s = 0; s < 2 && m_soft > 0; ++s) {
    Bushing k;
    k.name = s == 0 ? "shank_soft_tissue_l" : "shank_soft_tissue_r";
    k.parent = rm.ankle[s];
    k.child = rm.soft_tissue[s];
    // Scaled with body mass, so that the tissue's natural frequency stays Liu & Nigg's.
    k.k_trans_N_m = Vec3::Constant(r.shank_soft_tissue_stiffness_N_m * sm);
    k.c_trans_Ns_m = Vec3::Constant(r.shank_soft_tissue_damping_Ns_m * sm);
    // Rotation: the tissue turns with the shank (E: 200 N·m/rad, about critically damped on
    // its inertia, so that no slow rocking carries over from one stride to the next).
    k.k_rot_Nm_rad = Vec3::Constant(200.0 * si);
    k.c_rot_Nms_rad = Vec3::Constant(2.0 * std::sqrt(200.0 * si * m.bodies[rm.soft_tissue[s]].I_Bcm_B(0, 0)));
    m.bushings.push_back(k);
  }

  // ---- legs: hip -> ankle spring-damper, stiffness adapted to shoe and surface -------------
  const double wear = sc.wear_km >= 0 ? sc.wear_km : shoe.wear_km;
  rm.shoe_heel_secant_N_m = WornShoeStiffness(lib, shoe, wear);
  rm.shoe_exponent = shoe.exponent;
  rm.heel_pad_secant_N_m = lib.heel_pad_secant_N_m;
  rm.heel_pad_exponent = lib.heel_pad_exponent;
  rm.shoe_reference_force_N = lib.shoe_reference_force_N;
  rm.surface_stiffness_N_m = surface.stiffness_N_m;
  // Runners stiffen the leg as they raise the step rate (Farley & Gonzalez 1996).
  const double k_leg_nominal = r.leg_dimensionless_stiffness * rm.body_weight_N / rm.hip_height_m *
                               std::pow(sc.cadence_steps_min / r.leg_stiffness_reference_cadence_steps_min,
                                        r.leg_stiffness_cadence_exponent);
  double k_total_ref = k_leg_nominal;
  if (lib.shoes.count("neutral") && lib.surfaces.count("asphalt"))
    k_total_ref = Series({k_leg_nominal, lib.shoes.at("neutral").secant_stiffness_N_m, lib.surfaces.at("asphalt").stiffness_N_m});
  const double inv = 1.0 / k_total_ref - 1.0 / rm.shoe_heel_secant_N_m - 1.0 / rm.surface_stiffness_N_m;
  rm.leg_stiffness_N_m = inv > 0 ? std::min(1.0 / inv, 3.0 * k_leg_nominal) : 3.0 * k_leg_nominal;
  for (int s = 0; s < 2; ++s) {
    LineElement leg;
    leg.name = s == 0 ? "leg_l" : "leg_r";
    leg.body_a = rm.pelvis;
    leg.body_b = rm.ankle[s];
    leg.p_AoA_A = local(rm.pelvis, hip_W[s]);
    rm.p_PHip_P[s] = leg.p_AoA_A;
    leg.stiffness_N_m = rm.leg_stiffness_N_m;
    leg.damping_Ns_m = 2.0 * r.leg_damping_ratio * std::sqrt(rm.leg_stiffness_N_m * M);
    leg.rest_length_m = rm.leg_rest_length_m;
    leg.tension_only = false;
    rm.leg_line[s] = static_cast<int>(m.lines.size());
    m.lines.push_back(leg);
  }

  // ---- ground and contacts: shoe layer then surface layer ---------------------------------
  rm.camber_rad = (sc.camber_deg >= 0 ? sc.camber_deg : surface.camber_deg) * kDeg;
  if (surface.roughness_m > 0) {
    const uint64_t seed = sc.seed;
    const double A = surface.roughness_m, w = surface.roughness_wavelength_m;
    m.terrains.push_back(std::make_shared<HeightFieldTerrain>(
        [seed, A, w](double x, double y, double* hx, double* hy) { return UnevenHeight(x, y, hx, hy, seed, A, w); }));
  } else {
    m.terrains.push_back(std::make_shared<PlaneTerrain>(PlaneTerrain::Cambered(rm.camber_rad)));
  }
  const double F_ref = lib.shoe_reference_force_N;
  const double d_ref = F_ref / rm.shoe_heel_secant_N_m;
  const double k_heel = F_ref / std::pow(d_ref, shoe.exponent);
  const double c_surface = 2.0 * surface.damping_ratio * std::sqrt(surface.stiffness_N_m * rm.lower_mass_kg);
  const double half_width[2] = {0.5 * r.heel_width_m * sl, 0.5 * r.forefoot_width_m * sl};
  const char* pnames[4] = {"_heel_medial", "_heel_lateral", "_forefoot_medial", "_forefoot_lateral"};
  for (int s = 0; s < 2; ++s) {
    const double medial = s == 0 ? -1.0 : 1.0;  // the left foot's medial side is to its right (-y)
    for (int p = 0; p < 4; ++p) {
      const bool heel = p < 2;
      ContactPoint c;
      c.name = std::string(fnames[s]) + pnames[p];
      c.body = rm.sole[s];
      const double y = (p % 2 == 0 ? medial : -medial) * half_width[heel ? 0 : 1];
      c.p_BC_B = Vec3(heel ? -r.heel_behind_ankle_m * sl : r.forefoot_ahead_of_ankle_m * sl, y, -r.ankle_height_m * sl);
      c.n_layers = 2;
      // Each region's load is shared by its two points: each has half the region's stiffness
      // and damping (the forefoot is stiffer than the heel by the shoe's factor).
      const double region = heel ? 1.0 : shoe.forefoot_stiffness_factor;
      c.layers[0] = ContactLayer{"shoe", 0.5 * k_heel * region, shoe.exponent, 0.5 * shoe.damping, shoe.damping_exponent};
      c.layers[1] = ContactLayer{"surface", 0.5 * surface.stiffness_N_m, 1.0, 0.5 * c_surface, 0.0};
      c.friction_coefficient = r.sole_friction_coefficient;
      c.slip_damping_Ns_m = r.sole_slip_damping_Ns_m;
      c.tangential_stiffness_N_m = r.sole_tangential_stiffness_N_m;
      rm.foot_contacts[s][p] = static_cast<int>(m.contacts.size());
      m.contacts.push_back(c);
    }
  }

  // ---- controller gains -------------------------------------------------------------------
  ControlGains& g = rm.gains;
  const double core = sc.core_strength;
  g.speed_gain_s = r.Control("speed_gain_s");
  g.speed_integral_m_per_m_s = r.Control("speed_integral_m_per_m_s");
  g.lateral_gain_s = r.Control("lateral_gain_s");
  // Scaled with body mass, as the lower mass the servo carries: the same swing dynamics for
  // every runner.
  g.swing_stiffness_N_m = r.Control("swing_stiffness_N_m") * sm;
  g.swing_damping_Ns_m = r.Control("swing_damping_Ns_m") * sm;
  g.pelvis_pitch_k = r.Control("pelvis_pitch_stiffness_Nm_rad") * sm * sl;
  g.pelvis_pitch_c = r.Control("pelvis_pitch_damping_Nms_rad") * sm * sl;
  g.pelvis_roll_k = r.Control("pelvis_roll_stiffness_Nm_rad") * sm * sl;
  g.pelvis_roll_c = r.Control("pelvis_roll_damping_Nms_rad") * sm * sl;
  g.pelvis_yaw_k = r.Control("pelvis_yaw_stiffness_Nm_rad") * sm * sl;
  g.pelvis_yaw_c = r.Control("pelvis_yaw_damping_Nms_rad") * sm * sl;
  // core_strength acts on the deep stabilisers (multifidus share, their co-contraction and
  // the segmental active stiffness); the superficial trunk muscles keep holding the trunk
  // and take over what the deep ones do not (Raabe & Chaudhari 2018: up to 45 % compensation).
  g.trunk_pitch_k = r.Control("trunk_pitch_stiffness_Nm_rad") * sm * sl;
  g.trunk_pitch_c = r.Control("trunk_pitch_damping_Nms_rad") * sm * sl;
  g.trunk_roll_k = r.Control("trunk_roll_stiffness_Nm_rad") * sm * sl;
  g.trunk_roll_c = r.Control("trunk_roll_damping_Nms_rad") * sm * sl;
  g.co_contraction_N = r.Control("co_contraction_N") * sm;
  g.deep_fraction = core;
  g.multifidus_extension_share = r.Control("multifidus_extension_share");
  g.foot_flight_k = r.Control("foot_flight_stiffness_Nm_rad");
  g.foot_flight_c = r.Control("foot_flight_damping_Nms_rad");
  g.ankle_stance_k = r.Control("ankle_stance_stiffness_Nm_rad") * sm * sl;
  // Scaled as the foot's pitch inertia (mass x height^2), so that the damping's time constant
  // is the same for every runner: scaled as the stiffness (mass x height), a 1.55 m runner's
  // foot chattered against the ground under the 0.5 ms control period and fell (50 and 70 kg).
  g.ankle_stance_c = r.Control("ankle_stance_damping_Nms_rad") * sm * sl * sl;
  g.thrust_gain = r.Control("thrust_gain");
  g.thrust_min_m = r.Control("thrust_min_m");
  g.thrust_max_m = r.Control("thrust_max_m");
  g.thrust_initial_m = r.Control("thrust_initial_m");
  g.retraction_fraction = r.Control("retraction_fraction");
  g.touchdown_sink_speed_m_s = r.Control("touchdown_sink_speed_m_s");
  g.swing_clearance_m = r.Control("swing_clearance_m") * sl;
  g.extension_lead_s = r.Control("extension_lead_s");
  g.extension_time_s = r.Control("extension_time_s");
  g.knee_damping_ratio = r.Control("knee_damping_ratio");
  g.landing_flex_height_m = r.Control("landing_flex_height_m") * sl;
  g.landing_flex_ratio = r.Control("landing_flex_ratio");
  g.contact_time_smoothing = r.Control("contact_time_smoothing");
  g.liftoff_distance_ratio = r.Control("liftoff_distance_ratio");
  g.thrust_symmetry_gain = r.Control("thrust_symmetry_gain_m_per_s");
  g.settle_fraction = r.Control("settle_fraction");
  g.psoas_tone_N = r.Control("psoas_tightness_N_per_deg") * sm *
                   std::max(0.0, sc.pelvic_tilt_deg - r.Control("psoas_slack_tilt_deg"));
  g.step_width_m = r.step_width_m * sl;
  g.residual_k = r.Control("residual_stiffness_Nm_rad") * sm * sl;
  g.residual_c = r.Control("residual_damping_Nms_rad") * sm * sl;
  g.residual_lateral_k = r.Control("residual_lateral_stiffness_N_m") * sm;
  g.residual_lateral_c = r.Control("residual_lateral_damping_Ns_m") * sm;
  g.residual_speed_Ns_m = r.Control("residual_speed_damping_Ns_m") * sm;
  g.residual_vertical_Ns_m = r.Control("residual_vertical_damping_Ns_m") * sm;
  g.residual_vertical_filter_steps = r.Control("residual_vertical_filter_steps");
  rm.oblique_lateral_arm_m = r.obl_lateral_m * sl;

  try {
    rm.model = FinalizeModel(std::move(m));
  } catch (const ModelError& e) {
    throw InputError(std::string("running model: ") + e.what());
  }
  // The limp loop that the landing trim breaks grows with the Froude number v^2 / (g L): the
  // vault per metre of landing distance and the retraction that turns a longer flight into a
  // closer landing both grow with speed. A gain fixed for 5 m/s made 2.5-3 m/s oscillate.
  g.thrust_landing_gain = r.Control("thrust_landing_gain_per_froude") * FroudeNumber(rm);
  return rm;
}

double FroudeNumber(const RunningModel& rm) {
  return rm.scenario.speed_m_s * rm.scenario.speed_m_s / (rm.model->gravity_W.norm() * rm.hip_height_m);
}

double HeelPadDeflection(const RunningModel& rm, double d_m) {
  if (!(d_m > 0)) return 0.0;
  // Both laws through the reference point: F = F_ref (d / d_ref)^p with d_ref = F_ref / k_sec.
  const double F_ref = rm.shoe_reference_force_N;
  const double F = F_ref * std::pow(d_m * rm.shoe_heel_secant_N_m / F_ref, rm.shoe_exponent);
  const double d_pad = (F_ref / rm.heel_pad_secant_N_m) * std::pow(F / F_ref, 1.0 / rm.heel_pad_exponent);
  return std::min(d_pad, d_m);
}

}  // namespace sl
