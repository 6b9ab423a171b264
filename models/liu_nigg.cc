#include "models/liu_nigg.h"

#include "sim/dynamics.h"
#include "sim/integrator.h"

namespace sl::liu_nigg {

Result Simulate(const Parameters& p, double t_end) {
  Model m;
  const double heights[4] = {0.05, 0.25, 0.55, 1.00};  // COM heights (m); only differences matter
  const double masses[4] = {p.m1, p.m2, p.m3, p.m4};
  const char* names[4] = {"m1_lower_rigid", "m2_lower_wobbling", "m3_upper_rigid", "m4_upper_wobbling"};
  for (int i = 0; i < 4; ++i) {
    Body b;
    b.name = names[i];
    b.mass_kg = masses[i];
    b.I_Bcm_B = Mat3::Identity() * 0.01 * masses[i];
    m.bodies.push_back(b);
  }
  auto spring = [&](const char* name, int a, int b, double k, double c) {
    LineElement l;
    l.name = name;
    l.body_a = a;
    l.body_b = b;
    l.stiffness_N_m = k;
    l.damping_Ns_m = c;
    l.rest_length_m = heights[b] - heights[a];
    l.tension_only = false;
    m.lines.push_back(l);
  };
  spring("k1_c1", 0, 2, p.k1, p.c1);
  spring("k2_c2", 0, 1, p.k2, p.c2);
  spring("k3", 1, 2, p.k3, 0.0);
  spring("k4_k5_c4", 2, 3, p.k4 + p.k5, p.c4);
  m.terrains.push_back(std::make_shared<PlaneTerrain>(Vec3::Zero(), Vec3::UnitZ()));
  ContactPoint c;
  c.name = "heel";
  c.body = 0;
  c.p_BC_B = Vec3(0, 0, -heights[0]);
  c.layers[0] = ContactLayer{"shoe", p.area_factor * p.a, p.b, p.area_factor * p.c, p.d};
  c.friction_coefficient = 0;
  m.contacts.push_back(c);
  const auto model = FinalizeModel(std::move(m));
  Data d = MakeData(*model);
  for (int i = 0; i < 4; ++i)
    SetBodyState(*model, d, i, Vec3(0, 0, heights[i]), Quat::Identity(), Vec3(0, 0, -p.touchdown_speed_m_s), Vec3::Zero());
  IntegratorOptions opt;
  opt.kind = IntegratorKind::kRk4;
  opt.step_s = 2e-5;
  Result r;
  bool rising = true;
  const double dt = 1e-4;
  while (d.t_s < t_end) {
    Advance(*model, opt, d, d.t_s + dt);
    CalcOutputs(*model, d);
    const double f = d.contacts[0].normal_N;
    r.t_s.push_back(d.t_s);
    r.force_N.push_back(f);
    r.max_force_N = std::max(r.max_force_N, f);
    if (rising && r.force_N.size() > 2 && f < r.force_N[r.force_N.size() - 2]) {
      rising = false;
      r.impact_peak_N = r.force_N[r.force_N.size() - 2];
      r.impact_time_s = r.t_s[r.t_s.size() - 2];
    }
    if (d.t_s > 0.02 && d.contacts[0].penetration_m <= 0) {
      r.contact_time_s = d.t_s;
      break;
    }
  }
  return r;
}

}  // namespace sl::liu_nigg
