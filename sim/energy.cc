#include "sim/energy.h"

namespace sl {

double KineticEnergy(const Model& m, const Data& d) {
  double e = 0;
  for (int b = 0; b < m.nbody(); ++b) {
    const Vec3 v = v_WB_W(d.qvel, b);
    const Vec3 w = w_WB_B(d.qvel, b);
    e += 0.5 * m.bodies[b].mass_kg * v.squaredNorm() + 0.5 * w.dot(m.bodies[b].I_Bcm_B * w);
  }
  return e;
}

double PotentialEnergy(const Model& m, const Data& d) {
  double e = 0;
  for (int b = 0; b < m.nbody(); ++b) e -= m.bodies[b].mass_kg * m.gravity_W.dot(p_WB(d.qpos, b));
  for (const auto& o : d.bushings) e += o.potential_J;
  for (const auto& o : d.lines) e += o.potential_J;
  for (const auto& o : d.contacts) e += o.potential_J;
  return e;
}

double DissipatedPower(const Model&, const Data& d) {
  double p = 0;
  for (const auto& o : d.bushings) p += o.dissipation_W;
  for (const auto& o : d.lines) p += o.dissipation_W;
  for (const auto& o : d.contacts) p += o.dissipation_W;
  return p;
}

double ActuatorPower(const Model&, const Data& d) {
  double p = 0;
  for (const auto& o : d.lines) p += o.actuator_power_W;
  return p;
}

}  // namespace sl
