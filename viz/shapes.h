// Placing unit VTK sources in the world: the one geometric helper every drawing shares.
#pragma once

#include <vtkSmartPointer.h>

#include "sim/math.h"

class vtkPolyData;
class vtkPolyDataAlgorithm;

namespace sl::viz {

/// A rotation whose local y axis is `axis` and whose local x is as close to `forward` as
/// possible (columns: local x, y, z in world).
Mat3 AxisFrame(const Vec3& axis, const Vec3& forward);

/// The output of `src` (a unit shape centred at the origin) scaled by `s` along its local
/// axes, rotated by R and moved to p. Texture coordinates are dropped.
vtkSmartPointer<vtkPolyData> Place(vtkPolyDataAlgorithm* src, const Mat3& R, const Vec3& p, const Vec3& s);

}  // namespace sl::viz
