// Oracle: hand-derived normal force of the power-law law, regularized Coulomb friction, the
// elasto-plastic stick-slip law (spring to an anchor, limited to mu Fn), the series split of
// two layers, and plane geometry for a cambered road.
#include "sim/contact.h"

#include <array>
#include <cmath>

#include <gtest/gtest.h>

#include "sim/dynamics.h"
#include "sim/energy.h"
#include "sim/integrator.h"
#include "tests/oracles.h"

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

ContactPoint StickPoint() {
  ContactPoint c = Point();
  c.tangential_stiffness_N_m = 1e5;
  c.slip_damping_Ns_m = 500;
  return c;
}

TEST(Contact, StuckPointIsHeldByItsSpringAndDamper) {
  // Fn = 200 N, limit mu Fn = 160 N. The point is 1 mm ahead of its anchor (and 2 mm deep:
  // only the tangential part counts) moving on at 0.05 m/s:
  // Ft = -1e5 x 0.001 - 500 x 0.05 = -125 N, within the limit: stuck.
  const Vec3 anchor(-0.001, 0, 0.003);
  const ContactOutput o = CalcContact(StickPoint(), kFlat, PointAt(Vec3(0, 0, -0.002), Vec3(0.05, 0, 0)),
                                      ContactMode::kAuto, &anchor);
  EXPECT_NEAR(o.friction_W.x(), -125.0, 1e-9);
  EXPECT_NEAR(o.anchor_offset_W.x(), 0.001, 1e-15);
  EXPECT_NEAR(o.anchor_offset_W.z(), 0.0, 1e-15);
  EXPECT_NEAR(o.friction_damping_Ns_m, 500.0, 1e-12);
  // Elastic: normal 0.5 x 1e5 x 0.002^2 = 0.2 J plus tangential 0.5 x 1e5 x 0.001^2 = 0.05 J.
  EXPECT_NEAR(o.potential_J, 0.25, 1e-12);
  EXPECT_NEAR(o.dissipation_W, 500 * 0.05 * 0.05, 1e-12);
  // Moving back towards the anchor: the damper opposes, the spring still pulls back.
  const ContactOutput back = CalcContact(StickPoint(), kFlat, PointAt(Vec3(0, 0, -0.002), Vec3(-0.05, 0, 0)),
                                         ContactMode::kAuto, &anchor);
  EXPECT_NEAR(back.friction_W.x(), -100.0 + 25.0, 1e-9);
}

TEST(Contact, SlidingPointDragsItsAnchorAtTheCoulombLimit) {
  // 5 mm from the anchor: the spring alone would pull 500 N > mu Fn = 160 N. The offset is
  // limited to 160 / 1e5 = 1.6 mm and the force to 160 N along -(k s + c v).
  const Vec3 anchor(-0.003, -0.004, 0);
  const ContactOutput o = CalcContact(StickPoint(), kFlat, PointAt(Vec3(0, 0, -0.002), Vec3::Zero()),
                                      ContactMode::kAuto, &anchor);
  EXPECT_NEAR(o.anchor_offset_W.norm(), 0.0016, 1e-15);
  EXPECT_NEAR(o.anchor_offset_W.x() / o.anchor_offset_W.y(), 0.75, 1e-12);  // along the offset
  EXPECT_NEAR(o.friction_W.norm(), 160.0, 1e-9);
  EXPECT_NEAR(o.friction_W.x(), -160.0 * 0.6, 1e-9);
  EXPECT_NEAR(o.friction_W.y(), -160.0 * 0.8, 1e-9);
  // Sliding on at 1 m/s along x: the spring holds 160 N along -s, the damper adds 500 N along
  // -x; the sum is limited to 160 N. Its work is heat: 160 N x (its share along v) x 1 m/s.
  const ContactOutput slide = CalcContact(StickPoint(), kFlat, PointAt(Vec3(0, 0, -0.002), Vec3(1, 0, 0)),
                                          ContactMode::kAuto, &anchor);
  const Vec3 f = -1e5 * o.anchor_offset_W - 500 * Vec3(1, 0, 0);
  EXPECT_NEAR((slide.friction_W - 160.0 * f / f.norm()).norm(), 0.0, 1e-9);
  EXPECT_NEAR(slide.dissipation_W, -slide.friction_W.x(), 1e-9);
  EXPECT_GT(slide.dissipation_W, 0.0);
  EXPECT_NEAR(slide.friction_damping_Ns_m, 500.0 * 160.0 / f.norm(), 1e-9);
}

TEST(Contact, WithoutAnAnchorTheStickSpringCarriesNothing) {
  // A point just touching down (no anchor yet): only the damper, limited to mu Fn.
  const ContactOutput o = CalcContact(StickPoint(), kFlat, PointAt(Vec3(0, 0, -0.002), Vec3(0.1, 0, 0)));
  EXPECT_NEAR(o.friction_W.x(), -50.0, 1e-9);
  EXPECT_EQ(o.anchor_offset_W.norm(), 0.0);
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

// ---- the stick-slip law through time: a 1 kg block (one contact point at its centre) ----

constexpr double kG = 9.81, kBlockKg = 1.0, kNormalK = 1e5;

// A block on a plane through the origin tilted by slope_rad about y (downhill along +x).
// k_t = 0 gives the regularized Coulomb law with c_slip = c_t.
std::shared_ptr<const Model> BlockOnSlope(double slope_rad, double mu, double k_t, double c_t) {
  Model m;
  Body b;
  b.name = "block";
  b.mass_kg = kBlockKg;
  b.I_Bcm_B = Mat3::Identity() * 1e-3;
  m.bodies.push_back(b);
  m.terrains.push_back(std::make_shared<PlaneTerrain>(Vec3::Zero(), Vec3(std::sin(slope_rad), 0, std::cos(slope_rad))));
  ContactPoint c = Point();
  c.layers[0] = ContactLayer{"ground", kNormalK, 1.0, 600.0, 0.0};  // zeta ~ 1 in the normal
  c.friction_coefficient = mu;
  c.slip_damping_Ns_m = c_t;
  c.tangential_stiffness_N_m = k_t;
  m.contacts.push_back(c);
  return FinalizeModel(std::move(m));
}

// Rest at the normal's static deflection on the slope; returns the downhill unit vector.
Vec3 RestOnSlope(const Model& m, Data& d, double slope_rad, const Vec3& v_W = Vec3::Zero()) {
  const Vec3 n(std::sin(slope_rad), 0, std::cos(slope_rad));
  const double deflection = kBlockKg * kG * std::cos(slope_rad) / kNormalK;
  SetBodyState(m, d, 0, -deflection * n, Quat::Identity(), v_W, Vec3::Zero());
  return Vec3(std::cos(slope_rad), 0, -std::sin(slope_rad));
}

IntegratorOptions FineSteps() {
  IntegratorOptions o;
  o.step_s = 1e-4;
  return o;
}

TEST(ContactStickSlip, ABlockWithinFrictionStaysPutWhereTheViscousLawCreeps) {
  // Slope 0.2 rad (tan 0.20 < mu 0.8). Downhill load m g sin(0.2) = 1.949 N.
  const double slope = 0.2, load = kBlockKg * kG * std::sin(slope);
  // Stick-slip, k_t = 1e4 N/m, c = 200 N·s/m (critical): at rest with offset load / k_t.
  {
    const auto m = BlockOnSlope(slope, 0.8, 1e4, 200);
    Data d = MakeData(*m);
    const Vec3 t = RestOnSlope(*m, d, slope);
    const Vec3 p0 = p_WB(d.qpos, 0);
    Advance(*m, FineSteps(), d, 1.0);
    EXPECT_NEAR((p_WB(d.qpos, 0) - p0).dot(t), load / 1e4, 0.01 * load / 1e4);
    EXPECT_LT(v_WB_W(d.qvel, 0).norm(), 1e-6);
    ASSERT_EQ(d.contact_anchored[0], 1);
    EXPECT_NEAR((p0 - d.contact_anchor_W[0]).dot(t), 0.0, 1e-7);  // where it was put down
  }
  // Regularized Coulomb with c_slip = 200: it creeps downhill at load / c_slip = 9.75 mm/s.
  {
    const auto m = BlockOnSlope(slope, 0.8, 0.0, 200);
    Data d = MakeData(*m);
    const Vec3 t = RestOnSlope(*m, d, slope);
    Advance(*m, FineSteps(), d, 1.0);
    EXPECT_NEAR(v_WB_W(d.qvel, 0).dot(t), load / 200, 1e-3 * load / 200);
  }
}

TEST(ContactStickSlip, EveryIntegratorMovesTheAnchorAfterItsSteps) {
  // The same stuck block (offset load / k_t, at rest) with each method; the slide of the
  // next test (the anchor dragged mu Fn / k_t behind) likewise.
  for (IntegratorKind kind : {IntegratorKind::kSemiImplicitEuler, IntegratorKind::kRk4, IntegratorKind::kDopri5,
                              IntegratorKind::kRos2, IntegratorKind::kRos34pw2,
                              IntegratorKind::kImplicitDampingVerlet}) {
    IntegratorOptions o = FineSteps();
    o.kind = kind;
    const double slope = 0.2, load = kBlockKg * kG * std::sin(slope);
    const auto m = BlockOnSlope(slope, 0.8, 1e4, 200);
    Data d = MakeData(*m);
    const Vec3 t = RestOnSlope(*m, d, slope);
    const Vec3 p0 = p_WB(d.qpos, 0);
    Advance(*m, o, d, 1.0);
    EXPECT_NEAR((p_WB(d.qpos, 0) - p0).dot(t), load / 1e4, 0.01 * load / 1e4) << IntegratorName(kind);
    EXPECT_LT(v_WB_W(d.qvel, 0).norm(), 1e-6) << IntegratorName(kind);

    const double steep = 0.5, mu = 0.3;
    const auto m2 = BlockOnSlope(steep, mu, 1e4, 200);
    Data d2 = MakeData(*m2);
    const Vec3 t2 = RestOnSlope(*m2, d2, steep);
    Advance(*m2, o, d2, 0.5);
    const double limit = mu * kBlockKg * kG * std::cos(steep) / 1e4;
    EXPECT_NEAR((p_WB(d2.qpos, 0) - d2.contact_anchor_W[0]).dot(t2), limit, 1e-2 * limit) << IntegratorName(kind);
  }
}

TEST(ContactStickSlip, BeyondFrictionItSlidesWithTheCoulombAcceleration) {
  // Slope 0.5 rad, mu 0.3 < tan 0.5: a = g (sin 0.5 - 0.3 cos 0.5) = 2.120 m/s^2, the anchor
  // dragged mu Fn / k_t behind.
  const double slope = 0.5, mu = 0.3, k_t = 1e4;
  const auto m = BlockOnSlope(slope, mu, k_t, 200);
  Data d = MakeData(*m);
  const Vec3 t = RestOnSlope(*m, d, slope);
  Advance(*m, FineSteps(), d, 0.5);
  const double v1 = v_WB_W(d.qvel, 0).dot(t);
  Advance(*m, FineSteps(), d, 1.0);
  const double v2 = v_WB_W(d.qvel, 0).dot(t);
  const double a = kG * (std::sin(slope) - mu * std::cos(slope));
  EXPECT_NEAR((v2 - v1) / 0.5, a, 1e-3 * a);
  const double fn = kBlockKg * kG * std::cos(slope);
  const Vec3 offset = p_WB(d.qpos, 0) - d.contact_anchor_W[0];
  EXPECT_NEAR(offset.dot(t), mu * fn / k_t, 1e-3 * mu * fn / k_t);
}

TEST(ContactStickSlip, AStuckBlockOscillatesOnItsTangentialSpring) {
  // Flat ground, anchored where it stands, pushed at v0 = 0.01 m/s: the spring's peak
  // v0 sqrt(k m) = 1 N stays below mu m g = 7.8 N, so it is the damped oscillator
  // (k = 1e4 N/m, c = 2 N·s/m) in closed form, and its energy (kinetic, elastic in the
  // contact, gravity) plus the heat stays constant.
  const double k_t = 1e4, c_t = 2.0, v0 = 0.01;
  const auto m = BlockOnSlope(0.0, 0.8, k_t, c_t);
  Data d = MakeData(*m);
  RestOnSlope(*m, d, 0.0, Vec3(v0, 0, 0));
  d.contact_anchor_W[0] = p_WB(d.qpos, 0);
  d.contact_anchored[0] = 1;
  CalcOutputs(*m, d);
  const double e0 = KineticEnergy(*m, d) + PotentialEnergy(*m, d);
  double heat = 0, p_prev = DissipatedPower(*m, d), worst = 0;
  const IntegratorOptions o = FineSteps();
  for (int i = 1; i <= 2000; ++i) {
    Advance(*m, o, d, i * 1e-4);
    CalcOutputs(*m, d);
    const double p = DissipatedPower(*m, d);
    heat += 0.5 * (p + p_prev) * 1e-4;
    p_prev = p;
    worst = std::max(worst, std::abs(p_WB(d.qpos, 0).x() - oracles::DampedOscillator(kBlockKg, c_t, k_t, 0, v0, d.t_s)));
  }
  EXPECT_LT(worst, 1e-3 * v0 / 100.0);  // 0.1 % of the amplitude v0 / omega = 0.1 mm
  const double e1 = KineticEnergy(*m, d) + PotentialEnergy(*m, d);
  EXPECT_GT(heat, 0.1 * 0.5 * kBlockKg * v0 * v0);  // zeta = 0.01 over 3 periods: ~30 % gone
  EXPECT_NEAR(e1 + heat, e0, 1e-3 * 0.5 * kBlockKg * v0 * v0);
}

TEST(ContactStickSlip, LiftOffReleasesTheAnchorAndTheNextLandingTiesItAgain) {
  // Lands at 1 m/s forward, 0.5 m/s down, mu 0.8: slides until the friction stops it, then
  // sticks. Thrown up again: the anchor is released in flight and re-tied where it lands.
  const auto m = BlockOnSlope(0.0, 0.8, 1e5, 600);
  Data d = MakeData(*m);
  SetBodyState(*m, d, 0, Vec3(0, 0, 0.01), Quat::Identity(), Vec3(1.0, 0, -0.5), Vec3::Zero());
  const IntegratorOptions o = FineSteps();
  Advance(*m, o, d, 0.5);
  ASSERT_EQ(d.contact_anchored[0], 1);
  EXPECT_LT(std::abs(v_WB_W(d.qvel, 0).x()), 1e-6);
  const double stop_x = p_WB(d.qpos, 0).x();
  // Coulomb bounds: the landing's normal impulse (at least the 0.5 N·s that stops the fall,
  // near-critical damping: no rebound) takes up to mu x 0.5 = 0.4 m/s, then it slides
  // v^2 / (2 mu g): between 0.6^2 / 15.7 = 2.3 cm and 1 / 15.7 = 6.4 cm.
  EXPECT_GT(stop_x, 0.95 * 0.36 / (2 * 0.8 * kG));
  EXPECT_LT(stop_x, 1.0 / (2 * 0.8 * kG));
  EXPECT_NEAR(d.contact_anchor_W[0].x(), stop_x, 1e-6);
  v_WB_W(d.qvel, 0) = Vec3(0.5, 0, 1.0);
  Advance(*m, o, d, 0.6);
  EXPECT_GT(p_WB(d.qpos, 0).z(), 0.0);
  EXPECT_EQ(d.contact_anchored[0], 0);
  Advance(*m, o, d, 1.5);
  ASSERT_EQ(d.contact_anchored[0], 1);
  EXPECT_GT(d.contact_anchor_W[0].x(), stop_x + 0.5 * 0.2 * 0.9);  // ~0.2 s of flight at 0.5 m/s
  EXPECT_NEAR(d.contact_anchor_W[0].x(), p_WB(d.qpos, 0).x(), 1e-6);
}

}  // namespace
}  // namespace sl
