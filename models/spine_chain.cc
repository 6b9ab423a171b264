#include "models/spine_chain.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sim/dynamics.h"

namespace sl::spine_chain {
namespace {

struct BodySpec {
  const char* name;
  double mass, ixx, iyy, izz;
  Vec3 p;
};

const BodySpec kBodies[9] = {
    {"pelvis", 11.0, 0.10, 0.08, 0.09, {0, 0, 1.00}},  {"L5", 1.6, 0.006, 0.004, 0.008, {0, 0, 1.10}},
    {"L4", 1.6, 0.006, 0.004, 0.008, {0, 0, 1.14}},    {"L3", 1.6, 0.006, 0.004, 0.008, {0, 0, 1.18}},
    {"L2", 1.6, 0.006, 0.004, 0.008, {0, 0, 1.22}},    {"L1", 1.6, 0.006, 0.004, 0.008, {0, 0, 1.26}},
    {"HAT", 38.0, 2.5, 2.2, 0.45, {0, 0, 1.50}},       {"foot_l", 4.0, 0.02, 0.02, 0.005, {0, 0.09, 0.12}},
    {"foot_r", 4.0, 0.02, 0.02, 0.005, {0, -0.09, 0.12}}};

}  // namespace

std::shared_ptr<const Model> MakeModel() {
  Model m;
  for (const BodySpec& s : kBodies) {
    Body b;
    b.name = s.name;
    b.mass_kg = s.mass;
    b.I_Bcm_B = Vec3(s.ixx, s.iyy, s.izz).asDiagonal();
    m.bodies.push_back(b);
  }
  // Bushings: joint point J in world at t = 0; F and M both at J, aligned with W.
  auto add_bushing = [&](const char* parent, const char* child, const Vec3& J, const Vec3& kt,
                         const Vec3& ct, const Vec3& kr, const Vec3& cr) {
    Bushing k;
    k.parent = m.FindBody(parent);
    k.child = m.FindBody(child);
    k.name = std::string(parent) + "-" + child;
    k.p_PF_P = J - kBodies[k.parent].p;
    k.p_CM_C = J - kBodies[k.child].p;
    k.k_trans_N_m = kt;
    k.c_trans_Ns_m = ct;
    k.k_rot_Nm_rad = kr;
    k.c_rot_Nms_rad = cr;
    m.bushings.push_back(k);
  };
  const Vec3 kt(1.5e5, 1.5e5, 1.5e6), ct(300, 300, 1500), kr(2000, 2000, 3000), cr(20, 20, 20);
  add_bushing("pelvis", "L5", {0, 0, 1.05}, kt, ct, kr, cr);
  add_bushing("L5", "L4", {0, 0, 1.12}, kt, ct, kr, cr);
  add_bushing("L4", "L3", {0, 0, 1.16}, kt, ct, kr, cr);
  add_bushing("L3", "L2", {0, 0, 1.20}, kt, ct, kr, cr);
  add_bushing("L2", "L1", {0, 0, 1.24}, kt, ct, kr, cr);
  add_bushing("L1", "HAT", {0, 0, 1.28}, kt, ct, kr, cr);
  const Vec3 fkt(3e4, 3e4, 2e4), fct(300, 300, 300), fkr(2000, 2000, 2000), fcr(5, 5, 5);
  add_bushing("pelvis", "foot_l", {0, 0.09, 0.12}, fkt, fct, fkr, fcr);
  add_bushing("pelvis", "foot_r", {0, -0.09, 0.12}, fkt, fct, fkr, fcr);

  m.terrains.push_back(std::make_shared<PlaneTerrain>(Vec3::Zero(), Vec3::UnitZ()));
  for (const char* foot : {"foot_l", "foot_r"}) {
    for (const auto& [point, p] : {std::pair{"heel", Vec3(-0.08, 0, -0.05)}, std::pair{"toe", Vec3(0.12, 0, -0.05)}}) {
      ContactPoint c;
      c.name = std::string(foot) + "_" + point;
      c.body = m.FindBody(foot);
      c.p_BC_B = p;
      c.layers[0] = ContactLayer{"ground", 1.0e5, 1.0, 1000.0, 0.0};
      c.friction_coefficient = 0.8;
      c.slip_damping_Ns_m = 5000;
      m.contacts.push_back(c);
    }
  }
  return FinalizeModel(std::move(m));
}

Data MakeInitialData(const Model& model) {
  Data d = MakeData(model);
  for (int b = 0; b < model.nbody(); ++b) {
    const Vec3 w = (std::string(kBodies[b].name) == "HAT") ? Vec3(0.5, 1.0, 0.2) : Vec3::Zero();
    SetBodyState(model, d, b, kBodies[b].p, Quat::Identity(), Vec3(0.2, 0, 0), w);
  }
  return d;
}

std::vector<ReferenceRow> ReadReference(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read spine-chain reference '" + path + "'");
  std::string line;
  std::getline(in, line);  // header
  std::vector<ReferenceRow> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<double> v;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) v.push_back(std::stod(cell));
    if (v.size() != 30) throw std::runtime_error(path + ": expected 30 columns, got " + std::to_string(v.size()));
    ReferenceRow r;
    r.t_s = v[0];
    for (int b = 0; b < 9; ++b) r.p_WB[b] = Vec3(v[1 + 3 * b], v[2 + 3 * b], v[3 + 3 * b]);
    r.peak_fn_left_N = v[28];
    r.peak_fn_right_N = v[29];
    rows.push_back(r);
  }
  return rows;
}

RunResult Run(const IntegratorOptions& options, const std::vector<ReferenceRow>& reference) {
  static const std::shared_ptr<const Model> model = MakeModel();
  const Model& m = *model;
  Data d = MakeInitialData(m);
  RunResult out;
  // Running peak of each foot's total normal force, sampled after every integrator step
  // (touchdowns land on a step boundary, see IntegratorOptions::locate_contact_onsets).
  struct Peaks {
    double fn[2] = {0, 0};
  } peaks;
  StepObserver obs{[](const Model& model, Data& data, void* user) {
                     auto* p = static_cast<Peaks*>(user);
                     CalcContactOutputs(model, data);
                     for (int f = 0; f < 2; ++f)
                       p->fn[f] = std::max(p->fn[f], data.contacts[2 * f].normal_N + data.contacts[2 * f + 1].normal_N);
                   },
                   &peaks};
  const double* peak = peaks.fn;
  for (const ReferenceRow& ref : reference) {
    Advance(m, options, d, ref.t_s, obs);
    ReferenceRow row;
    row.t_s = d.t_s;
    for (int b = 0; b < 9; ++b) {
      row.p_WB[b] = p_WB(d.qpos, b);
      out.max_com_error_m = std::max(out.max_com_error_m, (row.p_WB[b] - ref.p_WB[b]).norm());
    }
    row.peak_fn_left_N = peak[0];
    row.peak_fn_right_N = peak[1];
    out.max_peak_force_rel_error =
        std::max({out.max_peak_force_rel_error, std::abs(peak[0] / ref.peak_fn_left_N - 1.0),
                  std::abs(peak[1] / ref.peak_fn_right_N - 1.0)});
    out.rows.push_back(row);
  }
  out.steps = d.steps;
  out.derivative_evaluations = d.derivative_evaluations;
  return out;
}

std::string ReferencePath() {
  if (const char* env = std::getenv("STRIDELOAD_SHARED_DIR"))
    return std::string(env) + "/benchmarks/spine-chain/reference.csv";
  return STRIDELOAD_SPINE_CHAIN_REFERENCE;
}

}  // namespace sl::spine_chain
