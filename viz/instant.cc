#include "viz/instant.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "models/yaml_util.h"

namespace sl::viz {
size_t NearestSample(const std::vector<double>& t, double x) {
  const auto it = std::lower_bound(t.begin(), t.end(), x);
  if (it == t.begin()) return 0;
  if (it == t.end()) return t.size() - 1;
  const size_t i = static_cast<size_t>(it - t.begin());
  return (x - t[i - 1] < t[i] - x) ? i - 1 : i;
}

namespace {

bool ParseNumber(const std::string& text, double* v) {
  if (text.empty()) return false;
  char* end = nullptr;
  *v = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(*v);
}

}  // namespace

double SteadyStart(const ScenarioSeries& s) {
  const auto& td = s.touchdown_s[1];
  const size_t k = static_cast<size_t>(std::max(0, s.warmup_strides));
  return k < td.size() ? td[k] : 0.0;
}

void StanceAt(const ScenarioSeries& s, double t, int* side, double* percent) {
  *side = -1;
  *percent = -1;
  for (int sd : {1, 0}) {
    const auto& td = s.touchdown_s[sd];
    const auto& to = s.toeoff_s[sd];
    auto it = std::upper_bound(td.begin(), td.end(), t);
    if (it == td.begin()) continue;
    const double t0 = *(it - 1);
    const auto off = std::upper_bound(to.begin(), to.end(), t0);
    if (off != to.end() && t <= *off) {
      *side = sd;
      *percent = 100.0 * (t - t0) / std::max(1e-9, *off - t0);
      return;
    }
  }
}

Instant ResolveInstant(const ScenarioSeries& s, const std::string& at) {
  if (s.time_s.empty()) throw InputError("scenario '" + s.name + "' has no samples to draw");
  Instant r;
  const std::string allowed = "allowed: peak, a time in seconds within the run (e.g. 1.25 or 1.25s), or a % of stance (e.g. 40%)";
  double v = 0;
  if (at == "peak") {
    const double t0 = SteadyStart(s);
    double best = -1e300;
    for (size_t i = 0; i < s.time_s.size(); ++i)
      if (s.time_s[i] >= t0 && s.l5s1_force[i].x() > best) {
        best = s.l5s1_force[i].x();
        r.sample = i;
      }
  } else if (!at.empty() && at.back() == '%') {
    if (!ParseNumber(at.substr(0, at.size() - 1), &v) || v < 0 || v > 100)
      throw InputError("--at '" + at + "': the % of stance must be 0..100; " + allowed);
    const auto& td = s.touchdown_s[1];
    const auto& to = s.toeoff_s[1];
    const size_t k = static_cast<size_t>(std::max(0, s.warmup_strides));
    const size_t use = k < td.size() ? k : (td.empty() ? 0 : td.size() - 1);
    if (td.empty()) throw InputError("--at '" + at + "': scenario '" + s.name + "' has no right-foot stance");
    const auto off = std::upper_bound(to.begin(), to.end(), td[use]);
    if (off == to.end() || *off > s.time_s.back())
      throw InputError("--at '" + at + "': scenario '" + s.name + "' has no complete right-foot stance");
    r.sample = NearestSample(s.time_s, td[use] + v / 100.0 * (*off - td[use]));
  } else {
    std::string num = at;
    if (!num.empty() && num.back() == 's') num.pop_back();
    if (!ParseNumber(num, &v) || v < s.time_s.front() || v > s.time_s.back()) {
      char range[96];
      std::snprintf(range, sizeof range, " (this run: %.3g..%.3g s)", s.time_s.front(), s.time_s.back());
      throw InputError("--at '" + at + "': not understood or outside the run; " + allowed + range);
    }
    r.sample = NearestSample(s.time_s, v);
  }
  r.t_s = s.time_s[r.sample];
  StanceAt(s, r.t_s, &r.stance_side, &r.stance_percent);
  return r;
}

}  // namespace sl::viz
