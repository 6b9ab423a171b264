#include "sim/terrain.h"

#include <cmath>
#include <utility>

#include "sim/errors.h"

namespace sl {

PlaneTerrain::PlaneTerrain(const Vec3& p_WO, const Vec3& n_W) : p_WO_(p_WO), n_W_(n_W) {
  const double n = n_W.norm();
  if (!(n > 0.0) || !std::isfinite(n)) throw ModelError("plane terrain: normal must be non-zero");
  n_W_ /= n;
}

PlaneTerrain PlaneTerrain::Cambered(double camber_rad, double height_m) {
  // Rotating +z by camber about +x gives (0, -sin, cos): the surface rises towards +y.
  return PlaneTerrain(Vec3(0, 0, height_m), Vec3(0, -std::sin(camber_rad), std::cos(camber_rad)));
}

TerrainQuery PlaneTerrain::Query(const Vec3& p_WC) const {
  return TerrainQuery{n_W_.dot(p_WO_ - p_WC), n_W_};
}

HeightFieldTerrain::HeightFieldTerrain(HeightFn fn) : fn_(std::move(fn)) {
  if (!fn_) throw ModelError("height-field terrain: height function is empty");
}

TerrainQuery HeightFieldTerrain::Query(const Vec3& p_WC) const {
  double hx = 0, hy = 0;
  const double h = fn_(p_WC.x(), p_WC.y(), &hx, &hy);
  Vec3 n(-hx, -hy, 1.0);
  n.normalize();
  return TerrainQuery{(h - p_WC.z()) * n.z(), n};
}

}  // namespace sl
