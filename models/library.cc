#include "models/library.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "models/scenario.h"
#include "models/yaml_util.h"

namespace sl {
namespace {

constexpr double kDeg = M_PI / 180.0;

template <size_t N>
std::array<double, N> Arr(const YAML::Node& map, const std::string& key, const std::string& file,
                          const std::string& ctx) {
  const auto v = GetDoubles(map, key, N, file, ctx);
  std::array<double, N> a{};
  for (size_t i = 0; i < N; ++i) a[i] = v[i];
  return a;
}

std::string Num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

// v (read from `node`, the value of `name`) must lie in lo..hi.
void RequireRange(double v, const YAML::Node& node, const std::string& name, const std::string& file, double lo, double hi) {
  if (!(v >= lo && v <= hi))
    throw InputError(Where(file, node) + ": " + name + " = " + std::to_string(v) + " is not allowed (" + Num(lo) + ".." +
                     Num(hi) + ")");
}

// GetDouble, then RequireRange on the same key.
double GetDoubleIn(const YAML::Node& map, const std::string& key, const std::string& file, const std::string& group,
                   double lo, double hi) {
  const double v = GetDouble(map, key, file, group);
  RequireRange(v, map[key], key, file, lo, hi);
  return v;
}

void RequirePositive(double v, const YAML::Node& map, const std::string& key, const std::string& file) {
  if (!(v > 0)) throw InputError(Where(file, map[key]) + ": " + key + " = " + std::to_string(v) + " is not allowed (> 0)");
}

RunnerParams ReadRunner(const std::string& file) {
  const YAML::Node root = LoadYamlFile(file);
  const KeyUseRecorder used;
  RunnerParams r;
  const YAML::Node ref = Require(root, "reference", file, "runner");
  r.ref_mass_kg = GetDouble(ref, "body_mass_kg", file, "reference");
  r.ref_height_m = GetDouble(ref, "height_m", file, "reference");
  const YAML::Node s = Require(root, "segments", file, "runner");
  const std::string S = "segments";
  r.hat_mass_kg = GetDouble(s, "hat_mass_kg", file, S);
  RequirePositive(r.hat_mass_kg, s, "hat_mass_kg", file);
  r.hat_com_above_t12l1_m = GetDouble(s, "hat_com_above_t12l1_m", file, S);
  r.hat_com_anterior_m = GetDouble(s, "hat_com_anterior_m", file, S);
  r.hat_inertia = Arr<3>(s, "hat_inertia_kg_m2", file, S);
  r.pelvis_mass_kg = GetDouble(s, "pelvis_mass_kg", file, S);
  RequirePositive(r.pelvis_mass_kg, s, "pelvis_mass_kg", file);
  r.pelvis_inertia = Arr<3>(s, "pelvis_inertia_kg_m2", file, S);
  r.pelvis_com_above_hips_m = GetDouble(s, "pelvis_com_above_hips_m", file, S);
  r.pelvis_com_posterior_m = GetDouble(s, "pelvis_com_posterior_m", file, S);
  const char* names[5] = {"L5", "L4", "L3", "L2", "L1"};
  const YAML::Node vm = Require(s, "vertebra_mass_kg", file, S);
  const YAML::Node vi = Require(s, "vertebra_inertia_kg_m2", file, S);
  for (int i = 0; i < 5; ++i) {
    r.vertebra_mass_kg[i] = GetDouble(vm, names[i], file, S + ".vertebra_mass_kg");
    RequirePositive(r.vertebra_mass_kg[i], vm, names[i], file);
    r.vertebra_inertia[i] = Arr<3>(vi, names[i], file, S + ".vertebra_inertia_kg_m2");
  }
  r.vertebra_com_anterior_m = GetDouble(s, "vertebra_com_anterior_of_disc_m", file, S);
  r.leg_mass_kg = GetDouble(s, "leg_mass_kg", file, S);
  r.lower_mass_fraction = GetDouble(s, "lower_mass_fraction", file, S);
  r.thigh_com_below_hip_m = GetDouble(s, "thigh_com_below_hip_m", file, S);
  r.thigh_inertia = Arr<3>(s, "thigh_inertia_kg_m2", file, S);
  r.foot_inertia = Arr<3>(s, "foot_inertia_kg_m2", file, S);
  r.sole_inertia = Arr<3>(s, "sole_inertia_kg_m2", file, S);
  r.foot_mass_fraction = GetDouble(s, "foot_mass_fraction", file, S);
  r.shank_soft_tissue_share = GetDoubleIn(s, "shank_soft_tissue_share", file, S, 0, 0.9);
  r.shank_soft_tissue_stiffness_N_m = GetDouble(s, "shank_soft_tissue_stiffness_N_m", file, S);
  RequirePositive(r.shank_soft_tissue_stiffness_N_m, s, "shank_soft_tissue_stiffness_N_m", file);
  r.shank_soft_tissue_damping_Ns_m = GetDouble(s, "shank_soft_tissue_damping_Ns_m", file, S);
  RequirePositive(r.shank_soft_tissue_damping_Ns_m, s, "shank_soft_tissue_damping_Ns_m", file);
  r.ankle_joint_stiffness_N_m = GetDouble(s, "ankle_joint_stiffness_N_m", file, S);
  r.ankle_joint_damping_Ns_m = GetDouble(s, "ankle_joint_damping_Ns_m", file, S);
  r.ankle_roll_yaw_stiffness_Nm_rad = GetDoubleIn(s, "ankle_roll_yaw_stiffness_Nm_rad", file, S, 0, 1000);
  r.ankle_roll_yaw_damping_Nms_rad = GetDoubleIn(s, "ankle_roll_yaw_damping_Nms_rad", file, S, 0, 100);
  r.hip_width_m = GetDouble(s, "hip_width_m", file, S);
  r.leg_length_m = GetDouble(s, "leg_length_m", file, S);
  RequirePositive(r.leg_length_m, s, "leg_length_m", file);
  r.ankle_height_m = GetDouble(s, "ankle_height_m", file, S);
  r.heel_behind_ankle_m = GetDouble(s, "heel_behind_ankle_m", file, S);
  r.forefoot_ahead_of_ankle_m = GetDouble(s, "forefoot_ahead_of_ankle_m", file, S);
  r.forefoot_width_m = GetDouble(s, "forefoot_width_m", file, S);
  r.heel_width_m = GetDouble(s, "heel_width_m", file, S);
  r.sole_friction_coefficient = GetDoubleIn(s, "sole_friction_coefficient", file, S, 0.05, 2);
  r.sole_slip_damping_Ns_m = GetDoubleIn(s, "sole_slip_damping_Ns_m", file, S, 100, 1e5);
  r.sole_tangential_stiffness_N_m = GetDoubleIn(s, "sole_tangential_stiffness_N_m", file, S, 0, 2e6);

  const YAML::Node sp = Require(root, "spine", file, "runner");
  const std::string P = "spine";
  r.l5s1_above_hips_m = GetDouble(sp, "l5s1_above_hips_m", file, P);
  r.l5s1_posterior_of_hips_m = GetDouble(sp, "l5s1_posterior_of_hips_m", file, P);
  r.disc_spacing_m = Arr<5>(sp, "disc_spacing_m", file, P);
  const YAML::Node lv = Require(sp, "levels", file, P);
  if (!lv.IsSequence() || lv.size() != 6) throw InputError(Where(file, lv) + ": spine.levels must list 6 names");
  for (int i = 0; i < 6; ++i) r.levels[i] = lv[i].as<std::string>();
  const auto lord = Arr<6>(sp, "segmental_lordosis_deg", file, P);
  for (int i = 0; i < 6; ++i) r.segmental_lordosis_rad[i] = lord[i] * kDeg;
  r.flexion_distribution = Arr<6>(sp, "flexion_distribution", file, P);
  r.running_lordosis_factor = GetDouble(sp, "running_lordosis_factor", file, P);
  r.sacral_slope_standing_rad = GetDouble(sp, "sacral_slope_standing_deg", file, P) * kDeg;
  r.reference_pelvic_tilt_rad = GetDouble(sp, "reference_pelvic_tilt_deg", file, P) * kDeg;
  r.thoracic_offset_rad = GetDouble(sp, "thoracic_offset_deg", file, P) * kDeg;
  const YAML::Node d = Require(sp, "disc", file, P);
  const std::string D = "spine.disc";
  r.disc_axial_stiffness_N_m = Arr<6>(d, "axial_stiffness_N_m", file, D);
  r.disc_axial_damping_Ns_m = GetDouble(d, "axial_damping_Ns_m", file, D);
  r.disc_shear_stiffness_N_m = GetDouble(d, "shear_stiffness_N_m", file, D);
  r.disc_shear_damping_Ns_m = GetDouble(d, "shear_damping_Ns_m", file, D);
  r.disc_flex_ext_Nm_rad = GetDouble(d, "flexion_extension_stiffness_Nm_rad", file, D);
  r.disc_lat_bend_Nm_rad = GetDouble(d, "lateral_bending_stiffness_Nm_rad", file, D);
  r.disc_axial_rot_Nm_rad = GetDouble(d, "axial_rotation_stiffness_Nm_rad", file, D);
  r.disc_rot_damping_Nms_rad = GetDouble(d, "rotational_damping_Nms_rad", file, D);
  r.disc_tension_ratio = GetDouble(d, "tension_stiffness_ratio", file, D);
  r.disc_preload_N = Arr<3>(d, "preload_N", file, D);
  r.disc_preload_factor = Arr<3>(d, "preload_stiffness_factor", file, D);
  r.active_stiffness_per_core = GetDouble(sp, "active_stiffness_per_core", file, P);

  const YAML::Node mu = Require(root, "muscles", file, "runner");
  const std::string M = "muscles";
  r.es_arm_m = GetDouble(mu, "erector_spinae_moment_arm_m", file, M);
  r.es_lateral_m = GetDouble(mu, "erector_spinae_lateral_m", file, M);
  r.mf_arm_m = GetDouble(mu, "multifidus_moment_arm_m", file, M);
  r.ra_arm_m = GetDouble(mu, "rectus_abdominis_moment_arm_m", file, M);
  r.obl_anterior_m = GetDouble(mu, "obliques_anterior_m", file, M);
  r.obl_lateral_m = GetDouble(mu, "obliques_lateral_m", file, M);
  r.psoas_anterior_m = GetDouble(mu, "psoas_anterior_m", file, M);
  r.psoas_lateral_m = GetDouble(mu, "psoas_lateral_m", file, M);
  r.muscle_stiffness_N_m = GetDouble(mu, "stiffness_N_m", file, M);
  r.muscle_damping_Ns_m = GetDouble(mu, "damping_Ns_m", file, M);

  const YAML::Node lg = Require(root, "legs", file, "runner");
  r.leg_dimensionless_stiffness = GetDouble(lg, "dimensionless_stiffness", file, "legs");
  r.leg_damping_ratio = GetDouble(lg, "damping_ratio", file, "legs");
  r.leg_stiffness_cadence_exponent = GetDouble(lg, "stiffness_cadence_exponent", file, "legs");
  r.leg_stiffness_reference_cadence_steps_min = GetDouble(lg, "stiffness_reference_cadence_steps_min", file, "legs");
  r.step_width_m = GetDouble(lg, "step_width_m", file, "legs");

  const YAML::Node pc = Require(root, "preferred_cadence", file, "runner");
  const std::string PC = "preferred_cadence";
  r.cadence_intercept_steps_min = GetDoubleIn(pc, "intercept_steps_min", file, PC, 0, 220);
  r.cadence_slope_steps_min_per_m_s = GetDoubleIn(pc, "slope_steps_min_per_m_s", file, PC, 0, 50);
  r.cadence_reference_height_m = GetDoubleIn(pc, "reference_height_m", file, PC, 1.0, 2.5);

  const YAML::Node c = Require(root, "control", file, "runner");
  for (const auto& kv : c) {
    const std::string key = kv.first.as<std::string>();
    if (key == "strike_pitch_deg") {
      for (const auto& sp2 : kv.second)
        r.strike_pitch_rad[sp2.first.as<std::string>()] =
            AsDouble(sp2.second, file, "control.strike_pitch_deg." + sp2.first.as<std::string>()) * kDeg;
      continue;
    }
    r.control[key] = AsDouble(kv.second, file, "control." + key);
    // Gains whose meaning has bounds: reported with the file, line and allowed range.
    static const std::map<std::string, std::pair<double, double>> kRanges = {
        {"liftoff_distance_ratio", {0.3, 2.0}}, {"thrust_symmetry_gain_m_per_s", {0.0, 2.0}},
        {"thrust_landing_gain_per_froude", {0.0, 1.0}},
        {"residual_vertical_filter_steps", {0.1, 5.0}}};
    const auto range = kRanges.find(key);
    if (range != kRanges.end())
      RequireRange(r.control[key], kv.second, "control." + key, file, range->second.first, range->second.second);
  }
  // The stance controller damps the foot explicitly: its torque is held over each control
  // period, which is stable only while c x period / I < 2 for the foot's smallest principal
  // inertia (both scale alike with the body). At the defaults the bound is 16 N·m·s/rad;
  // above it the foot rolls over within the first stance (measured at 17).
  if (c["ankle_stance_damping_Nms_rad"]) {
    const double i_min = *std::min_element(r.sole_inertia.begin(), r.sole_inertia.end());
    const double c_max = 2.0 * i_min / kControlPeriodS;
    const double v = r.control["ankle_stance_damping_Nms_rad"];
    if (!(v >= 0 && v < c_max))
      throw InputError(Where(file, c["ankle_stance_damping_Nms_rad"]) + ": control.ankle_stance_damping_Nms_rad = " +
                       std::to_string(v) + " is not allowed (0.." + Num(c_max) +
                       ", below 2 x the smallest of segments.sole_inertia_kg_m2 / the " + Num(1e3 * kControlPeriodS) +
                       " ms control period: the controller's damping of the foot is explicit and unstable above it)");
  }
  for (const char* strike : {"rearfoot", "midfoot", "forefoot"})
    if (!r.strike_pitch_rad.count(strike))
      throw InputError(Where(file, c) + ": control.strike_pitch_deg: missing key '" + strike + "'");
  used.CheckAllRead(root, file);
  return r;
}

}  // namespace

namespace {
Library LoadLibraryFiles(const std::string& dir, std::string& current_file);
}  // namespace

double PreferredCadence(const RunnerParams& r, double speed_m_s, double height_m) {
  const double ratio = std::sqrt(r.cadence_reference_height_m / height_m);  // sqrt(L_ref / L)
  const double c = ratio * r.cadence_intercept_steps_min + r.cadence_slope_steps_min_per_m_s * speed_m_s * ratio * ratio;
  return std::clamp(c, kMinCadenceStepsMin, kMaxCadenceStepsMin);
}

void ResolvePreferredCadence(const Library& lib, Scenario& s) {
  if (s.cadence_preferred) s.cadence_steps_min = PreferredCadence(lib.runner, s.speed_m_s, s.height_m);
}

double RunnerParams::Control(const std::string& key) const {
  const auto it = control.find(key);
  if (it == control.end()) throw InputError("runner.yaml: control: missing key '" + key + "'");
  return it->second;
}

Library LoadLibrary(const std::string& dir) {
  std::string file = dir;
  try {
    return LoadLibraryFiles(dir, file);
  } catch (const YAML::Exception& e) {  // e.g. a map used as a key, where a name belongs
    throw InputError(file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                     ": unexpected structure (" + e.msg + "); keys and names must be plain text");
  }
}

namespace {
Library LoadLibraryFiles(const std::string& dir, std::string& current_file) {
  Library lib;
  const std::string runner = dir + "/runner.yaml", surfaces = dir + "/surfaces.yaml", shoes = dir + "/shoes.yaml";
  current_file = runner;
  lib.runner = ReadRunner(runner);
  current_file = surfaces;
  const YAML::Node sf = LoadYamlFile(surfaces);
  if (!sf.IsMap()) throw InputError(surfaces + ": must be a map of surface names");
  std::optional<KeyUseRecorder> used;
  used.emplace();
  for (const auto& kv : sf) {
    SurfaceSpec s;
    s.name = kv.first.as<std::string>();
    const YAML::Node& n = kv.second;
    s.stiffness_N_m = GetDouble(n, "stiffness_N_m", surfaces, s.name);
    RequirePositive(s.stiffness_N_m, n, "stiffness_N_m", surfaces);
    s.damping_ratio = GetDouble(n, "damping_ratio", surfaces, s.name);
    s.camber_deg = GetDoubleOr(n, "camber_deg", 0.0, surfaces, s.name);
    s.roughness_m = GetDoubleOr(n, "roughness_m", 0.0, surfaces, s.name);
    s.roughness_wavelength_m = GetDoubleOr(n, "roughness_wavelength_m", 0.4, surfaces, s.name);
    lib.surfaces[s.name] = s;
  }
  used->CheckAllRead(sf, surfaces);
  current_file = shoes;
  const YAML::Node sh = LoadYamlFile(shoes);
  if (!sh.IsMap()) throw InputError(shoes + ": must be a map of shoe names");
  used.reset();
  used.emplace();
  for (const auto& kv : sh) {
    const std::string name = kv.first.as<std::string>();
    if (name == "reference_force_N") {
      lib.shoe_reference_force_N = AsDouble(kv.second, shoes, name);
      continue;
    }
    if (name == "wear_stiffening_per_500km") {
      lib.wear_stiffening_per_500km = AsDouble(kv.second, shoes, name);
      continue;
    }
    if (name == "heel_pad_secant_stiffness_N_m") {
      lib.heel_pad_secant_N_m = AsDouble(kv.second, shoes, name);
      RequirePositive(lib.heel_pad_secant_N_m, sh, name, shoes);
      continue;
    }
    if (name == "heel_pad_exponent") {
      lib.heel_pad_exponent = AsDouble(kv.second, shoes, name);
      RequireRange(lib.heel_pad_exponent, sh[name], name, shoes, 1, 8);
      continue;
    }
    ShoeSpec s;
    s.name = name;
    const YAML::Node& n = kv.second;
    s.secant_stiffness_N_m = GetDouble(n, "secant_stiffness_N_m", shoes, name);
    RequirePositive(s.secant_stiffness_N_m, n, "secant_stiffness_N_m", shoes);
    s.exponent = GetDouble(n, "exponent", shoes, name);
    s.damping = GetDouble(n, "damping", shoes, name);
    s.damping_exponent = GetDouble(n, "damping_exponent", shoes, name);
    s.forefoot_stiffness_factor = GetDouble(n, "forefoot_stiffness_factor", shoes, name);
    s.mass_kg = GetDouble(n, "mass_kg", shoes, name);
    s.wear_km = GetDoubleOr(n, "wear_km", 0.0, shoes, name);
    lib.shoes[name] = s;
  }
  used->CheckAllRead(sh, shoes);
  for (const char* key : {"heel_pad_secant_stiffness_N_m", "heel_pad_exponent"})
    if (!sh[key]) throw InputError(shoes + ": " + key + " is missing (the runner's heel pad under every shoe; see scripts/fit_heel_interface.py)");
  for (const auto& f : {runner, surfaces, shoes}) lib.files.emplace_back(f, Sha256File(f));
  return lib;
}
}  // namespace

std::string DefaultModelsDir() {
  if (const char* env = std::getenv("STRIDELOAD_MODELS_DIR")) return env;
  return STRIDELOAD_MODELS_DIR;
}

double WornShoeStiffness(const Library& lib, const ShoeSpec& shoe, double wear_km) {
  return shoe.secant_stiffness_N_m * (1.0 + lib.wear_stiffening_per_500km * std::min(std::max(wear_km, 0.0), 800.0) / 500.0);
}

}  // namespace sl
