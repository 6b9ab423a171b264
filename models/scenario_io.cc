#include "models/scenario_io.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <fstream>

#include "models/yaml_util.h"

namespace sl {
namespace {

struct Field {
  ScenarioKey key;
  std::function<void(Scenario&, const std::string&, double)> set;  // (text, number)
  std::function<std::string(const Scenario&)> get;
  std::function<double(const Scenario&)> num;
};

std::string Fmt(double v) {
  std::ostringstream os;
  os.precision(10);
  os << v;
  return os.str();
}

#define NUM(path, member, lo, hi, doc)                                                          \
  Field{ScenarioKey{path, "number", doc, lo, hi, {}},                                          \
        [](Scenario& s, const std::string&, double v) { s.member = v; },                       \
        [](const Scenario& s) { return Fmt(s.member); }, [](const Scenario& s) { return double(s.member); }}
#define INT(path, member, lo, hi, doc)                                                          \
  Field{ScenarioKey{path, "integer", doc, lo, hi, {}},                                         \
        [](Scenario& s, const std::string&, double v) { s.member = static_cast<decltype(s.member)>(v); }, \
        [](const Scenario& s) { return std::to_string(s.member); }, [](const Scenario& s) { return double(s.member); }}

const std::vector<Field>& Fields() {
  static const std::vector<Field> f = {
      Field{ScenarioKey{"name", "string", "scenario name (letters, digits, _ - .)", 0, 0, {}},
            [](Scenario& s, const std::string& t, double) { s.name = t; },
            [](const Scenario& s) { return s.name; }, nullptr},
      NUM("runner.body_mass_kg", body_mass_kg, 30, 150, "body mass (kg)"),
      NUM("runner.height_m", height_m, 1.4, 2.1, "stature (m)"),
      NUM("runner.speed_m_s", speed_m_s, 1.5, 7.0, "running speed (m/s)"),
      Field{ScenarioKey{"runner.cadence_steps_min", "number",
                        "step rate (steps/min), or 'preferred': the self-selected rate for the speed and height "
                        "(runner.yaml preferred_cadence)",
                        kMinCadenceStepsMin, kMaxCadenceStepsMin, {}},
            [](Scenario& s, const std::string& t, double v) {
              s.cadence_preferred = t == "preferred";
              if (!s.cadence_preferred) s.cadence_steps_min = v;
            },
            [](const Scenario& s) { return s.cadence_preferred ? std::string("preferred") : Fmt(s.cadence_steps_min); },
            [](const Scenario& s) { return s.cadence_steps_min; }},
      Field{ScenarioKey{"runner.foot_strike", "choice", "foot strike pattern", 0, 0, {"rearfoot", "midfoot", "forefoot"}},
            [](Scenario& s, const std::string& t, double) {
              s.foot_strike = t == "forefoot" ? FootStrike::kForefoot : t == "midfoot" ? FootStrike::kMidfoot : FootStrike::kRearfoot;
            },
            [](const Scenario& s) { return std::string(FootStrikeName(s.foot_strike)); }, nullptr},
      NUM("runner.overstride_m", overstride_m, -0.1, 0.3, "extra forward foot placement at touchdown (m)"),
      NUM("runner.core_strength", core_strength, 0.0, 1.5, "trunk-muscle stabilisation, 1 = normal, 0.25 = weak"),
      NUM("runner.weekly_km", weekly_km, 0, 300, "weekly running distance for the load index (km)"),
      NUM("form.trunk_lean_deg", trunk_lean_deg, -10, 30, "trunk forward lean (deg)"),
      NUM("form.pelvic_tilt_deg", pelvic_tilt_deg, 0, 35, "anterior pelvic tilt (deg)"),
      Field{ScenarioKey{"surface", "string", "a surface of models/data/surfaces.yaml", 0, 0, {}},
            [](Scenario& s, const std::string& t, double) { s.surface = t; },
            [](const Scenario& s) { return s.surface; }, nullptr},
      NUM("surface.camber_deg", camber_deg, 0, 10, "road camber (deg); -1 = the surface's own"),
      Field{ScenarioKey{"shoe", "string", "a shoe of models/data/shoes.yaml", 0, 0, {}},
            [](Scenario& s, const std::string& t, double) { s.shoe = t; },
            [](const Scenario& s) { return s.shoe; }, nullptr},
      NUM("shoe.wear_km", wear_km, 0, 2000, "shoe wear (km); -1 = the shoe's own"),
      INT("simulation.strides", strides, 1, 200, "strides measured after the warm-up"),
      INT("simulation.warmup_strides", warmup_strides, 1, 20, "strides simulated first and excluded"),
      INT("simulation.seed", seed, 0, 4294967295.0, "seed of the uneven-terrain height field"),
      NUM("simulation.output_rate_hz", output_rate_hz, 10, 5000, "time-series sampling rate (Hz)"),
  };
  return f;
}

const Field* FindField(const std::string& path) {
  for (const Field& f : Fields())
    if (f.key.path == path) return &f;
  return nullptr;
}

std::string Suggest(const std::string& path) {
  std::string best;
  size_t best_d = 1000;
  for (const Field& f : Fields()) {
    for (const std::string& cand : {f.key.path, f.key.path.substr(f.key.path.rfind('.') + 1)}) {
      const size_t d = EditDistance(path, cand);
      if (d < best_d) {
        best_d = d;
        best = f.key.path;
      }
    }
  }
  return best_d <= std::max<size_t>(3, path.size() / 3) ? " (did you mean '" + best + "'?)" : "";
}

std::string Allowed(const Field& f) {
  if (f.key.type == "number" || f.key.type == "integer")
    return f.key.type + " in " + Fmt(f.key.min) + " .. " + Fmt(f.key.max) + ", " + f.key.unit_doc;
  if (f.key.type == "choice") {
    std::string s = "one of";
    for (const auto& c : f.key.choices) s += " " + c;
    return s;
  }
  return f.key.unit_doc;
}

// Applies one scalar value to a key; `where` names file:line:col for messages.
void Apply(Scenario& s, const std::string& path, const std::string& text, const std::string& where,
           const Library& lib) {
  const Field* f = FindField(path);
  if (!f) throw InputError(where + ": unknown key '" + path + "'" + Suggest(path));
  auto fail = [&](const std::string& allowed) {
    throw InputError(where + ": " + path + " = '" + text + "' is not allowed (" + allowed + ")");
  };
  if (path == "runner.cadence_steps_min" && text == "preferred") {
    f->set(s, text, 0);
    return;
  }
  if (f->key.type == "number" || f->key.type == "integer") {
    double v = 0;
    size_t used = 0;
    try {
      v = std::stod(text, &used);
    } catch (...) {
      fail(Allowed(*f));
    }
    if (used != text.size() || !std::isfinite(v)) fail(Allowed(*f));
    if (f->key.type == "integer" && v != std::floor(v)) fail(Allowed(*f));
    const bool sentinel = (path == "surface.camber_deg" || path == "shoe.wear_km") && v == -1;
    if (!sentinel && (v < f->key.min || v > f->key.max)) fail(Allowed(*f));
    f->set(s, text, v);
    return;
  }
  if (f->key.type == "choice") {
    if (std::find(f->key.choices.begin(), f->key.choices.end(), text) == f->key.choices.end()) fail(Allowed(*f));
  }
  if (path == "surface" && !lib.surfaces.count(text)) {
    std::string names;
    for (const auto& kv : lib.surfaces) names += " " + kv.first;
    fail("a surface of surfaces.yaml:" + names);
  }
  if (path == "shoe" && !lib.shoes.count(text)) {
    std::string names;
    for (const auto& kv : lib.shoes) names += " " + kv.first;
    fail("a shoe of shoes.yaml:" + names);
  }
  if (path == "name") {
    if (text.empty() || text.size() > 120) fail("1 to 120 characters");
    for (char c : text)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '=' || c == '+'))
        fail("letters, digits and _ - . = +");
  }
  f->set(s, text, 0);
}

std::string Scalar(const YAML::Node& n, const std::string& file, const std::string& path) {
  if (!n.IsScalar())
    throw InputError(Where(file, n) + ": " + path + " must be a single value" + (n.IsMap() ? " (found a map)" : n.IsSequence() ? " (found a list)" : ""));
  return n.Scalar();
}

// Applies a scenario map (the base, or a case) onto s.
void ApplyMap(Scenario& s, const YAML::Node& root, const std::string& file, const Library& lib, bool allow_sweep) {
  if (!root.IsMap()) throw InputError(Where(file, root) + ": a scenario must be a YAML map of keys");
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    const YAML::Node& val = kv.second;
    if ((key == "sweep" || key == "cases") && allow_sweep) continue;
    if (key == "sweep" || key == "cases") throw InputError(Where(file, kv.first) + ": '" + key + "' is not allowed inside a case");
    if (key == "runner" || key == "form" || key == "simulation") {
      if (!val.IsMap()) throw InputError(Where(file, val) + ": '" + key + "' must be a map of keys");
      for (const auto& kv2 : val) {
        const std::string path = key + "." + kv2.first.as<std::string>();
        Apply(s, path, Scalar(kv2.second, file, path), Where(file, kv2.second), lib);
      }
      continue;
    }
    if (key == "surface" || key == "shoe") {
      if (val.IsScalar()) {
        Apply(s, key, val.Scalar(), Where(file, val), lib);
        continue;
      }
      if (!val.IsMap()) throw InputError(Where(file, val) + ": '" + key + "' must be a name or a map with 'name'");
      for (const auto& kv2 : val) {
        const std::string sub = kv2.first.as<std::string>();
        const std::string path = sub == "name" ? key : key + "." + sub;
        Apply(s, path, Scalar(kv2.second, file, path), Where(file, kv2.second), lib);
      }
      continue;
    }
    if (key == "name") {
      Apply(s, "name", Scalar(val, file, "name"), Where(file, val), lib);
      continue;
    }
    throw InputError(Where(file, kv.first) + ": unknown key '" + key + "'" + Suggest(key));
  }
}

std::string ShortKey(const std::string& path) {
  const size_t dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

ScenarioSet Expand(const YAML::Node& root, const std::string& file, const Library& lib, const ParseOptions& opt) {
  ScenarioSet set;
  set.source_file = file;
  Scenario base;
  ApplyMap(base, root, file, lib, true);
  for (const std::string& kv : opt.set) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      throw InputError("--set '" + kv + "': expected key=value (e.g. --set form.trunk_lean_deg=12)");
    Apply(base, kv.substr(0, eq), kv.substr(eq + 1), "--set", lib);
  }
  set.resolved_yaml = ScenarioToYaml(base);

  // Sweep axes, in file order.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> axes;  // key -> (value, where)
  if (root.IsMap() && root["sweep"]) {
    const YAML::Node sw = root["sweep"];
    if (!sw.IsMap() || sw.size() == 0) throw InputError(Where(file, sw) + ": sweep must be a non-empty map of key: [values]");
    for (const auto& kv : sw) {
      const std::string key = kv.first.as<std::string>();
      if (!FindField(key) || key == "name") throw InputError(Where(file, kv.first) + ": unknown sweep key '" + key + "'" + Suggest(key));
      if (!kv.second.IsSequence() || kv.second.size() == 0)
        throw InputError(Where(file, kv.second) + ": sweep." + key + " must be a non-empty list of values");
      std::vector<std::pair<std::string, std::string>> vals;
      std::set<std::string> seen;
      for (const auto& v : kv.second) {
        const std::string text = Scalar(v, file, "sweep." + key);
        if (!seen.insert(text).second) throw InputError(Where(file, v) + ": sweep." + key + " lists '" + text + "' twice");
        Scenario probe = base;
        Apply(probe, key, text, Where(file, v), lib);  // validate now, with the value's position
        vals.emplace_back(text, Where(file, v));
      }
      axes.emplace_back(key, vals);
      set.varied_keys.push_back(key);
    }
  }
  size_t total = 1;
  for (const auto& a : axes) {
    total *= a.second.size();
    if (total > opt.max_scenarios)
      throw InputError(file + ": the sweep expands to more than " + std::to_string(opt.max_scenarios) +
                       " scenarios (raise --max-scenarios if this is intended)");
  }
  // Full factorial, last axis fastest.
  std::vector<size_t> idx(axes.size(), 0);
  std::vector<std::string> origin;  // file:line:col each scenario comes from (for messages)
  for (size_t n = 0; n < total; ++n) {
    Scenario s = base;
    std::string name = base.name;
    for (size_t a = 0; a < axes.size(); ++a) {
      const auto& [text, where] = axes[a].second[idx[a]];
      Apply(s, axes[a].first, text, where, lib);
      name.append("-").append(ShortKey(axes[a].first)).append("_").append(text);
    }
    s.name = name;
    set.scenarios.push_back(s);
    origin.push_back(root.IsMap() && root["sweep"] ? Where(file, root["sweep"]) : file);
    for (size_t a = axes.size(); a-- > 0;) {
      if (++idx[a] < axes[a].second.size()) break;
      idx[a] = 0;
    }
  }
  if (root.IsMap() && root["cases"]) {
    const YAML::Node cases = root["cases"];
    if (!cases.IsSequence() || cases.size() == 0) throw InputError(Where(file, cases) + ": cases must be a non-empty list of scenarios");
    if (axes.empty()) set.scenarios.clear(), origin.clear();  // with cases only, the base is a template
    for (const auto& c : cases) {
      if (!c.IsMap() || !c["name"]) throw InputError(Where(file, c) + ": every case needs a 'name'");
      Scenario s = base;
      ApplyMap(s, c, file, lib, false);
      set.scenarios.push_back(s);
      origin.push_back(Where(file, c["name"]));
      for (const auto& kv : c) {
        const std::string k = kv.first.as<std::string>();
        if (k == "name") continue;
        if (kv.second.IsMap()) {
          for (const auto& kv2 : kv.second) {
            const std::string sub = kv2.first.as<std::string>();
            const std::string path = (k == "surface" || k == "shoe") && sub == "name" ? k : k + "." + sub;
            if (std::find(set.varied_keys.begin(), set.varied_keys.end(), path) == set.varied_keys.end())
              set.varied_keys.push_back(path);
          }
        } else if (std::find(set.varied_keys.begin(), set.varied_keys.end(), k) == set.varied_keys.end()) {
          set.varied_keys.push_back(k);
        }
      }
    }
    if (set.scenarios.size() > opt.max_scenarios)
      throw InputError(file + ": more than " + std::to_string(opt.max_scenarios) + " scenarios");
  }
  for (Scenario& s : set.scenarios) ResolvePreferredCadence(lib, s);
  std::map<std::string, size_t> first_of_name;
  for (size_t i = 0; i < set.scenarios.size(); ++i) {
    const auto [it, fresh] = first_of_name.emplace(set.scenarios[i].name, i);
    if (!fresh)
      throw InputError(origin[i] + ": duplicate scenario name '" + set.scenarios[i].name + "' (first at " +
                       origin[it->second] + "); names must be unique");
  }
  return set;
}

}  // namespace

const std::vector<ScenarioKey>& ScenarioKeys() {
  static const std::vector<ScenarioKey> keys = [] {
    std::vector<ScenarioKey> k;
    for (const Field& f : Fields()) k.push_back(f.key);
    return k;
  }();
  return keys;
}

ScenarioSet ParseScenarioText(const std::string& text, const std::string& file, const Library& lib, const ParseOptions& opt) {
  // Scenario files are shallow; refusing deep nesting keeps the YAML parser's recursion bounded.
  int depth = 0, max_depth = 0;
  for (char ch : text) {
    if (ch == '[' || ch == '{') max_depth = std::max(max_depth, ++depth);
    if ((ch == ']' || ch == '}') && depth > 0) --depth;
  }
  if (max_depth > 32) throw InputError(file + ": nesting deeper than 32 levels is not allowed in a scenario file");
  if (text.size() > (16u << 20)) throw InputError(file + ": larger than 16 MiB; a scenario file is a few kB");
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                     ": malformed YAML: " + e.msg);
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);  // an empty file is the baseline
  try {
    return Expand(root, file, lib, opt);
  } catch (const YAML::Exception& e) {  // e.g. a map used as a key, where a name belongs
    throw InputError(file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                     ": unexpected structure (" + e.msg + "); keys and names must be plain text");
  }
}

ScenarioSet LoadScenarioFile(const std::string& path, const Library& lib, const ParseOptions& opt) {
  LoadYamlFile(path);  // a missing file or bad syntax is reported with the file's name
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseScenarioText(ss.str(), path, lib, opt);
}

std::string ScenarioValue(const Scenario& s, const std::string& key) {
  const Field* f = FindField(key);
  return f ? f->get(s) : std::string();
}

double ScenarioNumber(const Scenario& s, const std::string& key) {
  const Field* f = FindField(key);
  return f && f->num ? f->num(s) : 0.0;
}

std::string ScenarioToYaml(const Scenario& s) {
  std::ostringstream os;
  os << "name: " << s.name << "\n";
  std::string group;
  for (const Field& f : Fields()) {
    const std::string& p = f.key.path;
    if (p == "name") continue;
    const size_t dot = p.find('.');
    const std::string g = dot == std::string::npos ? p : p.substr(0, dot);
    if (g == "surface" || g == "shoe") {
      if (p == g) os << g << ":\n  name: " << f.get(s) << "\n";
      else os << "  " << p.substr(dot + 1) << ": " << f.get(s) << "\n";
      group.clear();
      continue;
    }
    if (g != group) {
      os << g << ":\n";
      group = g;
    }
    os << "  " << p.substr(dot + 1) << ": " << f.get(s) << "\n";
  }
  return os.str();
}

}  // namespace sl
