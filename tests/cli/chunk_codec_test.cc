// Oracle: zlib's uncompress(), the decoder HDF5's deflate filter calls when any client reads
// the results file, and HDF5's documented byte-shuffle layout (byte k of element i at
// k * n + i), written out by hand for a small case.
#include "cli/chunk_codec.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <vector>

namespace sl {
namespace {

TEST(ChunkCodec, ShuffleGroupsByteKOfEveryElement) {
  const unsigned char in[8] = {0x10, 0x11, 0x12, 0x13, 0x20, 0x21, 0x22, 0x23};  // two 4-byte elements
  unsigned char out[8];
  ShuffleBytes(in, 2, 4, out);
  const unsigned char want[8] = {0x10, 0x20, 0x11, 0x21, 0x12, 0x22, 0x13, 0x23};
  EXPECT_EQ(0, std::memcmp(out, want, 8));
  unsigned char back[8];
  UnshuffleBytes(out, 2, 4, back);
  EXPECT_EQ(0, std::memcmp(back, in, 8));
  // An odd element size takes the generic path.
  const unsigned char in3[6] = {1, 2, 3, 4, 5, 6};
  unsigned char out3[6];
  ShuffleBytes(in3, 2, 3, out3);
  const unsigned char want3[6] = {1, 4, 2, 5, 3, 6};
  EXPECT_EQ(0, std::memcmp(out3, want3, 6));
}

// What HDF5 does on read: inflate with zlib, then unshuffle.
std::vector<unsigned char> ReadLikeHdf5(const std::vector<unsigned char>& chunk, size_t n, size_t es) {
  std::vector<unsigned char> shuffled(n * es);
  uLongf len = shuffled.size();
  EXPECT_EQ(Z_OK, uncompress(shuffled.data(), &len, chunk.data(), chunk.size()));
  EXPECT_EQ(len, shuffled.size());
  std::vector<unsigned char> out(n * es);
  UnshuffleBytes(shuffled.data(), n, es, out.data());
  return out;
}

TEST(ChunkCodec, ZlibDecodesTheChunkToTheSameFloatsAndDoubles) {
  std::vector<float> f(4096 * 3);
  std::vector<double> d(4096);
  for (size_t i = 0; i < f.size(); ++i) f[i] = static_cast<float>(800.0 * std::sin(0.01 * i) + 1e-3 * i);
  for (size_t i = 0; i < d.size(); ++i) d[i] = 2e-4 * i;
  for (int level : {1, 6, 9}) {
    std::vector<unsigned char> enc;
    EncodeShuffleDeflate(f.data(), f.size(), 4, level, enc);
    EXPECT_LT(enc.size(), f.size() * 4) << "smooth float32 series compress at level " << level;
    const auto back = ReadLikeHdf5(enc, f.size(), 4);
    EXPECT_EQ(0, std::memcmp(back.data(), f.data(), back.size())) << "level " << level;
    std::vector<unsigned char> ours;
    ASSERT_TRUE(DecodeShuffleDeflate(enc, f.size(), 4, ours));
    EXPECT_EQ(ours, back);
  }
  std::vector<unsigned char> enc;
  EncodeShuffleDeflate(d.data(), d.size(), 8, 1, enc);
  const auto back = ReadLikeHdf5(enc, d.size(), 8);
  EXPECT_EQ(0, std::memcmp(back.data(), d.data(), back.size()));
}

TEST(ChunkCodec, CorruptStreamIsReportedNotDecoded) {
  std::vector<float> f(100, 1.5f);
  std::vector<unsigned char> enc, out;
  EncodeShuffleDeflate(f.data(), f.size(), 4, 1, enc);
  enc.resize(enc.size() / 2);
  EXPECT_FALSE(DecodeShuffleDeflate(enc, f.size(), 4, out));
}

}  // namespace
}  // namespace sl
