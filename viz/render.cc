#include "viz/render.h"

#include <vtkLookupTable.h>
#include <vtkNew.h>
#include <vtkOggTheoraWriter.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkWindowToImageFilter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "models/yaml_util.h"
#include "viz/colormap.h"
#include "viz/headless.h"
#include "viz/instant.h"
#include "viz/png_output.h"
#include "viz/scene.h"

namespace sl::viz {
namespace fs = std::filesystem;

struct SkeletonFigure::Impl {
  vtkNew<vtkRenderWindow> window;
  vtkSmartPointer<vtkRenderer> views[3], overlay;
  vtkSmartPointer<vtkLookupTable> disc, tension;
};

SkeletonFigure::SkeletonFigure(int width, int height, double max_compression_bw, double max_tension_N)
    : impl_(std::make_unique<Impl>()) {
  impl_->window->SetSize(width, height);
  impl_->window->SetOffScreenRendering(1);
  impl_->window->SetMultiSamples(0);
  impl_->disc = ViridisTable(0.0, max_compression_bw);
  impl_->tension = RedsTable(0.0, max_tension_N);
  // Three 3-D views under a title band (whole body from the side; the lumbar spine from the
  // side and from ahead), the colour bars on the right.
  const double top = 0.86, x[4] = {0.0, 0.24, 0.58, 0.86};
  for (int k = 0; k < 3; ++k) {
    impl_->views[k] = vtkSmartPointer<vtkRenderer>::New();
    impl_->views[k]->SetViewport(x[k], 0.04, x[k + 1], top);
  }
  impl_->overlay = vtkSmartPointer<vtkRenderer>::New();
  impl_->overlay->SetViewport(0.0, 0.0, 1.0, 1.0);
  impl_->overlay->SetLayer(0);
  impl_->overlay->SetBackground(1, 1, 1);
  impl_->window->SetNumberOfLayers(2);
  impl_->window->AddRenderer(impl_->overlay);
  for (auto& v : impl_->views) {
    v->SetLayer(1);
    v->UseFXAAOn();  // cheap anti-aliasing (measured under Xvfb: MSAA x4 made frames 1.7x slower, FXAA 1.4x)
    v->SetBackground(1, 1, 1);
    impl_->window->AddRenderer(v);
  }
}

SkeletonFigure::~SkeletonFigure() = default;

vtkRenderWindow* SkeletonFigure::window() { return impl_->window; }

void SkeletonFigure::Show(const ScenarioMotion& m, size_t i) {
  for (auto& v : impl_->views) v->RemoveAllViewProps();
  impl_->overlay->RemoveAllViewProps();
  const SkeletonFrame f = BuildSkeletonFrame(m, i);
  const Vec3 p = m.bodies[static_cast<size_t>(m.pelvis)].p_WB[i];
  const Vec3 body(p.x(), p.y(), 0.5 * (p.z() + 0.75));
  const Vec3 lumbar = LumbarCentre(m, i);
  for (int k = 0; k < 3; ++k) {
    AddSkeletonActors(impl_->views[k], f, impl_->disc, impl_->tension, k == 0 ? 1.0 : 0.25);
    AimCamera(impl_->views[k], k == 2 ? View::kFrontal : View::kSagittal, k == 0 ? body : lumbar, k == 0 ? 0.95 : 0.30);
  }
  AddColourBar(impl_->overlay, impl_->disc, "disc compression (BW)", 0.875, 0.50, 0.05, 0.36);
  AddColourBar(impl_->overlay, impl_->tension, "muscle tension (N)", 0.875, 0.06, 0.05, 0.36);
  AddText(impl_->overlay, "whole body, sagittal (running to the right)", 0.01, 0.015, 14);
  AddText(impl_->overlay, "lumbar spine, sagittal (from the right)", 0.27, 0.015, 14);
  AddText(impl_->overlay, "lumbar spine, frontal (from ahead)", 0.61, 0.015, 14);

  // Title: scenario, instant, key loads.
  const ScenarioSeries& s = m.series;
  const double bw = std::max(1.0, s.body_mass_kg * 9.81);
  int side;
  double pct;
  StanceAt(s, s.time_s[i], &side, &pct);
  char phase[96];
  if (side < 0) std::snprintf(phase, sizeof phase, "flight");
  else std::snprintf(phase, sizeof phase, "%.0f %% of %s stance", pct, side == 0 ? "left" : "right");
  const Vec3 grf = s.grf_W[0][i] + s.grf_W[1][i];
  char line[512];
  std::snprintf(line, sizeof line, "%s   t = %.3f s (%s)", s.name.c_str(), s.time_s[i], phase);
  AddText(impl_->overlay, line, 0.02, 0.935, 22, true);
  std::snprintf(line, sizeof line,
                "L5/S1 compression %.2f BW, AP shear %+.2f BW   |   T12/L1 compression %.2f BW   |   vertical GRF %.2f BW",
                s.l5s1_force[i].x() / bw, s.l5s1_force[i].y() / bw,
                m.joints.empty() ? 0.0 : m.joints.back().force_N[i].x() / bw, grf.z() / bw);
  AddText(impl_->overlay, line, 0.02, 0.885, 16);
}

namespace {

void CheckOutputFolder(const std::string& out) {
  const auto dir = fs::path(out).parent_path();
  if (!dir.empty() && !fs::is_directory(dir)) throw InputError(out + ": the output folder does not exist");
}

}  // namespace

void RenderScenario(const RenderOptions& opt) {
  CheckOutputFolder(opt.output_png);
  const ScenarioMotion m = ReadScenarioMotion(opt.results_file, opt.scenario);
  const Instant at = ResolveInstant(m.series, opt.at);
  const double t0 = SteadyStart(m.series);
  HeadlessDisplay display;
  SkeletonFigure fig(opt.width, opt.height, std::max(0.5, MaxCompressionBw(m, t0)), MaxTensionN(m, t0));
  fig.Show(m, at.sample);
  WriteWindowPng(fig.window(), opt.output_png);
}

int AnimateScenario(const AnimateOptions& opt) {
  const bool video = fs::path(opt.output).extension() == ".ogv";
  if (!video && opt.output.size() && !opt.frames_dir.empty())
    throw InputError("animate: -o must end in .ogv when --frames is also given");
  const std::string frames = video ? opt.frames_dir : opt.output;
  if (video) CheckOutputFolder(opt.output);
  if (!frames.empty()) {
    std::error_code ec;
    fs::create_directories(frames, ec);
    if (!fs::is_directory(frames)) throw InputError(frames + ": cannot create the frames folder");
  }
  if (opt.fps < 1 || opt.fps > 120) throw InputError("animate: --fps " + std::to_string(opt.fps) + " is outside 1..120");
  if (opt.width % 2 || opt.height % 2)
    throw InputError("animate: --width " + std::to_string(opt.width) + " --height " + std::to_string(opt.height) +
                     ": both must be even (video encoding)");
  const ScenarioMotion m = ReadScenarioMotion(opt.results_file, opt.scenario);
  const ScenarioSeries& s = m.series;
  if (s.time_s.size() < 2) throw InputError(opt.results_file + ": scenario '" + opt.scenario + "' has too few samples to animate");
  // One stride: right touchdown to the right touchdown `strides` later, in the steady state.
  const auto& td = s.touchdown_s[1];
  const size_t k = static_cast<size_t>(std::max(0, s.warmup_strides));
  double t_begin = s.time_s.front(), t_end = s.time_s.back();
  if (k < td.size()) {
    t_begin = td[k];
    if (k + static_cast<size_t>(opt.strides) < td.size()) t_end = std::min(t_end, td[k + static_cast<size_t>(opt.strides)]);
  }
  const double dt = 1.0 / (opt.fps * opt.slowdown);
  const int n = std::max(2, static_cast<int>(std::floor((t_end - t_begin) / dt)) + 1);
  const double t0 = SteadyStart(s);

  HeadlessDisplay display;
  SkeletonFigure fig(opt.width, opt.height, std::max(0.5, MaxCompressionBw(m, t0)), MaxTensionN(m, t0));
  vtkNew<vtkWindowToImageFilter> grab;
  grab->SetInput(fig.window());
  grab->ReadFrontBufferOff();
  vtkNew<vtkOggTheoraWriter> ogg;
  if (video) {
    ogg->SetInputConnection(grab->GetOutputPort());
    ogg->SetFileName(opt.output.c_str());
    ogg->SetRate(opt.fps);
    ogg->SetQuality(2);
  }
  for (int f = 0; f < n; ++f) {
    const double t = t_begin + f * dt;
    fig.Show(m, NearestSample(s.time_s, t));
    fig.window()->Render();
    grab->Modified();
    grab->Update();
    if (video) {
      if (f == 0) ogg->Start();
      ogg->Write();
    }
    if (!frames.empty()) {
      char name[32];
      std::snprintf(name, sizeof name, "frame_%04d.png", f);
      WriteImagePng(grab->GetOutput(), (fs::path(frames) / name).string());
    }
  }
  if (video) {
    ogg->End();
    if (!fs::exists(opt.output) || fs::file_size(opt.output) == 0) throw std::runtime_error("could not write " + opt.output);
  }
  return n;
}

}  // namespace sl::viz
