// libFuzzer target: the scenario/sweep parser and the --set parser. Any input must either
// parse or raise InputError (a clear message); anything else (crash, other exception,
// sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/scenario_io.h"
#include "models/yaml_util.h"

namespace {
const sl::Library& Lib() {
  static const sl::Library lib = sl::LoadLibrary(sl::DefaultModelsDir());
  return lib;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  // The first line, if it looks like key=value, is also tried as a --set override.
  sl::ParseOptions opt;
  opt.max_scenarios = 1000;
  const size_t nl = text.find('\n');
  const std::string first = text.substr(0, nl);
  if (first.find('=') != std::string::npos) opt.set.push_back(first);
  try {
    sl::ParseScenarioText(text, "fuzz.yaml", Lib(), opt);
  } catch (const sl::InputError&) {
  }
  return 0;
}
