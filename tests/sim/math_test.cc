// Oracles: closed-form rotation identities (Rodrigues) and a finite-difference derivative.
#include "sim/math.h"

#include <cmath>

#include <gtest/gtest.h>

namespace sl {
namespace {

TEST(RotationVector, RoundTripsAndMatchesAxisAngle) {
  for (const Vec3& theta : {Vec3(0.3, -0.2, 0.1), Vec3(0, 0, 3.0), Vec3(1e-9, 2e-9, -1e-9), Vec3(-2.0, 1.0, 0.5),
                            Vec3(4e-4, -5e-4, 6e-4), Vec3(9.9e-4, 0, 0)}) {  // the series branch, too
    const Quat q = QuatFromRotationVector(theta);
    EXPECT_NEAR(q.norm(), 1.0, 1e-15);
    const Eigen::AngleAxisd aa(theta.norm(), theta.norm() > 0 ? Vec3(theta.normalized()) : Vec3::UnitX());
    EXPECT_LT((q.toRotationMatrix() - aa.toRotationMatrix()).norm(), 1e-14);
    EXPECT_LT((RotationVectorFromQuat(q) - theta).norm(), 1e-13 * (1 + theta.norm()));
  }
}

TEST(RotationVector, AngleStaysInZeroToPiForBothQuaternionSigns) {
  // A rotation of 3.5 rad about z is the rotation of 2pi - 3.5 rad about -z.
  const Quat q(Eigen::AngleAxisd(3.5, Vec3::UnitZ()));
  const Vec3 expected = -(2 * M_PI - 3.5) * Vec3::UnitZ();
  EXPECT_LT((RotationVectorFromQuat(q) - expected).norm(), 1e-13);
  Quat neg = q;
  neg.coeffs() = -neg.coeffs();
  EXPECT_LT((RotationVectorFromQuat(neg) - expected).norm(), 1e-13);
}

TEST(DexpInvRight, MatchesFiniteDifferenceOfExpMapToThirdOrder) {
  // exp(xi + dt * DexpInv(xi, w)) ≈ exp(xi) exp(dt w): compare rotation matrices.
  const Vec3 xi(0.02, -0.01, 0.015), w(0.7, 0.3, -0.5);
  const double dt = 1e-6;
  const Mat3 lhs = QuatFromRotationVector(xi + dt * DexpInvRight(xi, w)).toRotationMatrix();
  const Mat3 rhs = (QuatFromRotationVector(xi) * QuatFromRotationVector(dt * w)).toRotationMatrix();
  // Truncation after the second commutator leaves O(|xi|^4 |w| dt) ~ 1e-13.
  EXPECT_LT((lhs - rhs).norm(), 1e-12);
}

}  // namespace
}  // namespace sl

namespace sl {
namespace {

TEST(CrossMatrix, TimesAVectorIsTheCrossProduct) {
  // Oracle: Eigen's cross product.
  const Vec3 r(0.3, -1.2, 2.5), v(-0.7, 0.4, 1.1);
  EXPECT_TRUE((CrossMatrix(r) * v).isApprox(r.cross(v)));
  EXPECT_TRUE((CrossMatrix(r) + CrossMatrix(r).transpose()).isZero());
}

}  // namespace
}  // namespace sl
