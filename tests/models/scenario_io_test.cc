// Oracle: the documented file format (scenarios/*.yaml, models/scenario_io.h): defaults,
// full-factorial expansion, naming, overrides, and error messages that name file, line,
// key, value and what is allowed.
#include "models/scenario_io.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "models/yaml_util.h"

namespace sl {
namespace {

const Library& Lib() {
  static const Library lib = LoadLibrary(DefaultModelsDir());
  return lib;
}

std::string ErrorOf(const std::string& text, const ParseOptions& opt = {}) {
  try {
    ParseScenarioText(text, "t.yaml", Lib(), opt);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ScenarioFile, EmptyFileIsTheBaselineRunner) {
  const ScenarioSet s = ParseScenarioText("", "t.yaml", Lib());
  ASSERT_EQ(s.scenarios.size(), 1u);
  const Scenario& b = s.scenarios[0];
  EXPECT_EQ(b.body_mass_kg, 70.0);
  EXPECT_EQ(b.speed_m_s, 3.5);
  EXPECT_EQ(b.cadence_steps_min, 170.0);
  EXPECT_EQ(b.trunk_lean_deg, 7.0);
  EXPECT_EQ(b.pelvic_tilt_deg, 15.0);
  EXPECT_EQ(b.surface, "asphalt");
  EXPECT_EQ(b.shoe, "neutral");
  EXPECT_EQ(b.foot_strike, FootStrike::kRearfoot);
}

TEST(ScenarioFile, SweepIsAFullFactorialWithUniqueNamesLastAxisFastest) {
  const ScenarioSet s = ParseScenarioText(
      "name: b\nsweep:\n  form.trunk_lean_deg: [0, 5, 10]\n  surface: [asphalt, grass]\n", "t.yaml", Lib());
  ASSERT_EQ(s.scenarios.size(), 6u);
  EXPECT_EQ(s.scenarios[0].name, "b-trunk_lean_deg_0-surface_asphalt");
  EXPECT_EQ(s.scenarios[1].name, "b-trunk_lean_deg_0-surface_grass");
  EXPECT_EQ(s.scenarios[5].name, "b-trunk_lean_deg_10-surface_grass");
  EXPECT_EQ(s.scenarios[5].trunk_lean_deg, 10.0);
  EXPECT_EQ(s.scenarios[5].surface, "grass");
  EXPECT_EQ(s.varied_keys, (std::vector<std::string>{"form.trunk_lean_deg", "surface"}));
}

TEST(ScenarioFile, CasesOverrideTheBaseAndSetOverridesEverything) {
  ParseOptions opt;
  opt.set = {"runner.speed_m_s=4.0"};
  const ScenarioSet s = ParseScenarioText(
      "runner: {speed_m_s: 3.0}\ncases:\n  - name: a\n  - name: b\n    shoe: {name: worn_neutral, wear_km: 600}\n",
      "t.yaml", Lib(), opt);
  ASSERT_EQ(s.scenarios.size(), 2u);
  EXPECT_EQ(s.scenarios[0].speed_m_s, 4.0);
  EXPECT_EQ(s.scenarios[1].shoe, "worn_neutral");
  EXPECT_EQ(s.scenarios[1].wear_km, 600.0);
}

TEST(ScenarioFile, UnknownKeySuggestsTheNearestAndNamesTheLine) {
  const std::string e = ErrorOf("name: x\nform:\n  trunk_lean_dg: 5\n");
  EXPECT_NE(e.find("t.yaml:3:"), std::string::npos) << e;
  EXPECT_NE(e.find("form.trunk_lean_dg"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'form.trunk_lean_deg'"), std::string::npos) << e;
}

TEST(ScenarioFile, OutOfRangeValueNamesKeyValueAndRange) {
  const std::string e = ErrorOf("form:\n  trunk_lean_deg: 80\n");
  EXPECT_NE(e.find("t.yaml:2:"), std::string::npos) << e;
  EXPECT_NE(e.find("form.trunk_lean_deg = '80'"), std::string::npos) << e;
  EXPECT_NE(e.find("-10 .. 30"), std::string::npos) << e;
  EXPECT_NE(ErrorOf("runner: {speed_m_s: 0}").find("1.5 .. 7"), std::string::npos);
  EXPECT_NE(ErrorOf("runner: {cadence_steps_min: abc}").find("'abc'"), std::string::npos);
}

TEST(ScenarioFile, UnknownSurfaceListsTheKnownOnes) {
  const std::string e = ErrorOf("surface: lava\n");
  EXPECT_NE(e.find("surface = 'lava'"), std::string::npos) << e;
  EXPECT_NE(e.find("asphalt"), std::string::npos) << e;
}

TEST(ScenarioFile, RejectsEmptyAxesDuplicatesOversizedSweepsAndBadSet) {
  EXPECT_NE(ErrorOf("sweep:\n  form.trunk_lean_deg: []\n").find("non-empty list"), std::string::npos);
  EXPECT_NE(ErrorOf("sweep:\n  form.trunk_lean_deg: [1, 1]\n").find("twice"), std::string::npos);
  EXPECT_NE(ErrorOf("cases:\n  - name: a\n  - name: a\n").find("duplicate scenario name 'a'"), std::string::npos);
  ParseOptions small;
  small.max_scenarios = 4;
  EXPECT_NE(ErrorOf("sweep:\n  form.trunk_lean_deg: [0, 1, 2]\n  surface: [asphalt, grass]\n", small)
                .find("more than 4 scenarios"),
            std::string::npos);
  ParseOptions bad;
  bad.set = {"form.trunk_lean_deg"};
  EXPECT_NE(ErrorOf("", bad).find("expected key=value"), std::string::npos);
}

TEST(ScenarioFile, MalformedYamlNamesLineAndColumn) {
  const std::string e = ErrorOf("form: {trunk_lean_deg: 5\n");
  EXPECT_NE(e.find("malformed YAML"), std::string::npos) << e;
  EXPECT_NE(e.find("t.yaml:"), std::string::npos) << e;
}

TEST(ScenarioFile, AMapOrListUsedAsAKeyIsAnInputError) {
  // Found by the fuzzer (CI, 2026-11-26): yaml-cpp's conversion error escaped as a crash.
  const std::string e = ErrorOf("form:\n  ? {x: 1}\n  : 2\n");
  EXPECT_NE(e.find("t.yaml:2:"), std::string::npos) << e;
  EXPECT_NE(e.find("keys and names must be plain text"), std::string::npos) << e;
  EXPECT_NE(ErrorOf("? [a, b]\n: 2\n").find("plain text"), std::string::npos);
}

TEST(ScenarioFile, ResolvedYamlRoundTrips) {
  const ScenarioSet s = ParseScenarioText("form: {trunk_lean_deg: 12}\nshoe: minimalist\n", "t.yaml", Lib());
  const ScenarioSet again = ParseScenarioText(ScenarioToYaml(s.scenarios[0]), "r.yaml", Lib());
  EXPECT_EQ(ScenarioToYaml(again.scenarios[0]), ScenarioToYaml(s.scenarios[0]));
}

TEST(ScenarioFile, PreferredCadenceIsResolvedForEachScenariosSpeedAndHeight) {
  // Oracle: the documented key (runner.cadence_steps_min: preferred) and PreferredCadence.
  const ScenarioSet s = ParseScenarioText(
      "runner: {cadence_steps_min: preferred}\nsweep: {runner.speed_m_s: [2.5, 5.0], runner.height_m: [1.6, 1.9]}\n",
      "t.yaml", Lib());
  ASSERT_EQ(s.scenarios.size(), 4u);
  for (const Scenario& sc : s.scenarios) {
    EXPECT_TRUE(sc.cadence_preferred) << sc.name;
    EXPECT_EQ(sc.cadence_steps_min, PreferredCadence(Lib().runner, sc.speed_m_s, sc.height_m)) << sc.name;
    EXPECT_EQ(ScenarioNumber(sc, "runner.cadence_steps_min"), sc.cadence_steps_min);
    EXPECT_EQ(ScenarioValue(sc, "runner.cadence_steps_min"), "preferred");
  }
  EXPECT_GT(s.scenarios[2].cadence_steps_min, s.scenarios[0].cadence_steps_min);  // 5.0 against 2.5 m/s
  EXPECT_GT(s.scenarios[0].cadence_steps_min, s.scenarios[1].cadence_steps_min);  // 1.6 against 1.9 m
  // A case's own number replaces it; the stored YAML reads back to the same scenario.
  const ScenarioSet c = ParseScenarioText(
      "runner: {cadence_steps_min: preferred}\ncases:\n  - {name: fixed, runner: {cadence_steps_min: 175}}\n  - {name: own}\n",
      "t.yaml", Lib());
  EXPECT_FALSE(c.scenarios[0].cadence_preferred);
  EXPECT_EQ(c.scenarios[0].cadence_steps_min, 175.0);
  EXPECT_EQ(c.scenarios[1].cadence_steps_min, PreferredCadence(Lib().runner, 3.5, 1.75));
  const ScenarioSet again = ParseScenarioText(ScenarioToYaml(c.scenarios[1]), "r.yaml", Lib());
  EXPECT_EQ(again.scenarios[0].cadence_steps_min, c.scenarios[1].cadence_steps_min);
  EXPECT_TRUE(again.scenarios[0].cadence_preferred);
  // Any other text is refused with the key, the value and both allowed forms.
  const std::string e = ErrorOf("runner:\n  cadence_steps_min: prefered\n");
  EXPECT_NE(e.find("t.yaml:2:22"), std::string::npos) << e;
  EXPECT_NE(e.find("runner.cadence_steps_min = 'prefered'"), std::string::npos) << e;
  EXPECT_NE(e.find("130 .. 220"), std::string::npos) << e;
  EXPECT_NE(e.find("'preferred'"), std::string::npos) << e;
}

TEST(ScenarioFile, BundledScenariosAreValid) {
  // Every file in scenarios/, so that a new one is checked without being listed here.
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(STRIDELOAD_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    EXPECT_NO_THROW(LoadScenarioFile(entry.path().string(), Lib())) << entry.path();
    ++n;
  }
  EXPECT_GE(n, 10);  // baseline, form_changes and the sweeps
}

}  // namespace
}  // namespace sl
