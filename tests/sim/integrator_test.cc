// Oracles: the closed-form damped oscillator, the theoretical convergence order of each
// method, conservation of energy in an undamped chain of bushings, and an error that names
// the element and time of a blow-up.
#include "sim/integrator.h"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "sim/dynamics.h"
#include "sim/energy.h"
#include "sim/errors.h"
#include "tests/oracles.h"

namespace sl {
namespace {

constexpr double kMass = 2.0, kStiff = 800.0, kDamp = 8.0, kX0 = 0.01;

// One body (isotropic inertia) held to the world by the bushing k.
std::shared_ptr<const Model> BodyOnWorldBushing(const std::string& body, double mass_kg, double inertia_kg_m2,
                                                Bushing k, bool gravity) {
  Model m;
  Body b;
  b.name = body;
  b.mass_kg = mass_kg;
  b.I_Bcm_B = Mat3::Identity() * inertia_kg_m2;
  m.bodies.push_back(b);
  k.parent = kWorld;
  k.child = 0;
  m.bushings.push_back(k);
  if (!gravity) m.gravity_W = Vec3::Zero();
  return FinalizeModel(std::move(m));
}

// A 2 kg body held to the world by a bushing (k = 800 N/m, c = 8 N·s/m on every axis):
// w0 = 20 rad/s, zeta = 0.1. No gravity.
std::shared_ptr<const Model> Oscillator() {
  Bushing k;
  k.name = "spring";
  k.k_trans_N_m = Vec3::Constant(kStiff);
  k.c_trans_Ns_m = Vec3::Constant(kDamp);
  k.k_rot_Nm_rad = Vec3::Constant(1.0);
  k.c_rot_Nms_rad = Vec3::Constant(0.01);
  return BodyOnWorldBushing("mass", kMass, 0.01, k, false);
}

double OscillatorError(IntegratorKind kind, double h, double t_end = 1.0) {
  const auto m = Oscillator();
  Data d = MakeData(*m);
  SetBodyState(*m, d, 0, Vec3(kX0, 0, 0), Quat::Identity(), Vec3::Zero(), Vec3::Zero());
  IntegratorOptions o;
  o.kind = kind;
  o.step_s = h;
  o.jacobian_refresh_steps = 1000000;  // a W-method keeps its order with a stale Jacobian
  Advance(*m, o, d, t_end);
  return std::abs(p_WB(d.qpos, 0).x() - oracles::DampedOscillator(kMass, kDamp, kStiff, kX0, 0.0, t_end));
}

TEST(Integrator, DampedOscillatorMatchesClosedForm) {
  // Bounds from the global error of an order-p method, x0 (w0 t) (w0 h)^p / C with
  // w0 = 20 rad/s, t = 1 s: the leading constants 1/2 (Euler), 1 (ROS2), 1/120 (RK4).
  const double w0 = std::sqrt(kStiff / kMass);
  auto bound = [&](double h, int p, double c) { return kX0 * w0 * std::pow(w0 * h, p) * c; };
  EXPECT_LT(OscillatorError(IntegratorKind::kRk4, 1e-3), bound(1e-3, 4, 1.0 / 120));
  EXPECT_LT(OscillatorError(IntegratorKind::kRos2, 1e-4), bound(1e-4, 2, 1.0));
  EXPECT_LT(OscillatorError(IntegratorKind::kRos34pw2, 1e-3), bound(1e-3, 3, 1.0));
  EXPECT_LT(OscillatorError(IntegratorKind::kImplicitDampingVerlet, 1e-3), bound(1e-3, 2, 1.0));
  EXPECT_LT(OscillatorError(IntegratorKind::kSemiImplicitEuler, 1e-5), bound(1e-5, 1, 0.5));
  EXPECT_LT(OscillatorError(IntegratorKind::kDopri5, 1e-3), 1e-7 * kX0 * 100);  // rtol-scaled
}

struct OrderCase {
  IntegratorKind kind;
  double h;
  double order;
};

void PrintTo(const OrderCase& c, std::ostream* os) { *os << IntegratorName(c.kind) << " h=" << c.h; }

class ConvergenceOrder : public ::testing::TestWithParam<OrderCase> {};

TEST_P(ConvergenceOrder, MeasuredOrderMatchesTheory) {
  const OrderCase c = GetParam();
  const double e1 = OscillatorError(c.kind, c.h), e2 = OscillatorError(c.kind, c.h / 2);
  const double measured = std::log2(e1 / e2);
  EXPECT_NEAR(measured, c.order, 0.15) << "errors " << e1 << " and " << e2;
}

INSTANTIATE_TEST_SUITE_P(Methods, ConvergenceOrder,
                         ::testing::Values(OrderCase{IntegratorKind::kSemiImplicitEuler, 2e-3, 1.0},
                                           OrderCase{IntegratorKind::kRk4, 1e-2, 4.0},
                                           OrderCase{IntegratorKind::kRos2, 4e-3, 2.0},
                                           OrderCase{IntegratorKind::kRos34pw2, 2.5e-3, 3.0},
                                           OrderCase{IntegratorKind::kImplicitDampingVerlet, 4e-3, 2.0}),
                         [](const auto& info) { return std::string(IntegratorName(info.param.kind)); });

TEST(Integrator, Rk4KeepsFourthOrderOnTheRotationGroup) {
  // Torque-free tumbling body: the orientation error against a tight DOPRI5 solution halves
  // 16-fold when h halves, which needs the RKMK dexp^-1 correction.
  Model model;
  Body b;
  b.name = "b";
  b.mass_kg = 1;
  b.I_Bcm_B = Vec3(1, 2, 3).asDiagonal();
  model.bodies.push_back(b);
  model.gravity_W = Vec3::Zero();
  const auto m = FinalizeModel(model);
  auto run = [&](IntegratorKind k, double h) {
    Data d = MakeData(*m);
    SetBodyState(*m, d, 0, Vec3::Zero(), Quat::Identity(), Vec3::Zero(), Vec3(0.3, 2.0, 0.4));
    IntegratorOptions o;
    o.kind = k;
    o.step_s = h;
    o.rtol = 1e-13;
    o.atol = 1e-15;
    Advance(*m, o, d, 2.0);
    return q_WB(d.qpos, 0);
  };
  const Quat ref = run(IntegratorKind::kDopri5, 1e-3);
  const double e1 = RotationVectorFromQuat(ref.conjugate() * run(IntegratorKind::kRk4, 0.02)).norm();
  const double e2 = RotationVectorFromQuat(ref.conjugate() * run(IntegratorKind::kRk4, 0.01)).norm();
  EXPECT_NEAR(std::log2(e1 / e2), 4.0, 0.3) << e1 << " " << e2;
}

TEST(Integrator, Dopri5ErrorFollowsItsTolerance) {
  auto err = [](double rtol) {
    const auto m = Oscillator();
    Data d = MakeData(*m);
    SetBodyState(*m, d, 0, Vec3(kX0, 0, 0), Quat::Identity(), Vec3::Zero(), Vec3::Zero());
    IntegratorOptions o;
    o.kind = IntegratorKind::kDopri5;
    o.rtol = rtol;
    o.atol = rtol * 1e-2;
    Advance(*m, o, d, 1.0);
    return std::abs(p_WB(d.qpos, 0).x() - oracles::DampedOscillator(kMass, kDamp, kStiff, kX0, 0.0, 1.0));
  };
  const double loose = err(1e-5), tight = err(1e-9);
  // The global error follows the tolerance: below it (relative to the 1 cm amplitude times
  // the 20 oscillation periods' growth) and shrinking when it is tightened.
  EXPECT_LT(loose, 1e-5 * kX0 * 20);
  EXPECT_LT(tight, 1e-9 * kX0 * 20);
  EXPECT_GT(loose / tight, 30.0);
}

TEST(Integrator, UndampedBushingChainConservesEnergy) {
  // Three bodies joined by undamped bushings with isotropic rotational stiffness (for which
  // 1/2 k |theta|^2 is an exact potential), under gravity, with a spin.
  Model m;
  for (int i = 0; i < 3; ++i) {
    Body b;
    b.name = "b" + std::to_string(i);
    b.mass_kg = 1.0 + i;
    b.I_Bcm_B = Vec3(0.01, 0.02, 0.015).asDiagonal();
    m.bodies.push_back(b);
  }
  for (int i = 0; i < 2; ++i) {
    Bushing k;
    k.name = "k" + std::to_string(i);
    k.parent = i;
    k.child = i + 1;
    k.p_PF_P = Vec3(0, 0, 0.05);
    k.p_CM_C = Vec3(0, 0, -0.05);
    k.k_trans_N_m = Vec3(2e4, 3e4, 5e4);
    k.k_rot_Nm_rad = Vec3::Constant(200);
    m.bushings.push_back(k);
  }
  const auto model = FinalizeModel(m);
  Data d = MakeData(*model);
  for (int i = 0; i < 3; ++i)
    SetBodyState(*model, d, i, Vec3(0, 0, 0.1 * i), Quat::Identity(), Vec3(0.1 * i, -0.2, 0.3),
                 Vec3(0.5 * i, 1.0, -0.3 * i));
  auto total = [&] {
    CalcOutputs(*model, d);
    return KineticEnergy(*model, d) + PotentialEnergy(*model, d);
  };
  const double E0 = total();
  IntegratorOptions o;
  o.kind = IntegratorKind::kDopri5;
  o.rtol = 1e-11;
  o.atol = 1e-13;
  Advance(*model, o, d, 2.0);
  EXPECT_NEAR(total(), E0, 1e-7 * std::abs(E0));
  CalcOutputs(*model, d);
  EXPECT_EQ(DissipatedPower(*model, d), 0.0);
}

TEST(Integrator, DivergenceNamesTheElementAndTheTime) {
  Bushing k;
  k.name = "too_stiff";
  k.k_trans_N_m = Vec3::Constant(1e9);
  const auto model = BodyOnWorldBushing("mass", 0.1, 1e-4, k, true);
  Data d = MakeData(*model);
  SetBodyState(*model, d, 0, Vec3(0.01, 0, 0), Quat::Identity(), Vec3::Zero(), Vec3::Zero());
  IntegratorOptions o;
  o.kind = IntegratorKind::kRk4;
  o.step_s = 1e-3;
  try {
    Advance(*model, o, d, 1.0);
    FAIL() << "expected a SimulationError";
  } catch (const SimulationError& e) {
    EXPECT_EQ(e.element(), "bushing 'too_stiff'");
    EXPECT_GT(e.time_s(), 0.0);
    EXPECT_LT(e.time_s(), 1.0);
    EXPECT_NE(std::string(e.what()).find("too_stiff"), std::string::npos);
  }
}

// A body on a soft rotational spring (k = 1 N·m/rad, I = 0.01 kg·m^2: w = 10 rad/s) spun
// about z at w0: theta(t) = (w0 / w) sin(w t). At w0 = 40 rad/s the amplitude is 4 rad, past
// pi, where the rotation-vector law would wrap and spin the body; the run must stop when the
// angle passes 0.9 pi, at t = asin(0.9 pi / 4) / 10 = 0.0784 s (checked every 8 steps). At
// w0 = 25 rad/s (amplitude 2.5 rad) it must not.
Data SpunOnRotationalSpring(const std::shared_ptr<const Model>& model, double w0_rad_s) {
  Data d = MakeData(*model);
  SetBodyState(*model, d, 0, Vec3::Zero(), Quat::Identity(), Vec3::Zero(), Vec3(0, 0, w0_rad_s));
  return d;
}

TEST(Integrator, ABushingTurnedNearPiStopsTheRunAndNamesIt) {
  Bushing k;
  k.name = "torsion";
  k.k_trans_N_m = Vec3::Constant(1e3);
  k.k_rot_Nm_rad = Vec3::Constant(1.0);
  const auto model = BodyOnWorldBushing("rotor", 1.0, 0.01, k, false);
  IntegratorOptions o;
  o.kind = IntegratorKind::kRk4;
  o.step_s = 1e-4;

  Data slow = SpunOnRotationalSpring(model, 25.0);
  EXPECT_NO_THROW(Advance(*model, o, slow, 1.0));

  Data fast = SpunOnRotationalSpring(model, 40.0);
  const double t_limit_s = std::asin(0.9 * M_PI / 4.0) / 10.0;
  try {
    Advance(*model, o, fast, 1.0);
    FAIL() << "expected a SimulationError";
  } catch (const SimulationError& e) {
    EXPECT_EQ(e.element(), "bushing 'torsion'");
    EXPECT_GE(e.time_s(), t_limit_s);
    EXPECT_LE(e.time_s(), t_limit_s + 8 * o.step_s);
    EXPECT_NE(std::string(e.what()).find("wraps at pi"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sl
