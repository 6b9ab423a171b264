// The immutable model: bodies and the force elements that join them. Built once, checked by
// FinalizeModel (which names the bad element, field, value and allowed range), then shared
// read-only by every thread. SI units throughout; frames are named as in docs/notation.md.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "sim/math.h"
#include "sim/terrain.h"

namespace sl {

using BodyIndex = int;

/// The fixed world frame as an end of a bushing (parent) or a line element (body_a).
inline constexpr BodyIndex kWorld = -1;

/// A free rigid body. Its frame B sits at the centre of mass.
struct Body {
  std::string name;
  double mass_kg = 0;        ///< > 0
  Mat3 I_Bcm_B = Mat3::Zero();  ///< inertia about the COM, expressed in B (kg·m²); SPD
  Mat3 I_Bcm_B_inv = Mat3::Zero();  ///< derived by FinalizeModel (1/(kg·m²))
};

/// Optional nonlinear axial law of an intervertebral disc, acting along F's z axis (the disc
/// normal, pointing from the inferior towards the superior body). Compression c = -p_z (m).
/// Compressive force Fc = g(k_z c) k_z c: stiffening with load through the preload factor g,
/// and only tension_stiffness_ratio * k_z in tension (c < 0). The same factor g(Fc) scales the
/// shear and rotational stiffness (preload stiffening of the whole motion segment).
/// Source: Gardner-Morse & Stokes 2004 (x1.71 at 250 N, x2.11 at 500 N, held beyond).
struct DiscAxialLaw {
  bool enabled = false;
  double tension_stiffness_ratio = 0.1;  ///< [0, 1]; estimate: discs resist little tension
  std::array<double, 3> preload_N{0.0, 250.0, 500.0};  ///< increasing, >= 0
  std::array<double, 3> stiffness_factor{1.0, 1.71, 2.11};  ///< >= 1, non-decreasing
};

/// 6-DOF bushing between parent P and child C, the law of benchmarks/spine-chain/spec.md:
/// with p, v, theta, w the deflection of M relative to F expressed in F, the load on the child
/// is f_F = -(Kt∘p + Ct∘v) at M's origin and t_F = -(Kr∘theta + Cr∘w); the parent gets the
/// opposite at the same point.
struct Bushing {
  std::string name;
  BodyIndex parent = kWorld;  ///< a body, or kWorld
  BodyIndex child = -1;
  Vec3 p_PF_P = Vec3::Zero();  ///< origin of F in P (m)
  Quat q_PF = Quat::Identity();  ///< orientation of F in P
  Vec3 p_CM_C = Vec3::Zero();  ///< origin of M in C (m)
  Quat q_CM = Quat::Identity();  ///< orientation of M in C
  Vec3 k_trans_N_m = Vec3::Zero();     ///< Kt >= 0
  Vec3 c_trans_Ns_m = Vec3::Zero();    ///< Ct >= 0
  Vec3 k_rot_Nm_rad = Vec3::Zero();    ///< Kr >= 0
  Vec3 c_rot_Nms_rad = Vec3::Zero();   ///< Cr >= 0
  DiscAxialLaw disc;
};

/// Two-point line element from point a on body A to point b on body B: a spring
/// k (L - L0), a damper c dL/dt and an actuator tension u >= 0 that a controller sets in
/// Data::line_control_N. Tension T is positive when the element pulls its ends together.
/// tension_only (muscles, ligaments) clamps T >= 0; otherwise the spring also pushes (legs).
struct LineElement {
  std::string name;
  BodyIndex body_a = kWorld;  ///< a body, or kWorld
  BodyIndex body_b = -1;
  Vec3 p_AoA_A = Vec3::Zero();  ///< attachment a, in A (m)
  Vec3 p_BoB_B = Vec3::Zero();  ///< attachment b, in B (m)
  double stiffness_N_m = 0;     ///< >= 0
  double rest_length_m = 0;     ///< >= 0; the initial Data::line_rest_length_m
  double damping_Ns_m = 0;      ///< >= 0
  bool tension_only = true;
};

constexpr int kMaxContactLayers = 3;

/// One compliant layer of a contact: F = k d^p + c d^q dd (never negative in total), the
/// Hunt-Crossley / Liu-Nigg power-law form. d = layer deflection (m).
struct ContactLayer {
  std::string name;                  ///< e.g. "shoe", "surface"
  double stiffness = 0;              ///< k, N/m^p, > 0
  double stiffness_exponent = 1.0;   ///< p, [1, 8] (a heel pad stiffens steeply)
  double damping = 0;                ///< c, N·s/m^(q+1), >= 0
  double damping_exponent = 0.0;     ///< q, [0, 2]
};

/// A contact point fixed on a body, against one terrain, through one to three layers in
/// series (e.g. heel pad, shoe midsole, surface). With more than one layer the penetration
/// is split so all elastic forces are equal; the dashpots share the rate in proportion to
/// the layers' compliance (dissipation-consistent).
/// Tangential force, by tangential_stiffness_N_m:
/// - 0: regularized Coulomb friction Ft = -v_t min(c_slip, mu Fn / |v_t|) (a loaded point
///   creeps at Ft / c_slip under any tangential load);
/// - k_t > 0: elasto-plastic stick-slip. The point is tied to an anchor on the surface, set
///   where it touched down, by a spring k_t in parallel with the damper c_slip:
///   Ft = -k_t s - c_slip v_t, s the tangential offset from the anchor, limited to mu Fn. While
///   |k_t s| would exceed mu Fn the anchor is dragged along (s held at mu Fn / k_t), so a
///   loaded point sticks with a static offset Ft / k_t and slides at the Coulomb limit.
///   The anchor is state (Data::contact_anchor_W), moved at the end of every step.
struct ContactPoint {
  std::string name;
  BodyIndex body = -1;
  Vec3 p_BC_B = Vec3::Zero();  ///< contact point in the body frame (m)
  int terrain = 0;             ///< index into Model::terrains
  int n_layers = 1;            ///< 1, 2 or 3
  std::array<ContactLayer, kMaxContactLayers> layers;
  double friction_coefficient = 0.8;  ///< mu >= 0
  double slip_damping_Ns_m = 5000;    ///< c_slip > 0: viscous regularization at low slip,
                                      ///< or the damper in parallel with k_t
  double tangential_stiffness_N_m = 0; ///< k_t >= 0 (N/m); 0: regularized Coulomb (above)
};

struct Model {
  std::vector<Body> bodies;
  std::vector<Bushing> bushings;
  std::vector<LineElement> lines;
  std::vector<ContactPoint> contacts;
  std::vector<std::shared_ptr<const Terrain>> terrains;
  Vec3 gravity_W{0, 0, -9.81};  ///< m/s²

  int nbody() const { return static_cast<int>(bodies.size()); }
  /// Index of the named body, or -1.
  BodyIndex FindBody(const std::string& name) const;
  int FindBushing(const std::string& name) const;
  int FindLine(const std::string& name) const;
};

/// Check every rule documented above; throws ModelError naming element, field, value and
/// the allowed range. Returns the model frozen for sharing between threads.
std::shared_ptr<const Model> FinalizeModel(Model model);

}  // namespace sl
