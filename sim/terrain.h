// Ground geometry for point contacts: a plane of any orientation (road camber) or a height
// field given by a function (uneven trail). World frame W: x forward, y left, z up.
#pragma once

#include <functional>
#include <memory>

#include "sim/math.h"

namespace sl {

/// Where a point is relative to the ground.
struct TerrainQuery {
  double penetration_m = 0;  ///< depth of the point below the surface along n_W (> 0 inside)
  Vec3 n_W{0, 0, 1};         ///< outward unit surface normal at the point, world frame
};

/// The one interface of the engine: ground shapes. Query must be thread-safe and must not
/// allocate.
class Terrain {
 public:
  virtual ~Terrain() = default;
  virtual TerrainQuery Query(const Vec3& p_WC) const = 0;
};

/// Plane through p_WO with outward normal n_W (normalised on construction).
class PlaneTerrain final : public Terrain {
 public:
  PlaneTerrain(const Vec3& p_WO, const Vec3& n_W);
  /// Horizontal plane z = height_m, rolled by camber_rad about the x (running) axis: the road
  /// rises to the left (+y) for positive camber.
  static PlaneTerrain Cambered(double camber_rad, double height_m = 0.0);
  TerrainQuery Query(const Vec3& p_WC) const override;
  const Vec3& normal_W() const { return n_W_; }

 private:
  Vec3 p_WO_;
  Vec3 n_W_;
};

/// Height field z = h(x, y) with gradient; penetration is measured vertically and projected
/// on the local normal (exact for planes, first order in the slope change otherwise).
class HeightFieldTerrain final : public Terrain {
 public:
  /// fn(x, y, &dh_dx, &dh_dy) returns h (m). Must be pure and thread-safe.
  using HeightFn = std::function<double(double, double, double*, double*)>;
  explicit HeightFieldTerrain(HeightFn fn);
  TerrainQuery Query(const Vec3& p_WC) const override;

 private:
  HeightFn fn_;
};

}  // namespace sl
