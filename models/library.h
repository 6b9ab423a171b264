// The parameter library of the running model, read from models/data/*.yaml: body and spine
// (runner.yaml), surfaces (surfaces.yaml) and shoes (shoes.yaml). SI units; each number's
// source is documented next to it in the YAML files.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

namespace sl {

/// The running controller's update period (s): SimulationOptions' default, and the period
/// against which runner.yaml's explicit controller gains are checked for stability.
inline constexpr double kControlPeriodS = 5e-4;

struct SurfaceSpec {
  std::string name;
  double stiffness_N_m = 0;
  double damping_ratio = 0;
  double camber_deg = 0;
  double roughness_m = 0;
  double roughness_wavelength_m = 0.4;
};

struct ShoeSpec {
  std::string name;
  double secant_stiffness_N_m = 0;  ///< heel F/d at the reference force
  double exponent = 1.5;
  double damping = 0;               ///< N·s/m^(q+1)
  double damping_exponent = 0.73;
  double forefoot_stiffness_factor = 1.5;
  double mass_kg = 0;
  double wear_km = 0;               ///< default wear of the preset
};

/// Every number of runner.yaml, already converted to SI and radians.
struct RunnerParams {
  double ref_mass_kg = 70, ref_height_m = 1.75;
  // segments
  double hat_mass_kg, hat_com_above_t12l1_m, hat_com_anterior_m;
  std::array<double, 3> hat_inertia;
  double pelvis_mass_kg, pelvis_com_above_hips_m, pelvis_com_posterior_m;
  std::array<double, 3> pelvis_inertia;
  std::array<double, 5> vertebra_mass_kg;               ///< L5, L4, L3, L2, L1
  std::array<std::array<double, 3>, 5> vertebra_inertia;
  double vertebra_com_anterior_m;
  double leg_mass_kg, lower_mass_fraction, thigh_com_below_hip_m;
  std::array<double, 3> thigh_inertia, foot_inertia, sole_inertia;
  double foot_mass_fraction, ankle_joint_stiffness_N_m, ankle_joint_damping_Ns_m;
  double ankle_roll_yaw_stiffness_Nm_rad;  ///< foot roll/yaw against the shank (N·m/rad at the reference body)
  double ankle_roll_yaw_damping_Nms_rad;   ///< (N·m·s/rad)
  double shank_soft_tissue_share;          ///< share of the lower mass that wobbles on the shank (0..0.9)
  double shank_soft_tissue_stiffness_N_m, shank_soft_tissue_damping_Ns_m;
  double hip_width_m, leg_length_m, ankle_height_m, heel_behind_ankle_m, forefoot_ahead_of_ankle_m, forefoot_width_m, heel_width_m;
  double sole_friction_coefficient;  ///< Coulomb friction of each sole contact point (-)
  double sole_slip_damping_Ns_m;     ///< damper beside the stick spring (or, without it, the viscous
                                     ///< regularisation at low slip), per contact point (N·s/m)
  double sole_tangential_stiffness_N_m;  ///< stick spring to the touchdown anchor, per contact point (N/m);
                                         ///< 0: regularised Coulomb friction
  // spine
  double l5s1_above_hips_m, l5s1_posterior_of_hips_m;
  std::array<double, 5> disc_spacing_m;
  std::array<std::string, 6> levels;
  std::array<double, 6> segmental_lordosis_rad, flexion_distribution;
  double running_lordosis_factor, sacral_slope_standing_rad, reference_pelvic_tilt_rad, thoracic_offset_rad;
  std::array<double, 6> disc_axial_stiffness_N_m;
  double disc_axial_damping_Ns_m, disc_shear_stiffness_N_m, disc_shear_damping_Ns_m;
  double disc_flex_ext_Nm_rad, disc_lat_bend_Nm_rad, disc_axial_rot_Nm_rad, disc_rot_damping_Nms_rad;
  double disc_tension_ratio;
  std::array<double, 3> disc_preload_N, disc_preload_factor;
  double active_stiffness_per_core;
  // muscles
  double es_arm_m, es_lateral_m, mf_arm_m, ra_arm_m, obl_anterior_m, obl_lateral_m, psoas_anterior_m,
      psoas_lateral_m, muscle_stiffness_N_m, muscle_damping_Ns_m;
  // legs
  double leg_dimensionless_stiffness, leg_damping_ratio, step_width_m;
  double leg_stiffness_cadence_exponent;             ///< leg stiffness ~ (cadence / reference)^exponent (1)
  double leg_stiffness_reference_cadence_steps_min;  ///< cadence at which dimensionless_stiffness holds (steps/min)
  // self-selected step rate (runner.yaml preferred_cadence; see PreferredCadence)
  double cadence_intercept_steps_min;      ///< at the reference height: cadence at 0 m/s of the linear fit (steps/min)
  double cadence_slope_steps_min_per_m_s;  ///< at the reference height: rise per m/s (steps/min per m/s)
  double cadence_reference_height_m;       ///< stature the fit holds for (m)
  // control
  std::map<std::string, double> control;  ///< control.* gains by name (SI; *_deg keys in rad)
  std::map<std::string, double> strike_pitch_rad;  ///< by foot-strike name

  double Control(const std::string& key) const;
};

struct Library {
  RunnerParams runner;
  std::map<std::string, SurfaceSpec> surfaces;
  std::map<std::string, ShoeSpec> shoes;
  double shoe_reference_force_N = 1500;
  double wear_stiffening_per_500km = 0.44;
  /// The runner's heel pad, the first part of every shoe's heel layer (shoes.yaml): its
  /// secant stiffness at the reference force (N/m) and exponent. Used to report how the
  /// layer's deflection splits between the pad and the midsole.
  double heel_pad_secant_N_m = 0;  ///< required in shoes.yaml
  double heel_pad_exponent = 0;    ///< required in shoes.yaml
  /// Files read, with their SHA-256 (provenance for results files).
  std::vector<std::pair<std::string, std::string>> files;
};

/// Reads runner.yaml, surfaces.yaml and shoes.yaml from dir; throws InputError naming the
/// file, line, key and value of any problem.
Library LoadLibrary(const std::string& dir);

/// The folder of the bundled data files (models/data in the source tree, set by CMake), or
/// STRIDELOAD_MODELS_DIR.
std::string DefaultModelsDir();

/// The step rates a scenario may ask for (steps/min).
inline constexpr double kMinCadenceStepsMin = 130, kMaxCadenceStepsMin = 220;

/// Self-selected step rate (steps/min) of a runner of height_m (m) at speed_m_s (m/s): the
/// linear fit of runner.yaml's preferred_cadence at its reference height, scaled to other
/// heights by dynamic similarity (equal Froude number v^2 / (g L) gives equal
/// f sqrt(L / g)), held to kMinCadenceStepsMin..kMaxCadenceStepsMin.
double PreferredCadence(const RunnerParams& r, double speed_m_s, double height_m);

struct Scenario;
/// If the scenario asks for its preferred step rate, sets its cadence_steps_min to
/// PreferredCadence for its speed and height (otherwise leaves it unchanged).
void ResolvePreferredCadence(const Library& lib, Scenario& s);

/// Secant heel stiffness of a shoe after wear_km of use (N/m).
double WornShoeStiffness(const Library& lib, const ShoeSpec& shoe, double wear_km);

}  // namespace sl
