// The model at one output sample as VTK poly data in world coordinates (m): procedural
// shapes for the pelvis, each lumbar vertebra, the upper trunk, the legs and feet; the discs
// with their loads; the muscles as lines with their tension; the ground reaction forces.
// Built once per frame and shared by render, animate, compare and export-vtk, which only
// style it (or write it, for ParaView).
#pragma once

#include <vtkSmartPointer.h>

#include "cli/results_file.h"

class vtkPolyData;

namespace sl::viz {

struct SkeletonFrame {
  /// The lumbar vertebrae L5..L1. Cell data: `body` (index into ScenarioMotion::bodies).
  vtkSmartPointer<vtkPolyData> vertebrae;
  /// Pelvis, upper trunk, legs and feet. Cell data: `body`.
  vtkSmartPointer<vtkPolyData> bones;
  /// One short cylinder per intervertebral disc, normal along the disc axis. Cell data:
  /// `level` (0 = L5/S1 .. 5 = T12/L1), `compression_bw`, `ap_shear_bw`,
  /// `lateral_shear_bw` (body weights), `flexion_moment_N_m`.
  vtkSmartPointer<vtkPolyData> discs;
  /// One line per muscle from attachment a to b. Cell data: `tension_N`, `group` (index of
  /// the muscle group in ScenarioMotion order of first appearance).
  vtkSmartPointer<vtkPolyData> muscles;
  /// One line per loaded foot, from the centre of its contact points along the GRF (0.25 m
  /// per body weight). Cell data: `grf_N` (3-vector, world), `grf_bw` (magnitude).
  vtkSmartPointer<vtkPolyData> grf;
  double t_s = 0;
};

/// Length of the drawn GRF vector per body weight (m/BW).
constexpr double kGrfMetresPerBw = 0.25;

/// Builds the frame at `sample` (< number of samples).
SkeletonFrame BuildSkeletonFrame(const ScenarioMotion& m, size_t sample);

/// Largest disc compression (BW) over the samples from `from_s` on; for shared colour scales.
double MaxCompressionBw(const ScenarioMotion& m, double from_s);

/// Largest muscle tension (N) from `from_s` on (at least 1 N); for shared colour scales.
double MaxTensionN(const ScenarioMotion& m, double from_s);

/// Centre of joint k at sample i, world frame (m), from its inferior (parent) body.
Vec3 JointCentre(const ScenarioMotion& m, size_t k, size_t i);

/// Middle of the lumbar spine (between the L5/S1 and T12/L1 centres) at sample i; the pelvis
/// COM if the file has no joints. Where the close-up views look.
Vec3 LumbarCentre(const ScenarioMotion& m, size_t i);

}  // namespace sl::viz
