// Encoding of one HDF5 chunk exactly as HDF5's shuffle + deflate filter pipeline stores it,
// done by us (libdeflate, ~3-4x faster than zlib at the same level and ratio: bench/README.md)
// so that the results file can be written with H5Dwrite_chunk. Any HDF5 reader (h5py,
// MATLAB, h5dump) decodes it with its own shuffle and deflate filters.
#pragma once

#include <cstddef>
#include <vector>

namespace sl {

/// Byte shuffle (HDF5 filter 2): byte k of element i goes to k * n_elems + i.
void ShuffleBytes(const unsigned char* in, size_t n_elems, size_t elem_size, unsigned char* out);
/// The inverse of ShuffleBytes.
void UnshuffleBytes(const unsigned char* in, size_t n_elems, size_t elem_size, unsigned char* out);

/// Shuffles n_elems elements of elem_size bytes and compresses them as a zlib stream (HDF5
/// filter 1, deflate) at level 1..12 (libdeflate's levels; 1 is the default and fastest).
/// Returns the encoded chunk in out (resized). Thread-safe (one compressor per thread).
void EncodeShuffleDeflate(const void* elems, size_t n_elems, size_t elem_size, int level,
                          std::vector<unsigned char>& out);

/// Decodes what EncodeShuffleDeflate wrote (for tests); false when the stream is corrupt.
bool DecodeShuffleDeflate(const std::vector<unsigned char>& in, size_t n_elems, size_t elem_size,
                          std::vector<unsigned char>& out);

}  // namespace sl
