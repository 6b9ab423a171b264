#include "viz/skeleton.h"

#include <vtkAppendPolyData.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkCubeSource.h>
#include <vtkCylinderSource.h>
#include <vtkFloatArray.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkSphereSource.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "viz/shapes.h"

namespace sl::viz {
namespace {

// Procedural anatomy, in metres for a lumbar spine of kNominalLumbarM (L5/S1 to T12/L1),
// scaled to the model's own lumbar length. Estimates chosen to be recognisable, not measured:
// lumbar vertebral bodies are ~45 mm wide and ~35 mm deep (Panjabi 1992 orders of size).
constexpr double kNominalLumbarM = 0.18;

struct Frame {
  Mat3 R;  // columns: the shape's local x, y, z in world
  Vec3 p;
};

Frame BodyPose(const ScenarioMotion& m, int body, size_t i) {
  const auto& b = m.bodies[static_cast<size_t>(body)];
  return {b.q_WB[i].toRotationMatrix(), b.p_WB[i]};
}

Vec3 Point(const ScenarioMotion& m, int body, size_t i, const Vec3& p_B) {
  if (body < 0) return p_B;  // the world
  const Frame f = BodyPose(m, body, i);
  return f.p + f.R * p_B;
}

// Unit shapes: cylinder along y (height 1, radius 1), cube (edge 1), sphere (radius 1).
struct Sources {
  vtkNew<vtkCylinderSource> cylinder;
  vtkNew<vtkCubeSource> cube;
  vtkNew<vtkSphereSource> sphere;
  Sources() {
    cylinder->SetHeight(1.0);
    cylinder->SetRadius(1.0);
    cylinder->SetResolution(24);
    sphere->SetRadius(1.0);
    sphere->SetThetaResolution(24);
    sphere->SetPhiResolution(16);
  }
};

void TagCells(vtkPolyData* pd, const std::map<std::string, double>& values) {
  const vtkIdType n = pd->GetNumberOfCells();
  for (const auto& [name, v] : values) {
    vtkNew<vtkFloatArray> a;
    a->SetName(name.c_str());
    a->SetNumberOfTuples(n);
    a->FillValue(static_cast<float>(v));
    pd->GetCellData()->AddArray(a);
  }
}

class Builder {
 public:
  explicit Builder(std::string tag) : tag_(std::move(tag)) {}
  void Add(vtkSmartPointer<vtkPolyData> pd, double value, const std::map<std::string, double>& extra = {}) {
    std::map<std::string, double> v = extra;
    v[tag_] = value;
    TagCells(pd, v);
    append_->AddInputData(pd);
    ++count_;
  }
  vtkSmartPointer<vtkPolyData> Done() {
    auto out = vtkSmartPointer<vtkPolyData>::New();
    if (count_ > 0) {
      append_->Update();
      out->ShallowCopy(append_->GetOutput());
    }
    return out;
  }

 private:
  std::string tag_;
  vtkNew<vtkAppendPolyData> append_;
  int count_ = 0;
};

vtkSmartPointer<vtkPolyData> Lines(const std::vector<std::pair<Vec3, Vec3>>& segs) {
  vtkNew<vtkPoints> pts;
  vtkNew<vtkCellArray> cells;
  for (const auto& [a, b] : segs) {
    const vtkIdType ia = pts->InsertNextPoint(a.x(), a.y(), a.z());
    const vtkIdType ib = pts->InsertNextPoint(b.x(), b.y(), b.z());
    const vtkIdType ids[2] = {ia, ib};
    cells->InsertNextCell(2, ids);
  }
  auto pd = vtkSmartPointer<vtkPolyData>::New();
  pd->SetPoints(pts);
  pd->SetLines(cells);
  return pd;
}

}  // namespace

SkeletonFrame BuildSkeletonFrame(const ScenarioMotion& m, size_t i) {
  Sources src;
  SkeletonFrame out;
  out.t_s = m.series.time_s.at(i);
  const double bw = std::max(1.0, m.series.body_mass_kg * 9.81);

  // Joint centres (world) and disc normals.
  std::vector<Vec3> J(m.joints.size()), n_W(m.joints.size());
  for (size_t k = 0; k < m.joints.size(); ++k) {
    J[k] = JointCentre(m, k, i);
    n_W[k] = BodyPose(m, m.joints[k].parent, i).R * (m.joints[k].q_PF * Vec3::UnitZ());
  }
  const double scale = J.size() >= 2 ? std::clamp((J.back() - J.front()).norm() / kNominalLumbarM, 0.6, 1.6) : 1.0;
  const double s = scale;

  Builder vertebrae("body");
  // Vertebrae: each between its inferior and superior disc.
  for (size_t k = 0; k + 1 < m.joints.size(); ++k) {
    const int b = m.joints[k].child;
    if (b != m.joints[k + 1].parent) continue;
    const Frame V = BodyPose(m, b, i);
    const Vec3 axis = J[k + 1] - J[k];
    const Mat3 R = AxisFrame(axis, V.R.col(0));
    const Vec3 c = 0.5 * (J[k] + J[k + 1]);
    const Vec3 a = R.col(0), lat = R.col(2);
    const double h = std::max(0.005, axis.norm() - 0.011 * s);
    vertebrae.Add(Place(src.cylinder, R, c, Vec3(0.018 * s, h, 0.023 * s)), b);                       // vertebral body
    vertebrae.Add(Place(src.cube, R, c - a * (0.032 * s), Vec3(0.016 * s, 0.5 * h, 0.030 * s)), b);     // pedicles + lamina
    vertebrae.Add(Place(src.cube, R, c - a * (0.055 * s) - R.col(1) * (0.004 * s), Vec3(0.032 * s, 0.5 * h, 0.008 * s)), b);  // spinous process
    for (double side : {-1.0, 1.0})
      vertebrae.Add(Place(src.cube, R, c - a * (0.030 * s) + side * lat * (0.035 * s), Vec3(0.010 * s, 0.25 * h, 0.032 * s)), b);  // transverse processes
  }
  out.vertebrae = vertebrae.Done();
  Builder bones("body");
  // Pelvis: sacrum under L5/S1, iliac wings, pubis, femoral heads.
  {
    const int b = m.pelvis;
    const Frame P = BodyPose(m, b, i);
    const Vec3 hipL = P.p + P.R * m.p_PHip_P[0], hipR = P.p + P.R * m.p_PHip_P[1];
    const Vec3 fwd = P.R.col(0), up = P.R.col(2), left = P.R.col(1);
    if (!J.empty()) {
      const Mat3 R = AxisFrame(n_W[0], fwd);
      bones.Add(Place(src.cube, R, J[0] - R.col(1) * (0.055 * s) - R.col(0) * (0.008 * s), Vec3(0.035 * s, 0.10 * s, 0.085 * s)), b);
    }
    const Vec3 mid = 0.5 * (hipL + hipR);
    const Mat3 Rp = AxisFrame(up, fwd);
    for (const Vec3& hip : {hipL, hipR}) {
      const double out_sign = (hip - mid).dot(left) > 0 ? 1.0 : -1.0;
      bones.Add(Place(src.sphere, Rp, hip + up * (0.085 * s) - fwd * (0.005 * s) + left * (out_sign * 0.012 * s),
                      Vec3(0.075 * s, 0.060 * s, 0.016 * s)), b);                           // iliac wing
      bones.Add(Place(src.sphere, Rp, hip, Vec3::Constant(0.024 * s)), b);                 // femoral head
    }
    bones.Add(Place(src.cube, Rp, mid + fwd * (0.045 * s) - up * (0.025 * s), Vec3(0.025 * s, 0.025 * s, 0.11 * s)), b);  // pubis
    // Legs: the telescoping spring from hip to ankle, and the feet over their contact points.
    for (int sd = 0; sd < 2; ++sd) {
      const Frame F = BodyPose(m, m.foot[sd], i);
      const Vec3 hip = sd == 0 ? hipL : hipR;
      bones.Add(Place(src.cylinder, AxisFrame(F.p - hip, fwd), 0.5 * (hip + F.p), Vec3(0.035 * s, (F.p - hip).norm(), 0.035 * s)), m.foot[sd]);
      Vec3 lo = m.foot_points_B[sd][0], hi = lo;
      for (const Vec3& q : m.foot_points_B[sd]) {
        lo = lo.cwiseMin(q);
        hi = hi.cwiseMax(q);
      }
      hi.z() = lo.z() + 0.035 * s;
      const Vec3 c_B = 0.5 * (lo + hi);
      const Vec3 d = (hi - lo).cwiseMax(Vec3::Constant(0.02 * s));
      bones.Add(Place(src.cube, F.R, F.p + F.R * c_B, Vec3(d.x(), d.y() + 0.01 * s, d.z())), m.foot[sd]);
    }
  }
  // Upper trunk: thoracic spine, rib cage, shoulders, head.
  if (!J.empty()) {
    const int b = m.hat;
    const Frame H = BodyPose(m, b, i);
    const Vec3 fwd = H.R.col(0), up = H.R.col(2);
    const Mat3 R = AxisFrame(up, fwd);
    const Vec3 t = J.back();
    bones.Add(Place(src.cylinder, R, t + up * (0.16 * s), Vec3(0.016 * s, 0.30 * s, 0.016 * s)), b);
    bones.Add(Place(src.sphere, R, t + up * (0.22 * s) + fwd * (0.075 * s), Vec3(0.095 * s, 0.14 * s, 0.13 * s)), b);
    bones.Add(Place(src.cube, R, t + up * (0.33 * s) + fwd * (0.04 * s), Vec3(0.06 * s, 0.03 * s, 0.36 * s)), b);
    bones.Add(Place(src.cylinder, R, t + up * (0.39 * s) + fwd * (0.03 * s), Vec3(0.025 * s, 0.08 * s, 0.025 * s)), b);
    bones.Add(Place(src.sphere, R, t + up * (0.50 * s) + fwd * (0.04 * s), Vec3(0.085 * s, 0.11 * s, 0.075 * s)), b);
  }
  out.bones = bones.Done();

  Builder discs("compression_bw");
  for (size_t k = 0; k < m.joints.size(); ++k) {
    const Frame P = BodyPose(m, m.joints[k].parent, i);
    const Mat3 R = AxisFrame(n_W[k], P.R.col(0));
    const Vec3& f = m.joints[k].force_N.at(i);
    discs.Add(Place(src.cylinder, R, J[k], Vec3(0.019 * s, 0.009 * s, 0.024 * s)), f.x() / bw,
              {{"level", static_cast<double>(k)},
               {"ap_shear_bw", f.y() / bw},
               {"lateral_shear_bw", f.z() / bw},
               {"flexion_moment_N_m", m.joints[k].moment_Nm.at(i).x()}});
  }
  out.discs = discs.Done();

  std::vector<std::pair<Vec3, Vec3>> segs;
  vtkNew<vtkFloatArray> tension, group;
  tension->SetName("tension_N");
  group->SetName("group");
  std::map<std::string, int> groups;
  for (const auto& mu : m.muscles) {
    segs.emplace_back(Point(m, mu.body_a, i, mu.p_AoA_A), Point(m, mu.body_b, i, mu.p_BoB_B));
    tension->InsertNextValue(static_cast<float>(mu.tension_N.at(i)));
    group->InsertNextValue(static_cast<float>(groups.emplace(mu.group, static_cast<int>(groups.size())).first->second));
  }
  out.muscles = Lines(segs);
  out.muscles->GetCellData()->AddArray(tension);
  out.muscles->GetCellData()->AddArray(group);

  segs.clear();
  vtkNew<vtkFloatArray> grf, grf_bw;
  grf->SetName("grf_N");
  grf->SetNumberOfComponents(3);
  grf_bw->SetName("grf_bw");
  // One cell per foot (left, right) in every frame, so that a time series has the same
  // structure throughout (an empty block is dropped by VTK's multiblock writer, and ParaView
  // then sees frames with four blocks); an unloaded foot's arrow has zero length.
  for (int sd = 0; sd < 2; ++sd) {
    const Vec3& F = m.series.grf_W[sd].at(i);
    Vec3 c = Vec3::Zero();
    for (const Vec3& q : m.foot_points_B[sd]) c += Point(m, m.foot[sd], i, q) / 4.0;
    segs.emplace_back(c, F.norm() < 0.02 * bw ? c : Vec3(c + F / bw * kGrfMetresPerBw));
    const float v[3] = {static_cast<float>(F.x()), static_cast<float>(F.y()), static_cast<float>(F.z())};
    grf->InsertNextTuple3(v[0], v[1], v[2]);
    grf_bw->InsertNextValue(static_cast<float>(F.norm() / bw));
  }
  out.grf = Lines(segs);
  out.grf->GetCellData()->AddArray(grf);
  out.grf->GetCellData()->AddArray(grf_bw);
  return out;
}

Vec3 JointCentre(const ScenarioMotion& m, size_t k, size_t i) {
  const auto& j = m.joints.at(k);
  return Point(m, j.parent, i, j.p_PJ_P);
}

Vec3 LumbarCentre(const ScenarioMotion& m, size_t i) {
  if (m.joints.empty()) return m.bodies[static_cast<size_t>(m.pelvis)].p_WB.at(i);
  return 0.5 * (JointCentre(m, 0, i) + JointCentre(m, m.joints.size() - 1, i));
}

double MaxTensionN(const ScenarioMotion& m, double from_s) {
  double mx = 1.0;
  for (const auto& mu : m.muscles)
    for (size_t i = 0; i < mu.tension_N.size() && i < m.series.time_s.size(); ++i)
      if (m.series.time_s[i] >= from_s) mx = std::max(mx, mu.tension_N[i]);
  return mx;
}

double MaxCompressionBw(const ScenarioMotion& m, double from_s) {
  const double bw = std::max(1.0, m.series.body_mass_kg * 9.81);
  double mx = 0;
  for (const auto& j : m.joints)
    for (size_t i = 0; i < j.force_N.size() && i < m.series.time_s.size(); ++i)
      if (m.series.time_s[i] >= from_s) mx = std::max(mx, j.force_N[i].x() / bw);
  return mx;
}

}  // namespace sl::viz
