#include "cli/chunk_codec.h"

#include <libdeflate.h>

#include <memory>
#include <stdexcept>

namespace sl {

namespace {
template <size_t kEs>
void ShuffleFixed(const unsigned char* in, size_t n, unsigned char* out) {
  for (size_t i = 0; i < n; ++i)
    for (size_t k = 0; k < kEs; ++k) out[k * n + i] = in[i * kEs + k];
}
}  // namespace

void ShuffleBytes(const unsigned char* in, size_t n, size_t es, unsigned char* out) {
  // The element sizes of the results file get a loop the compiler can unroll.
  if (es == 4) return ShuffleFixed<4>(in, n, out);
  if (es == 8) return ShuffleFixed<8>(in, n, out);
  for (size_t i = 0; i < n; ++i)
    for (size_t k = 0; k < es; ++k) out[k * n + i] = in[i * es + k];
}

void UnshuffleBytes(const unsigned char* in, size_t n, size_t es, unsigned char* out) {
  for (size_t i = 0; i < n; ++i)
    for (size_t k = 0; k < es; ++k) out[i * es + k] = in[k * n + i];
}

namespace {
struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
// One compressor per thread and level (libdeflate compressors are not shareable).
libdeflate_compressor* Compressor(int level) {
  thread_local std::unique_ptr<libdeflate_compressor, CompressorDeleter> c;
  thread_local int c_level = -1;
  if (!c || c_level != level) {
    c.reset(libdeflate_alloc_compressor(level));
    if (!c) throw std::runtime_error("libdeflate: cannot allocate a compressor at level " + std::to_string(level));
    c_level = level;
  }
  return c.get();
}
}  // namespace

void EncodeShuffleDeflate(const void* elems, size_t n, size_t es, int level, std::vector<unsigned char>& out) {
  const size_t bytes = n * es;
  thread_local std::vector<unsigned char> shuffled;
  shuffled.resize(bytes);
  ShuffleBytes(static_cast<const unsigned char*>(elems), n, es, shuffled.data());
  libdeflate_compressor* c = Compressor(level);
  out.resize(libdeflate_zlib_compress_bound(c, bytes));
  const size_t written = libdeflate_zlib_compress(c, shuffled.data(), bytes, out.data(), out.size());
  if (written == 0) throw std::runtime_error("libdeflate: compression failed");  // bound is always enough
  out.resize(written);
}

bool DecodeShuffleDeflate(const std::vector<unsigned char>& in, size_t n, size_t es, std::vector<unsigned char>& out) {
  std::vector<unsigned char> shuffled(n * es);
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  size_t got = 0;
  const libdeflate_result r = libdeflate_zlib_decompress(d, in.data(), in.size(), shuffled.data(), shuffled.size(), &got);
  libdeflate_free_decompressor(d);
  if (r != LIBDEFLATE_SUCCESS || got != shuffled.size()) return false;
  out.resize(n * es);
  UnshuffleBytes(shuffled.data(), n, es, out.data());
  return true;
}

}  // namespace sl
