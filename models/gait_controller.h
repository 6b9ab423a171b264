// Gait and posture control of the running model (forward dynamics, nothing prescribed):
// - each leg alternates stance and swing, detected from its ground force;
// - swing: a servo places the foot for touchdown (Raibert: half the contact length ahead of
//   the hip plus a speed correction plus the scenario's overstride), the leg shortens for
//   clearance (knee flexion) and re-extends before touchdown, the foot is pitched for the
//   scenario's foot strike;
// - stance: the leg spring carries the body; after mid-stance its rest length grows by the
//   thrust that keeps the step period at the cadence; the hip holds the pelvis at the
//   scenario's tilt (torque through the leg strut into the ground);
// - trunk: erector spinae, multifidus, rectus abdominis, obliques and psoas hold the upper
//   trunk at its lean on the pelvis, on top of a co-contraction set by core_strength. Their
//   tensions are line-element controls, so they load the discs.
#pragma once

#include <array>
#include <vector>

#include "models/running_model.h"
#include "sim/data.h"

namespace sl {

struct GaitEvent {
  int side;        ///< 0 left, 1 right
  bool touchdown;  ///< false: toe-off
  double t_s;
};

struct GaitState {
  struct Leg {
    bool stance = false;
    double t_touchdown_s = -1e3, t_toeoff_s = -1e3;  ///< last events (s)
    Vec3 p_toeoff_rel_W = Vec3::Zero();  ///< ankle relative to the hip at toe-off (m)
    double unloaded_since_s = -1;  ///< start of the current unloaded interval in stance (s)
    double rest_at_touchdown_m = 0;  ///< leg rest length when the foot landed (m)
    double touchdown_ahead_m = 0.3;  ///< how far ahead of the hip the foot landed (m)
    double t_max_compression_s = -1e3;  ///< time of the leg's maximum compression in this stance (s)
    double step_s = 0;    ///< duration of the last step this leg's push-off produced (s)
  };
  std::array<Leg, 2> leg;
  double mean_touchdown_ahead_m = 0;  ///< running mean of the legs' landing distances (m), from the first landing
  bool landed_once = false;           ///< a foot has landed (mean_touchdown_ahead_m holds a value)
  double thrust_m = 0;            ///< common stance-leg lengthening after mid-stance (m); starts at thrust_initial_m
  double placement_offset_m = 0;  ///< integral speed correction of the foot placement
  double contact_time_s = 0.24;   ///< running average of the measured contact times (s)
  double last_touchdown_s = -1;
  double x_last_touchdown_m = 0;
  int steps = 0;
  std::vector<GaitEvent> events;
  Vec3 residual_torque_W = Vec3::Zero();  ///< pelvis residual torque applied this period (N·m)
  Vec3 residual_force_W = Vec3::Zero();   ///< pelvis residual force (N)
  Vec3 p_com_W = Vec3::Zero();            ///< whole-body centre of mass at the last update (m)
  double z_com_filtered_m = 0, vz_com_filtered_m_s = 0;  ///< step-averaged COM height and rate
  double t_last_update_s = -1;  ///< time of the last UpdateControl call (s; -1 before the first)
};

/// Sets every control in data for the current state (line tensions, rest lengths, body
/// wrenches) and updates the gait state (events, regulators).
void UpdateControl(const RunningModel& rm, Data& d, GaitState& gs);

/// Places the model at the apex of a flight phase running at the scenario's speed, right
/// foot ready to land, left foot in mid-swing.
void SetInitialRunningState(const RunningModel& rm, Data& d, GaitState& gs);

}  // namespace sl
