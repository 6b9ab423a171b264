// Time integration on the configuration manifold (positions in R^3, orientations by the
// exponential map in the body frame; Runge-Kutta-Munthe-Kaas stages for the explicit RK
// methods).
#pragma once

#include <string>

#include "sim/data.h"
#include "sim/model.h"

namespace sl {

enum class IntegratorKind {
  kSemiImplicitEuler,  ///< symplectic Euler, order 1, fixed step
  kRk4,                ///< classical Runge-Kutta, order 4, fixed step
  kDopri5,             ///< Dormand-Prince 5(4), error-controlled adaptive step
  kRos2,               ///< linearly implicit 2-stage Rosenbrock W-method (Verwer et al. 1999),
                       ///< order 2 for any Jacobian, L-stable; fixed step
  kRos34pw2,           ///< 4-stage Rosenbrock W-method ROS34PW2 (Rang & Angermann 2005),
                       ///< order 3 for any Jacobian, L-stable; fixed step
  kImplicitDampingVerlet,  ///< generalised Stoermer-Verlet with the bushings' and contacts'
                           ///< damping implicit in the first half kick (implicit_damping.h);
                           ///< order 2 where damping is the only velocity dependence; fixed step
};

/// "semi_implicit_euler", "rk4", "dopri5", "ros2", "ros34pw2", "implicit_damping_verlet".
const char* IntegratorName(IntegratorKind k);
/// Parses a name of IntegratorName; returns false when unknown.
bool ParseIntegratorName(const std::string& name, IntegratorKind* out);

/// Defaults: the method measured fastest to reach 1e-4 m on the spine-chain reference
/// (bench/README.md): Stoermer-Verlet with implicit bushing and contact damping at 6e-4 s.
struct IntegratorOptions {
  IntegratorKind kind = IntegratorKind::kImplicitDampingVerlet;
  double step_s = 6e-4;            ///< fixed step (s); initial step for kDopri5; > 0
  double rtol = 1e-7;              ///< kDopri5 relative tolerance
  double atol = 1e-9;              ///< kDopri5 absolute tolerance (m, rad, m/s, rad/s)
  double min_step_s = 1e-10;       ///< kDopri5: below this the run fails
  double max_step_s = 1e-2;        ///< kDopri5: upper bound on the step
  int jacobian_refresh_steps = 25; ///< W-methods and kImplicitDampingVerlet: steps between Jacobian
                                   ///< (damping matrix) updates; also on a change of the contact set
  double max_speed_m_s = 1e3;      ///< any point of a body faster than this: the run diverged
  /// A bushing with rotational stiffness whose child has turned further than this from its
  /// frame (rad) stops the run: the rotation-vector law wraps at pi (0.9 pi = 162 deg).
  /// Checked every 8 steps.
  double max_bushing_rotation_rad = 0.9 * 3.14159265358979323846;
  /// Fixed-step methods: a step across which a contact point starts to penetrate is cut so
  /// that it ends just after touchdown (penetration in (0, onset_tolerance_m]); the force
  /// jump of the contact law then falls on a step boundary instead of inside a step.
  bool locate_contact_onsets = true;
  double onset_tolerance_m = 1e-12;
};

/// Called after every accepted step (e.g. to record peaks); must not allocate.
struct StepObserver {
  void (*fn)(const Model&, Data&, void*) = nullptr;
  void* user = nullptr;
};

/// The defaults measured fastest for the spine-chain accuracy target (bench/README.md).
IntegratorOptions DefaultIntegratorOptions();

/// Advances data from data.t_s to exactly t_end_s. Controls in data are held constant.
/// Throws SimulationError (naming the simulated time and the element that blew up) if the
/// state becomes non-finite or diverges. Allocates no heap memory.
void Advance(const Model& m, const IntegratorOptions& opt, Data& d, double t_end_s,
             StepObserver observer = {});

/// Takes exactly one step of size h_s with a fixed-step method (kDopri5: one attempt at h).
void StepOnce(const Model& m, const IntegratorOptions& opt, Data& d, double h_s);

}  // namespace sl
