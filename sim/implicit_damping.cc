#include "sim/implicit_damping.h"

#include <algorithm>

namespace sl {
namespace {

// G of a frame at p_BJ with orientation R_BJ on body B: deflection rate (in J) =
// [R_BJ^T (v_B + w_B x p_BJ); R_BJ^T w_B], with v_B and w_B in B.
Mat6 FrameMap(const Vec3& p_BJ, const Quat& q_BJ) {
  const Mat3 Rt = q_BJ.toRotationMatrix().transpose();
  Mat6 G = Mat6::Zero();
  G.block<3, 3>(0, 0) = Rt;
  G.block<3, 3>(0, 3) = -Rt * CrossMatrix(p_BJ);
  G.block<3, 3>(3, 3) = Rt;
  return G;
}

}  // namespace

void BushingDampingMatrix(const Model& m, Eigen::MatrixXd& D) {
  const int n = 6 * m.nbody();
  D = Eigen::MatrixXd::Zero(n, n);
  for (const Bushing& k : m.bushings) {
    Eigen::Matrix<double, 6, 1> c;
    c << k.c_trans_Ns_m, k.c_rot_Nms_rad;
    const auto C = c.asDiagonal();
    const Mat6 Gc = FrameMap(k.p_CM_C, k.q_CM);
    const int ic = 6 * k.child;
    D.block<6, 6>(ic, ic) += Gc.transpose() * C * Gc;
    if (k.parent == kWorld) continue;
    const Mat6 Gp = FrameMap(k.p_PF_P, k.q_PF);
    const int ip = 6 * k.parent;
    D.block<6, 6>(ip, ip) += Gp.transpose() * C * Gp;
    D.block<6, 6>(ic, ip) -= Gc.transpose() * C * Gp;
    D.block<6, 6>(ip, ic) -= Gp.transpose() * C * Gc;
  }
}

void SetUpImplicitDamping(const Model& m, Data& d) {
  auto& s = d.scratch;
  const int nb = m.nbody();
  BushingDampingMatrix(m, s.damping_D);
  // Factor once here: sizes the storage (the step then allocates nothing) and sets the
  // factor's status (a default-constructed Eigen::LLT leaves it uninitialised).
  s.damping_llt.compute(Eigen::MatrixXd::Identity(6 * nb, 6 * nb));
  // The bushings' graph over the bodies (the world left out): a forest if it has no cycle.
  std::vector<std::vector<int>> adj(static_cast<size_t>(nb));
  std::vector<std::pair<int, int>> edges;
  for (const Bushing& k : m.bushings) {
    if (k.parent == kWorld || k.parent == k.child) continue;
    const std::pair<int, int> e(std::min(k.parent, k.child), std::max(k.parent, k.child));
    if (std::find(edges.begin(), edges.end(), e) != edges.end()) continue;  // parallel bushings: one block
    edges.push_back(e);
    adj[static_cast<size_t>(e.first)].push_back(e.second);
    adj[static_cast<size_t>(e.second)].push_back(e.first);
  }
  s.tree_parent.assign(static_cast<size_t>(nb), -2);  // -2: not reached yet
  s.tree_order.clear();
  bool forest = true;
  for (int root = 0; root < nb && forest; ++root) {
    if (s.tree_parent[static_cast<size_t>(root)] != -2) continue;
    // Iterative depth-first search; the order is reversed at the end (children first).
    std::vector<int> stack = {root};
    s.tree_parent[static_cast<size_t>(root)] = -1;
    std::vector<int> preorder;
    while (!stack.empty() && forest) {
      const int b = stack.back();
      stack.pop_back();
      preorder.push_back(b);
      for (int c : adj[static_cast<size_t>(b)]) {
        if (c == s.tree_parent[static_cast<size_t>(b)]) continue;
        if (s.tree_parent[static_cast<size_t>(c)] != -2) { forest = false; break; }  // a cycle
        s.tree_parent[static_cast<size_t>(c)] = b;
        stack.push_back(c);
      }
    }
    s.tree_order.insert(s.tree_order.end(), preorder.rbegin(), preorder.rend());
  }
  s.damping_tree = forest;
  s.tree_D_diag.assign(static_cast<size_t>(nb), Mat6::Zero());
  s.tree_D_up.assign(static_cast<size_t>(nb), Mat6::Zero());
  s.tree_S.assign(static_cast<size_t>(nb), Mat6::Zero());
  s.tree_W.assign(static_cast<size_t>(nb), Mat6::Zero());
  s.tree_L.resize(static_cast<size_t>(nb));  // constructed in place, then factored (see above)
  for (auto& L : s.tree_L) L.compute(Mat6::Identity());
  s.tree_Linv.assign(static_cast<size_t>(nb), Mat6::Identity());
  if (!forest) return;
  for (int b = 0; b < nb; ++b) {
    s.tree_D_diag[static_cast<size_t>(b)] = s.damping_D.block<6, 6>(6 * b, 6 * b);
    const int p = s.tree_parent[static_cast<size_t>(b)];
    if (p >= 0) s.tree_D_up[static_cast<size_t>(b)] = s.damping_D.block<6, 6>(6 * b, 6 * p);
  }
}

namespace {
// Adds the loaded contacts' normal and friction damping, times h_half, to each body's block.
template <typename AddBlock>
void ForEachContactBlock(const Model& m, const Data& d, double h_half, AddBlock add) {
  for (size_t i = 0; i < m.contacts.size(); ++i) {
    const ContactOutput& o = d.contacts[i];
    if (!(o.penetration_m > 0)) continue;
    const ContactPoint& c = m.contacts[i];
    const Mat3& R = d.kin[c.body].R_WB;
    Eigen::Matrix<double, 3, 6> G;  // point velocity (world) from the body's (v_B, w_B)
    G.block<3, 3>(0, 0) = R;
    G.block<3, 3>(0, 3) = -R * CrossMatrix(c.p_BC_B);
    const Mat3 nn = o.n_W * o.n_W.transpose();
    const Mat3 C = o.normal_damping_Ns_m * nn + o.friction_damping_Ns_m * (Mat3::Identity() - nn);
    add(c.body, Mat6(h_half * (G.transpose() * C * G)));
  }
}
}  // namespace

void FactorImplicitDamping(const Model& m, Data& d, double h_half) {
  auto& s = d.scratch;
  s.damping_factored_step_s = h_half;
  if (s.damping_tree) {
    for (int b = 0; b < m.nbody(); ++b) {
      Mat6& S = s.tree_S[static_cast<size_t>(b)];
      S = h_half * s.tree_D_diag[static_cast<size_t>(b)];
      S.block<3, 3>(0, 0) += m.bodies[b].mass_kg * Mat3::Identity();
      S.block<3, 3>(3, 3) += m.bodies[b].I_Bcm_B;
    }
    ForEachContactBlock(m, d, h_half, [&](int b, const Mat6& B) { s.tree_S[static_cast<size_t>(b)] += B; });
    // Block Cholesky along the tree: each body's block, then its Schur complement into its parent.
    for (int b : s.tree_order) {
      const size_t i = static_cast<size_t>(b);
      s.tree_L[i].compute(s.tree_S[i]);
      s.tree_Linv[i].setIdentity();
      s.tree_L[i].matrixL().solveInPlace(s.tree_Linv[i]);
      const int p = s.tree_parent[i];
      if (p < 0) continue;
      s.tree_W[i] = h_half * s.tree_D_up[i];
      s.tree_L[i].matrixL().solveInPlace(s.tree_W[i]);
      s.tree_S[static_cast<size_t>(p)].noalias() -= s.tree_W[i].transpose() * s.tree_W[i];
    }
    return;
  }
  s.A = h_half * s.damping_D;
  for (int b = 0; b < m.nbody(); ++b) {
    s.A.block<3, 3>(6 * b, 6 * b) += m.bodies[b].mass_kg * Mat3::Identity();
    s.A.block<3, 3>(6 * b + 3, 6 * b + 3) += m.bodies[b].I_Bcm_B;
  }
  ForEachContactBlock(m, d, h_half, [&](int b, const Mat6& B) { s.A.block<6, 6>(6 * b, 6 * b) += B; });
  s.damping_llt.compute(s.A);
}

void SolveImplicitDamping(Data& d, const Eigen::VectorXd& rhs, Eigen::VectorXd& dnu) {
  auto& s = d.scratch;
  dnu = rhs;
  if (!s.damping_tree) {
    s.damping_llt.solveInPlace(dnu);
    return;
  }
  // L y = rhs, children first; then L^T x = y, parents first.
  Eigen::Matrix<double, 6, 1> t;
  for (int b : s.tree_order) {
    const size_t i = static_cast<size_t>(b);
    t.noalias() = s.tree_Linv[i] * dnu.segment<6>(6 * b);
    dnu.segment<6>(6 * b) = t;
    const int p = s.tree_parent[i];
    if (p >= 0) dnu.segment<6>(6 * p).noalias() -= s.tree_W[i].transpose() * t;
  }
  for (auto it = s.tree_order.rbegin(); it != s.tree_order.rend(); ++it) {
    const size_t i = static_cast<size_t>(*it);
    t = dnu.segment<6>(6 * *it);
    const int p = s.tree_parent[i];
    if (p >= 0) t.noalias() -= s.tree_W[i] * dnu.segment<6>(6 * p);
    dnu.segment<6>(6 * *it).noalias() = s.tree_Linv[i].transpose() * t;
  }
}

}  // namespace sl
