// Oracle: hand-derived values of the law in benchmarks/spine-chain/spec.md, and of the disc
// axial law with the Gardner-Morse & Stokes 2004 preload factors.
#include "sim/bushing.h"

#include <gtest/gtest.h>

namespace sl {
namespace {

BodyKinematics At(const Vec3& p, const Quat& q = Quat::Identity(), const Vec3& v = Vec3::Zero(),
                  const Vec3& w = Vec3::Zero()) {
  return BodyKinematics{p, q, q.toRotationMatrix(), v, w};
}

Bushing SpineBushing() {
  Bushing k;
  k.name = "test";
  k.parent = 0;
  k.child = 1;
  k.k_trans_N_m = Vec3(1.5e5, 1.5e5, 1.5e6);
  k.c_trans_Ns_m = Vec3(300, 300, 1500);
  k.k_rot_Nm_rad = Vec3(2000, 2000, 3000);
  k.c_rot_Nms_rad = Vec3(20, 20, 20);
  return k;
}

TEST(Bushing, ForceAndTorqueForGivenDeflectionAndRates) {
  const Bushing k = SpineBushing();
  // Parent at rest at the origin; child translated by p, moving with v, rotated 0.1 rad about
  // z and spinning at w. F and M coincide with the body frames.
  const Vec3 p(0.001, -0.002, 0.003), v(0.1, 0.2, -0.3), w(0.5, -1.0, 2.0);
  const Quat q(Eigen::AngleAxisd(0.1, Vec3::UnitZ()));
  const BushingOutput o = CalcBushing(k, At(Vec3::Zero()), At(p, q, v, w));
  // f = -(Kt p + Ct v) = -(150 + 30, -300 + 60, 4500 - 450) N
  EXPECT_NEAR(o.f_F.x(), -180.0, 1e-9);
  EXPECT_NEAR(o.f_F.y(), 240.0, 1e-9);
  EXPECT_NEAR(o.f_F.z(), -4050.0, 1e-9);
  // t = -(Kr theta + Cr w) = -(0 + 10, 0 - 20, 300 + 40) N·m
  EXPECT_NEAR(o.t_F.x(), -10.0, 1e-9);
  EXPECT_NEAR(o.t_F.y(), 20.0, 1e-9);
  EXPECT_NEAR(o.t_F.z(), -340.0, 1e-9);
  // Energy 1/2 p·Kt p + 1/2 theta·Kr theta = 0.075 + 0.3 + 6.75 + 15 J
  EXPECT_NEAR(o.potential_J, 0.075 + 0.3 + 6.75 + 15.0, 1e-9);
  // Dissipation v·Ct v + w·Cr w = 3 + 12 + 135 + 20 * 5.25
  EXPECT_NEAR(o.dissipation_W, 3 + 12 + 135 + 105, 1e-9);
}

TEST(Bushing, DeflectionIsExpressedInTheParentFrame) {
  const Bushing k = SpineBushing();
  // Parent yawed +90° about z: F's x axis points along world +y. A child displaced 1 mm along
  // world +y is displaced along F's +x: f_F = (-150, 0, 0) N.
  const Quat yaw(Eigen::AngleAxisd(M_PI / 2, Vec3::UnitZ()));
  const BushingOutput o = CalcBushing(k, At(Vec3::Zero(), yaw), At(Vec3(0, 0.001, 0), yaw));
  EXPECT_NEAR(o.p_FM_F.x(), 0.001, 1e-15);
  EXPECT_NEAR(o.f_F.x(), -150.0, 1e-9);
  EXPECT_NEAR(o.f_F.y(), 0.0, 1e-9);
  EXPECT_LT(o.theta_FM.norm(), 1e-15);
}

TEST(Bushing, RateIsSeenFromTheRotatingParentFrame) {
  const Bushing k = SpineBushing();
  // Parent spins at 2 rad/s about z; child sits 0.01 m along x and co-rotates rigidly, so
  // relative to F it is at rest: no damping force despite its world velocity of 0.02 m/s.
  const Vec3 w(0, 0, 2.0);
  BodyKinematics P = At(Vec3::Zero(), Quat::Identity(), Vec3::Zero(), w);
  Bushing kk = k;
  kk.p_CM_C = Vec3(-0.01, 0, 0);  // M at the parent's origin when undeflected
  BodyKinematics C = At(Vec3(0.01, 0, 0), Quat::Identity(), w.cross(Vec3(0.01, 0, 0)), w);
  const BushingOutput o = CalcBushing(kk, P, C);
  EXPECT_LT(o.v_FM_F.norm(), 1e-15);
  EXPECT_LT(o.w_FM_F.norm(), 1e-15);
  EXPECT_LT(o.f_F.norm(), 1e-9);
}

TEST(Bushing, LoadPairHasZeroNetForceAndBalancedMoment) {
  const Bushing k = SpineBushing();
  const BodyKinematics P = At(Vec3(0.1, 0, 1.0), Quat(Eigen::AngleAxisd(0.2, Vec3(1, 1, 0).normalized())));
  const BodyKinematics C = At(Vec3(0.1, 0.003, 1.004), Quat(Eigen::AngleAxisd(0.25, Vec3(0, 1, 1).normalized())),
                              Vec3(0.1, 0, 0), Vec3(0, 1, 0));
  BushingOutput o;
  Vec3 fP = Vec3::Zero(), tP = Vec3::Zero(), fC = Vec3::Zero(), tC = Vec3::Zero();
  ApplyBushing(k, P, C, o, fP, tP, fC, tC);
  EXPECT_LT((fP + fC).norm(), 1e-9);
  // Moments about the world origin cancel (internal force pair at one point plus a couple).
  const Vec3 total = P.p_WB.cross(fP) + tP + C.p_WB.cross(fC) + tC;
  EXPECT_LT(total.norm(), 1e-9);
}

TEST(DiscAxialLaw, StiffensInCompressionAndBarelyResistsTension) {
  Bushing k = SpineBushing();
  k.disc.enabled = true;
  const BodyKinematics P = At(Vec3::Zero());
  // Compression 1e-4 m: linear estimate 150 N -> g = 1 + 0.71 * 150/250 = 1.426; F = 213.9 N.
  const BushingOutput c = CalcBushing(k, P, At(Vec3(0, 0, -1e-4)));
  EXPECT_NEAR(c.stiffness_factor, 1.426, 1e-12);
  EXPECT_NEAR(c.f_F.z(), 213.9, 1e-9);
  // Compression 1 mm: 1500 N linear, beyond the table: g = 2.11, F = 3165 N.
  EXPECT_NEAR(CalcBushing(k, P, At(Vec3(0, 0, -1e-3))).f_F.z(), 3165.0, 1e-6);
  // Shear stiffness scales with the same factor at that preload: 1e-4 m shear -> 2.11 * 15 N.
  EXPECT_NEAR(CalcBushing(k, P, At(Vec3(1e-4, 0, -1e-3))).f_F.x(), -2.11 * 15.0, 1e-9);
  // Tension 1e-4 m: 10 % of the linear stiffness -> -15 N.
  EXPECT_NEAR(CalcBushing(k, P, At(Vec3(0, 0, 1e-4))).f_F.z(), -15.0, 1e-9);
}

}  // namespace
}  // namespace sl
