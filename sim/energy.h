// Energy bookkeeping for balance tests: kinetic, potential (gravity and every conservative
// element) and the power dissipated by every dissipative element. Uses the outputs of the
// last evaluation: call CalcOutputs first.
#pragma once

#include "sim/data.h"
#include "sim/model.h"

namespace sl {

/// Translational plus rotational kinetic energy (J) at the current state.
double KineticEnergy(const Model& m, const Data& d);
/// Gravity (relative to z = 0) plus elastic energy of bushings, line springs, contacts (J).
double PotentialEnergy(const Model& m, const Data& d);
/// Power dissipated by dampers, contact damping and friction (W, >= 0).
double DissipatedPower(const Model& m, const Data& d);
/// Power that actuators put into the bodies (W).
double ActuatorPower(const Model& m, const Data& d);

}  // namespace sl
