// Oracles: closed-form free fall (and the known O(h) error of symplectic Euler), Euler's
// equations by hand, and conservation of energy and world angular momentum of a torque-free
// asymmetric body.
#include "sim/dynamics.h"

#include <gtest/gtest.h>

#include "sim/energy.h"
#include "sim/integrator.h"

namespace sl {
namespace {

std::shared_ptr<const Model> OneBody(const Vec3& inertia, const Vec3& gravity) {
  Model m;
  Body b;
  b.name = "b";
  b.mass_kg = 2.0;
  b.I_Bcm_B = inertia.asDiagonal();
  m.bodies.push_back(b);
  m.gravity_W = gravity;
  return FinalizeModel(std::move(m));
}

IntegratorOptions Method(IntegratorKind k, double h) {
  IntegratorOptions o;
  o.kind = k;
  o.step_s = h;
  o.rtol = 1e-11;
  o.atol = 1e-13;
  return o;
}

TEST(Dynamics, FreeFallMatchesClosedForm) {
  const auto m = OneBody(Vec3(1, 1, 1), Vec3(0, 0, -9.81));
  for (IntegratorKind k : {IntegratorKind::kRk4, IntegratorKind::kRos2, IntegratorKind::kDopri5}) {
    Data d = MakeData(*m);
    SetBodyState(*m, d, 0, Vec3(0, 0, 10), Quat::Identity(), Vec3(1, 0, 2), Vec3::Zero());
    Advance(*m, Method(k, 0.01), d, 1.0);
    // p = p0 + v0 t + g t^2 / 2: quadratic, so every method of order >= 2 is exact.
    EXPECT_NEAR(p_WB(d.qpos, 0).x(), 1.0, 1e-12) << IntegratorName(k);
    EXPECT_NEAR(p_WB(d.qpos, 0).z(), 10 + 2 - 0.5 * 9.81, 1e-11) << IntegratorName(k);
    EXPECT_NEAR(v_WB_W(d.qvel, 0).z(), 2 - 9.81, 1e-11) << IntegratorName(k);
  }
}

TEST(Dynamics, SymplecticEulerFreeFallErrorIsHalfGHT) {
  // z_n = z0 + v0 t - g h^2 n (n + 1) / 2, so the error against the exact parabola is -g h t / 2.
  const auto m = OneBody(Vec3(1, 1, 1), Vec3(0, 0, -9.81));
  Data d = MakeData(*m);
  const double h = 1e-3;
  Advance(*m, Method(IntegratorKind::kSemiImplicitEuler, h), d, 1.0);
  EXPECT_NEAR(p_WB(d.qpos, 0).z() - (-0.5 * 9.81), -0.5 * 9.81 * h * 1.0, 1e-12);
}

TEST(Dynamics, EulerEquationsGyroscopicTerm) {
  // I = diag(1, 2, 3), w = (1, 2, 3): w x I w = (6, -6, 2), so dw/dt = -I^-1 (6, -6, 2).
  const auto m = OneBody(Vec3(1, 2, 3), Vec3::Zero());
  Data d = MakeData(*m);
  SetBodyState(*m, d, 0, Vec3::Zero(), Quat::Identity(), Vec3::Zero(), Vec3(1, 2, 3));
  CalcOutputs(*m, d);
  EXPECT_NEAR(d.qacc[3], -6.0, 1e-14);
  EXPECT_NEAR(d.qacc[4], 3.0, 1e-14);
  EXPECT_NEAR(d.qacc[5], -2.0 / 3.0, 1e-14);
}

TEST(Dynamics, TorqueFreeAsymmetricBodyConservesEnergyAndAngularMomentum) {
  const Vec3 I(1.0, 2.0, 3.0);
  const auto m = OneBody(I, Vec3::Zero());
  for (IntegratorKind k : {IntegratorKind::kRk4, IntegratorKind::kDopri5}) {
    Data d = MakeData(*m);
    // Near the unstable middle axis: a tumbling motion, a hard test of the rotation update.
    const Quat q0(Eigen::AngleAxisd(0.3, Vec3(1, 2, 3).normalized()));
    SetBodyState(*m, d, 0, Vec3::Zero(), q0, Vec3::Zero(), q0 * Vec3(0.05, 2.0, 0.05));
    auto L_W = [&] { return Vec3(q_WB(d.qpos, 0) * (I.asDiagonal() * Vec3(w_WB_B(d.qvel, 0)))); };
    const Vec3 L0 = L_W();
    const double E0 = KineticEnergy(*m, d);
    Advance(*m, Method(k, 1e-3), d, 10.0);
    EXPECT_LT((L_W() - L0).norm() / L0.norm(), 1e-8) << IntegratorName(k);
    EXPECT_NEAR(KineticEnergy(*m, d) / E0, 1.0, 1e-8) << IntegratorName(k);
    EXPECT_NEAR(q_WB(d.qpos, 0).norm(), 1.0, 1e-14);
  }
}

}  // namespace
}  // namespace sl
