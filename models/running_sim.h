// Simulating one running scenario: the model, its controller, the sampled outputs and the
// per-step metrics (averaged over the steady-state steps after the warm-up).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "models/gait_controller.h"
#include "models/running_model.h"
#include "sim/integrator.h"

namespace sl {

/// Mean and standard deviation across steady-state steps (NaN-free: count 0 -> 0, 0).
struct Stat {
  double mean = 0, sd = 0;
  int count = 0;
};

struct SideMetrics {
  Stat impact_peak_bw, active_peak_bw, loading_rate_bw_s, contact_time_s, braking_peak_bw, propulsive_peak_bw;
  Stat impact_time_s;              ///< time of the impact peak after touchdown (steps that have one)
  Stat braking_end_fraction;       ///< share of stance at which the AP force turns from braking to propulsion
  /// Time integrals of the backward (braking) and forward (propulsive) GRF over the stance
  /// (BW·s, both positive; Heiderscheit 2011 reports the braking impulse).
  Stat braking_impulse_bw_s, propulsive_impulse_bw_s;
  /// Horizontal foot-landing distance: the ankle ahead of the whole-body centre of mass when
  /// the foot starts to load (m; Lieberman 2015, Heiderscheit 2011 measure it to the heel).
  Stat landing_distance_m;
  double impact_peak_fraction = 0;  ///< share of steps with a distinct impact peak
};

struct Metrics {
  int steps = 0;                              ///< steady-state steps measured
  SideMetrics both, left, right;
  std::array<Stat, 6> peak_compression_bw;   ///< per level, L5_S1 .. T12_L1
  std::array<Stat, 6> peak_ap_shear_bw, peak_lateral_shear_bw;
  std::array<Stat, 6> peak_flexion_moment_bw_m, peak_lateral_moment_bw_m, peak_torsion_moment_bw_m;
  Stat peak_compression_bw_max;              ///< max over levels, per step
  double steps_per_km = 0;
  double lumbar_damage_index_per_km = 0;     ///< LiFFT-style cumulative damage index (not a diagnosis)
  double lumbar_damage_index_per_week = 0;
  double peak_compression_ratio_ultimate = 0;  ///< mean peak L5/S1 compression / 5 kN reference strength
  double mean_speed_m_s = 0;     ///< of the whole-body centre of mass over the measured steps (m/s)
  double cadence_steps_min = 0;  ///< measured over the same steps
  /// Measured steps that break the alternating running gait (see CountIrregularSteps): their
  /// metrics come from a stumble, not from steady running.
  int irregular_steps = 0;
  /// Step-to-step variation of the measured steps' durations (touchdown to next touchdown,
  /// either foot): standard deviation / mean. The model is deterministic, so steady running on
  /// flat ground is periodic (0.001-0.01 for most bundled scenarios); a limp, in which long
  /// and short steps alternate, shows as several hundredths (see StepTimeVariation).
  double step_time_cv = 0;
  /// Pelvis residual actuators over the measured steps (to check they stay small against
  /// the ground reaction force, as in OpenSim RRA practice): RMS and peak force (BW) and
  /// moment (BW·m).
  double residual_force_rms_bw = 0, residual_force_peak_bw = 0;
  /// Mean forward residual force (BW, signed): the propulsion that the residual, not the legs,
  /// supplies; near 0 when the runner holds the scenario's speed on its own.
  double residual_forward_mean_bw = 0;
  double residual_moment_rms_bw_m = 0, residual_moment_peak_bw_m = 0;
};

/// Time series sampled at the scenario's output rate.
struct TimeSeries {
  std::vector<double> time_s;
  std::array<std::vector<Vec3>, 2> grf_W;          ///< left, right (N)
  std::array<std::vector<Vec3>, 6> joint_force;    ///< per level: compression, AP shear, lateral shear (N)
  std::array<std::vector<Vec3>, 6> joint_moment;   ///< flexion(+)/extension, lateral bending, torsion (N·m)
  std::vector<std::vector<double>> muscle_tension; ///< [muscle][sample] (N)
  std::vector<std::vector<Vec3>> body_position;    ///< [body][sample] (m)
  std::vector<std::vector<Quat>> body_orientation; ///< [body][sample]
  std::vector<Vec3> pelvis_acc_W, hat_acc_W;        ///< (m/s²)
  /// Largest deflection over the foot's points (m): the shoe's midsole, the runner's heel pad
  /// under it, and the surface. Midsole + pad is the shoe layer's deflection (shoes.yaml).
  std::array<std::vector<double>, 2> shoe_deflection_m, heel_pad_deflection_m, surface_deflection_m;
  /// Centre of pressure of each foot (m, world): its contact points weighted by their normal
  /// force; while the foot carries 1 N or less, the sole point below the ankle.
  std::array<std::vector<Vec3>, 2> cop_W;
};

struct RunResult {
  std::string status = "ok";   ///< "ok" or "failed"
  std::string reason;          ///< why it failed
  TimeSeries series;
  std::vector<GaitEvent> events;
  Metrics metrics;
  double simulated_s = 0;
  long steps = 0;              ///< integrator steps
};

/// The running model's integrator: semi-implicit Euler at 5e-5 s, with which its validation
/// was done. (The engine's default, implicit-damping Verlet, leaves the muscles' and legs'
/// damping explicit and has not been validated on this model yet.)
inline IntegratorOptions RunningModelIntegrator() {
  IntegratorOptions o;
  o.kind = IntegratorKind::kSemiImplicitEuler;
  o.step_s = 5e-5;
  return o;
}

/// Options that are not part of the scenario.
struct SimulationOptions {
  IntegratorOptions integrator = RunningModelIntegrator();
  double control_period_s = kControlPeriodS;  ///< controller and metric sampling period (s)
  bool keep_series = true;         ///< false: metrics only (less memory)
};

/// Steps that break the alternating running gait, over the touchdowns from index `first` that
/// have a next touchdown (the measured steps): a touchdown on the same foot as the touchdown
/// before it, or a stance longer than 1.5 step periods (the runner stumbled).
int CountIrregularSteps(const std::vector<GaitEvent>& events, double step_period_s, size_t first);

/// Standard deviation / mean of the durations of the measured steps (touchdown to the next
/// touchdown, over the touchdowns from index `first` that have a next one); 0 with fewer than
/// two steps.
double StepTimeVariation(const std::vector<GaitEvent>& events, size_t first);

/// Runs the scenario. Never throws for run-time failures: they are reported in status/reason.
/// Throws InputError before running if opt.control_period_s is too long for the controller's
/// explicit foot damping (c x period / I_foot must stay below 2).
RunResult SimulateRunning(const RunningModel& rm, const SimulationOptions& opt = {});

}  // namespace sl
