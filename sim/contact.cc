#include "sim/contact.h"

#include <algorithm>
#include <cmath>

namespace sl {

double LayerElasticForce(const ContactLayer& L, double d) {
  if (d <= 0) return 0;
  return L.stiffness_exponent == 1.0 ? L.stiffness * d : L.stiffness * std::pow(d, L.stiffness_exponent);
}

double LayerElasticEnergy(const ContactLayer& L, double d) {
  if (d <= 0) return 0;
  // k d^(p+1) / (p+1) = F(d) d / (p+1): no second power.
  return LayerElasticForce(L, d) * d / (L.stiffness_exponent + 1.0);
}

namespace {
double LayerTangentStiffness(const ContactLayer& L, double d) {
  const double p = L.stiffness_exponent;
  if (p == 1.0) return L.stiffness;
  return p * L.stiffness * std::pow(std::max(d, 1e-9), p - 1.0);
}
// The same from the layer's force F(d) = k d^p already computed: p F / d.
double LayerTangentStiffness(const ContactLayer& L, double d, double force) {
  const double p = L.stiffness_exponent;
  if (p == 1.0) return L.stiffness;
  return d > 1e-9 ? p * force / d : LayerTangentStiffness(L, d);
}
}  // namespace

double SplitSeriesDeflection(const ContactLayer& L0, const ContactLayer& L1, double d) {
  if (d <= 0) return 0;
  // g(x) = F0(x) - F1(d - x) rises monotonically from -F1(d) to F0(d): safeguarded Newton.
  double lo = 0, hi = d;
  double x = d * L1.stiffness / (L0.stiffness + L1.stiffness);  // exact for two linear layers
  for (int it = 0; it < 50; ++it) {
    const double F0 = LayerElasticForce(L0, x), F1 = LayerElasticForce(L1, d - x);
    const double g = F0 - F1;
    if (g > 0) hi = x; else lo = x;
    if (std::abs(g) <= 1e-10 * (1.0 + F0)) break;
    const double dg = LayerTangentStiffness(L0, x, F0) + LayerTangentStiffness(L1, d - x, F1);
    double xn = x - g / dg;
    if (!(xn > lo && xn < hi)) xn = 0.5 * (lo + hi);
    if (std::abs(xn - x) <= 1e-15 * d) { x = xn; break; }
    x = xn;
  }
  return x;
}

void SplitSeriesDeflections(const ContactLayer* layers, int n, double d, double* out) {
  for (int i = 0; i < n; ++i) out[i] = 0;
  if (d <= 0) return;
  if (n == 1) {
    out[0] = d;
    return;
  }
  if (n == 2) {
    out[0] = SplitSeriesDeflection(layers[0], layers[1], d);
    out[1] = d - out[0];
    return;
  }
  // The common elastic force F: sum_i (F / k_i)^(1/p_i) = d, monotonic in F. Safeguarded
  // Newton on F between 0 and the smallest force any one layer would carry alone at d.
  double hi = 1e300;
  for (int i = 0; i < n; ++i) hi = std::min(hi, LayerElasticForce(layers[i], d));
  double lo = 0, F = 0.5 * hi;
  for (int it = 0; it < 100; ++it) {
    double sum = 0, dsum = 0;
    for (int i = 0; i < n; ++i) {
      const double di = std::pow(F / layers[i].stiffness, 1.0 / layers[i].stiffness_exponent);
      sum += di;
      dsum += di / (layers[i].stiffness_exponent * F);
    }
    const double g = sum - d;
    if (g > 0) hi = F; else lo = F;
    if (std::abs(g) <= 1e-13 * d) break;
    double Fn = F - g / dsum;
    if (!(Fn > lo && Fn < hi)) Fn = 0.5 * (lo + hi);
    if (std::abs(Fn - F) <= 1e-15 * hi) { F = Fn; break; }
    F = Fn;
  }
  double rest = d;
  for (int i = 0; i + 1 < n; ++i) {
    out[i] = std::min(rest, std::pow(F / layers[i].stiffness, 1.0 / layers[i].stiffness_exponent));
    rest -= out[i];
  }
  out[n - 1] = rest;
}

namespace {

// Tangential spring k_t to the anchor in parallel with the damper c_slip, the sum limited to
// mu Fn. The offset s is first limited to mu Fn / k_t (the anchor dragged along), so that
// the spring never holds more than the friction can.
void ElastoPlasticFriction(const ContactPoint& c, const Vec3& n_W, const Vec3& v_t, const Vec3* p_WA,
                           ContactOutput& o) {
  const double k_t = c.tangential_stiffness_N_m, c_t = c.slip_damping_Ns_m;
  const double limit = c.friction_coefficient * o.normal_N;
  Vec3 s = Vec3::Zero();
  if (p_WA) {
    const Vec3 r = o.p_WC - *p_WA;
    s = r - n_W.dot(r) * n_W;
    const double len = s.norm();
    if (k_t * len > limit) s *= limit / (k_t * len);
  }
  const Vec3 f = -k_t * s - c_t * v_t;
  const double f_norm = f.norm();
  const double scale = f_norm > limit ? limit / f_norm : 1.0;
  o.friction_W = scale * f;
  o.anchor_offset_W = s;
  o.friction_damping_Ns_m = scale * c_t;
  o.potential_J += 0.5 * k_t * s.squaredNorm();
  // Stuck: the damper's power. Sliding: the friction's work, all of it heat (the spring's
  // energy is then mu^2 Fn^2 / (2 k_t), constant while Fn is).
  o.dissipation_W += scale == 1.0 ? c_t * v_t.squaredNorm() : -o.friction_W.dot(v_t);
}

ContactOutput Calc(const ContactPoint& c, const Terrain& terrain, const BodyKinematics& B,
                   ContactMode mode, const Vec3* p_WA, Vec3& n_W) {
  ContactOutput o;
  o.p_WC = B.p_WB + B.R_WB * c.p_BC_B;
  const TerrainQuery q = terrain.Query(o.p_WC);
  n_W = q.n_W;
  o.penetration_m = q.penetration_m;
  const bool active = mode == ContactMode::kAuto ? q.penetration_m > 0 : mode == ContactMode::kOn;
  if (!active) return o;
  const double d = std::max(q.penetration_m, 0.0);
  const Vec3 v_WC = B.PointVelocity(o.p_WC);
  const double dd = -n_W.dot(v_WC);  // penetration rate

  double elastic = 0, damping_coeff = 0;
  if (c.n_layers == 1) {
    const ContactLayer& L = c.layers[0];
    o.layer_deflection_m[0] = d;
    elastic = LayerElasticForce(L, d);
    damping_coeff = L.damping * (L.damping_exponent == 0.0 ? 1.0 : std::pow(d, L.damping_exponent));
    o.potential_J = LayerElasticEnergy(L, d);
  } else {
    const int n = c.n_layers;
    std::array<double, kMaxContactLayers> depth{}, C{};
    SplitSeriesDeflections(c.layers.data(), n, d, depth.data());
    o.layer_deflection_m = depth;
    elastic = LayerElasticForce(c.layers[0], depth[0]);
    // The rate splits like the compliance; dashpot power sum_i c_i (s_i dd)^2.
    double C_sum = 0;
    for (int i = 0; i < n; ++i) {
      C[i] = 1.0 / LayerTangentStiffness(c.layers[i], depth[i]);
      C_sum += C[i];
    }
    for (int i = 0; i < n; ++i) {
      const ContactLayer& L = c.layers[i];
      const double share = C[i] / C_sum;
      const double ci = L.damping * (L.damping_exponent == 0.0 ? 1.0 : std::pow(depth[i], L.damping_exponent));
      damping_coeff += ci * share * share;
      o.potential_J += LayerElasticEnergy(L, depth[i]);
    }
  }
  // Never pulling: the normal force is clamped at zero.
  o.normal_N = std::max(0.0, elastic + damping_coeff * dd);
  o.n_W = n_W;
  o.normal_damping_Ns_m = o.normal_N > 0 ? damping_coeff : 0.0;
  o.dissipation_W = (o.normal_N > 0) ? (o.normal_N - elastic) * dd : -elastic * dd;
  const Vec3 v_t = v_WC - n_W.dot(v_WC) * n_W;
  if (c.tangential_stiffness_N_m > 0) {
    ElastoPlasticFriction(c, n_W, v_t, p_WA, o);
  } else {
    // Regularized Coulomb friction on the tangential velocity.
    const double s = v_t.norm();
    o.friction_damping_Ns_m = c.slip_damping_Ns_m;  // at zero slip: the viscous regularisation
    if (s > 0) {
      const double coeff = std::min(c.slip_damping_Ns_m, c.friction_coefficient * o.normal_N / s);
      o.friction_W = -coeff * v_t;
      o.friction_damping_Ns_m = coeff;
      o.dissipation_W += coeff * s * s;
    }
  }
  o.f_W = o.normal_N * n_W + o.friction_W;
  return o;
}

}  // namespace

ContactOutput CalcContact(const ContactPoint& c, const Terrain& terrain, const BodyKinematics& B,
                          ContactMode mode, const Vec3* p_WA) {
  Vec3 n;
  return Calc(c, terrain, B, mode, p_WA, n);
}

void ApplyContact(const ContactPoint& c, const Terrain& terrain, const BodyKinematics& B,
                  ContactMode mode, const Vec3* p_WA, ContactOutput& out, Vec3& f_B_W,
                  Vec3& tau_B_W) {
  Vec3 n;
  out = Calc(c, terrain, B, mode, p_WA, n);
  ApplyForceAtPoint(B, out.p_WC, out.f_W, f_B_W, tau_B_W);
}

void UpdateContactAnchors(const Model& m, Data& d) {
  for (size_t i = 0; i < m.contacts.size(); ++i) {
    const ContactPoint& c = m.contacts[i];
    if (!(c.tangential_stiffness_N_m > 0)) continue;
    const Vec3 p_WC = p_WB(d.qpos, c.body) + q_WB(d.qpos, c.body) * c.p_BC_B;
    const TerrainQuery q = m.terrains[c.terrain]->Query(p_WC);
    if (!(q.penetration_m > 0)) {
      d.contact_anchored[i] = 0;
      continue;
    }
    if (!d.contact_anchored[i]) {  // touchdown: tied where it landed
      d.contact_anchor_W[i] = p_WC;
      d.contact_anchored[i] = 1;
      continue;
    }
    // Sliding: drag the anchor so that the tangential offset is at most mu Fn / k_t. Fn is the
    // last force evaluation's (this step's start for an explicit method): the force law limits
    // the offset again with its own Fn, so only where the anchor trails matters here.
    const Vec3 r = p_WC - d.contact_anchor_W[i];
    const Vec3 s = r - q.n_W.dot(r) * q.n_W;
    const double limit = c.friction_coefficient * d.contacts[i].normal_N / c.tangential_stiffness_N_m;
    const double len = s.norm();
    if (len > limit) d.contact_anchor_W[i] = p_WC - (limit / len) * s;
  }
}

}  // namespace sl
