// Reading YAML with errors that name the file, line, column, key, value and what is allowed.
#pragma once

#include <stdexcept>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace sl {

/// A user-input error in a data, scenario or sweep file (exit status 2 in the CLI).
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// "file:line:col" of a node (1-based), or the file alone when the node has no mark.
std::string Where(const std::string& file, const YAML::Node& node);

/// Loads a YAML file; throws InputError naming the file for a missing file or bad syntax.
YAML::Node LoadYamlFile(const std::string& path);

/// The child `key` of map `node`; throws InputError if it is missing.
YAML::Node Require(const YAML::Node& node, const std::string& key, const std::string& file,
                   const std::string& context);

/// A finite number; throws InputError naming file, line, key and value otherwise.
double AsDouble(const YAML::Node& node, const std::string& file, const std::string& key);
double GetDouble(const YAML::Node& map, const std::string& key, const std::string& file,
                 const std::string& context);
double GetDoubleOr(const YAML::Node& map, const std::string& key, double fallback,
                   const std::string& file, const std::string& context);
std::vector<double> GetDoubles(const YAML::Node& map, const std::string& key, size_t n,
                               const std::string& file, const std::string& context);

/// Levenshtein distance, for "did you mean" suggestions.
size_t EditDistance(const std::string& a, const std::string& b);

/// While alive, records every node that Require/AsDouble/GetDouble* read on this thread, so
/// that CheckAllRead can reject the keys of a data file that no reader used (typos such as
/// `pelvis_mas_kg` would otherwise be ignored silently and the default silently missing).
class KeyUseRecorder {
 public:
  KeyUseRecorder();
  ~KeyUseRecorder();
  KeyUseRecorder(const KeyUseRecorder&) = delete;
  KeyUseRecorder& operator=(const KeyUseRecorder&) = delete;
  /// Throws InputError at the first key under `root` that was never read, with file:line:col,
  /// its dotted path and the nearest key that was read in the same map.
  void CheckAllRead(const YAML::Node& root, const std::string& file) const;

 private:
  friend void NoteKey(const std::string& key);
  friend void MarkRead(const YAML::Node& node);
  friend bool WasRead(const YAML::Node& node);
  std::set<std::pair<int, int>> read_;  ///< (line, column) of every node read
  std::set<std::string> keys_;          ///< every key name a reader asked for (for suggestions)
  KeyUseRecorder* previous_;            ///< the enclosing recorder (nesting)
};

/// SHA-256 of bytes as lowercase hex.
std::string Sha256Bytes(const std::string& data);

/// SHA-256 of a file's bytes as lowercase hex (for provenance in results files).
std::string Sha256File(const std::string& path);

}  // namespace sl
