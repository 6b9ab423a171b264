#include "sim/model.h"

#include <cmath>
#include <set>
#include <sstream>

#include <Eigen/Eigenvalues>

#include "sim/errors.h"

namespace sl {
namespace {

template <typename T>
int FindByName(const std::vector<T>& v, const std::string& name) {
  for (size_t i = 0; i < v.size(); ++i)
    if (v[i].name == name) return static_cast<int>(i);
  return -1;
}

[[noreturn]] void Fail(const std::string& kind, const std::string& name, const std::string& field,
                       double value, const std::string& allowed) {
  std::ostringstream os;
  os << kind << " '" << name << "': " << field << " = " << value << " is not allowed ("
     << allowed << ")";
  throw ModelError(os.str());
}

void RequireNonNegative(const std::string& kind, const std::string& name, const std::string& field,
                        const Vec3& v) {
  for (int i = 0; i < 3; ++i)
    if (!(v[i] >= 0.0) || !std::isfinite(v[i]))
      Fail(kind, name, field + "[" + std::to_string(i) + "]", v[i], "finite and >= 0");
}

void RequireBody(const Model& m, const std::string& kind, const std::string& name,
                 const std::string& field, BodyIndex b) {
  if (b < 0 || b >= m.nbody())
    Fail(kind, name, field, b, "index of an existing body, 0.." + std::to_string(m.nbody() - 1));
}

void CheckUniqueNames(const std::string& kind, const std::vector<std::string>& names) {
  std::set<std::string> seen;
  for (const auto& n : names) {
    if (n.empty()) throw ModelError(kind + ": every element needs a name");
    if (!seen.insert(n).second) throw ModelError(kind + " '" + n + "': duplicate name");
  }
}

template <typename T>
std::vector<std::string> Names(const std::vector<T>& v) {
  std::vector<std::string> out;
  for (const auto& e : v) out.push_back(e.name);
  return out;
}

}  // namespace

BodyIndex Model::FindBody(const std::string& name) const { return FindByName(bodies, name); }
int Model::FindBushing(const std::string& name) const { return FindByName(bushings, name); }
int Model::FindLine(const std::string& name) const { return FindByName(lines, name); }

std::shared_ptr<const Model> FinalizeModel(Model m) {
  if (m.bodies.empty()) throw ModelError("model: needs at least one body");
  CheckUniqueNames("body", Names(m.bodies));
  CheckUniqueNames("bushing", Names(m.bushings));
  CheckUniqueNames("line element", Names(m.lines));
  CheckUniqueNames("contact", Names(m.contacts));

  for (Body& b : m.bodies) {
    if (!(b.mass_kg > 0.0) || !std::isfinite(b.mass_kg))
      Fail("body", b.name, "mass_kg", b.mass_kg, "finite and > 0");
    if (!b.I_Bcm_B.allFinite() || (b.I_Bcm_B - b.I_Bcm_B.transpose()).norm() > 1e-12)
      Fail("body", b.name, "inertia", b.I_Bcm_B(0, 1), "finite and symmetric");
    Eigen::SelfAdjointEigenSolver<Mat3> eig(b.I_Bcm_B);
    const Vec3 e = eig.eigenvalues();
    if (!(e.minCoeff() > 0.0)) Fail("body", b.name, "inertia eigenvalue", e.minCoeff(), "> 0");
    // Triangle inequality of principal moments (physically realizable mass distribution).
    if (e[0] + e[1] < e[2] * (1 - 1e-9))
      Fail("body", b.name, "inertia (I1 + I2 - I3)", e[0] + e[1] - e[2],
           ">= 0: principal moments must satisfy the triangle inequality");
    b.I_Bcm_B_inv = b.I_Bcm_B.inverse();
  }

  for (Bushing& k : m.bushings) {
    if (k.parent != kWorld) RequireBody(m, "bushing", k.name, "parent", k.parent);
    RequireBody(m, "bushing", k.name, "child", k.child);
    if (k.parent == k.child) Fail("bushing", k.name, "child", k.child, "a body other than parent");
    RequireNonNegative("bushing", k.name, "k_trans_N_m", k.k_trans_N_m);
    RequireNonNegative("bushing", k.name, "c_trans_Ns_m", k.c_trans_Ns_m);
    RequireNonNegative("bushing", k.name, "k_rot_Nm_rad", k.k_rot_Nm_rad);
    RequireNonNegative("bushing", k.name, "c_rot_Nms_rad", k.c_rot_Nms_rad);
    k.q_PF.normalize();
    k.q_CM.normalize();
    if (k.disc.enabled) {
      const auto& d = k.disc;
      if (!(d.tension_stiffness_ratio >= 0.0 && d.tension_stiffness_ratio <= 1.0))
        Fail("bushing", k.name, "disc.tension_stiffness_ratio", d.tension_stiffness_ratio, "0..1");
      for (int i = 0; i < 3; ++i) {
        if (!(d.stiffness_factor[i] >= 1.0))
          Fail("bushing", k.name, "disc.stiffness_factor", d.stiffness_factor[i], ">= 1");
        if (i > 0 && !(d.preload_N[i] > d.preload_N[i - 1]))
          Fail("bushing", k.name, "disc.preload_N", d.preload_N[i], "strictly increasing");
        if (i > 0 && !(d.stiffness_factor[i] >= d.stiffness_factor[i - 1]))
          Fail("bushing", k.name, "disc.stiffness_factor", d.stiffness_factor[i], "non-decreasing");
      }
    }
  }

  for (const LineElement& l : m.lines) {
    if (l.body_a != kWorld) RequireBody(m, "line element", l.name, "body_a", l.body_a);
    RequireBody(m, "line element", l.name, "body_b", l.body_b);
    if (!(l.stiffness_N_m >= 0)) Fail("line element", l.name, "stiffness_N_m", l.stiffness_N_m, ">= 0");
    if (!(l.rest_length_m >= 0)) Fail("line element", l.name, "rest_length_m", l.rest_length_m, ">= 0");
    if (!(l.damping_Ns_m >= 0)) Fail("line element", l.name, "damping_Ns_m", l.damping_Ns_m, ">= 0");
  }

  for (const ContactPoint& c : m.contacts) {
    RequireBody(m, "contact", c.name, "body", c.body);
    if (c.terrain < 0 || c.terrain >= static_cast<int>(m.terrains.size()))
      Fail("contact", c.name, "terrain", c.terrain, "index of an existing terrain");
    if (!m.terrains[c.terrain]) Fail("contact", c.name, "terrain", c.terrain, "a non-null terrain");
    if (c.n_layers < 1 || c.n_layers > kMaxContactLayers) Fail("contact", c.name, "n_layers", c.n_layers, "1, 2 or 3");
    for (int i = 0; i < c.n_layers; ++i) {
      const ContactLayer& L = c.layers[i];
      const std::string f = "layers[" + std::to_string(i) + "].";
      if (!(L.stiffness > 0)) Fail("contact", c.name, f + "stiffness", L.stiffness, "> 0");
      if (!(L.stiffness_exponent >= 1 && L.stiffness_exponent <= 8))
        Fail("contact", c.name, f + "stiffness_exponent", L.stiffness_exponent, "1..8");
      if (!(L.damping >= 0)) Fail("contact", c.name, f + "damping", L.damping, ">= 0");
      if (!(L.damping_exponent >= 0 && L.damping_exponent <= 2))
        Fail("contact", c.name, f + "damping_exponent", L.damping_exponent, "0..2");
    }
    if (!(c.friction_coefficient >= 0))
      Fail("contact", c.name, "friction_coefficient", c.friction_coefficient, ">= 0");
    if (!(c.slip_damping_Ns_m > 0))
      Fail("contact", c.name, "slip_damping_Ns_m", c.slip_damping_Ns_m, "> 0");
    if (!(c.tangential_stiffness_N_m >= 0 && std::isfinite(c.tangential_stiffness_N_m)))
      Fail("contact", c.name, "tangential_stiffness_N_m", c.tangential_stiffness_N_m, ">= 0 and finite");
  }
  if (!m.gravity_W.allFinite()) throw ModelError("model: gravity must be finite");
  return std::make_shared<const Model>(std::move(m));
}

}  // namespace sl
