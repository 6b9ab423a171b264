// Scenario and sweep files (YAML): parsing with clear errors, defaults, `--set key=value`
// overrides, and the expansion of a sweep into named scenarios.
//
// A file is one scenario (groups runner, form, surface, shoe, simulation; every key has a
// default) and optionally
//   sweep:  { key: [values...], ... }   full factorial over the listed keys
//   cases:  [ {name: ..., <overrides>}, ... ]   explicit scenarios on top of the base
#pragma once

#include <map>
#include <string>
#include <vector>

#include "models/library.h"
#include "models/scenario.h"

namespace sl {

/// One documented scenario key ("runner.speed_m_s").
struct ScenarioKey {
  std::string path;
  std::string type;     ///< "number", "integer", "string", "choice"
  std::string unit_doc; ///< unit and meaning
  double min = 0, max = 0;
  std::vector<std::string> choices;
};

/// Every key a scenario file may contain, with its allowed range.
const std::vector<ScenarioKey>& ScenarioKeys();

/// The expanded scenarios of a file, in a deterministic order, with unique names, and the
/// keys the sweep varies (the summary table's leading columns).
struct ScenarioSet {
  std::string source_file;
  std::vector<Scenario> scenarios;
  std::vector<std::string> varied_keys;
  std::string resolved_yaml;  ///< the resolved base scenario
};

struct ParseOptions {
  std::vector<std::string> set;   ///< "key=value" overrides applied to the base
  size_t max_scenarios = 100000;  ///< a larger sweep is refused
};

/// Reads and expands a scenario or sweep file. Throws InputError naming file, line, column,
/// key, value and what is allowed (with a "did you mean" for unknown keys).
ScenarioSet LoadScenarioFile(const std::string& path, const Library& lib, const ParseOptions& opt = {});
/// Same, from YAML text (file is used in messages only).
ScenarioSet ParseScenarioText(const std::string& text, const std::string& file, const Library& lib,
                              const ParseOptions& opt = {});

/// The scenario as YAML text with every key resolved (stored with the results).
std::string ScenarioToYaml(const Scenario& s);
/// The value of one key as text (for tables and HDF5 attributes).
std::string ScenarioValue(const Scenario& s, const std::string& key);
/// The value of a numeric key.
double ScenarioNumber(const Scenario& s, const std::string& key);

}  // namespace sl
