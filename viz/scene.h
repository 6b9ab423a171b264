// Styling a SkeletonFrame for the screen: bones in bone white, discs coloured by compression
// (viridis, BW), muscles as tubes coloured by tension (reds, N), the GRF as arrows, a ground
// patch; and the two standard views (sagittal from the runner's right, frontal from ahead).
#pragma once

#include "sim/math.h"
#include "viz/skeleton.h"

class vtkLookupTable;
class vtkRenderer;

namespace sl::viz {

enum class View { kSagittal, kFrontal };

/// Adds the frame's actors to `ren`. The tables give the colour scales (shared across panels
/// when comparing); `context_opacity` < 1 makes the pelvis, trunk and legs translucent so the
/// lumbar spine shows through them in close-ups.
void AddSkeletonActors(vtkRenderer* ren, const SkeletonFrame& f, vtkLookupTable* disc_bw, vtkLookupTable* tension_N,
                       double context_opacity = 1.0);

/// Parallel projection centred on `focus` (world, m) showing `half_height_m` above and below.
void AimCamera(vtkRenderer* ren, View view, const Vec3& focus, double half_height_m);

/// Colour bar for a table, at the viewport-relative position (x, y), size (w, h).
void AddColourBar(vtkRenderer* ren, vtkLookupTable* lut, const char* title, double x, double y, double w, double h);

/// Text at display-relative position (x, y) in [0, 1], anchored at its lower-left corner.
/// `rgb` in 0..1 (default: near-black).
void AddText(vtkRenderer* ren, const std::string& text, double x, double y, int size, bool bold = false,
             const double* rgb = nullptr);

}  // namespace sl::viz
