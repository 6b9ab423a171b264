// Oracles: the bushing law itself, differentiated by finite differences of its generalized
// forces with respect to the bodies' velocities at rest (the damping matrix must be exactly
// that linearization), and by hand for a single bushing (G^T C G with G = [I, -[p]x; 0, I]).
#include "sim/implicit_damping.h"

#include <gtest/gtest.h>

#include "sim/dynamics.h"

namespace sl {
namespace {

std::shared_ptr<const Model> TwoBodies() {
  Model m;
  for (int i = 0; i < 2; ++i) {
    Body b;
    b.name = i == 0 ? "lower" : "upper";
    b.mass_kg = 1.5 + i;
    b.I_Bcm_B = Vec3(0.01, 0.02, 0.015).asDiagonal();
    m.bodies.push_back(b);
  }
  Bushing k;
  k.name = "joint";
  k.parent = 0;
  k.child = 1;
  // Joint 3 cm above the lower body's COM and 5 cm below the upper one's, its frame tilted
  // 20 degrees about y (a disc at its lordosis angle) in both bodies.
  const Quat tilt(Eigen::AngleAxisd(0.35, Vec3::UnitY()));
  k.p_PF_P = Vec3(0.01, 0, 0.03);
  k.q_PF = tilt;
  k.p_CM_C = Vec3(0.01, 0, -0.05);
  k.q_CM = tilt;
  k.k_trans_N_m = Vec3(1e5, 1e5, 1e6);
  k.c_trans_Ns_m = Vec3(300, 400, 1500);
  k.k_rot_Nm_rad = Vec3(2000, 2500, 3000);
  k.c_rot_Nms_rad = Vec3(20, 25, 30);
  m.bushings.push_back(k);
  m.gravity_W = Vec3::Zero();
  return FinalizeModel(std::move(m));
}

TEST(ImplicitDamping, MatrixIsTheLinearizedBushingDampingAtRest) {
  const auto m = TwoBodies();
  Eigen::MatrixXd D;
  BushingDampingMatrix(*m, D);
  // The two bodies at rest, in the configuration where the bushing is undeflected, rotated
  // as a whole (the matrix lives in body coordinates, so this must not matter).
  const Quat q_W(Eigen::AngleAxisd(0.6, Vec3(1, 2, 3).normalized()));
  Data d = MakeData(*m);
  const Vec3 p_lower(0.2, -0.1, 1.0);
  const Vec3 p_joint = p_lower + q_W * m->bushings[0].p_PF_P;
  const Vec3 p_upper = p_joint - q_W * m->bushings[0].p_CM_C;
  auto forces = [&](const Eigen::VectorXd& nu_B) {  // generalized forces, body coordinates
    for (int b = 0; b < 2; ++b) {
      const Vec3 v_W = q_W * Vec3(nu_B.segment<3>(6 * b));
      const Vec3 w_W = q_W * Vec3(nu_B.segment<3>(6 * b + 3));
      SetBodyState(*m, d, b, b == 0 ? p_lower : p_upper, q_W, v_W, w_W);
    }
    CalcOutputs(*m, d);
    Eigen::VectorXd F(12);
    for (int b = 0; b < 2; ++b) {
      F.segment<3>(6 * b) = q_W.conjugate() * d.f_B_W[b];
      F.segment<3>(6 * b + 3) = q_W.conjugate() * d.tau_B_W[b];
    }
    return F;
  };
  const Eigen::VectorXd F0 = forces(Eigen::VectorXd::Zero(12));
  EXPECT_LT(F0.norm(), 1e-9) << "undeflected at rest";
  for (int j = 0; j < 12; ++j) {
    const double eps = 1e-4;
    const Eigen::VectorXd dF = (forces(eps * Eigen::VectorXd::Unit(12, j)) - F0) / eps;
    for (int i = 0; i < 12; ++i) EXPECT_NEAR(dF[i], -D(i, j), 1e-6 * (1 + std::abs(D(i, j)))) << i << "," << j;
  }
}

TEST(ImplicitDamping, SingleBushingByHand) {
  Model m;
  Body b;
  b.name = "b";
  b.mass_kg = 1;
  b.I_Bcm_B = Mat3::Identity() * 0.01;
  m.bodies.push_back(b);
  Bushing k;
  k.name = "k";
  k.parent = kWorld;
  k.child = 0;
  k.p_CM_C = Vec3(0, 0, 0.1);
  k.c_trans_Ns_m = Vec3(100, 200, 300);
  k.c_rot_Nms_rad = Vec3(1, 2, 3);
  m.bushings.push_back(k);
  const auto model = FinalizeModel(std::move(m));
  Eigen::MatrixXd D;
  BushingDampingMatrix(*model, D);
  const Mat3 Ct = Vec3(100, 200, 300).asDiagonal();
  const Mat3 P = CrossMatrix(Vec3(0, 0, 0.1));
  const Mat3 Dvv = D.block<3, 3>(0, 0), Dvw = D.block<3, 3>(0, 3), Dww = D.block<3, 3>(3, 3);
  EXPECT_TRUE(Dvv.isApprox(Ct));
  EXPECT_TRUE(Dvw.isApprox(-Ct * P));
  const Mat3 Dww_hand = P.transpose() * Ct * P + Mat3(Vec3(1, 2, 3).asDiagonal());
  EXPECT_TRUE(Dww.isApprox(Dww_hand));
  // A rotation about x at the COM moves the joint (10 cm above it) along -y: its damping
  // torque about x is 0.1^2 x 200 (the y damper) plus the rotational 1.
  EXPECT_NEAR(D(3, 3), 0.01 * 200 + 1, 1e-12);
}

TEST(ImplicitDamping, RigidMotionOfTheChainIsNotDamped) {
  // A rigid translation and a rigid rotation of both bodies about the lower COM (velocities in
  // each body's frame, the frames aligned) deflect nothing: D times them is zero.
  const auto m = TwoBodies();
  Eigen::MatrixXd D;
  BushingDampingMatrix(*m, D);
  Eigen::VectorXd nu = Eigen::VectorXd::Zero(12);
  nu.segment<3>(0) = Vec3(0.3, -0.2, 0.5);
  nu.segment<3>(6) = Vec3(0.3, -0.2, 0.5);
  EXPECT_LT((D * nu).norm(), 1e-12);
  const Vec3 w(0.4, -0.7, 0.2);
  const Vec3 r_upper = m->bushings[0].p_PF_P - m->bushings[0].p_CM_C;  // upper COM from lower COM
  nu.setZero();
  nu.segment<3>(3) = w;
  nu.segment<3>(6) = w.cross(r_upper);
  nu.segment<3>(9) = w;
  EXPECT_LT((D * nu).norm(), 1e-10);
}

}  // namespace
}  // namespace sl

namespace sl {
namespace {

// Oracle for the block-tree factor: Eigen's dense Cholesky of the same matrix.
Eigen::VectorXd SolveBothWays(const Model& m, Data& d, double h_half, const Eigen::VectorXd& rhs, bool* was_tree) {
  *was_tree = d.scratch.damping_tree;
  FactorImplicitDamping(m, d, h_half);
  Eigen::VectorXd x_tree(rhs.size()), x_dense(rhs.size());
  SolveImplicitDamping(d, rhs, x_tree);
  d.scratch.damping_tree = false;
  FactorImplicitDamping(m, d, h_half);
  SolveImplicitDamping(d, rhs, x_dense);
  d.scratch.damping_tree = *was_tree;
  return x_tree - x_dense;
}

std::shared_ptr<const Model> Chain(int n, bool close_loop) {
  Model m;
  for (int i = 0; i < n; ++i) {
    Body b;
    b.name = "b" + std::to_string(i);
    b.mass_kg = 1.0 + 0.3 * i;
    b.I_Bcm_B = Vec3(0.01, 0.012, 0.008 + 0.001 * i).asDiagonal();
    m.bodies.push_back(b);
  }
  auto join = [&](int p, int c) {
    Bushing k;
    k.name = "k" + std::to_string(p) + std::to_string(c);
    k.parent = p;
    k.child = c;
    k.p_PF_P = Vec3(0.01 * c, 0, 0.02);
    k.q_PF = Quat(Eigen::AngleAxisd(0.1 * c, Vec3::UnitY()));
    k.p_CM_C = Vec3(0, 0.005 * p, -0.02);
    k.q_CM = k.q_PF;
    k.c_trans_Ns_m = Vec3(300, 300, 1500);
    k.c_rot_Nms_rad = Vec3(20, 20, 20);
    m.bushings.push_back(k);
  };
  for (int i = 0; i + 1 < n; ++i) join(i, i + 1);
  join(0, n - 1 > 1 ? 2 : 1);  // a branch (0 - 2 when n > 2) ...
  if (!close_loop) m.bushings.pop_back();
  return FinalizeModel(std::move(m));
}

TEST(ImplicitDamping, TreeFactorSolvesLikeTheDenseCholesky) {
  const auto m = Chain(5, false);
  Data d = MakeData(*m);
  ASSERT_TRUE(d.scratch.damping_tree) << "a chain is a tree";
  bool tree = false;
  const Eigen::VectorXd rhs = Eigen::VectorXd::LinSpaced(30, -1.0, 2.0).array().sin();
  const Eigen::VectorXd diff = SolveBothWays(*m, d, 2.5e-4, rhs, &tree);
  EXPECT_TRUE(tree);
  EXPECT_LT(diff.norm(), 1e-12 * rhs.norm() * 1e3);
}

TEST(ImplicitDamping, ALoopFallsBackToTheDenseFactor) {
  const auto m = Chain(4, true);  // 0-1-2-3 plus 0-2: a cycle
  Data d = MakeData(*m);
  EXPECT_FALSE(d.scratch.damping_tree);
  FactorImplicitDamping(*m, d, 2.5e-4);
  Eigen::VectorXd x(24);
  const Eigen::VectorXd rhs = Eigen::VectorXd::Ones(24);
  SolveImplicitDamping(d, rhs, x);
  // Residual against the matrix assembled by hand: M + h/2 D.
  Eigen::MatrixXd A = 2.5e-4 * d.scratch.damping_D;
  for (int b = 0; b < 4; ++b) {
    A.block<3, 3>(6 * b, 6 * b) += m->bodies[b].mass_kg * Mat3::Identity();
    A.block<3, 3>(6 * b + 3, 6 * b + 3) += m->bodies[b].I_Bcm_B;
  }
  EXPECT_LT((A * x - rhs).norm(), 1e-10);
}

}  // namespace
}  // namespace sl
