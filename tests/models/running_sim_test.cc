// Oracles: published directions of change (data sheet sections 1, 4, 5, 7 and validation
// targets V3, V7), reproduced by the model's mechanics. The absolute ranges (V1-V5, V17) are
// not all met yet; `strideload validate` reports them.
#include "models/running_sim.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/gait_controller.h"
#include "models/yaml_util.h"
#include "sim/dynamics.h"
#include "sim/integrator.h"

#include <gtest/gtest.h>

namespace sl {
namespace {

const Library& Lib() {
  static const Library lib = LoadLibrary(DefaultModelsDir());
  return lib;
}

Metrics Simulate(Scenario s, int strides = 4) {
  s.strides = strides;
  s.warmup_strides = 2;
  SimulationOptions opt;
  opt.keep_series = false;
  const RunResult r = SimulateRunning(BuildRunningModel(Lib(), s), opt);
  EXPECT_EQ(r.status, "ok") << s.name << ": " << r.reason;
  return r.metrics;
}

TEST(RunningSim, BaselineRunsSteadilyAtTheRequestedCadence) {
  const Metrics m = Simulate(Scenario{});
  EXPECT_EQ(m.steps, 8);
  EXPECT_NEAR(m.cadence_steps_min, 170.0, 15.0);
  // V3: contact time 0.20-0.27 s (Cavanagh & Lafortune 1980; Munro 1987).
  EXPECT_GE(m.both.contact_time_s.mean, 0.20);
  EXPECT_LE(m.both.contact_time_s.mean, 0.27);
  // V1: a distinct impact peak of 1.5-2.2 BW for a rearfoot strike.
  EXPECT_GE(m.both.impact_peak_bw.mean, 1.5);
  EXPECT_LE(m.both.impact_peak_bw.mean, 2.2);
  for (int l = 0; l < 6; ++l) EXPECT_TRUE(std::isfinite(m.peak_compression_bw[l].mean));
  EXPECT_EQ(m.irregular_steps, 0);  // steady running: every step alternates, no stumble
  EXPECT_LT(m.step_time_cv, 0.01);  // and is periodic (deterministic, flat ground)
}

// Oracle: the stability bound of explicit damping held over a period, c dt / I < 2. The
// foot's smallest inertia is 0.004 kg·m^2 at the reference body (runner.yaml), so at 1 ms the
// bound is 8 N·m·s/rad, below the stance damping of 15: refused before running. At the
// default 0.5 ms it is 16: the baseline runs (the test above).
TEST(RunningSim, AControlPeriodTooLongForTheFootDampingIsAnInputError) {
  SimulationOptions opt;
  opt.control_period_s = 1e-3;
  try {
    SimulateRunning(BuildRunningModel(Lib(), Scenario{}), opt);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("ankle_stance_damping_Nms_rad"), std::string::npos) << what;
    EXPECT_NE(what.find("below 8 N"), std::string::npos) << what;
  }
}

TEST(RunningSim, IrregularStepsAreCountedFromTheEvents) {
  // Hand-made events at a 0.35 s step period (the threshold for a stumble is 0.525 s): left,
  // right, right again (same foot), left with a 0.75 s stance (stumble), right, left.
  const std::vector<GaitEvent> ev = {
      {0, true, 0.00}, {0, false, 0.20}, {1, true, 0.35}, {1, false, 0.55}, {1, true, 0.70},
      {1, false, 0.90}, {0, true, 1.05}, {0, false, 1.80}, {1, true, 1.90}, {1, false, 2.10},
      {0, true, 2.25}};
  EXPECT_EQ(CountIrregularSteps(ev, 0.35, 0), 2);
  EXPECT_EQ(CountIrregularSteps(ev, 0.35, 3), 1);  // from the fourth touchdown on: the stumble
  EXPECT_EQ(CountIrregularSteps(ev, 0.60, 0), 1);  // 0.75 s < 0.9 s: only the same-foot step
}

TEST(RunningSim, StepTimeVariationIsTheStepDurationsSdOverTheirMean) {
  // Hand-derived: touchdowns every 0.35 s vary by 0; steps alternating 0.30 and 0.40 s (a
  // limp) have mean 0.35 s and SD 0.05 s, so 1/7; the steps before index `first` (warm-up)
  // are left out.
  std::vector<GaitEvent> even, limp;
  for (int k = 0; k < 8; ++k) even.push_back({k % 2, true, 0.35 * k});
  double t = 0;
  for (int k = 0; k < 9; ++k) {
    limp.push_back({k % 2, true, t});
    limp.push_back({k % 2, false, t + 0.2});
    t += k < 2 ? 0.9 : (k % 2 ? 0.30 : 0.40);
  }
  EXPECT_NEAR(StepTimeVariation(even, 0), 0.0, 1e-12);
  EXPECT_NEAR(StepTimeVariation(limp, 2), 1.0 / 7.0, 1e-12);
  EXPECT_GT(StepTimeVariation(limp, 0), 0.3);  // the long warm-up steps counted
  EXPECT_EQ(StepTimeVariation(even, 6), 0.0);  // one step only
}

// A short baseline run that keeps its time series, for oracles computed from stored samples.
struct SeriesRun {
  RunningModel rm;
  RunResult r;
  std::vector<GaitEvent> touchdowns;
  double mass_kg = 0;  ///< all bodies, shoes included
  /// The nearest stored sample at or after t (the last but one if t is past the record's end,
  /// so that a central difference still fits).
  size_t Index(double t) const {
    const auto& ts = r.series.time_s;
    const size_t i = static_cast<size_t>(std::lower_bound(ts.begin(), ts.end(), t) - ts.begin());
    return std::min(ts.size() - 2, i);
  }
  double ComX(size_t i) const {
    double mx = 0;
    for (int b = 0; b < rm.model->nbody(); ++b) mx += rm.model->bodies[b].mass_kg * r.series.body_position[b][i].x();
    return mx / mass_kg;
  }
};

SeriesRun RunWithSeries(int strides, double output_rate_hz = 1000, Scenario s = {}, const Library& lib = Lib()) {
  s.strides = strides;
  s.warmup_strides = 2;
  s.output_rate_hz = output_rate_hz;
  SeriesRun run{BuildRunningModel(lib, s), {}, {}, 0};
  run.r = SimulateRunning(run.rm);
  EXPECT_EQ(run.r.status, "ok") << run.r.reason;
  for (const GaitEvent& e : run.r.events)
    if (e.touchdown) run.touchdowns.push_back(e);
  for (const Body& b : run.rm.model->bodies) run.mass_kg += b.mass_kg;
  return run;
}

TEST(RunningSim, MeasuredSpeedIsTheCentreOfMassSpeed) {
  // Oracle: the whole-body centre of mass from the stored body positions, between the first
  // measured touchdown and the last touchdown (the metric's interval), over the elapsed time.
  const SeriesRun run = RunWithSeries(4);
  ASSERT_GT(run.touchdowns.size(), 5u);
  const size_t a = run.Index(run.touchdowns[4].t_s), b = run.Index(run.touchdowns.back().t_s);
  const double expected = (run.ComX(b) - run.ComX(a)) / (run.r.series.time_s[b] - run.r.series.time_s[a]);
  EXPECT_NEAR(run.r.metrics.mean_speed_m_s, expected, 0.035);
}

TEST(RunningSim, LandingDistanceIsTheAnkleAheadOfTheCentreOfMassAtTouchdown) {
  // Oracle: the stored ankle and body positions at each measured touchdown event (the metric
  // takes the first loaded sample, at most a few ms earlier: the ankle and the centre of mass
  // then move apart by ~2 m/s, a few mm).
  const SeriesRun run = RunWithSeries(4);
  double sum = 0;
  int n = 0;
  for (size_t k = 4; k + 1 < run.touchdowns.size(); ++k) {
    const size_t i = run.Index(run.touchdowns[k].t_s);
    sum += run.r.series.body_position[run.rm.ankle[run.touchdowns[k].side]][i].x() - run.ComX(i);
    ++n;
  }
  const Stat& landing = run.r.metrics.both.landing_distance_m;
  ASSERT_EQ(n, landing.count);
  EXPECT_NEAR(landing.mean, sum / n, 0.01);
  // Spring-mass running lands the foot ahead of the body, by less than a leg length.
  EXPECT_GT(landing.mean, 0.1);
  EXPECT_LT(landing.mean, 0.6);
}

TEST(RunningSim, ForwardResidualClosesTheMomentumBalance) {
  // Oracle: linear momentum. Internal forces cancel and gravity is vertical, so over the
  // measured interval M (v_end - v_start) = integral of (GRF_x + residual_x) dt: the mean
  // forward residual is M dv/T minus the mean horizontal GRF (from the stored GRF and body
  // positions at 2 kHz).
  const SeriesRun run = RunWithSeries(6, 2000);
  const TimeSeries& ts = run.r.series;
  auto com_vx = [&](size_t i) { return (run.ComX(i + 1) - run.ComX(i - 1)) / (ts.time_s[i + 1] - ts.time_s[i - 1]); };
  const size_t a = run.Index(run.touchdowns[4].t_s), b = run.Index(run.touchdowns.back().t_s);
  double grf_x = 0;
  for (size_t i = a; i < b; ++i) grf_x += (ts.grf_W[0][i].x() + ts.grf_W[1][i].x()) * (ts.time_s[i + 1] - ts.time_s[i]);
  const double T = ts.time_s[b] - ts.time_s[a];
  const double predicted = (run.mass_kg * (com_vx(b) - com_vx(a)) - grf_x) / T / run.rm.body_weight_N;
  EXPECT_NEAR(run.r.metrics.residual_forward_mean_bw, predicted, 0.01);
}

TEST(RunningSim, BrakingAndPropulsiveImpulsesAddUpToTheHorizontalGrfImpulse) {
  // Oracle: the stored GRF at 2 kHz. Each measured stance is counted once, so over the
  // measured steps (touchdown k to the last touchdown, whose stance is outside) the sum of
  // (propulsive - braking) impulse per step is the integral of both feet's GRF_x (a foot in
  // the air carries none). Sampling at 2 kHz against the metric's 2 kHz control rate: the
  // two trapezoid sums agree to a fraction of a BW·ms per step.
  const SeriesRun run = RunWithSeries(6, 2000);
  const TimeSeries& ts = run.r.series;
  const Metrics& m = run.r.metrics;
  const size_t k = run.touchdowns.size() - static_cast<size_t>(m.steps) - 1;
  const size_t a = run.Index(run.touchdowns[k].t_s) - 4, b = run.Index(run.touchdowns.back().t_s) - 4;
  double grf_x = 0;
  for (size_t i = a; i < b; ++i)
    grf_x += 0.5 * (ts.grf_W[0][i].x() + ts.grf_W[1][i].x() + ts.grf_W[0][i + 1].x() + ts.grf_W[1][i + 1].x()) *
             (ts.time_s[i + 1] - ts.time_s[i]);
  const double per_step = grf_x / run.rm.body_weight_N / m.steps;
  EXPECT_NEAR(m.both.propulsive_impulse_bw_s.mean - m.both.braking_impulse_bw_s.mean, per_step, 1e-3);
  // Both are positive and each stance both brakes and propels.
  EXPECT_GT(m.both.braking_impulse_bw_s.mean, 0.005);
  EXPECT_GT(m.both.propulsive_impulse_bw_s.mean, 0.005);
  EXPECT_EQ(m.both.braking_impulse_bw_s.count, m.steps);
}

TEST(RunningSim, ImpactTimeAndBrakingEndAreMeasuredOnEveryStep) {
  // Definitions (running_sim.h): the impact time is that of the distinct impact peak, which is
  // searched within 60 ms of touchdown, so it exists exactly for the steps with an impact peak
  // and lies in (0, 60 ms]; every stance of a steady run brakes and then propels, so the
  // turn from braking to propulsion is found on every step, inside the stance.
  const Metrics m = Simulate(Scenario{});
  EXPECT_EQ(m.both.impact_time_s.count, m.both.impact_peak_bw.count);
  EXPECT_GT(m.both.impact_time_s.mean, 0.0);
  EXPECT_LE(m.both.impact_time_s.mean, 0.06);
  EXPECT_EQ(m.both.braking_end_fraction.count, m.steps);
  EXPECT_GT(m.both.braking_end_fraction.mean, 0.0);
  EXPECT_LT(m.both.braking_end_fraction.mean, 1.0);
}

TEST(RunningSim, FasterRunningRaisesPeaksAndShortensContact) {
  // V7 over the range, 2.5 -> 5.0 m/s: Keller 1996, Mercer 2005, Munro 1987; at the
  // baseline's 170 steps/min and at the self-selected rate of each speed (156 -> 185).
  // Mercer 2005: gaining speed by stride length alone raises the impact peak steeply, by
  // stride frequency alone not at all (-0.003 BW per m/s); the self-selected rate does some
  // of both, so its impact peak rises less per m/s than at a fixed rate. (Its slope against
  // Mercer's 0.178 +- 0.16 BW per m/s is `validate`'s row: 0.42, above the range, since the
  // 2.5 m/s steps became periodic in session 15; docs/validation.md.)
  double slope[2];
  for (bool preferred : {false, true}) {
    Scenario slow, fast;
    slow.speed_m_s = 2.5;
    fast.speed_m_s = 5.0;
    slow.cadence_preferred = fast.cadence_preferred = preferred;
    const Metrics a = Simulate(slow), b = Simulate(fast);
    EXPECT_GT(b.both.impact_peak_bw.mean, a.both.impact_peak_bw.mean) << preferred;
    EXPECT_GT(b.both.active_peak_bw.mean, a.both.active_peak_bw.mean) << preferred;
    EXPECT_LT(b.both.contact_time_s.mean, a.both.contact_time_s.mean) << preferred;
    slope[preferred] = (b.both.impact_peak_bw.mean - a.both.impact_peak_bw.mean) / (b.mean_speed_m_s - a.mean_speed_m_s);
    if (preferred) {
      EXPECT_NEAR(b.cadence_steps_min - a.cadence_steps_min, 184.7 - 155.8, 3.0);  // measured rates
    }
  }
  EXPECT_LT(slope[1], slope[0] - 0.1);
}

TEST(RunningSim, SlowRunningStaysSteadyOverManyStrides) {
  // The speed range starts at 2.5 m/s. Regression: at 2.5 m/s and 160-170 steps/min
  // a long contact used to place the next foot further ahead, brake harder and lengthen the
  // contact again, until the runner fell after 9-21 steps. Oracle: the run completes, at the
  // requested cadence, with a longer contact than at 3.5 m/s (V7: contact time falls with speed).
  const Metrics base = Simulate(Scenario{});
  for (double cadence : {160.0, 170.0}) {
    Scenario slow;
    slow.speed_m_s = 2.5;
    slow.cadence_steps_min = cadence;
    const Metrics m = Simulate(slow, 12);
    EXPECT_GE(m.steps, 18) << cadence;
    EXPECT_NEAR(m.cadence_steps_min, cadence, 10.0);
    // It keeps running; the speed it settles at is measured, and is known to be below the
    // scenario's (validate's "running speed" row; about 2.0 m/s here).
    EXPECT_GT(m.mean_speed_m_s, 1.5);
    EXPECT_GT(m.both.contact_time_s.mean, base.both.contact_time_s.mean);
  }
}

TEST(RunningSim, SlowRunningIsPeriodic) {
  // A deterministic runner on flat ground at a constant speed and step rate has a periodic
  // gait: every step takes the same time. Oracle: the step times at 2.5 and 3.0 m/s (170
  // steps/min, 12 strides) vary by under 1 % of the step. Mechanism: the landing trim's gain
  // follows the Froude number (runner.yaml thrust_landing_gain_per_froude). Fixed at the
  // 0.7 m/m that short runners need at 5 m/s, it drove a two-stride swing of the step times
  // at 2.5 m/s (SD 11 ms, 3 % of the step, session 15): the test asserts it does so still.
  auto run = [](double speed, double landing_gain_per_froude) {
    Library lib = Lib();
    lib.runner.control["thrust_landing_gain_per_froude"] = landing_gain_per_froude;
    Scenario s;
    s.speed_m_s = speed;
    s.strides = 12;
    SimulationOptions opt;
    opt.keep_series = false;
    const RunResult r = SimulateRunning(BuildRunningModel(lib, s), opt);
    EXPECT_EQ(r.status, "ok") << speed;
    return r.metrics.step_time_cv;
  };
  const double per_froude = Lib().runner.control.at("thrust_landing_gain_per_froude");
  for (double speed : {2.5, 3.0}) EXPECT_LT(run(speed, per_froude), 0.01) << speed;
  Scenario slow;
  slow.speed_m_s = 2.5;
  EXPECT_GT(run(2.5, 0.7 / FroudeNumber(BuildRunningModel(Lib(), slow))), 0.02);
}

TEST(RunningSim, ForefootStrikeLowersTheLoadingRate) {
  // Issue 3 validation, Lieberman 2010 (via Daoud 2012): a forefoot strike loads more slowly
  // than a rearfoot strike and has no distinct impact peak. The mechanism: the light foot lands
  // first and the shank's momentum reaches the ground through the ankle, whose rotation the
  // plantarflexors resist, and through the shank's soft tissue. (With a rigid shank every
  // forefoot step showed a small impact peak.)
  Scenario rear, fore;
  fore.foot_strike = FootStrike::kForefoot;
  const Metrics a = Simulate(rear, 8), b = Simulate(fore, 8);
  EXPECT_LT(b.both.loading_rate_bw_s.mean, a.both.loading_rate_bw_s.mean);
  EXPECT_EQ(a.both.impact_peak_fraction, 1.0);
  // At most one step in sixteen (the first measured forefoot step, 2 strides after the start
  // on a rearfoot-like apex, still has one).
  EXPECT_LE(b.both.impact_peak_fraction, 0.1);
  // The pitched-down forefoot brushes the ground just after its lift-off; the controller must
  // not take that scuff for a landing (gait_controller.cc), or the gait breaks.
  EXPECT_EQ(b.irregular_steps, 0);
}

// Mean over the measured stances of the lowest vertical force (BW) between the impact peak
// (the first local maximum within 60 ms of touchdown) and the stance's highest force.
double MeanPostImpactValleyBw(const SeriesRun& run) {
  const auto& t = run.r.series.time_s;
  double sum = 0;
  int n = 0;
  for (size_t k = 4; k + 1 < run.touchdowns.size(); ++k) {
    const int side = run.touchdowns[k].side;
    const auto& f = run.r.series.grf_W[side];
    const size_t a = run.Index(run.touchdowns[k].t_s), b = run.Index(run.touchdowns[k + 1].t_s);
    size_t top = a;
    for (size_t i = a; i < b; ++i)
      if (f[i].z() > f[top].z()) top = i;
    size_t peak = 0;
    for (size_t i = a + 1; i < top && t[i] - t[a] < 0.06; ++i)
      if (f[i].z() > f[i - 1].z() && f[i].z() >= f[i + 1].z()) {
        peak = i;
        break;
      }
    if (peak == 0) continue;
    double low = f[peak].z();
    for (size_t i = peak; i <= top; ++i) low = std::min(low, f[i].z());
    sum += low / (run.mass_kg * 9.81);
    ++n;
  }
  EXPECT_GT(n, 4);
  return n > 0 ? sum / n : 0.0;
}

TEST(RunningSim, ShankSoftTissueLowersTheImpactPeakAndFillsTheValleyAfterIt) {
  // Oracle: Liu & Nigg 2000 (data sheet 3a): the impact peak rises with the rigid share of the
  // lower mass; with all of it rigid (share 0) the peak must be higher than with Liu & Nigg's
  // wobbling share (0.49). And the human vertical force falls only a little after the impact
  // peak before it rises to the active peak (Cavanagh & Lafortune 1980's curves): with a rigid
  // shank the foot's rebound left a dip to about 1.1 BW, the soft tissue's damper fills it.
  Library rigid_lib = Lib();
  rigid_lib.runner.shank_soft_tissue_share = 0;
  const SeriesRun soft = RunWithSeries(6, 1000), rigid = RunWithSeries(6, 1000, Scenario{}, rigid_lib);
  EXPECT_LT(soft.r.metrics.both.impact_peak_bw.mean, rigid.r.metrics.both.impact_peak_bw.mean - 0.1);
  const double valley_soft = MeanPostImpactValleyBw(soft), valley_rigid = MeanPostImpactValleyBw(rigid);
  EXPECT_GT(valley_soft, valley_rigid + 0.1);
  // The dip stays below the impact peak (a distinct impact peak) and above body weight.
  EXPECT_LT(valley_soft, soft.r.metrics.both.impact_peak_bw.mean);
  EXPECT_GT(valley_soft, 1.0);
}

TEST(RunningSim, ShortTallLightAndHeavyRunnersRunSteadily) {
  // Every body the scenario allows must run (issue 3: the baseline and every factor can be
  // simulated). Oracle: status ok, no irregular step, the cadence held. Until session 10 a
  // 1.55 m runner of 100 kg fell in the first stance, and with the shank's soft tissue 50 and
  // 70 kg fell too: the foot's stance damping, scaled like a stiffness, was too strong for a
  // short runner's foot under the 0.5 ms control period (the contact force chattered).
  // Since session 13 the whole grid of scenarios/sweep_bodies.yaml at 3.5 m/s (the README
  // says every one of these 35 bodies runs), 8 strides each.
  for (double mass : {30.0, 50.0, 70.0, 90.0, 110.0, 130.0, 150.0}) {
    for (double height : {1.4, 1.55, 1.75, 1.95, 2.1}) {
      Scenario s;
      s.body_mass_kg = mass;
      s.height_m = height;
      s.name = std::to_string(mass) + " kg, " + std::to_string(height) + " m";
      const Metrics m = Simulate(s, 8);
      EXPECT_EQ(m.irregular_steps, 0) << s.name;
      EXPECT_NEAR(m.cadence_steps_min, 170.0, 5.0) << s.name;
    }
  }
}

// A runner of the given body at 5 m/s, 3 warm-up strides, metrics only.
RunResult RunAtFiveMetresPerSecond(const Library& lib, double mass_kg, double height_m, int strides) {
  Scenario s;
  s.body_mass_kg = mass_kg;
  s.height_m = height_m;
  s.speed_m_s = 5.0;
  s.strides = strides;
  s.warmup_strides = 3;
  SimulationOptions opt;
  opt.keep_series = false;
  return SimulateRunning(BuildRunningModel(lib, s), opt);
}

// Expects a steady run (status ok, no irregular step, 170 steps/min held); label names it.
void ExpectSteadyAt170(const RunResult& r, const std::string& label) {
  EXPECT_EQ(r.status, "ok") << label << ": " << r.reason;
  EXPECT_EQ(r.metrics.irregular_steps, 0) << label;
  EXPECT_NEAR(r.metrics.cadence_steps_min, 170.0, 5.0) << label;
}

bool FellOrStumbled(const RunResult& r) { return r.status != "ok" || r.metrics.irregular_steps > 0; }

TEST(RunningSim, TheLandingTrimHoldsShortRunnersAtFiveMetresPerSecond) {
  // control.thrust_landing_gain_per_froude (gait_controller.cc): a leg that landed further ahead
  // than the running mean pushes less, which breaks the step-to-step loop of the 5 m/s limp
  // (a foot landing further ahead vaults more; the longer flight lands the next foot closer).
  // Oracle: 1.4 m runners of 90 and 150 kg at 5 m/s run 6 strides without an irregular step
  // with the trim; without it at least one falls or stumbles (session 14: every 1.4 m body of
  // scenarios/sweep_bodies.yaml falls without it, within the first three steps).
  const double gain = Lib().runner.control.at("thrust_landing_gain_per_froude");
  ASSERT_GT(gain, 0.0);
  auto run = [&](double g, double mass) {
    Library lib = Lib();
    lib.runner.control["thrust_landing_gain_per_froude"] = g;
    return RunAtFiveMetresPerSecond(lib, mass, 1.4, 6);
  };
  int failed_without = 0;
  for (double mass : {90.0, 150.0}) {
    ExpectSteadyAt170(run(gain, mass), std::to_string(mass) + " kg");
    failed_without += FellOrStumbled(run(0.0, mass));
  }
  EXPECT_GE(failed_without, 1);
}

TEST(RunningSim, TallHeavyRunnersKeepRunningAtFiveMetresPerSecond) {
  // Oracle: 150 kg runners of 1.95 and 2.1 m, who fell after 6-9 s of steady running at 5 m/s
  // while the swing servo's gains were fixed (scenarios/sweep_bodies.yaml, sessions 13-14),
  // run 12 strides with no irregular step at the scenario's cadence now that the gains scale
  // with body mass; with the fixed gains at least one falls again.
  auto run = [&](bool scaled, double height) {
    Library lib = Lib();
    if (!scaled) {
      lib.runner.control["swing_stiffness_N_m"] /= 150.0 / lib.runner.ref_mass_kg;
      lib.runner.control["swing_damping_Ns_m"] /= 150.0 / lib.runner.ref_mass_kg;
    }
    return RunAtFiveMetresPerSecond(lib, 150, height, 12);
  };
  int failed_fixed = 0;
  for (double height : {1.95, 2.1}) {
    ExpectSteadyAt170(run(true, height), std::to_string(height) + " m");
    failed_fixed += FellOrStumbled(run(false, height));
  }
  EXPECT_GE(failed_fixed, 1);
}

TEST(RunningSim, ThrustHoldsTheRequestedCadence) {
  // The thrust's purpose (gait_controller.cc): a per-step integral on the step period sets
  // the leg's lengthening after mid-stance, so that the flight gives the scenario's cadence.
  // Oracle: the scenario's cadence, at both ends of the bundled sweep's range. (The energy
  // balance used before session 8 ran 3.5 m/s at 163 and 187 steps/min for 160 and 180.)
  for (double cadence : {160.0, 180.0}) {
    Scenario s;
    s.cadence_steps_min = cadence;
    const Metrics m = Simulate(s, 6);
    EXPECT_NEAR(m.cadence_steps_min, cadence, 0.015 * cadence) << cadence;
  }
}

TEST(RunningSim, BarefootHeelStrikeHasAnImpactPeakAndAFasterLoadingRate) {
  // Lieberman 2010 (via Daoud 2012): a barefoot rearfoot strike has a distinct impact
  // transient of 1.5-2.5 BW, loading at 400-600 BW/s against 70-100 BW/s shod. Here the
  // transient can exceed the mid-stance (active) peak; the metrics must still report it as
  // the impact peak of every step, and the active peak as the mid-stance maximum after it
  // (before session 8 such a transient was taken for the active peak, and 94 % of the
  // barefoot steps had "no impact peak"). Oracle for the active peak: the shod runner's,
  // which the heel pad alone does not change by more than 10 %.
  Scenario shod, barefoot;
  shod.surface = barefoot.surface = "concrete";
  barefoot.shoe = "barefoot";
  const Metrics a = Simulate(shod), b = Simulate(barefoot);
  EXPECT_EQ(b.both.impact_peak_bw.count, b.steps);
  EXPECT_DOUBLE_EQ(b.both.impact_peak_fraction, 1.0);
  EXPECT_GE(b.both.impact_peak_bw.mean, 1.5);
  // Published 400-600 against 70-100 BW/s, at least 4 x; the model's barefoot heel strike
  // reaches about 2 x (168 against 84 BW/s on concrete, session 11), a documented gap
  // (docs/validation.md): the direction is asserted, with margin below the model's value.
  EXPECT_GT(b.both.loading_rate_bw_s.mean, 1.6 * a.both.loading_rate_bw_s.mean);
  EXPECT_NEAR(b.both.active_peak_bw.mean / a.both.active_peak_bw.mean, 1.0, 0.10);
}

TEST(RunningSim, ForwardLeanRaisesLumbarCompression) {
  // More lean moves the trunk's centre of mass forward: a larger extensor moment and compression.
  Scenario upright, lean;
  upright.trunk_lean_deg = 2;
  lean.trunk_lean_deg = 14;
  EXPECT_GT(Simulate(lean).peak_compression_bw[0].mean, Simulate(upright).peak_compression_bw[0].mean);
}

TEST(RunningSim, AnteriorPelvicTiltRaisesL5S1AnteriorShear) {
  // Legaye: more tilt, steeper sacral slope, more of the load resolved into AP shear.
  Scenario neutral, tilted;
  neutral.pelvic_tilt_deg = 10;
  tilted.pelvic_tilt_deg = 25;
  EXPECT_GT(Simulate(tilted).peak_ap_shear_bw[0].mean, Simulate(neutral).peak_ap_shear_bw[0].mean);
}

TEST(RunningSim, HigherCadenceLandsCloserBrakesLessAndLowersTheLoadingRate) {
  // Heiderscheit 2011 (+10 % step rate): shorter steps, less braking, less impact loading.
  // The mechanism is the stiffer leg of a higher step rate (Farley & Gonzalez 1996): a shorter
  // contact, so the foot is placed closer to the body.
  Scenario base, quick;
  quick.cadence_steps_min = 187;
  const Metrics b = Simulate(base), q = Simulate(quick);
  EXPECT_LT(q.both.landing_distance_m.mean, b.both.landing_distance_m.mean);
  EXPECT_LT(q.both.contact_time_s.mean, b.both.contact_time_s.mean);
  EXPECT_LT(q.both.braking_peak_bw.mean, b.both.braking_peak_bw.mean);
  EXPECT_LT(q.both.loading_rate_bw_s.mean, b.both.loading_rate_bw_s.mean);
}

TEST(RunningSim, OverstrideLandsTheFootFurtherAheadAndBrakesHarder) {
  // The scenario's mechanism: overstride_m is extra landing distance (ankle ahead of the
  // centre of mass at touchdown, as Lieberman 2015 measures it), so +0.10 m must move the
  // landing by about that much, not through a side effect. A foot further ahead meets the
  // ground on a more inclined leg and brakes harder (Lieberman 2015: landing distance
  // correlates with braking and impact loading).
  Scenario base, over;
  over.overstride_m = 0.10;
  // Averaged over 10 strides: over 2 measured strides the braking peak moves with the
  // step-to-step variation as much as with the overstride.
  const Metrics b = Simulate(base, 10), o = Simulate(over, 10);
  const double shift = o.both.landing_distance_m.mean - b.both.landing_distance_m.mean;
  EXPECT_GT(shift, 0.05);
  EXPECT_LT(shift, 0.15);
  // Brakes harder: a larger braking impulse (Heiderscheit 2011's measure). Not the braking
  // peak: in the model that is the landing transient (the foot meets the ground moving
  // forward, and a heel strike ends in a forefoot slap), which the leg's inclination barely
  // changes (docs/validation.md).
  EXPECT_GT(o.both.braking_impulse_bw_s.mean, 1.2 * b.both.braking_impulse_bw_s.mean);
}

TEST(RunningSim, SofterSurfaceLowersLoadingRate) {
  // Dixon 2000 (rubber-modified asphalt), Hardin 2004: compliant surfaces lower the loading rate.
  Scenario hard, soft;
  soft.surface = "grass";
  EXPECT_LT(Simulate(soft).both.loading_rate_bw_s.mean, Simulate(hard).both.loading_rate_bw_s.mean);
}

TEST(RunningSim, WornShoesLoadTheHeelFasterAndEarlier) {
  // A worn midsole is stiffer (data sheet P4; Cook 1985: shock absorption falls with mileage;
  // Verdejo & Mills 2004: peak plantar pressure +100 % after 500 km), so the heel loads
  // faster and the impact comes earlier (Lafortune 1996: softer interfaces lower the shank
  // shock, and the opposite for a harder one). The impact peak itself falls a little, with
  // the sign Baltich 2015 measured for harder midsoles (1.54 vs 1.70 BW); Wang 2010's +4.9 %
  // "peak force" after 500 km (abstract only) is not reproduced: docs/validation.md, session 9.
  Scenario fresh, worn;
  worn.shoe = "worn_neutral";
  worn.wear_km = 600;
  // A small effect against step-to-step variation: averaged over 10 strides.
  const Metrics a = Simulate(fresh, 10), b = Simulate(worn, 10);
  EXPECT_GT(b.both.loading_rate_bw_s.mean, 1.05 * a.both.loading_rate_bw_s.mean);
  EXPECT_LT(b.both.impact_time_s.mean, a.both.impact_time_s.mean);
  EXPECT_LT(b.both.impact_peak_bw.mean, a.both.impact_peak_bw.mean);
  EXPECT_GT(b.both.impact_peak_bw.mean, 0.85 * a.both.impact_peak_bw.mean);  // Baltich: -9 %
}

TEST(RunningSim, SofterMidsoleRaisesTheImpactPeak) {
  // Baltich 2015 (n = 93, 3.33 m/s): soft 1.70, hard 1.54 BW; Kulmala 2018: a maximalist
  // shoe raises the impact peak 6.4-10.7 %. Here max-cushion against neutral, within +20 %.
  Scenario neutral, cushioned;
  cushioned.shoe = "max_cushion";
  const double ratio = Simulate(cushioned, 10).both.impact_peak_bw.mean / Simulate(neutral, 10).both.impact_peak_bw.mean;
  EXPECT_GT(ratio, 1.0);
  EXPECT_LT(ratio, 1.2);
}

TEST(RunningSim, UnevenTrailMakesTheStepsMoreVariable) {
  // Voloshina & Ferris 2015 (+-2.5 cm blocks, 2.3 m/s): step-length variability +26 %. Here
  // the spread of the landing distance across steps, over 8 strides on each surface.
  Scenario flat, uneven;
  uneven.surface = "uneven_trail";
  const Metrics a = Simulate(flat, 8), b = Simulate(uneven, 8);
  EXPECT_GT(b.both.landing_distance_m.sd, 1.2 * a.both.landing_distance_m.sd);
}

TEST(RunningSim, CamberTiltsTheStanceFootButNotTheImpact) {
  // Mechanism (issue 3): camber tilts the ground under each foot. Oracle: the cambered plane's
  // slope: in mid-stance each flat foot's lateral axis rises by the camber angle (both feet the
  // same way), within 1.5 deg; on flat ground it stays level within 1 deg. Hamill et al. 2002
  // (cambered road, 3.83 m/s): no change in peak tibial acceleration; here the impact peak stays
  // within 5 %. (Campbell & Harl 2019's larger pelvis frontal-plane range on a 7 deg camber is
  // not reproduced: the range per stride changes by under 1 %, docs/validation.md. Until
  // session 11 this test asserted it on the range over the whole record, which differed by
  // noise: 4.43701 against 4.43713 deg once the shank stopped spinning.)
  auto mean_stance_foot_roll_deg = [](const SeriesRun& run) {
    double sum = 0;
    int n = 0;
    const std::vector<GaitEvent>& ev = run.r.events;
    for (size_t k = 0; k < ev.size(); ++k) {
      if (!ev[k].touchdown || ev[k].t_s < 1.5) continue;
      for (size_t j = k + 1; j < ev.size(); ++j)
        if (!ev[j].touchdown && ev[j].side == ev[k].side) {
          const size_t i = run.Index(0.5 * (ev[k].t_s + ev[j].t_s));
          const Vec3 y = run.r.series.body_orientation[run.rm.sole[ev[k].side]][i] * Vec3::UnitY();
          sum += std::asin(std::clamp(y.z(), -1.0, 1.0)) * 180.0 / M_PI;
          ++n;
          break;
        }
    }
    return sum / std::max(n, 1);
  };
  Scenario cambered;
  cambered.surface = "cambered_road";
  cambered.camber_deg = 7;
  const SeriesRun flat = RunWithSeries(6, 500), camber = RunWithSeries(6, 500, cambered);
  EXPECT_NEAR(std::abs(mean_stance_foot_roll_deg(camber)), 7.0, 1.5);
  EXPECT_NEAR(mean_stance_foot_roll_deg(flat), 0.0, 1.0);
  EXPECT_NEAR(camber.r.metrics.both.impact_peak_bw.mean / flat.r.metrics.both.impact_peak_bw.mean, 1.0, 0.05);
}

TEST(RunningSim, WeakCoreShiftsCompressionUpwardAndRaisesAnteriorShear) {
  // Raabe & Chaudhari 2018 (FBLS model, running, complete deep-muscle weakness): compression
  // up to +15 % at upper lumbar levels and up to -8 % at lower ones; anterior shear up to
  // +19 %. Directions are asserted, and the changes must stay within the published bounds.
  Scenario normal, weak;
  normal.core_strength = 1.0;
  weak.core_strength = 0.25;
  const Metrics a = Simulate(normal), b = Simulate(weak);
  const double upper = b.peak_compression_bw[5].mean / a.peak_compression_bw[5].mean;
  const double lower = b.peak_compression_bw[0].mean / a.peak_compression_bw[0].mean;
  const double shear = b.peak_ap_shear_bw[0].mean / a.peak_ap_shear_bw[0].mean;
  EXPECT_GT(upper, 1.0);
  EXPECT_LE(upper, 1.15 + 0.03);
  EXPECT_LT(lower, 1.0);
  EXPECT_GE(lower, 0.92 - 0.03);
  EXPECT_GT(shear, 1.0);
  EXPECT_LE(shear, 1.19 + 0.03);
}

TEST(RunningSim, FastRunningDoesNotLimp) {
  // Issue 3 (sides within 2 % on flat ground), at 5.0 m/s where the runner used to limp: one
  // foot landed 0.1-0.2 m further ahead of the centre of mass than the other (a period-2
  // gait: the swing foot waited at ground level while the leg shortened with the falling
  // hip). Oracle: symmetry, the two feet's landing distances and contact times agree.
  Scenario fast;
  fast.speed_m_s = 5.0;
  const Metrics m = Simulate(fast, 10);
  EXPECT_EQ(m.irregular_steps, 0);
  EXPECT_LT(std::abs(m.left.landing_distance_m.mean - m.right.landing_distance_m.mean), 0.03);
  EXPECT_LT(std::abs(m.left.contact_time_s.mean - m.right.contact_time_s.mean),
            0.03 * m.both.contact_time_s.mean);
}

TEST(RunningSim, TheCentreOfPressureLiesUnderTheFootAndStartsAtTheHeel) {
  // Oracle: the centre of pressure is the contact points' mean weighted by their normal force,
  // so in the foot's frame it lies within their hull (heel to forefoot, medial to lateral, at
  // the sole). A rearfoot strike loads the heel first: over the measured steps the centre of
  // pressure at 5 % of stance is at least 2 cm behind where it is at 50 %. (Runners' moves
  // 15-20 cm, heel to forefoot; the model's stays within a few cm of the ankle,
  // docs/validation.md.)
  const SeriesRun run = RunWithSeries(6, 1000);
  const TimeSeries& ts = run.r.series;
  for (int s = 0; s < 2; ++s) {
    double x_lo = 1e9, x_hi = -1e9, y_lo = 1e9, y_hi = -1e9, z = 0;
    for (int c : run.rm.foot_contacts[s]) {
      const Vec3& p = run.rm.model->contacts[c].p_BC_B;
      x_lo = std::min(x_lo, p.x()), x_hi = std::max(x_hi, p.x()), y_lo = std::min(y_lo, p.y()), y_hi = std::max(y_hi, p.y());
      z = p.z();
    }
    ASSERT_EQ(ts.cop_W[s].size(), ts.time_s.size());
    int loaded = 0;
    for (size_t i = 0; i < ts.time_s.size(); ++i) {
      if (ts.grf_W[s][i].z() < 50.0) continue;
      ++loaded;
      const Vec3 p_S = ts.body_orientation[run.rm.sole[s]][i].conjugate() * (ts.cop_W[s][i] - ts.body_position[run.rm.sole[s]][i]);
      EXPECT_GE(p_S.x(), x_lo - 1e-9);
      EXPECT_LE(p_S.x(), x_hi + 1e-9);
      EXPECT_GE(p_S.y(), y_lo - 1e-9);
      EXPECT_LE(p_S.y(), y_hi + 1e-9);
      EXPECT_NEAR(p_S.z(), z, 1e-9);
    }
    EXPECT_GT(loaded, 100);
  }
  double early = 0, mid = 0;
  int n = 0;
  const std::vector<GaitEvent>& ev = run.r.events;
  for (size_t k = 0; k < ev.size(); ++k) {
    if (!ev[k].touchdown || ev[k].t_s < 1.5) continue;
    const int s = ev[k].side;
    for (size_t j = k + 1; j < ev.size(); ++j)
      if (!ev[j].touchdown && ev[j].side == s) {
        const double T = ev[j].t_s - ev[k].t_s;
        auto x_in_foot = [&](double t) {
          const size_t i = run.Index(t);
          return (ts.body_orientation[run.rm.sole[s]][i].conjugate() * (ts.cop_W[s][i] - ts.body_position[run.rm.sole[s]][i])).x();
        };
        early += x_in_foot(ev[k].t_s + 0.05 * T);
        mid += x_in_foot(ev[k].t_s + 0.5 * T);
        ++n;
        break;
      }
  }
  ASSERT_GE(n, 6);
  EXPECT_LT(early / n, mid / n - 0.02);
}

TEST(RunningSim, TheLumpedShankTurnsWithThePelvisAndTheAnkleJointDoesNoWork) {
  // Oracle: the ankle is a ball joint (pitch free, roll and yaw soft) between the foot and a
  // shank lumped at the ankle; neither should turn a stride's energy into heat. Over 3 s of
  // steady running its dissipation stays under 2 J per step, and each shank stays within
  // 0.3 rad of the pelvis's orientation. (Until session 11 the shank was free in pitch, drifted,
  // and once its angle from the foot neared pi the joint's rotation vector flipped and spun
  // it at 10-20 rad/s: 157 J per step through the joint's roll/yaw dampers.)
  const RunningModel rm = BuildRunningModel(Lib(), Scenario{});
  const Model& m = *rm.model;
  Data d = MakeData(m);
  GaitState gs;
  SetInitialRunningState(rm, d, gs);
  const IntegratorOptions io = RunningModelIntegrator();
  const double dt = 5e-4, t0 = 1.5, t1 = 4.5;
  double heat_J = 0, worst_rad = 0;
  int steps_at_t0 = 0;
  while (d.t_s < t1) {
    CalcOutputs(m, d);
    UpdateControl(rm, d, gs);
    CalcOutputs(m, d);
    if (d.t_s < t0) {
      steps_at_t0 = gs.steps;
    } else {
      for (int s = 0; s < 2; ++s) {
        heat_J += d.bushings[rm.ankle_bushing[s]].dissipation_W * dt;
        const Quat q_PA = d.kin[rm.pelvis].q_WB.conjugate() * d.kin[rm.ankle[s]].q_WB;
        worst_rad = std::max(worst_rad, RotationVectorFromQuat(q_PA).norm());
      }
    }
    Advance(m, io, d, d.t_s + dt);
  }
  const int steps = gs.steps - steps_at_t0;
  ASSERT_GE(steps, 8);
  EXPECT_LT(heat_J / steps, 2.0);
  EXPECT_LT(worst_rad, 0.3);
}

TEST(RunningSim, LeftAndRightAgreeOnFlatGround) {
  // Issue 3 validation: the two sides within 2 % on flat ground (GRF peaks, loading rate and
  // contact time), over 16 strides. (In session 10 the loading rate varied from step to step by
  // about 4 % (SD), most of it from a spinning shank; since session 11 the sides agree within
  // 0.5 %. This test caught the period-2 yaw mode that then put them 2.3 % apart.)
  const Metrics m = Simulate(Scenario{}, 16);
  auto rel = [](double a, double b) { return std::abs(a - b) / (0.5 * (a + b)); };
  EXPECT_LT(rel(m.left.impact_peak_bw.mean, m.right.impact_peak_bw.mean), 0.02);
  EXPECT_LT(rel(m.left.active_peak_bw.mean, m.right.active_peak_bw.mean), 0.02);
  EXPECT_LT(rel(m.left.loading_rate_bw_s.mean, m.right.loading_rate_bw_s.mean), 0.02);
  EXPECT_LT(rel(m.left.contact_time_s.mean, m.right.contact_time_s.mean), 0.02);
}

}  // namespace
}  // namespace sl
