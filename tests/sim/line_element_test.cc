// Oracle: hand-derived tension T = k (L - L0) + c dL/dt + u, and its line of action.
#include "sim/line_element.h"

#include <gtest/gtest.h>

namespace sl {
namespace {

BodyKinematics At(const Vec3& p, const Vec3& v = Vec3::Zero()) {
  return BodyKinematics{p, Quat::Identity(), Mat3::Identity(), v, Vec3::Zero()};
}

LineElement Muscle() {
  LineElement l;
  l.name = "m";
  l.body_a = 0;
  l.body_b = 1;
  l.stiffness_N_m = 1000;
  l.damping_Ns_m = 10;
  l.tension_only = true;
  return l;
}

TEST(LineElement, TensionIsSpringPlusDamperPlusActuator) {
  const LineElement l = Muscle();
  // A at the origin; B 0.3 m along x and 0.4 m along z (L = 0.5 m), moving away at 0.2 m/s.
  const Vec3 e(0.6, 0, 0.8);
  const LineOutput o = CalcLineElement(l, At(Vec3::Zero()), At(0.5 * e, 0.2 * e), 0.4, 50.0);
  EXPECT_NEAR(o.length_m, 0.5, 1e-15);
  EXPECT_NEAR(o.velocity_m_s, 0.2, 1e-15);
  EXPECT_NEAR(o.tension_N, 100.0 + 2.0 + 50.0, 1e-12);
  EXPECT_NEAR(o.potential_J, 0.5 * 1000 * 0.01, 1e-12);
  EXPECT_NEAR(o.dissipation_W, 10 * 0.04, 1e-12);
  EXPECT_NEAR(o.actuator_power_W, -50 * 0.2, 1e-12);
}

TEST(LineElement, SlackMuscleCarriesNoTensionAndNegativeControlIsIgnored) {
  const LineElement l = Muscle();
  const LineOutput o = CalcLineElement(l, At(Vec3::Zero()), At(Vec3(0.3, 0, 0), Vec3(-1, 0, 0)), 0.4, -20.0);
  EXPECT_EQ(o.tension_N, 0.0);
  EXPECT_EQ(o.potential_J, 0.0);
}

TEST(LineElement, TwoSidedSpringPushesWhenCompressed) {
  LineElement leg = Muscle();
  leg.tension_only = false;
  leg.damping_Ns_m = 0;
  // Compressed by 0.1 m: T = -100 N, i.e. it pushes the ends apart.
  const LineOutput o = CalcLineElement(leg, At(Vec3::Zero()), At(Vec3(0, 0, -0.8)), 0.9, 0.0);
  EXPECT_NEAR(o.tension_N, -100.0, 1e-12);
}

TEST(LineElement, PullsBothEndsAlongTheLineWithMomentFromTheAttachment) {
  LineElement l = Muscle();
  l.p_AoA_A = Vec3(0, 0.1, 0);  // attached 0.1 m to the left of A's COM
  BodyKinematics A = At(Vec3::Zero()), B = At(Vec3(1.0, 0.1, 0));
  LineOutput o;
  Vec3 fA = Vec3::Zero(), tA = Vec3::Zero(), fB = Vec3::Zero(), tB = Vec3::Zero();
  ApplyLineElement(l, A, B, 0.9, 0.0, o, fA, tA, fB, tB);
  EXPECT_NEAR(o.tension_N, 100.0, 1e-12);
  EXPECT_LT((fA - Vec3(100, 0, 0)).norm(), 1e-12);
  EXPECT_LT((fB + fA).norm(), 1e-12);
  // Torque on A about its COM: r x f = (0, 0.1, 0) x (100, 0, 0) = (0, 0, -10) N·m.
  EXPECT_LT((tA - Vec3(0, 0, -10)).norm(), 1e-12);
}

}  // namespace
}  // namespace sl
