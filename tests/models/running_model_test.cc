// Oracles: the model's construction rules, derived by hand from the data sheet
// (../shared/docs/biomech-data.md): mass balance, Legaye's PI = PT + SS with lordosis
// compensation, Ferris 1999 constant series stiffness, Cook 1985-based shoe wear, road
// camber geometry, seeded terrain, an undeflected spine in the built posture, Farley & Gonzalez
// 1996 leg stiffness against step rate, van Oeveren 2017's self-selected cadence, and
// muscle moment arms from runner.yaml.
#include "models/running_model.h"

#include <cmath>

#include <gtest/gtest.h>

#include "sim/dynamics.h"

namespace sl {
namespace {

const Library& Lib() {
  static const Library lib = LoadLibrary(DefaultModelsDir());
  return lib;
}
constexpr double kDeg = M_PI / 180.0;

RunningModel Build(const Scenario& s) { return BuildRunningModel(Lib(), s); }

TEST(RunningModel, MassesAddUpToTheRunnerPlusShoes) {
  for (double mass : {55.0, 70.0, 95.0}) {
    Scenario s;
    s.body_mass_kg = mass;
    const RunningModel rm = Build(s);
    double total = 0;
    for (const Body& b : rm.model->bodies) total += b.mass_kg;
    EXPECT_NEAR(total, mass + 2 * Lib().shoes.at("neutral").mass_kg, 1e-9);
  }
}

TEST(RunningModel, TheFootIsALightBodyOnABallJointUnderTheShank) {
  // Oracle: de Leva 1996 foot mass (1.37 % of body mass) plus the shoe; shank + its soft
  // tissue + foot = the documented lower mass (0.08 x body mass, Clark 2017) plus the shoe; the ankle joint is
  // free in pitch (the controller's plantarflexor couple holds it) and ties roll and yaw.
  const RunningModel rm = Build(Scenario{});
  const double shoe = Lib().shoes.at("neutral").mass_kg;
  for (int s = 0; s < 2; ++s) {
    const double foot = rm.model->bodies[rm.sole[s]].mass_kg, shank = rm.model->bodies[rm.ankle[s]].mass_kg;
    const double tissue = rm.model->bodies[rm.soft_tissue[s]].mass_kg;
    EXPECT_NEAR(foot, 0.0137 * 70.0 + shoe, 1e-9);
    EXPECT_NEAR(foot + shank + tissue, 0.08 * 70.0 + shoe, 1e-9);
    for (int c : rm.foot_contacts[s]) EXPECT_EQ(rm.model->contacts[c].body, rm.sole[s]);
    const Bushing& ankle = rm.model->bushings[rm.ankle_bushing[s]];
    EXPECT_EQ(ankle.parent, rm.ankle[s]);
    EXPECT_EQ(ankle.child, rm.sole[s]);
    EXPECT_EQ(ankle.k_rot_Nm_rad.y(), 0.0);  // pitch free
    EXPECT_GT(ankle.k_rot_Nm_rad.x(), 0.0);
    EXPECT_GT(ankle.k_rot_Nm_rad.z(), 0.0);
    EXPECT_EQ(rm.model->lines[rm.leg_line[s]].body_b, rm.ankle[s]);  // the leg spring ends at the ankle
    // The lumped shank turns with the pelvis: a rotational tie, no translation.
    const Bushing& tie = rm.model->bushings[rm.shank_orientation_bushing[s]];
    EXPECT_EQ(tie.parent, rm.pelvis);
    EXPECT_EQ(tie.child, rm.ankle[s]);
    EXPECT_EQ(tie.k_trans_N_m.norm(), 0.0);
    EXPECT_GT(tie.k_rot_Nm_rad.minCoeff(), 10.0 * ankle.k_rot_Nm_rad.maxCoeff());
  }
}

TEST(RunningModel, ShankSoftTissueIsLiuAndNiggsWobblingMass) {
  // Oracle: Liu & Nigg 2000 (data sheet 3a): the lower wobbling mass is 6.00 of 12.15 kg of the
  // lower mass (share 0.49), coupled by k2 = 6 kN/m and c2 = 650 N·s/m; here for a 70 kg
  // runner (the coupling scales with body mass, runner.yaml's reference is 70 kg) and for a
  // 105 kg one (x 1.5). A share of 0 leaves the shank rigid: no soft-tissue body.
  for (double mass : {70.0, 105.0}) {
    Scenario sc;
    sc.body_mass_kg = mass;
    const RunningModel rm = Build(sc);
    for (int s = 0; s < 2; ++s) {
      ASSERT_GE(rm.soft_tissue[s], 0);
      EXPECT_NEAR(rm.model->bodies[rm.soft_tissue[s]].mass_kg, 0.49 * 0.08 * mass, 1e-9);
      int found = 0;
      for (const Bushing& b : rm.model->bushings) {
        if (b.child != rm.soft_tissue[s]) continue;
        ++found;
        EXPECT_EQ(b.parent, rm.ankle[s]);
        for (int i = 0; i < 3; ++i) {
          EXPECT_NEAR(b.k_trans_N_m[i], 6000.0 * mass / 70.0, 1e-9);
          EXPECT_NEAR(b.c_trans_Ns_m[i], 650.0 * mass / 70.0, 1e-9);
        }
      }
      EXPECT_EQ(found, 1);
    }
  }
  Library rigid = Lib();
  rigid.runner.shank_soft_tissue_share = 0;
  const RunningModel rm = BuildRunningModel(rigid, Scenario{});
  EXPECT_EQ(rm.soft_tissue[0], -1);
  EXPECT_EQ(rm.soft_tissue[1], -1);
  double lower = 0;
  for (int s = 0; s < 2; ++s) lower += rm.model->bodies[rm.ankle[s]].mass_kg + rm.model->bodies[rm.sole[s]].mass_kg;
  EXPECT_NEAR(lower, 2 * (0.08 * 70.0 + Lib().shoes.at("neutral").mass_kg), 1e-9);
}

TEST(RunningModel, PelvicTiltMovesSacralSlopeOneToOneAndLordosisFollows) {
  Scenario a, b;
  a.pelvic_tilt_deg = 15;
  b.pelvic_tilt_deg = 25;
  const RunningModel ra = Build(a), rb = Build(b);
  // Legaye: PI fixed, so an anterior rotation of 10 deg raises SS by 10 deg ...
  EXPECT_NEAR((rb.sacral_slope_rad - ra.sacral_slope_rad) / kDeg, 10.0, 1e-9);
  // ... and at the same trunk lean the lumbar lordosis grows by the same 10 deg.
  EXPECT_NEAR((rb.lumbar_lordosis_rad - ra.lumbar_lordosis_rad) / kDeg, 10.0, 1e-9);
  // Standing reference: SS 40 deg at the reference tilt; the baseline (lean 7 deg) runs with
  // 0.85 x the standing lordosis of 50 deg.
  EXPECT_NEAR(ra.sacral_slope_rad / kDeg, 40.0, 1e-9);
  EXPECT_NEAR(ra.lumbar_lordosis_rad / kDeg, 0.85 * 50.0, 1e-9);
  // The L5/S1 disc tilts forward more with more tilt (more anterior shear from the trunk's weight).
  EXPECT_GT(rb.disc_angle_rad[0], ra.disc_angle_rad[0]);
}

TEST(RunningModel, ForwardLeanFlattensTheLordosis) {
  Scenario a, b;
  a.trunk_lean_deg = 2;
  b.trunk_lean_deg = 14;
  EXPECT_NEAR((Build(a).lumbar_lordosis_rad - Build(b).lumbar_lordosis_rad) / kDeg, 12.0, 1e-9);
}

TEST(RunningModel, LegStiffnessKeepsTheSeriesStiffnessConstant) {
  // Ferris et al. 1999: runners keep leg + surface (here + shoe) stiffness nearly constant.
  double series_ref = -1;
  for (const char* surface : {"asphalt", "grass", "treadmill", "synthetic_track"}) {
    Scenario s;
    s.surface = surface;
    const RunningModel rm = Build(s);
    const double series = 1.0 / (1.0 / rm.leg_stiffness_N_m + 1.0 / rm.shoe_heel_secant_N_m + 1.0 / rm.surface_stiffness_N_m);
    if (series_ref < 0) series_ref = series;
    EXPECT_NEAR(series / series_ref, 1.0, 1e-9) << surface;
  }
  Scenario hard, soft;
  soft.surface = "grass";
  EXPECT_GT(Build(soft).leg_stiffness_N_m, Build(hard).leg_stiffness_N_m);  // stiffer leg on soft ground
  // McMahon & Cheng 1990: K_LEG = k L0 / (m g) = 15 -> 11.1 kN/m for 70 kg, L0 = 0.93 m; the
  // baseline (neutral shoe on asphalt) is the adaptation's reference, so it keeps that value.
  const RunningModel rm = Build(hard);
  EXPECT_NEAR(rm.leg_stiffness_N_m, 15.0 * 70 * 9.81 / 0.93, 1e-6);
}

TEST(RunningModel, LegStiffnessRisesWithTheStepRate) {
  // Farley & Gonzalez 1996: 7.0 -> 16.3 kN/m from -26 % to +36 % of the preferred stride
  // frequency. The model's power law k ~ f^1.39 passes through both ends (hand-derived:
  // 0.74^1.39 / 1.36^1.39 = 0.430 against 7.0 / 16.3 = 0.429), and on the reference shoe and
  // surface the leg takes the whole change (Ferris: the series stiffness then equals it).
  Scenario slow, ref, quick;
  slow.cadence_steps_min = 0.74 * 170;
  quick.cadence_steps_min = 1.36 * 170;
  const double k_ref = Build(ref).leg_stiffness_N_m;
  EXPECT_NEAR(Build(slow).leg_stiffness_N_m / Build(quick).leg_stiffness_N_m, 7.0 / 16.3, 0.005);
  Scenario plus10;
  plus10.cadence_steps_min = 187;
  EXPECT_NEAR(Build(plus10).leg_stiffness_N_m / k_ref, std::pow(1.1, 1.39), 1e-9);
}

TEST(RunningModel, PreferredCadenceFollowsVanOeverenAndScalesWithHeightByDynamicSimilarity) {
  // Oracles: van Oeveren et al. 2017's self-selected rates, 154, 158 and 160 steps/min at
  // 2.4, 2.6 and 2.9 m/s (the fitted line passes within 1.1 steps/min of each, hand-derived
  // residuals -0.63, +1.05, -0.42); and dynamic similarity (Alexander & Jayes 1983): at equal
  // Froude number v^2 / (g h) runners of heights h1 and h2 step at rates in the ratio
  // sqrt(h2 / h1).
  const RunnerParams& r = Lib().runner;
  EXPECT_NEAR(PreferredCadence(r, 2.4, 1.75), 154.0, 1.1);
  EXPECT_NEAR(PreferredCadence(r, 2.6, 1.75), 158.0, 1.1);
  EXPECT_NEAR(PreferredCadence(r, 2.9, 1.75), 160.0, 1.1);
  EXPECT_GT(PreferredCadence(r, 5.0, 1.75), PreferredCadence(r, 3.5, 1.75));
  const double h1 = 1.75, h2 = 1.5, v1 = 3.5, v2 = v1 * std::sqrt(h2 / h1);
  EXPECT_NEAR(PreferredCadence(r, v2, h2) / PreferredCadence(r, v1, h1), std::sqrt(h1 / h2), 1e-12);
  // Held to the range a scenario may ask for.
  EXPECT_EQ(PreferredCadence(r, 7.0, 1.4), kMaxCadenceStepsMin);
  EXPECT_EQ(PreferredCadence(r, 0.5, 2.1), kMinCadenceStepsMin);
  // The model is built with it: the step period is the preferred rate's.
  Scenario s;
  s.speed_m_s = 5.0;
  s.height_m = 1.6;
  s.cadence_preferred = true;
  const RunningModel rm = Build(s);
  EXPECT_NEAR(rm.step_period_s, 60.0 / PreferredCadence(r, 5.0, 1.6), 1e-12);
  EXPECT_EQ(rm.scenario.cadence_steps_min, PreferredCadence(r, 5.0, 1.6));
}

TEST(RunningModel, TheLandingTrimGainFollowsTheFroudeNumber) {
  // Oracle, hand-derived: the Froude number v^2 / (g L) with L the standing hip height (leg
  // length 0.93 m x height / 1.75 m): 3.5^2 / (9.81 x 0.93) = 1.3428 for the baseline, and
  // 5^2 / (9.81 x 0.93 x 1.4 / 1.75) = 3.4252 for a 1.4 m runner at 5 m/s. The landing trim's
  // gain is control.thrust_landing_gain_per_froude times it.
  const double per_froude = Lib().runner.control.at("thrust_landing_gain_per_froude");
  const RunningModel base = Build(Scenario{});
  EXPECT_NEAR(FroudeNumber(base), 3.5 * 3.5 / (9.81 * 0.93), 1e-9);
  EXPECT_NEAR(FroudeNumber(base), 1.3428, 1e-4);
  EXPECT_NEAR(base.gains.thrust_landing_gain, per_froude * 1.3428, 1e-4);
  Scenario small_fast;
  small_fast.height_m = 1.4;
  small_fast.speed_m_s = 5.0;
  const RunningModel sf = Build(small_fast);
  EXPECT_NEAR(FroudeNumber(sf), 3.4252, 1e-4);
  EXPECT_NEAR(sf.gains.thrust_landing_gain, per_froude * 3.4252, 1e-4);
}

TEST(RunningModel, TheSwingServoHasTheSameDynamicsForEveryBodyMass) {
  // Oracle: the swing servo (runner.yaml swing_stiffness_N_m, swing_damping_Ns_m) acts on the
  // lower mass (shank, foot, shoe, soft tissue), which scales with body mass; its natural
  // frequency sqrt(k / m) and damping ratio c / (2 sqrt(k m)) must then be the same for a 30
  // and a 150 kg runner as for the 70 kg reference, within the shoe's share of the lower mass
  // (0.3 kg; hand-derived: at 30 kg the frequency is 3 % lower). With the gains fixed (before
  // session 14) the 30 kg runner's swing was 48 % faster and the 150 kg one's 31 % slower.
  auto swing = [](double mass) {
    Scenario s;
    s.body_mass_kg = mass;
    const RunningModel rm = Build(s);
    const Model& m = *rm.model;
    double m_low = m.bodies[rm.ankle[0]].mass_kg + m.bodies[rm.sole[0]].mass_kg;
    if (rm.soft_tissue[0] >= 0) m_low += m.bodies[rm.soft_tissue[0]].mass_kg;
    const double k = rm.gains.swing_stiffness_N_m, c = rm.gains.swing_damping_Ns_m;
    return std::make_pair(std::sqrt(k / m_low), c / (2 * std::sqrt(k * m_low)));
  };
  const auto ref = swing(70);
  for (double mass : {30.0, 150.0}) {
    const auto [w, zeta] = swing(mass);
    EXPECT_NEAR(w / ref.first, 1.0, 0.05) << mass;
    EXPECT_NEAR(zeta / ref.second, 1.0, 0.05) << mass;
  }
}

TEST(RunningModel, WornShoesAreStifferByTheDocumentedFactor) {
  Scenario s;
  s.shoe = "worn_neutral";
  s.wear_km = 500;
  // Oracle: shoes.yaml's wear law, 1 + 0.176 x 500/500: the midsole's x1.44 (data sheet P4)
  // in series with the heel pad (scripts/fit_heel_interface.py).
  EXPECT_NEAR(Build(s).shoe_heel_secant_N_m / Lib().shoes.at("worn_neutral").secant_stiffness_N_m, 1.176, 1e-12);
  s.wear_km = 1000;  // wear beyond 800 km adds nothing (foam damage by ~750 km, Verdejo & Mills 2004)
  EXPECT_NEAR(Build(s).shoe_heel_secant_N_m / Lib().shoes.at("worn_neutral").secant_stiffness_N_m, 1.0 + 0.176 * 1.6, 1e-12);
  s.wear_km = 0;
  EXPECT_NEAR(Build(s).shoe_heel_secant_N_m, Lib().shoes.at("worn_neutral").secant_stiffness_N_m, 1e-9);
}

TEST(RunningModel, HeelLayerDeflectionSplitsIntoPadAndMidsole) {
  // Oracle: the derivation in scripts/fit_heel_interface.py. Where the neutral heel layer
  // carries the reference force (1.5 kN), the pad alone deflects F / 113 kN/m = 13.3 mm and the
  // Fuss 2025 midsole F / 118 kN/m = 12.7 mm; the one-layer fit follows their sum within 3 %.
  const RunningModel rm = Build(Scenario{});
  const double F = rm.shoe_reference_force_N;
  const double d = F / rm.shoe_heel_secant_N_m;
  const double pad = HeelPadDeflection(rm, d);
  EXPECT_NEAR(pad, F / 113.0e3, 1e-9);
  EXPECT_NEAR((d - pad) / (F / 118.0e3), 1.0, 0.03);
  EXPECT_EQ(HeelPadDeflection(rm, 0.0), 0.0);
  // Barefoot the heel layer is the pad: no midsole deflection at any load.
  Scenario bare;
  bare.shoe = "barefoot";
  const RunningModel rb = Build(bare);
  for (double x : {0.002, 0.01, 0.02}) EXPECT_NEAR(HeelPadDeflection(rb, x), x, 1e-12) << x;
}

TEST(RunningModel, CamberTiltsTheGroundUnderBothFeet) {
  Scenario s;
  s.surface = "cambered_road";
  s.camber_deg = 3.0;
  const RunningModel rm = Build(s);
  const TerrainQuery q = rm.model->terrains[0]->Query(Vec3(0, 0, 0));
  EXPECT_NEAR(std::acos(q.n_W.z()) / kDeg, 3.0, 1e-9);
  EXPECT_LT(q.n_W.y(), 0.0);  // rising to the left: the normal leans right
}

TEST(RunningModel, UnevenTrailIsSeededAndBounded) {
  Scenario s;
  s.surface = "uneven_trail";
  s.seed = 7;
  const RunningModel a = Build(s), b = Build(s);
  s.seed = 8;
  const RunningModel c = Build(s);
  double max_h = 0, diff = 0;
  for (int i = 0; i < 200; ++i) {
    const Vec3 p(0.037 * i, 0.011 * i, 0.0);
    const double ha = a.model->terrains[0]->Query(p).penetration_m;
    EXPECT_EQ(ha, b.model->terrains[0]->Query(p).penetration_m);
    diff = std::max(diff, std::abs(ha - c.model->terrains[0]->Query(p).penetration_m));
    max_h = std::max(max_h, std::abs(ha));
  }
  EXPECT_GT(diff, 1e-3);
  EXPECT_LE(max_h, Lib().surfaces.at("uneven_trail").roughness_m + 1e-12);
  EXPECT_GT(max_h, 0.25 * Lib().surfaces.at("uneven_trail").roughness_m);
}

TEST(RunningModel, SpineIsUndeflectedInTheBuiltPosture) {
  const RunningModel rm = Build(Scenario{});
  Data d = MakeData(*rm.model);
  for (int b = 0; b < rm.model->nbody(); ++b)
    SetBodyState(*rm.model, d, b, rm.p_WB0[b], rm.q_WB0[b], Vec3::Zero(), Vec3::Zero());
  CalcOutputs(*rm.model, d);
  for (int l = 0; l < 6; ++l) {
    const BushingOutput& o = d.bushings[rm.level_bushing[l]];
    EXPECT_LT(o.p_FM_F.norm(), 1e-12) << rm.level_names[l];
    EXPECT_LT(o.theta_FM.norm(), 1e-12) << rm.level_names[l];
  }
}

TEST(RunningModel, ErectorSpinaeActsBehindTheSpineAtItsDocumentedMomentArm) {
  const RunningModel rm = Build(Scenario{});
  for (const MuscleInfo& m : rm.muscles) {
    if (m.group == MuscleGroup::kErectorSpinae) {
      EXPECT_GT(m.moment_arm_m, 0.04);
      EXPECT_LT(m.moment_arm_m, 0.08);
    }
    if (m.group == MuscleGroup::kRectusAbdominis) {
      EXPECT_GT(m.moment_arm_m, 0.06);  // anterior, longer arm
    }
  }
}

TEST(RunningModel, WeakCoreLowersTheActiveSpinalStiffness) {
  Scenario weak;
  weak.core_strength = 0.25;
  const RunningModel n = Build(Scenario{}), w = Build(weak);
  const double kn = n.model->bushings[n.level_bushing[0]].k_rot_Nm_rad.y();
  const double kw = w.model->bushings[w.level_bushing[0]].k_rot_Nm_rad.y();
  // 1 + 2 x core: 3x passive at normal core, 1.5x at a weak core (data sheet P3).
  EXPECT_NEAR(kn / kw, 3.0 / 1.5, 1e-12);
}

}  // namespace
}  // namespace sl
