#include "models/running_sim.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "models/yaml_util.h"
#include "sim/dynamics.h"
#include "sim/errors.h"

namespace sl {
namespace {

// Load on one level in the disc frame, as the superior body applies it: compression,
// AP shear (anterior +), lateral shear (left +); moments flexion (+), lateral bending, torsion.
Vec3 DiscForce(const BushingOutput& o) { return Vec3(o.f_F.z(), -o.f_F.x(), -o.f_F.y()); }
Vec3 DiscMoment(const BushingOutput& o) { return Vec3(-o.t_F.y(), -o.t_F.x(), -o.t_F.z()); }

struct Accumulator {
  std::vector<double> v;
  void Add(double x) { v.push_back(x); }
  Stat Get() const {
    Stat s;
    s.count = static_cast<int>(v.size());
    if (v.empty()) return s;
    double sum = 0;
    for (double x : v) sum += x;
    s.mean = sum / v.size();
    double ss = 0;
    for (double x : v) ss += (x - s.mean) * (x - s.mean);
    s.sd = v.size() > 1 ? std::sqrt(ss / (v.size() - 1)) : 0.0;
    return s;
  }
};

struct SideAcc {
  Accumulator impact, active, rate, contact, braking, propulsive, impact_time, braking_end, landing;
  Accumulator braking_impulse, propulsive_impulse;
  int with_impact = 0, n = 0;
  SideMetrics Get() const {
    SideMetrics m;
    m.impact_peak_bw = impact.Get();
    m.impact_time_s = impact_time.Get();
    m.braking_end_fraction = braking_end.Get();
    m.active_peak_bw = active.Get();
    m.loading_rate_bw_s = rate.Get();
    m.contact_time_s = contact.Get();
    m.braking_peak_bw = braking.Get();
    m.propulsive_peak_bw = propulsive.Get();
    m.braking_impulse_bw_s = braking_impulse.Get();
    m.propulsive_impulse_bw_s = propulsive_impulse.Get();
    m.landing_distance_m = landing.Get();
    m.impact_peak_fraction = n ? static_cast<double>(with_impact) / n : 0.0;
    return m;
  }
};

// High-rate record used for the metrics (every control period).
struct Trace {
  std::vector<double> t;
  std::vector<Vec3> residual_force, residual_moment;
  std::vector<double> x_com;  ///< whole-body centre of mass, forward (m)
  std::array<std::vector<double>, 2> x_ankle;  ///< each ankle, forward (m)
  std::array<std::vector<Vec3>, 2> grf;
  std::array<std::vector<Vec3>, 6> force, moment;
};

// Vertical GRF descriptors of one stance, in BW and s. Returns false if the stance is too
// short to analyse.
struct StanceMetrics {
  bool has_impact = false;
  double impact = 0, active = 0, rate = 0, contact = 0, braking = 0, propulsive = 0;
  double impact_time = 0;   ///< s after the stance's first loaded sample
  double braking_end = -1;  ///< share of stance where Fx first turns positive after the braking peak (-1: never)
  double braking_impulse = 0, propulsive_impulse = 0;  ///< BW·s, both >= 0
};

// Area of the positive part of a straight line from a to b over a width h (a trapezoid, or
// the triangle up to the zero crossing).
double PositiveArea(double a, double b, double h) {
  if (a >= 0 && b >= 0) return 0.5 * (a + b) * h;
  if (a <= 0 && b <= 0) return 0.0;
  const double p = std::max(a, b), n = std::min(a, b);
  return 0.5 * p * h * p / (p - n);
}

StanceMetrics AnalyseStance(const Trace& tr, int side, size_t i0, size_t i1, double bw) {
  StanceMetrics m;
  m.contact = tr.t[i1] - tr.t[i0];
  size_t ia = i0, ib = i0;  // active peak, braking peak
  for (size_t i = i0; i <= i1; ++i) {
    if (tr.grf[side][i].z() > tr.grf[side][ia].z()) ia = i;
    if (tr.grf[side][i].x() < tr.grf[side][ib].x()) ib = i;
    m.propulsive = std::max(m.propulsive, tr.grf[side][i].x() / bw);
  }
  for (size_t i = i0; i < i1; ++i) {  // trapezoids, split where Fx changes sign
    const double a = tr.grf[side][i].x() / bw, b = tr.grf[side][i + 1].x() / bw, h = tr.t[i + 1] - tr.t[i];
    m.propulsive_impulse += PositiveArea(a, b, h);
    m.braking_impulse += PositiveArea(-a, -b, h);
  }
  m.braking = std::max(0.0, -tr.grf[side][ib].x() / bw);
  // Braking to propulsion (Cavanagh & Lafortune 1980: at ~48 % of stance): the first sample
  // after the braking peak at which the AP force is propulsive.
  for (size_t i = ib; i <= i1; ++i)
    if (tr.grf[side][i].x() > 0) {
      m.braking_end = (tr.t[i] - tr.t[i0]) / m.contact;
      break;
    }
  // A distinct impact peak: the first local maximum within 60 ms of touchdown that is
  // followed by a valley at least 0.05 BW deep, after which the force rises again by at
  // least 0.05 BW. The active peak is then the maximum after the valley; the impact may
  // exceed it (a hard heel strike, or fast running). Without an impact peak the active peak
  // is the stance's maximum. (Until session 8 the impact had to come before the stance's
  // maximum: an impact transient above the mid-stance peak was reported as the active peak,
  // with no impact, e.g. barefoot at 3.5 m/s in 94 % of steps.)
  const double dip_N = 0.05 * bw;
  for (size_t i = i0 + 1; i < i1; ++i) {
    const double f = tr.grf[side][i].z();
    if (tr.t[i] - tr.t[i0] > 0.06) break;
    if (!(f >= tr.grf[side][i - 1].z() && f > tr.grf[side][i + 1].z())) continue;
    size_t iv = i;  // the valley after this maximum
    bool rises = false;
    for (size_t j = i + 1; j <= i1; ++j) {
      const double fj = tr.grf[side][j].z();
      if (fj > f) break;  // the force exceeds this maximum before it dips: not an impact peak
      if (fj < tr.grf[side][iv].z()) iv = j;
      if (fj >= tr.grf[side][iv].z() + dip_N) {
        rises = true;
        break;
      }
    }
    if (!rises) continue;
    m.has_impact = true;
    m.impact = f / bw;
    m.impact_time = tr.t[i] - tr.t[i0];
    ia = iv;
    for (size_t j = iv; j <= i1; ++j)
      if (tr.grf[side][j].z() > tr.grf[side][ia].z()) ia = j;
    break;
  }
  m.active = tr.grf[side][ia].z() / bw;
  // Average vertical loading rate between 20 % and 80 % of the impact peak (Milner 2006);
  // without an impact peak, of the force at 13 % of stance (Blackmore 2016 convention).
  double ref = m.impact * bw;
  if (!m.has_impact) {
    const double t13 = tr.t[i0] + 0.13 * m.contact;
    size_t k = i0;
    while (k < i1 && tr.t[k] < t13) ++k;
    ref = tr.grf[side][k].z();
  }
  double t20 = -1, t80 = -1;
  for (size_t i = i0 + 1; i <= i1; ++i) {
    const double f0 = tr.grf[side][i - 1].z(), f1 = tr.grf[side][i].z();
    auto cross = [&](double level) { return tr.t[i - 1] + (level - f0) / (f1 - f0) * (tr.t[i] - tr.t[i - 1]); };
    if (t20 < 0 && f1 >= 0.2 * ref && f0 < 0.2 * ref) t20 = cross(0.2 * ref);
    if (t80 < 0 && f1 >= 0.8 * ref && f0 < 0.8 * ref) {
      t80 = cross(0.8 * ref);
      break;
    }
  }
  if (t20 >= 0 && t80 > t20) m.rate = 0.6 * ref / bw / (t80 - t20);
  return m;
}

// The touchdowns in order, and the toe-off that ends a touchdown's stance (-1 if the record
// ends before it).
std::vector<const GaitEvent*> Touchdowns(const std::vector<GaitEvent>& ev) {
  std::vector<const GaitEvent*> tds;
  for (const auto& e : ev)
    if (e.touchdown) tds.push_back(&e);
  return tds;
}

double ToeoffAfter(const std::vector<GaitEvent>& ev, const GaitEvent& td) {
  for (const auto& e : ev)
    if (!e.touchdown && e.side == td.side && e.t_s > td.t_s) return e.t_s;
  return -1;
}

void ComputeMetrics(const RunningModel& rm, const Trace& tr, const std::vector<GaitEvent>& ev, Metrics& out) {
  const double bw = rm.body_weight_N;
  const Scenario& sc = rm.scenario;
  const std::vector<const GaitEvent*> tds = Touchdowns(ev);
  const size_t first = static_cast<size_t>(2 * sc.warmup_strides);
  SideAcc side_acc[2], both;
  std::array<Accumulator, 6> comp, ap, lat, mflex, mlat, mtor;
  Accumulator comp_max, damage, l5_comp_N;
  auto index_at = [&](double t) {
    return static_cast<size_t>(std::lower_bound(tr.t.begin(), tr.t.end(), t) - tr.t.begin());
  };
  double t_first = -1, t_last = -1;
  for (size_t k = first; k + 1 < tds.size(); ++k) {
    const GaitEvent& td = *tds[k];
    const double t_next = tds[k + 1]->t_s;
    const double t_off = ToeoffAfter(ev, td);
    if (t_off < 0) break;
    // The stance as the force plate sees it: from the first to the last sample with load.
    size_t i0 = index_at(td.t_s), i1 = std::min(index_at(t_off), tr.t.size() - 1);
    while (i0 > 0 && tr.grf[td.side][i0 - 1].z() > 1.0) --i0;
    while (i1 + 1 < tr.t.size() && tr.grf[td.side][i1 + 1].z() > 1.0) ++i1;
    const size_t in = std::min(index_at(t_next), tr.t.size() - 1);
    if (i1 <= i0 + 4) continue;
    const StanceMetrics m = AnalyseStance(tr, td.side, i0, i1, bw);
    for (SideAcc* a : {&side_acc[td.side], &both}) {
      ++a->n;
      if (m.has_impact) {
        ++a->with_impact;
        a->impact.Add(m.impact);
        a->impact_time.Add(m.impact_time);
      }
      a->active.Add(m.active);
      if (m.rate > 0) a->rate.Add(m.rate);
      a->contact.Add(m.contact);
      a->braking.Add(m.braking);
      a->propulsive.Add(m.propulsive);
      a->braking_impulse.Add(m.braking_impulse);
      a->propulsive_impulse.Add(m.propulsive_impulse);
      if (m.braking_end >= 0) a->braking_end.Add(m.braking_end);
      a->landing.Add(tr.x_ankle[td.side][i0] - tr.x_com[i0]);
    }
    // Lumbar peaks over the step (touchdown to the next touchdown).
    double cmax = 0;
    for (int l = 0; l < 6; ++l) {
      double c = 0, a = 0, la = 0, f = 0, lb = 0, to = 0;
      for (size_t i = i0; i < in; ++i) {
        c = std::max(c, tr.force[l][i].x());
        a = std::max(a, std::abs(tr.force[l][i].y()));
        la = std::max(la, std::abs(tr.force[l][i].z()));
        f = std::max(f, std::abs(tr.moment[l][i].x()));
        lb = std::max(lb, std::abs(tr.moment[l][i].y()));
        to = std::max(to, std::abs(tr.moment[l][i].z()));
      }
      comp[l].Add(c / bw);
      ap[l].Add(a / bw);
      lat[l].Add(la / bw);
      mflex[l].Add(f / bw);
      mlat[l].Add(lb / bw);
      mtor[l].Add(to / bw);
      cmax = std::max(cmax, c / bw);
      if (l == 0) {
        // LiFFT (Gallagher 2017): cycles to failure N = 902,416 exp(-0.162 PLM), PLM in N·m.
        damage.Add(1.0 / (902416.0 * std::exp(-0.162 * f)));
        l5_comp_N.Add(c);
      }
    }
    comp_max.Add(cmax);
    if (t_first < 0) t_first = td.t_s;
    t_last = t_next;
    ++out.steps;
  }
  out.both = both.Get();
  out.left = side_acc[0].Get();
  out.right = side_acc[1].Get();
  for (int l = 0; l < 6; ++l) {
    out.peak_compression_bw[l] = comp[l].Get();
    out.peak_ap_shear_bw[l] = ap[l].Get();
    out.peak_lateral_shear_bw[l] = lat[l].Get();
    out.peak_flexion_moment_bw_m[l] = mflex[l].Get();
    out.peak_lateral_moment_bw_m[l] = mlat[l].Get();
    out.peak_torsion_moment_bw_m[l] = mtor[l].Get();
  }
  out.peak_compression_bw_max = comp_max.Get();
  if (out.steps > 0) {
    const size_t a = index_at(t_first), b = std::min(index_at(t_last), tr.t.size());
    double f2 = 0, m2 = 0, fx = 0;
    for (size_t i = a; i < b; ++i) {
      fx += tr.residual_force[i].x() / bw;
      const double f = tr.residual_force[i].norm() / bw, m = tr.residual_moment[i].norm() / bw;
      f2 += f * f;
      m2 += m * m;
      out.residual_force_peak_bw = std::max(out.residual_force_peak_bw, f);
      out.residual_moment_peak_bw_m = std::max(out.residual_moment_peak_bw_m, m);
    }
    if (b > a) {
      out.residual_force_rms_bw = std::sqrt(f2 / (b - a));
      out.residual_forward_mean_bw = fx / (b - a);
      out.residual_moment_rms_bw_m = std::sqrt(m2 / (b - a));
    }
  }
  if (out.steps > 0 && t_last > t_first) {
    out.cadence_steps_min = 60.0 * out.steps / (t_last - t_first);
    // Measured, not the scenario's: the gait controller may settle at another speed.
    const size_t a = index_at(t_first), b = std::min(index_at(t_last), tr.t.size() - 1);
    if (b > a) out.mean_speed_m_s = (tr.x_com[b] - tr.x_com[a]) / (tr.t[b] - tr.t[a]);
  }
  const double step_length = out.cadence_steps_min > 0 ? out.mean_speed_m_s * 60.0 / out.cadence_steps_min : 0;
  out.steps_per_km = step_length > 0 ? 1000.0 / step_length : 0;
  out.lumbar_damage_index_per_km = out.steps_per_km * damage.Get().mean;
  out.lumbar_damage_index_per_week = out.lumbar_damage_index_per_km * sc.weekly_km;
  out.peak_compression_ratio_ultimate = l5_comp_N.Get().mean / 5000.0;  // Dortmund, 30-year-old male (R)
}

}  // namespace

int CountIrregularSteps(const std::vector<GaitEvent>& events, double step_period_s, size_t first) {
  const std::vector<const GaitEvent*> tds = Touchdowns(events);
  int n = 0;
  for (size_t k = first; k + 1 < tds.size(); ++k) {
    const GaitEvent& td = *tds[k];
    const double t_off = ToeoffAfter(events, td);
    const bool same_foot = k > 0 && tds[k - 1]->side == td.side;
    const bool stumble = t_off >= 0 && t_off - td.t_s > 1.5 * step_period_s;
    if (same_foot || stumble) ++n;
  }
  return n;
}

double StepTimeVariation(const std::vector<GaitEvent>& events, size_t first) {
  const std::vector<const GaitEvent*> tds = Touchdowns(events);
  if (tds.size() < first + 3) return 0.0;
  const size_t n = tds.size() - 1 - first;
  double mean = 0, var = 0;
  for (size_t k = first; k + 1 < tds.size(); ++k) mean += (tds[k + 1]->t_s - tds[k]->t_s) / n;
  for (size_t k = first; k + 1 < tds.size(); ++k) {
    const double dev = tds[k + 1]->t_s - tds[k]->t_s - mean;
    var += dev * dev / n;
  }
  return std::sqrt(var) / mean;
}

// The foot's centre of pressure (m, world): its contact points weighted by their normal force;
// while the foot carries 1 N or less (off the ground), the sole point below the ankle.
static Vec3 CentreOfPressure(const RunningModel& rm, const Data& d, int s) {
  Vec3 sum = Vec3::Zero();
  double load = 0;
  for (int c : rm.foot_contacts[s]) {
    sum += d.contacts[c].normal_N * d.contacts[c].p_WC;
    load += d.contacts[c].normal_N;
  }
  if (load > 1.0) return sum / load;
  const BodyKinematics& S = d.kin[rm.sole[s]];
  return S.p_WB + S.R_WB * Vec3(0, 0, rm.model->contacts[rm.foot_contacts[s][0]].p_BC_B.z());
}

// The controller's foot damping is explicit (held over a control period): stable only while
// c x period / I < 2 for the foot's smallest principal inertia. runner.yaml is checked against
// the default period when it is read; a caller's own period is checked here.
static void CheckFootDampingStability(const RunningModel& rm, double period_s) {
  const Mat3& I = rm.model->bodies[rm.sole[0]].I_Bcm_B;
  const double i_min = I.diagonal().minCoeff();
  const std::pair<const char*, double> gains[] = {{"ankle_stance_damping_Nms_rad", rm.gains.ankle_stance_c},
                                                  {"foot_flight_damping_Nms_rad", rm.gains.foot_flight_c}};
  for (const auto& [key, c] : gains) {
    if (c * period_s / i_min < 2.0) continue;
    char b[400];
    std::snprintf(b, sizeof b,
                  "control period %g s: runner.yaml control.%s (%g N·m·s/rad for this body) damps a foot of "
                  "smallest inertia %g kg·m^2 explicitly, which is stable only below %g N·m·s/rad; shorten "
                  "the control period or lower the damping",
                  period_s, key, c, i_min, 2.0 * i_min / period_s);
    throw InputError(b);
  }
}

RunResult SimulateRunning(const RunningModel& rm, const SimulationOptions& opt) {
  CheckFootDampingStability(rm, opt.control_period_s);
  const Model& m = *rm.model;
  const Scenario& sc = rm.scenario;
  RunResult res;
  Data d = MakeData(m);
  GaitState gs;
  SetInitialRunningState(rm, d, gs);
  const int steps_needed = 2 * (sc.warmup_strides + sc.strides) + 1;
  const double t_max = 1.6 * steps_needed * rm.step_period_s + 1.0;
  const double dt = opt.control_period_s;
  const double out_dt = 1.0 / sc.output_rate_hz;
  double next_out = 0;
  Trace tr;
  const size_t nticks = static_cast<size_t>(t_max / dt) + 2;
  tr.t.reserve(nticks);
  tr.x_com.reserve(nticks);
  for (auto& x : tr.x_ankle) x.reserve(nticks);
  TimeSeries& ts = res.series;
  ts.muscle_tension.assign(rm.muscles.size(), {});
  ts.body_position.assign(m.nbody(), {});
  ts.body_orientation.assign(m.nbody(), {});
  try {
    while (gs.steps < steps_needed && d.t_s < t_max) {
      CalcOutputs(m, d);
      UpdateControl(rm, d, gs);
      CalcOutputs(m, d);  // outputs with the controls that act over the next period
      Vec3 grf[2] = {Vec3::Zero(), Vec3::Zero()};
      for (int s = 0; s < 2; ++s)
        for (int c : rm.foot_contacts[s]) grf[s] += d.contacts[c].f_W;
      tr.t.push_back(d.t_s);
      tr.x_com.push_back(gs.p_com_W.x());
      for (int s = 0; s < 2; ++s) tr.x_ankle[s].push_back(d.kin[rm.ankle[s]].p_WB.x());
      tr.residual_force.push_back(gs.residual_force_W);
      tr.residual_moment.push_back(gs.residual_torque_W);
      for (int s = 0; s < 2; ++s) tr.grf[s].push_back(grf[s]);
      for (int l = 0; l < 6; ++l) {
        tr.force[l].push_back(DiscForce(d.bushings[rm.level_bushing[l]]));
        tr.moment[l].push_back(DiscMoment(d.bushings[rm.level_bushing[l]]));
      }
      if (opt.keep_series && d.t_s >= next_out - 1e-12) {
        next_out += out_dt;
        ts.time_s.push_back(d.t_s);
        for (int s = 0; s < 2; ++s) {
          ts.grf_W[s].push_back(grf[s]);
          double layer = 0, surf = 0;
          for (int c : rm.foot_contacts[s]) {
            layer = std::max(layer, d.contacts[c].layer_deflection_m[0]);
            surf = std::max(surf, d.contacts[c].layer_deflection_m[1]);
          }
          const double pad = HeelPadDeflection(rm, layer);
          ts.heel_pad_deflection_m[s].push_back(pad);
          ts.shoe_deflection_m[s].push_back(layer - pad);
          ts.surface_deflection_m[s].push_back(surf);
          ts.cop_W[s].push_back(CentreOfPressure(rm, d, s));
        }
        for (int l = 0; l < 6; ++l) {
          ts.joint_force[l].push_back(tr.force[l].back());
          ts.joint_moment[l].push_back(tr.moment[l].back());
        }
        for (size_t k = 0; k < rm.muscles.size(); ++k) ts.muscle_tension[k].push_back(d.lines[rm.muscles[k].line].tension_N);
        for (int b = 0; b < m.nbody(); ++b) {
          ts.body_position[b].push_back(p_WB(d.qpos, b));
          ts.body_orientation[b].push_back(q_WB(d.qpos, b));
        }
        ts.pelvis_acc_W.push_back(d.qacc.segment<3>(6 * rm.pelvis));
        ts.hat_acc_W.push_back(d.qacc.segment<3>(6 * rm.hat));
      }
      const double z_pelvis = p_WB(d.qpos, rm.pelvis).z();
      if (z_pelvis < 0.5 * rm.hip_height_m) {
        res.status = "failed";
        res.reason = "the runner fell (pelvis below half the hip height) at t = " + std::to_string(d.t_s) + " s";
        break;
      }
      Advance(m, opt.integrator, d, d.t_s + dt);
    }
    if (res.status == "ok" && gs.steps < steps_needed) {
      res.status = "failed";
      res.reason = "the controller did not reach " + std::to_string(steps_needed) + " steps within " +
                   std::to_string(t_max) + " s (only " + std::to_string(gs.steps) + ")";
    }
  } catch (const SimulationError& e) {
    res.status = "failed";
    res.reason = e.what();
  }
  res.events = gs.events;
  res.simulated_s = d.t_s;
  res.steps = d.steps;
  ComputeMetrics(rm, tr, res.events, res.metrics);
  res.metrics.irregular_steps = CountIrregularSteps(res.events, rm.step_period_s, static_cast<size_t>(2 * rm.scenario.warmup_strides));
  res.metrics.step_time_cv = StepTimeVariation(res.events, static_cast<size_t>(2 * rm.scenario.warmup_strides));
  if (res.status == "ok" && res.metrics.steps == 0) {
    res.status = "failed";
    res.reason = "no steady-state step could be measured";
  }
  return res;
}

}  // namespace sl
