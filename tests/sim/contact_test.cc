// Oracle: hand-derived normal force of the power-law law, regularized Coulomb friction, the
// series split of two layers, and plane geometry for a cambered road.
#include "sim/contact.h"

#include <array>
#include <cmath>

#include <gtest/gtest.h>

namespace sl {
namespace {

BodyKinematics PointAt(const Vec3& p, const Vec3& v) {
  return BodyKinematics{p, Quat::Identity(), Mat3::Identity(), v, Vec3::Zero()};
}

ContactPoint Point() {
  ContactPoint c;
  c.name = "heel";
  c.body = 0;
  c.layers[0] = ContactLayer{"ground", 1e5, 1.0, 1000.0, 0.0};
  c.friction_coefficient = 0.8;
  c.slip_damping_Ns_m = 5000;
  return c;
}

const PlaneTerrain kFlat(Vec3::Zero(), Vec3::UnitZ());

TEST(Contact, NormalForceAtPenetrationAndRate) {
  // d = 2 mm, dd = 0.1 m/s: Fn = 1e5 * 0.002 + 1000 * 0.1 = 300 N.
  const ContactOutput o = CalcContact(Point(), kFlat, PointAt(Vec3(0, 0, -0.002), Vec3(0, 0, -0.1)));
  EXPECT_NEAR(o.penetration_m, 0.002, 1e-15);
  EXPECT_NEAR(o.normal_N, 300.0, 1e-9);
  EXPECT_NEAR(o.potential_J, 0.5 * 1e5 * 4e-6, 1e-12);
}

TEST(Contact, NeverPulls) {
  // Leaving fast: k d + c dd = 200 - 1000 < 0 -> 0.
  const ContactOutput o = CalcContact(Point(), kFlat, PointAt(Vec3(0, 0, -0.002), Vec3(0, 0, 1.0)));
  EXPECT_EQ(o.normal_N, 0.0);
  EXPECT_EQ(o.f_W.norm(), 0.0);
  EXPECT_EQ(CalcContact(Point(), kFlat, PointAt(Vec3(0, 0, 0.01), Vec3::Zero())).normal_N, 0.0);
}

TEST(Contact, CoulombFrictionAtSlipAndViscousBelowIt) {
  // Fn = 200 N. Sliding at 0.5 m/s along x: c_slip |v| = 2500 N > mu Fn = 160 N -> -160 N.
  ContactOutput o = CalcContact(Point(), kFlat, PointAt(Vec3(0, 0, -0.002), Vec3(0.5, 0, 0)));
  EXPECT_NEAR(o.friction_W.x(), -160.0, 1e-9);
  EXPECT_NEAR(o.friction_W.y(), 0.0, 1e-12);
  // Creeping at 0.01 m/s along y: 5000 * 0.01 = 50 N < 160 N -> viscous -50 N.
  o = CalcContact(Point(), kFlat, PointAt(Vec3(0, 0, -0.002), Vec3(0, 0.01, 0)));
  EXPECT_NEAR(o.friction_W.y(), -50.0, 1e-9);
}

TEST(Contact, CamberedPlaneMeasuresPenetrationAlongItsNormal) {
  const double camber = 0.05;  // rad, road rising to the left
  const PlaneTerrain road = PlaneTerrain::Cambered(camber);
  // A point 1 m to the left at z = 0 is below the surface z = tan(camber) by
  // tan(camber) * cos(camber) = sin(camber) along the normal.
  const ContactOutput o = CalcContact(Point(), road, PointAt(Vec3(0, 1.0, 0), Vec3::Zero()));
  EXPECT_NEAR(o.penetration_m, std::sin(camber), 1e-15);
  EXPECT_NEAR(o.f_W.y(), -o.normal_N * std::sin(camber), 1e-9);  // pushes down-slope (right)
}

TEST(Contact, SeriesLayersShareTheLoadLikeSeriesSprings) {
  ContactPoint c = Point();
  c.n_layers = 2;
  c.layers[0] = ContactLayer{"shoe", 1e5, 1.0, 0.0, 0.0};
  c.layers[1] = ContactLayer{"surface", 4e5, 1.0, 0.0, 0.0};
  // k_eq = 1e5 * 4e5 / 5e5 = 8e4 N/m; d = 5 mm -> 400 N; shoe takes 4 mm, surface 1 mm.
  const ContactOutput o = CalcContact(c, kFlat, PointAt(Vec3(0, 0, -0.005), Vec3::Zero()));
  EXPECT_NEAR(o.normal_N, 400.0, 1e-9);
  EXPECT_NEAR(o.layer_deflection_m[0], 0.004, 1e-12);
  EXPECT_NEAR(o.layer_deflection_m[1], 0.001, 1e-12);
}

TEST(Contact, NonlinearSeriesSplitEqualisesLayerForces) {
  const ContactLayer shoe{"shoe", 1e6, 1.56, 0.0, 0.0};  // Liu & Nigg 2000 soft shoe
  const ContactLayer grass{"surface", 3.5e5, 1.0, 0.0, 0.0};
  const double d = 0.012;
  const double d0 = SplitSeriesDeflection(shoe, grass, d);
  EXPECT_GT(d0, 0.0);
  EXPECT_LT(d0, d);
  EXPECT_NEAR(LayerElasticForce(shoe, d0), LayerElasticForce(grass, d - d0), 1e-7);
}

TEST(Contact, ThreeSeriesLayersShareTheLoadLikeSeriesSprings) {
  ContactPoint c = Point();
  c.n_layers = 3;
  c.layers[0] = ContactLayer{"heel_pad", 2e5, 1.0, 0.0, 0.0};
  c.layers[1] = ContactLayer{"shoe", 1e5, 1.0, 0.0, 0.0};
  c.layers[2] = ContactLayer{"surface", 4e5, 1.0, 0.0, 0.0};
  // Hand-derived: 1/k_eq = (2 + 4 + 1) / 4e5 -> k_eq = 4e5 / 7 N/m; d = 7 mm -> 400 N;
  // deflections 400/2e5 = 2 mm, 400/1e5 = 4 mm, 400/4e5 = 1 mm.
  const ContactOutput o = CalcContact(c, kFlat, PointAt(Vec3(0, 0, -0.007), Vec3::Zero()));
  EXPECT_NEAR(o.normal_N, 400.0, 1e-8);
  EXPECT_NEAR(o.layer_deflection_m[0], 0.002, 1e-12);
  EXPECT_NEAR(o.layer_deflection_m[1], 0.004, 1e-12);
  EXPECT_NEAR(o.layer_deflection_m[2], 0.001, 1e-12);
  // Elastic energy: sum of F^2 / (2 k_i) = 400^2 / 2 x (1/2e5 + 1/1e5 + 1/4e5) = 1.4 J.
  EXPECT_NEAR(o.potential_J, 1.4, 1e-9);
}

TEST(Contact, ThreeNonlinearLayersCarryOneForce) {
  // A strongly stiffening heel pad (p = 4), the Liu & Nigg soft shoe (p = 1.56) and grass.
  const std::array<ContactLayer, 3> L = {ContactLayer{"heel_pad", 3.9e9, 4.0, 0.0, 0.0},
                                         ContactLayer{"shoe", 1e6, 1.56, 0.0, 0.0},
                                         ContactLayer{"surface", 3.5e5, 1.0, 0.0, 0.0}};
  for (double d : {1e-4, 0.005, 0.02, 0.05}) {
    double x[3];
    SplitSeriesDeflections(L.data(), 3, d, x);
    EXPECT_NEAR(x[0] + x[1] + x[2], d, 1e-15) << d;
    const double F = LayerElasticForce(L[1], x[1]);
    EXPECT_NEAR(LayerElasticForce(L[0], x[0]), F, 1e-9 * (1 + F)) << d;
    EXPECT_NEAR(LayerElasticForce(L[2], x[2]), F, 1e-9 * (1 + F)) << d;
  }
}

TEST(Contact, SeriesDampingDissipatesLikeTheLayersSum) {
  ContactPoint c = Point();
  c.n_layers = 2;
  c.layers[0] = ContactLayer{"shoe", 1e5, 1.0, 300.0, 0.0};
  c.layers[1] = ContactLayer{"surface", 3e5, 1.0, 900.0, 0.0};
  // Rate split s = (0.75, 0.25); c_eff = 300 * 0.5625 + 900 * 0.0625 = 225 N·s/m.
  const ContactOutput o = CalcContact(c, kFlat, PointAt(Vec3(0, 0, -0.004), Vec3(0, 0, -0.2)));
  EXPECT_NEAR(o.normal_N, 7.5e4 * 0.004 + 225 * 0.2, 1e-9);
  EXPECT_NEAR(o.dissipation_W, 225 * 0.04, 1e-9);
}

}  // namespace
}  // namespace sl
