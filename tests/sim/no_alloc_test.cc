// Oracle: a counting malloc. Every heap allocation in this process goes through malloc
// (operator new included); stepping the spine-chain model through touchdown with each
// integrator must make none.
#include <cstddef>
#include <cstdlib>

#include <gtest/gtest.h>

#include "models/spine_chain.h"
#include "sim/dynamics.h"
#include "sim/integrator.h"

extern "C" void* __libc_malloc(std::size_t);
extern "C" void* __libc_calloc(std::size_t, std::size_t);
extern "C" void* __libc_realloc(void*, std::size_t);

namespace {
thread_local bool g_counting = false;
thread_local long g_allocations = 0;
}  // namespace

extern "C" void* malloc(std::size_t n) {
  if (g_counting) ++g_allocations;
  return __libc_malloc(n);
}
extern "C" void* calloc(std::size_t a, std::size_t b) {
  if (g_counting) ++g_allocations;
  return __libc_calloc(a, b);
}
extern "C" void* realloc(void* p, std::size_t n) {
  if (g_counting) ++g_allocations;
  return __libc_realloc(p, n);
}

namespace sl {
namespace {

void* volatile g_sink;

TEST(NoAlloc, CountingMallocSeesAllocations) {
  g_allocations = 0;
  g_counting = true;
  g_sink = std::malloc(64);
  std::free(g_sink);
  std::vector<double>* v = new std::vector<double>(100);
  g_sink = v;
  g_counting = false;
  delete v;
  EXPECT_GE(g_allocations, 2);
}

class NoAlloc : public ::testing::TestWithParam<IntegratorKind> {};

TEST_P(NoAlloc, StepAllocatesNothing) {
  const auto model = spine_chain::MakeModel();
  Data d = spine_chain::MakeInitialData(*model);
  IntegratorOptions o;
  o.kind = GetParam();
  const bool w_method = GetParam() == IntegratorKind::kRos2 || GetParam() == IntegratorKind::kRos34pw2 ||
                        GetParam() == IntegratorKind::kImplicitDampingVerlet;
  o.step_s = w_method ? 5e-4 : 5e-5;
  g_allocations = 0;
  g_counting = true;
  // Through the drop, touchdown (t ~ 0.119 s, located contact onsets) and contact.
  Advance(*model, o, d, 0.2);
  CalcOutputs(*model, d);
  g_counting = false;
  EXPECT_EQ(g_allocations, 0);
  EXPECT_GT(d.steps, 100);
}

INSTANTIATE_TEST_SUITE_P(Integrators, NoAlloc,
                         ::testing::Values(IntegratorKind::kSemiImplicitEuler, IntegratorKind::kRk4,
                                           IntegratorKind::kDopri5, IntegratorKind::kRos2,
                                           IntegratorKind::kRos34pw2, IntegratorKind::kImplicitDampingVerlet),
                         [](const auto& info) { return std::string(IntegratorName(info.param)); });

}  // namespace
}  // namespace sl
