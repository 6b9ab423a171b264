// `strideload render` and `strideload animate`: the model at one instant (or a stride in
// motion) in a sagittal and a frontal view, discs coloured by compression with a colour bar
// in BW, muscles by tension, the GRF as arrows, a title with the scenario, time, % stance and
// the key loads.
#pragma once

#include <memory>
#include <string>

#include "cli/results_file.h"

class vtkRenderWindow;

namespace sl::viz {

struct RenderOptions {
  std::string results_file, scenario;
  std::string at = "peak";             ///< peak | T (s) | P%
  std::string output_png = "render.png";
  int width = 1600, height = 900;
};

/// Throws InputError for unknown files, scenarios or instants.
void RenderScenario(const RenderOptions& opt);

struct AnimateOptions {
  std::string results_file, scenario;
  std::string output = "run.ogv";  ///< .ogv (Theora video) or a folder for numbered PNG frames
  std::string frames_dir;          ///< optional: also write frame_NNNN.png here
  int width = 1280, height = 720;
  int fps = 25;
  double slowdown = 4.0;           ///< playback slower than real time by this factor
  int strides = 1;                 ///< steady-state strides to show
};

/// Writes the animation; returns the number of frames. Throws InputError for bad input.
int AnimateScenario(const AnimateOptions& opt);

/// A two-view figure of one scenario whose content can be redrawn frame after frame.
class SkeletonFigure {
 public:
  /// Colour scales: discs 0..max_compression_bw, muscles 0..max_tension_N.
  SkeletonFigure(int width, int height, double max_compression_bw, double max_tension_N);
  ~SkeletonFigure();
  /// Draws sample `i` of `m` with a title line.
  void Show(const ScenarioMotion& m, size_t i);
  vtkRenderWindow* window();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sl::viz
