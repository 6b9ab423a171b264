// One running scenario: who runs, how, on what, in which shoe, and how long to simulate.
// Every field has a default, so a default Scenario is the baseline runner (data sheet B:
// 70 kg, 1.75 m, 3.5 m/s, 170 steps/min, rearfoot, neutral shoe, asphalt, lean 7 deg,
// anterior pelvic tilt 15 deg, normal core).
#pragma once

#include <cstdint>
#include <string>

namespace sl {

enum class FootStrike { kRearfoot, kMidfoot, kForefoot };
const char* FootStrikeName(FootStrike s);

struct Scenario {
  std::string name = "baseline";
  // runner
  double body_mass_kg = 70.0;         ///< 30..150
  double height_m = 1.75;             ///< 1.4..2.1
  double speed_m_s = 3.5;             ///< 1.5..7
  double cadence_steps_min = 170.0;   ///< step rate, 130..220 (steps/min)
  /// The step rate is the runner's self-selected one (file value `preferred`): cadence_steps_min
  /// is set from speed and height by PreferredCadence when the scenario is read or built.
  bool cadence_preferred = false;
  FootStrike foot_strike = FootStrike::kRearfoot;
  double overstride_m = 0.0;          ///< extra forward foot placement at touchdown, -0.1..0.3
  double core_strength = 1.0;         ///< 0 (no active trunk stabilisation) .. 1.5; 1 = normal
  double weekly_km = 40.0;            ///< 0..300, for the cumulative load index
  // form
  double trunk_lean_deg = 7.0;        ///< forward, -10..30
  double pelvic_tilt_deg = 15.0;      ///< anterior, 0..35
  // surface
  std::string surface = "asphalt";    ///< a name in models/data/surfaces.yaml
  double camber_deg = -1;             ///< override of the surface's camber (< 0: surface default), 0..10
  // shoe
  std::string shoe = "neutral";       ///< a name in models/data/shoes.yaml
  double wear_km = -1;                ///< override of the shoe's wear (< 0: shoe default), 0..2000
  // simulation
  int strides = 8;                    ///< strides kept for metrics, 1..200
  int warmup_strides = 3;             ///< strides simulated first and excluded, 1..20
  uint64_t seed = 1;                  ///< uneven-terrain seed
  double output_rate_hz = 500;        ///< time-series sampling, 10..5000
};

}  // namespace sl
