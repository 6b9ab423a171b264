#include "viz/shapes.h"

#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkPolyDataAlgorithm.h>
#include <vtkTransform.h>
#include <vtkTransformPolyDataFilter.h>

namespace sl::viz {

// A frame whose local y is `axis` and whose local x is as close to `forward` as possible.
Mat3 AxisFrame(const Vec3& axis, const Vec3& forward) {
  const Vec3 y = axis.normalized();
  Vec3 x = forward - forward.dot(y) * y;
  if (x.norm() < 1e-9) x = y.unitOrthogonal();
  x.normalize();
  Mat3 R;
  R.col(0) = x;
  R.col(1) = y;
  R.col(2) = x.cross(y);
  return R;
}

// Places a unit source (centred at the origin) with scale s along its local axes.
vtkSmartPointer<vtkPolyData> Place(vtkPolyDataAlgorithm* src, const Mat3& R, const Vec3& p, const Vec3& s) {
  vtkNew<vtkTransform> T;
  double M[16] = {R(0, 0) * s.x(), R(0, 1) * s.y(), R(0, 2) * s.z(), p.x(),  //
                  R(1, 0) * s.x(), R(1, 1) * s.y(), R(1, 2) * s.z(), p.y(),  //
                  R(2, 0) * s.x(), R(2, 1) * s.y(), R(2, 2) * s.z(), p.z(),  //
                  0, 0, 0, 1};
  T->SetMatrix(M);
  vtkNew<vtkTransformPolyDataFilter> f;
  f->SetTransform(T);
  f->SetInputConnection(src->GetOutputPort());
  f->Update();
  auto out = vtkSmartPointer<vtkPolyData>::New();
  out->ShallowCopy(f->GetOutput());
  out->GetPointData()->SetTCoords(nullptr);
  return out;
}

}  // namespace sl::viz
