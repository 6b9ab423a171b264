// Oracles: hand-written YAML documents whose errors are known by construction (which keys a
// reader asks for, where each key sits), the Levenshtein distance worked by hand, and the
// SHA-256 test vector of FIPS 180-4 ("abc").
#include "models/yaml_util.h"

#include <functional>
#include <string>

#include <gtest/gtest.h>

namespace sl {
namespace {

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(YamlUtil, EditDistanceByHand) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);  // k->s, e->i, +g
  EXPECT_EQ(EditDistance("mass_kg", "mass_kg"), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
}

TEST(YamlUtil, KeysThatNoReaderUsesAreRejectedWithWhereAndASuggestion) {
  const YAML::Node root = YAML::Load("a:\n  mass_kg: 3\n  length_m: 1\nb:\n  mas_kg: 2\n");
  const KeyUseRecorder used;
  GetDouble(Require(root, "a", "f.yaml", "top"), "mass_kg", "f.yaml", "a");
  GetDouble(root["a"], "length_m", "f.yaml", "a");
  const YAML::Node b = root["b"];
  GetDoubleOr(b, "mass_kg", 1.0, "f.yaml", "b");  // optional and absent: its name still counts
  const std::string e = ErrorOf([&] { used.CheckAllRead(root, "f.yaml"); });
  EXPECT_NE(e.find("f.yaml:5:3"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key 'b.mas_kg'"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'mass_kg'"), std::string::npos) << e;
}

TEST(YamlUtil, ASectionNoReaderLooksIntoIsRejectedAsAWhole) {
  const YAML::Node root = YAML::Load("spine: {k: 1}\nspin: {k: 2}\n");
  const KeyUseRecorder used;
  GetDouble(Require(root, "spine", "f.yaml", "top"), "k", "f.yaml", "spine");
  const std::string e = ErrorOf([&] { used.CheckAllRead(root, "f.yaml"); });
  EXPECT_NE(e.find("f.yaml:2:1: unknown key 'spin' (did you mean 'spine'?)"), std::string::npos) << e;
}

TEST(YamlUtil, AFullyReadDocumentPasses) {
  const YAML::Node root = YAML::Load("a: {x: 1, y: [1, 2]}\nz: 4\n");
  const KeyUseRecorder used;
  GetDouble(root["a"], "x", "f.yaml", "a");
  GetDoubles(root["a"], "y", 2, "f.yaml", "a");
  GetDouble(root, "z", "f.yaml", "top");
  EXPECT_EQ(ErrorOf([&] { used.CheckAllRead(root, "f.yaml"); }), "");
}

TEST(YamlUtil, MissingKeyPointsAtAMisspeltSibling) {
  const YAML::Node root = YAML::Load("seg:\n  pelvis_mas_kg: 9\n");
  const std::string e = ErrorOf([&] { GetDouble(root["seg"], "pelvis_mass_kg", "r.yaml", "seg"); });
  EXPECT_NE(e.find("r.yaml:2:3"), std::string::npos) << e;
  EXPECT_NE(e.find("did you mean 'pelvis_mass_kg'"), std::string::npos) << e;
  const std::string plain = ErrorOf([&] { GetDouble(root["seg"], "leg_length_m", "r.yaml", "seg"); });
  EXPECT_NE(plain.find("missing key 'leg_length_m'"), std::string::npos) << plain;
}

TEST(YamlUtil, NonFiniteOrNonNumericValuesNameKeyAndValue) {
  const YAML::Node root = YAML::Load("k: .nan\nj: abc\n");
  EXPECT_NE(ErrorOf([&] { GetDouble(root, "k", "f.yaml", "top"); }).find("top.k = '.nan'"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { GetDouble(root, "j", "f.yaml", "top"); }).find("f.yaml:2:4: top.j = 'abc'"), std::string::npos);
}

TEST(YamlUtil, Sha256OfAbcIsTheFipsVector) {
  EXPECT_EQ(Sha256Bytes("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace sl
