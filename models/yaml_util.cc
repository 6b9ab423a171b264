#include "models/yaml_util.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <utility>
#include <sstream>

namespace sl {

std::string Where(const std::string& file, const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return file;
  return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

YAML::Node LoadYamlFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError(path + ": is a folder, not a YAML file");
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot read the file (does it exist?)");
  try {
    return YAML::Load(in);
  } catch (const YAML::Exception& e) {
    throw InputError(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                     ": malformed YAML: " + e.msg);
  }
}

namespace {
// Nodes are told apart by where they start in the file (every node of a loaded file has a mark).
thread_local KeyUseRecorder* g_recorder = nullptr;

}  // namespace

void NoteKey(const std::string& key) {
  if (g_recorder) g_recorder->keys_.insert(key);
}
void MarkRead(const YAML::Node& node) {
  if (g_recorder && !node.Mark().is_null()) g_recorder->read_.emplace(node.Mark().line, node.Mark().column);
}
bool WasRead(const YAML::Node& node) {
  return g_recorder && g_recorder->read_.count({node.Mark().line, node.Mark().column}) > 0;
}

namespace {
bool AnyRead(const YAML::Node& node) {
  if (WasRead(node)) return true;
  if (node.IsMap())
    for (const auto& kv : node)
      if (AnyRead(kv.second)) return true;
  return false;
}
}  // namespace

KeyUseRecorder::KeyUseRecorder() : previous_(g_recorder) { g_recorder = this; }
KeyUseRecorder::~KeyUseRecorder() { g_recorder = previous_; }

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

void KeyUseRecorder::CheckAllRead(const YAML::Node& root, const std::string& file) const {
  struct Walker {
    const std::string& file;
    const std::set<std::string>& keys;
    void Walk(const YAML::Node& map, const std::string& path) const {
      if (!map.IsMap()) return;
      for (const auto& kv : map) {
        const std::string key = kv.first.as<std::string>();
        const std::string p = path.empty() ? key : path + "." + key;
        if (AnyRead(kv.second)) {
          Walk(kv.second, p);
          continue;
        }
        std::string best;
        size_t best_d = 1000;
        for (const std::string& cand : keys) {
          const size_t d = EditDistance(key, cand);
          if (d < best_d) best_d = d, best = cand;
        }
        const std::string hint =
            best_d <= std::max<size_t>(3, key.size() / 3) ? " (did you mean '" + best + "'?)" : " (no such parameter)";
        throw InputError(Where(file, kv.first) + ": unknown key '" + p + "'" + hint);
      }
    }
  };
  Walker{file, keys_}.Walk(root, "");
}

YAML::Node Require(const YAML::Node& node, const std::string& key, const std::string& file,
                   const std::string& context) {
  if (!node.IsMap()) throw InputError(Where(file, node) + ": " + context + " must be a map");
  NoteKey(key);
  MarkRead(node);  // a map a reader looks into is known, even if the key is absent
  YAML::Node child = node[key];
  if (!child) {
    for (const auto& kv : node) {  // a misspelt key is the usual cause: point at it
      const std::string other = kv.first.as<std::string>();
      if (EditDistance(other, key) <= std::max<size_t>(2, key.size() / 5))
        throw InputError(Where(file, kv.first) + ": " + context + "." + other + ": unknown key (did you mean '" + key + "'?)");
    }
    throw InputError(Where(file, node) + ": " + context + ": missing key '" + key + "'");
  }
  MarkRead(child);
  return child;
}

double AsDouble(const YAML::Node& node, const std::string& file, const std::string& key) {
  MarkRead(node);
  double v = 0;
  bool ok = node.IsScalar();
  if (ok) {
    try {
      v = node.as<double>();
    } catch (const YAML::Exception&) {
      ok = false;
    }
  }
  if (!ok || !std::isfinite(v)) {
    const std::string text = node.IsScalar() ? node.Scalar() : std::string("(not a scalar)");
    throw InputError(Where(file, node) + ": " + key + " = '" + text + "' is not allowed (a finite number)");
  }
  return v;
}

double GetDouble(const YAML::Node& map, const std::string& key, const std::string& file,
                 const std::string& context) {
  return AsDouble(Require(map, key, file, context), file, context + "." + key);
}

double GetDoubleOr(const YAML::Node& map, const std::string& key, double fallback,
                   const std::string& file, const std::string& context) {
  NoteKey(key);
  MarkRead(map);
  if (!map.IsMap() || !map[key]) return fallback;
  return AsDouble(map[key], file, context + "." + key);
}

std::vector<double> GetDoubles(const YAML::Node& map, const std::string& key, size_t n,
                               const std::string& file, const std::string& context) {
  const YAML::Node seq = Require(map, key, file, context);
  if (!seq.IsSequence() || seq.size() != n)
    throw InputError(Where(file, seq) + ": " + context + "." + key + " must be a list of " +
                     std::to_string(n) + " numbers");
  std::vector<double> out;
  for (const auto& e : seq) out.push_back(AsDouble(e, file, context + "." + key));
  return out;
}

// ---- SHA-256 (FIPS 180-4) -------------------------------------------------------------
namespace {
constexpr std::array<uint32_t, 64> K = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
inline uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
}  // namespace

std::string Sha256Bytes(const std::string& data) {
  std::array<uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string msg = data;
  const uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  msg.push_back(static_cast<char>(0x80));
  while (msg.size() % 64 != 56) msg.push_back(0);
  for (int i = 7; i >= 0; --i) msg.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  for (size_t off = 0; off < msg.size(); off += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = (uint32_t(uint8_t(msg[off + 4 * i])) << 24) | (uint32_t(uint8_t(msg[off + 4 * i + 1])) << 16) |
             (uint32_t(uint8_t(msg[off + 4 * i + 2])) << 8) | uint32_t(uint8_t(msg[off + 4 * i + 3]));
    for (int i = 16; i < 64; ++i) {
      const uint32_t s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      const uint32_t S1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
      const uint32_t ch = (e & f) ^ (~e & g);
      const uint32_t t1 = hh + S1 + ch + K[i] + w[i];
      const uint32_t S0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
      const uint32_t mj = (a & b) ^ (a & c) ^ (b & c);
      const uint32_t t2 = S0 + mj;
      hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  char out[65];
  for (int i = 0; i < 8; ++i) std::snprintf(out + 8 * i, 9, "%08x", h[i]);
  return std::string(out, 64);
}

std::string Sha256File(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return Sha256Bytes(ss.str());
}

}  // namespace sl
