// The running model: pelvis (with the thighs), L5..L1, upper trunk (HAT) and two spring-mass
// legs with a lower mass at each ankle (shank, and under it the foot on a ball joint), built
// from the parameter library and a scenario.
// Every scenario factor enters through its mechanism: lean and pelvic tilt set the posture
// and the disc orientations (Legaye: SS moves with the pelvis), shoe and surface set the
// series layers at each contact point, the leg stiffness adapts to them (Ferris 1999),
// camber tilts the ground, an uneven trail is a seeded height field.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "models/library.h"
#include "models/scenario.h"
#include "sim/model.h"

namespace sl {

enum class MuscleGroup { kErectorSpinae, kMultifidus, kRectusAbdominis, kObliques, kPsoas };
const char* MuscleGroupName(MuscleGroup g);

struct MuscleInfo {
  int line = -1;           ///< index in Model::lines
  MuscleGroup group;
  int side = 0;            ///< +1 left, -1 right, 0 midline
  double moment_arm_m = 0; ///< sagittal moment arm at L5/S1 in the built posture
};

/// Controller gains and set points (runner.yaml control.*, SI units).
struct ControlGains {
  double speed_gain_s, speed_integral_m_per_m_s, lateral_gain_s, swing_stiffness_N_m, swing_damping_Ns_m;
  double pelvis_pitch_k, pelvis_pitch_c, pelvis_roll_k, pelvis_roll_c, pelvis_yaw_k, pelvis_yaw_c;
  double trunk_pitch_k, trunk_pitch_c, trunk_roll_k, trunk_roll_c;
  double co_contraction_N;  ///< baseline tension of each trunk muscle (deep ones x deep_fraction)
  double deep_fraction;     ///< core_strength: activity of the deep stabilisers relative to normal
  double multifidus_extension_share;  ///< share of the trunk extensor moment the multifidus carry at a normal core (1)
  double foot_flight_k, foot_flight_c, ankle_stance_k, ankle_stance_c;
  double thrust_gain, thrust_min_m, thrust_max_m, touchdown_sink_speed_m_s, retraction_fraction;
  double thrust_initial_m;  ///< stance leg lengthening after mid-stance on the first step (m)
  double thrust_symmetry_gain;  ///< m of thrust per s of a leg's step-time excess over the two legs' mean
  double thrust_landing_gain;   ///< m of thrust per m the leg landed closer than the running mean landing distance (control.thrust_landing_gain_per_froude x FroudeNumber)
  double swing_clearance_m;         ///< ankle lift in mid-swing (knee flexion)
  double extension_lead_s, extension_time_s;
  double knee_damping_ratio;        ///< damping of the swinging lower mass on the leg spring
  double landing_flex_height_m;     ///< pre-landing knee flexion starts this high above the ground (m)
  double landing_flex_ratio;        ///< leg shortening per metre of foot descent in that zone (m/m)
  double contact_time_smoothing;    ///< weight of the newest contact in the planning contact time
  double settle_fraction;           ///< share of the contact time over which the leg re-extends after landing
  double liftoff_distance_ratio;    ///< lift-off once the foot is this share of its landing distance behind the hip
  double psoas_tone_N;              ///< psoas tension from hip-flexor tightness at this pelvic tilt
  double step_width_m;
  double residual_k, residual_c, residual_lateral_k, residual_lateral_c, residual_speed_Ns_m, residual_vertical_Ns_m;
  double residual_vertical_filter_steps;  ///< time constant of the vertical residual's COM-rate filter (step periods)
};

struct RunningModel {
  std::shared_ptr<const Model> model;
  Scenario scenario;
  // bodies
  BodyIndex pelvis = -1, hat = -1;
  std::array<BodyIndex, 5> vertebra{};  ///< L5, L4, L3, L2, L1
  std::array<BodyIndex, 2> ankle{};     ///< lower leg (shank) at the ankle: the leg spring's end; 0 left, 1 right
  std::array<BodyIndex, 2> sole{};      ///< the foot under it (contacts), on a ball joint at the ankle
  std::array<int, 2> ankle_bushing{};   ///< the ball joint (translational bushing)
  std::array<int, 2> shank_orientation_bushing{};  ///< rotational tie of each lumped shank to the pelvis
  /// Shank soft tissue (wobbling mass) hung on each shank, -1 when runner.yaml's share is 0.
  std::array<BodyIndex, 2> soft_tissue{-1, -1};
  // elements
  std::array<int, 6> level_bushing{};   ///< L5_S1 .. T12_L1
  std::array<std::string, 6> level_names;
  std::array<int, 2> leg_line{};        ///< hip -> ankle spring of each leg
  /// [side][heel medial, heel lateral, forefoot medial, forefoot lateral]: the pairs give the
  /// foot its width (roll support and a friction couple against spinning on the heel).
  std::array<std::array<int, 4>, 2> foot_contacts{};
  std::vector<MuscleInfo> muscles;
  ControlGains gains;
  double oblique_lateral_arm_m = 0.12;
  // geometry (body frames)
  std::array<Vec3, 2> p_PHip_P;         ///< hip joint centres in the pelvis frame
  Quat q_WP_target;                     ///< pelvis orientation at the scenario's tilt
  Quat q_PH_neutral;                    ///< HAT orientation relative to the pelvis at the scenario's lean
  // derived numbers (SI)
  double body_weight_N = 0;
  double leg_stiffness_N_m = 0;         ///< after surface/shoe adaptation
  double leg_rest_length_m = 0;         ///< hip to ankle
  double hip_height_m = 0;              ///< standing hip height
  double lower_mass_kg = 0;
  double step_period_s = 0;             ///< 60 / cadence
  double strike_pitch_rad = 0;          ///< foot sole angle at touchdown, toe up positive
  double shoe_heel_secant_N_m = 0;     ///< heel layer (heel pad + midsole) F/d at the reference force, worn
  double shoe_exponent = 1.5;          ///< that layer's stiffness exponent
  double heel_pad_secant_N_m = 0;      ///< the heel pad alone at the reference force (shoes.yaml)
  double heel_pad_exponent = 7.0;
  double shoe_reference_force_N = 1500;
  double surface_stiffness_N_m = 0;
  double camber_rad = 0;
  double sacral_slope_rad = 0;
  double lumbar_lordosis_rad = 0;
  std::array<double, 6> disc_angle_rad{};  ///< forward tilt of each disc normal from vertical
  /// Initial pose of every body at the built posture (hips at the origin's height).
  std::vector<Vec3> p_WB0;
  std::vector<Quat> q_WB0;
};

/// Builds and validates the model; throws InputError for unknown surface or shoe names or
/// parameters out of range. A scenario that asks for its preferred cadence gets it here
/// (rm.scenario.cadence_steps_min holds the rate used).
RunningModel BuildRunningModel(const Library& lib, const Scenario& scenario);

/// How a deflection d of the shoe's heel layer (m) splits between the heel pad and the
/// midsole: the pad carries the layer's elastic force on its own law (shoes.yaml
/// heel_pad_*), the midsole the rest. Returns the pad's share (m, 0..d); barefoot, the
/// whole layer is the pad.
double HeelPadDeflection(const RunningModel& rm, double d_m);

/// The scenario's Froude number v^2 / (g L), L the hip height standing (Alexander & Jayes
/// 1983: runners of any size move alike at equal Froude numbers; 1.34 for the 1.75 m
/// baseline at 3.5 m/s).
double FroudeNumber(const RunningModel& rm);

}  // namespace sl
