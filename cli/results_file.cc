#include "cli/results_file.h"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "cli/chunk_codec.h"
#include "models/yaml_util.h"

namespace fs = std::filesystem;

namespace sl {
namespace {

std::mutex g_h5_mutex;  // serial HDF5 is not thread-safe
int g_deflate_level = 1;  // of the part being written (set under g_h5_mutex)

// Before any other HDF5 call: every return code is checked here and turned into our own
// message, so HDF5's automatic error-stack printing is off; and HDF5's exit handler is not
// installed, because after a failed write (disk full) it would try to flush and close the
// file again at exit and crash (measured: SIGSEGV in H5F__close_cb under `ulimit -f`).
// Every file is closed explicitly, so the handler has nothing to do on a normal exit.
const bool g_h5_configured = [] {
  H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  return true;
}();

// ---- small HDF5 helpers (return ids; caller closes) --------------------------------------
struct H5Silence {
  H5E_auto2_t func;
  void* data;
  H5Silence() {
    H5Eget_auto2(H5E_DEFAULT, &func, &data);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~H5Silence() { H5Eset_auto2(H5E_DEFAULT, func, data); }
};

// Creates `path` holding `bytes` of allocated space, or throws with the system's reason. HDF5
// 1.10 can crash inside H5Ocopy when a write fails (measured: SIGSEGV in H5T_close_real under
// `ulimit -f`), so the space of the assembled file is claimed before HDF5 writes any of it.
void ReserveSpace(const std::string& path, uintmax_t bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create '" + path + "': " + std::strerror(errno));
  const int rc = ::posix_fallocate(fd, 0, static_cast<off_t>(bytes));
  ::close(fd);
  if (rc != 0) {
    std::error_code ec;
    fs::remove(path, ec);
    char mb[32];
    std::snprintf(mb, sizeof mb, "%.1f MB", bytes / 1e6);
    throw std::runtime_error("cannot write '" + path + "': no room for its " + mb + " (disk full or file-size limit?): " +
                             std::strerror(rc));
  }
}

void Check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5 error while " + what);
}
hid_t CheckId(hid_t id, const std::string& what) {
  if (id < 0) throw std::runtime_error("HDF5 error while " + what);
  return id;
}

// Writes an HDF5 file under the name `tmp` with `fill`, flushes and closes it, then renames it
// to `final_path`: a reader sees the whole file or none. On any failure `tmp` is removed and
// the error says which file and why.
void WriteAtomically(const std::string& tmp, const std::string& final_path, const std::function<void(hid_t)>& fill) {
  H5Silence quiet;  // this thread's HDF5 error stack (the library is built thread-safe)
  const hid_t file = H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) throw std::runtime_error("cannot create '" + tmp + "' (disk full or not writable?)");
  std::error_code ec;
  try {
    fill(file);
    Check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flushing " + tmp);
  } catch (const std::exception& e) {
    H5Fclose(file);
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot write '" + tmp + "' (disk full or file-size limit?): " + e.what());
  }
  if (H5Fclose(file) < 0) {
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot finish writing '" + tmp + "' (disk full or file-size limit?)");
  }
  fs::rename(tmp, final_path, ec);
  if (ec) throw std::runtime_error("cannot rename '" + tmp + "' to '" + final_path + "': " + ec.message());
}


void AttrString(hid_t obj, const std::string& name, const std::string& value) {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t attr = CheckId(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), "creating attribute " + name);
  const char* p = value.c_str();
  Check(H5Awrite(attr, type, &p), "writing attribute " + name);
  H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
}

void AttrDouble(hid_t obj, const std::string& name, double value) {
  const hid_t space = H5Screate(H5S_SCALAR);
  const hid_t attr = CheckId(H5Acreate2(obj, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT), "creating attribute " + name);
  Check(H5Awrite(attr, H5T_NATIVE_DOUBLE, &value), "writing attribute " + name);
  H5Aclose(attr);
  H5Sclose(space);
}

// A 1-D float64 array attribute (geometry: points and quaternions in body frames).
void AttrDoubles(hid_t obj, const std::string& name, const std::vector<double>& values) {
  const hsize_t n = values.size();
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  const hid_t attr = CheckId(H5Acreate2(obj, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT), "creating attribute " + name);
  Check(H5Awrite(attr, H5T_NATIVE_DOUBLE, values.data()), "writing attribute " + name);
  H5Aclose(attr);
  H5Sclose(space);
}

std::vector<double> V(const Vec3& p) { return {p.x(), p.y(), p.z()}; }
std::vector<double> V(const Quat& q) { return {q.w(), q.x(), q.y(), q.z()}; }

bool ReadAttrString(hid_t obj, const std::string& name, std::string* out) {
  H5Silence quiet;
  if (H5Aexists(obj, name.c_str()) <= 0) return false;
  const hid_t attr = H5Aopen(obj, name.c_str(), H5P_DEFAULT);
  const hid_t ftype = H5Aget_type(attr);
  bool ok = false;
  if (H5Tget_class(ftype) == H5T_STRING) {
    if (H5Tis_variable_str(ftype) > 0) {
      const hid_t mtype = H5Tcopy(H5T_C_S1);
      H5Tset_size(mtype, H5T_VARIABLE);
      H5Tset_cset(mtype, H5Tget_cset(ftype));
      char* p = nullptr;
      if (H5Aread(attr, mtype, &p) >= 0 && p) {
        *out = p;
        H5free_memory(p);
        ok = true;
      }
      H5Tclose(mtype);
    } else {
      const size_t n = H5Tget_size(ftype);
      std::string buf(n, '\0');
      if (H5Aread(attr, ftype, buf.data()) >= 0) {
        *out = buf.c_str();
        ok = true;
      }
    }
  }
  H5Tclose(ftype);
  H5Aclose(attr);
  return ok;
}

bool ReadAttrDouble(hid_t obj, const std::string& name, double* out) {
  H5Silence quiet;
  if (H5Aexists(obj, name.c_str()) <= 0) return false;
  const hid_t attr = H5Aopen(obj, name.c_str(), H5P_DEFAULT);
  const bool ok = H5Aread(attr, H5T_NATIVE_DOUBLE, out) >= 0;
  H5Aclose(attr);
  return ok;
}

// Reads a float64 array attribute of exactly `n` values; false if absent or of another size.
bool ReadAttrDoubles(hid_t obj, const std::string& name, size_t n, double* out) {
  H5Silence quiet;
  if (H5Aexists(obj, name.c_str()) <= 0) return false;
  const hid_t attr = H5Aopen(obj, name.c_str(), H5P_DEFAULT);
  const hid_t space = H5Aget_space(attr);
  const bool ok = H5Sget_simple_extent_npoints(space) == static_cast<hssize_t>(n) &&
                  H5Aread(attr, H5T_NATIVE_DOUBLE, out) >= 0;
  H5Sclose(space);
  H5Aclose(attr);
  return ok;
}

hid_t Group(hid_t parent, const std::string& name) {
  H5Silence quiet;
  if (H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0) return H5Gopen2(parent, name.c_str(), H5P_DEFAULT);
  return CheckId(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "creating group " + name);
}

constexpr hsize_t kChunkRows = 4096;

// Writes data (rows x cols, row-major) into the chunked dataset ds as chunks of kChunkRows
// rows stored as T, shuffled and deflated; the last chunk is padded with zeros (HDF5 stores
// whole chunks and reads back only the rows inside the dataset).
template <typename T>
void WriteChunks(hid_t ds, const std::string& name, const std::vector<double>& data, size_t rows, size_t cols) {
  const size_t chunk_rows = std::min<size_t>(rows, kChunkRows);
  std::vector<T> chunk(chunk_rows * cols);
  std::vector<unsigned char> encoded;
  for (size_t r0 = 0; r0 < rows; r0 += chunk_rows) {
    const size_t n = std::min(chunk_rows, rows - r0) * cols;
    for (size_t i = 0; i < n; ++i) chunk[i] = static_cast<T>(data[r0 * cols + i]);
    std::fill(chunk.begin() + static_cast<std::ptrdiff_t>(n), chunk.end(), T(0));
    EncodeShuffleDeflate(chunk.data(), chunk.size(), sizeof(T), g_deflate_level, encoded);
    const hsize_t offset[2] = {r0, 0};
    Check(H5Dwrite_chunk(ds, H5P_DEFAULT, 0, offset, encoded.size(), encoded.data()), "writing " + name);
  }
}

// A rows x cols float64 dataset, chunked and compressed, with a units attribute.
// Time series are stored as float32 (7 significant digits: far finer than the model's
// accuracy) and `time` as float64; the data in memory stay double.
void Dataset(hid_t parent, const std::string& name, const std::vector<double>& data, size_t rows, size_t cols,
             const std::string& units, const std::string& columns = "") {
  const hid_t file_type = name == "time" ? H5T_IEEE_F64LE : H5T_IEEE_F32LE;
  hsize_t dims[2] = {rows, cols};
  const int rank = cols == 1 ? 1 : 2;
  const hid_t space = H5Screate_simple(rank, dims, nullptr);
  const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  if (rows > 0) {
    hsize_t chunk[2] = {std::min<hsize_t>(rows, kChunkRows), cols};
    H5Pset_chunk(dcpl, rank, chunk);
    if (g_deflate_level > 0) {
      H5Pset_shuffle(dcpl);
      H5Pset_deflate(dcpl, static_cast<unsigned>(g_deflate_level));  // default 1: fast
    }
  }
  const hid_t ds = CheckId(H5Dcreate2(parent, name.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                           "creating dataset " + name);
  if (rows > 0 && g_deflate_level > 0) {
    // Each chunk shuffled and deflated by us and written as it is (H5Dwrite_chunk): the same
    // bytes HDF5's filters would store, produced ~3x faster (chunk_codec.h).
    if (file_type == H5T_IEEE_F64LE) WriteChunks<double>(ds, name, data, rows, cols);
    else WriteChunks<float>(ds, name, data, rows, cols);
  } else if (rows > 0) {
    Check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "writing " + name);
  }
  AttrString(ds, "units", units);
  if (!columns.empty()) AttrString(ds, "columns", columns);
  H5Dclose(ds);
  H5Pclose(dcpl);
  H5Sclose(space);
}

std::vector<double> Flatten(const std::vector<Vec3>& v) {
  std::vector<double> out;
  out.reserve(3 * v.size());
  for (const Vec3& x : v) out.insert(out.end(), {x.x(), x.y(), x.z()});
  return out;
}

// ---- metric columns ------------------------------------------------------------------------
std::vector<std::pair<std::string, double>> MetricColumns(const RunResult& r, const RunningModel& rm) {
  const Metrics& m = r.metrics;
  std::vector<std::pair<std::string, double>> c = {
      {"impact_peak_bw", m.both.impact_peak_bw.mean},
      {"impact_peak_fraction", m.both.impact_peak_fraction},
      {"impact_time_s", m.both.impact_time_s.mean},
      {"active_peak_bw", m.both.active_peak_bw.mean},
      {"active_peak_sd_bw", m.both.active_peak_bw.sd},
      {"loading_rate_bw_s", m.both.loading_rate_bw_s.mean},
      {"contact_time_s", m.both.contact_time_s.mean},
      {"braking_peak_bw", m.both.braking_peak_bw.mean},
      {"propulsive_peak_bw", m.both.propulsive_peak_bw.mean},
      {"braking_impulse_bw_s", m.both.braking_impulse_bw_s.mean},
      {"propulsive_impulse_bw_s", m.both.propulsive_impulse_bw_s.mean},
      {"braking_end_fraction", m.both.braking_end_fraction.mean},
      {"landing_distance_m", m.both.landing_distance_m.mean},
      {"speed_m_s_measured", m.mean_speed_m_s},
      {"cadence_steps_min_measured", m.cadence_steps_min},
      {"steps_measured", static_cast<double>(m.steps)},
      {"irregular_steps", static_cast<double>(m.irregular_steps)},
      {"step_time_cv", m.step_time_cv},
  };
  for (int l = 0; l < 6; ++l) c.push_back({"peak_compression_bw_" + rm.level_names[l], m.peak_compression_bw[l].mean});
  for (int l = 0; l < 6; ++l) c.push_back({"peak_ap_shear_bw_" + rm.level_names[l], m.peak_ap_shear_bw[l].mean});
  for (int l = 0; l < 6; ++l) c.push_back({"peak_lateral_shear_bw_" + rm.level_names[l], m.peak_lateral_shear_bw[l].mean});
  for (int l = 0; l < 6; ++l) c.push_back({"peak_flexion_moment_bw_m_" + rm.level_names[l], m.peak_flexion_moment_bw_m[l].mean});
  c.push_back({"peak_compression_bw", m.peak_compression_bw_max.mean});
  c.push_back({"steps_per_km", m.steps_per_km});
  c.push_back({"lumbar_damage_index_per_km", m.lumbar_damage_index_per_km});
  c.push_back({"lumbar_damage_index_per_week", m.lumbar_damage_index_per_week});
  c.push_back({"peak_compression_ratio_ultimate", m.peak_compression_ratio_ultimate});
  c.push_back({"residual_force_rms_bw", m.residual_force_rms_bw});
  c.push_back({"residual_forward_mean_bw", m.residual_forward_mean_bw});
  c.push_back({"residual_force_peak_bw", m.residual_force_peak_bw});
  c.push_back({"residual_moment_rms_bw_m", m.residual_moment_rms_bw_m});
  c.push_back({"residual_moment_peak_bw_m", m.residual_moment_peak_bw_m});
  return c;
}

const std::vector<std::string>& StringKeys() {
  static const std::vector<std::string> k = {"runner.foot_strike", "surface", "shoe"};
  return k;
}

std::string ColumnName(const std::string& key) {
  // "form.trunk_lean_deg" -> "trunk_lean_deg"; "surface" stays.
  const size_t dot = key.rfind('.');
  std::string s = dot == std::string::npos ? key : key.substr(dot + 1);
  if (key == "surface.camber_deg") s = "camber_deg";
  return s;
}

}  // namespace

std::string SweepHash(const ScenarioSet& set, const Library& lib) {
  std::string all;
  for (const Scenario& s : set.scenarios) all += ScenarioToYaml(s) + "\n---\n";
  for (const auto& f : lib.files) all += f.second + "\n";
  return Sha256Bytes(all);
}

void ResultsWriter::ScanParts() {
  std::lock_guard<std::mutex> lock(g_h5_mutex);
  for (const auto& e : fs::directory_iterator(parts_dir_)) {
    const std::string fn = e.path().filename().string();
    if (e.path().extension() != ".h5" || fn.rfind("tmp-", 0) == 0) continue;
    const size_t us = fn.find('_');
    if (us == std::string::npos) continue;
    const std::string name = fn.substr(us + 1, fn.size() - us - 4);
    done_.insert(name);
    done_index_[name] = std::stoi(fn.substr(0, us));
  }
}

ResultsWriter::ResultsWriter(std::string output_path, RunInfo info, Attach)
    : output_(std::move(output_path)), parts_dir_(output_ + ".parts"), info_(std::move(info)) {
  if (!fs::is_directory(parts_dir_)) throw std::runtime_error("cannot see " + parts_dir_ + " (not on a shared file system?)");
}

ResultsWriter::ResultsWriter(std::string output_path, RunInfo info, bool resume)
    : output_(std::move(output_path)), parts_dir_(output_ + ".parts"), info_(std::move(info)) {
  const fs::path out(output_);
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError(output_ + ": the output folder '" + dir.string() + "' does not exist");
  if (fs::exists(out, ec) && !fs::is_regular_file(out, ec))
    throw InputError(output_ + ": exists and is not a file (give a file name for the results, e.g. results.h5)");
  if (::access(dir.c_str(), W_OK) != 0)
    throw InputError(output_ + ": the output folder '" + dir.string() + "' is not writable");
  const std::string manifest = parts_dir_ + "/sweep.sha256";
  if (fs::exists(parts_dir_)) {
    std::string hash;
    if (FILE* f = std::fopen(manifest.c_str(), "r")) {
      char buf[80] = {0};
      if (std::fgets(buf, sizeof buf, f)) hash = std::string(buf).substr(0, 64);
      std::fclose(f);
    }
    if (resume) {
      if (hash != info_.sweep_sha256)
        throw InputError(parts_dir_ + " belongs to a different sweep (its scenarios or model files differ); "
                         "run without --resume to start afresh");
      ScanParts();
    } else {
      fs::remove_all(parts_dir_, ec);
    }
  } else if (resume) {
    // Nothing to resume: a fresh start.
  }
  fs::create_directories(parts_dir_, ec);
  if (ec) throw InputError(output_ + ": cannot create '" + parts_dir_ + "': " + ec.message());
  FILE* f = std::fopen(manifest.c_str(), "w");
  if (!f) throw InputError(output_ + ": cannot write in '" + parts_dir_ + "'");
  std::fprintf(f, "%s\n", info_.sweep_sha256.c_str());
  if (std::fclose(f) != 0) throw InputError(output_ + ": cannot write in '" + parts_dir_ + "' (disk full?)");
}

std::string ResultsWriter::PartPath(int index, const std::string& name) const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06d", index);
  return parts_dir_ + "/" + buf + "_" + name + ".h5";
}

void ResultsWriter::WriteScenario(int index, const Scenario& sc, const RunningModel& rm, const RunResult& r) {
  std::lock_guard<std::mutex> lock(g_h5_mutex);
  g_deflate_level = info_.deflate_level;
  const std::string final_part = PartPath(index, sc.name);
  const std::string tmp = parts_dir_ + "/tmp-" + fs::path(final_part).filename().string();
  WriteAtomically(tmp, final_part, [&](hid_t file) {
    const hid_t scen = Group(file, "scenarios");
    const hid_t g = Group(scen, sc.name);
    AttrString(g, "status", r.status);
    AttrString(g, "reason", r.reason);
    AttrString(g, "scenario_yaml", ScenarioToYaml(sc));
    AttrDouble(g, "seed", static_cast<double>(sc.seed));
    AttrDouble(g, "index", index);
    for (const ScenarioKey& k : ScenarioKeys()) {
      if (k.path == "name") continue;
      if (k.type == "number" || k.type == "integer") AttrDouble(g, "param." + k.path, ScenarioNumber(sc, k.path));
      else AttrString(g, "param." + k.path, ScenarioValue(sc, k.path));
    }
    for (const auto& [name, v] : MetricColumns(r, rm)) AttrDouble(g, "metric." + name, v);
    AttrDouble(g, "simulated_s", r.simulated_s);
    const TimeSeries& ts = r.series;
    const size_t n = ts.time_s.size();
    Dataset(g, "time", ts.time_s, n, 1, "s");
    Dataset(g, "grf_left", Flatten(ts.grf_W[0]), n, 3, "N", "x (forward), y (left), z (up), world frame");
    Dataset(g, "grf_right", Flatten(ts.grf_W[1]), n, 3, "N", "x (forward), y (left), z (up), world frame");
    Dataset(g, "cop_left", Flatten(ts.cop_W[0]), n, 3, "m",
            "centre of pressure, world frame; the sole point below the ankle while the foot carries 1 N or less");
    Dataset(g, "cop_right", Flatten(ts.cop_W[1]), n, 3, "m",
            "centre of pressure, world frame; the sole point below the ankle while the foot carries 1 N or less");
    const hid_t joints = Group(g, "joints");
    for (int l = 0; l < 6; ++l) {
      const hid_t jl = Group(joints, rm.level_names[l]);
      Dataset(jl, "force", Flatten(ts.joint_force[l]), n, 3, "N",
              "compression (+), AP shear (anterior +), lateral shear (left +); disc frame of the inferior vertebra");
      Dataset(jl, "moment", Flatten(ts.joint_moment[l]), n, 3, "N m", "flexion (+), lateral bending, axial torsion");
      AttrDouble(jl, "disc_angle_deg", rm.disc_angle_rad[l] * 180.0 / M_PI);
      const Bushing& bu = rm.model->bushings[rm.level_bushing[l]];
      AttrString(jl, "parent_body", rm.model->bodies[bu.parent].name);
      AttrString(jl, "child_body", rm.model->bodies[bu.child].name);
      AttrDoubles(jl, "joint_in_parent_m", V(bu.p_PF_P));
      AttrDoubles(jl, "joint_in_child_m", V(bu.p_CM_C));
      AttrDoubles(jl, "disc_frame_in_parent", V(bu.q_PF));
      H5Gclose(jl);
    }
    H5Gclose(joints);
    const hid_t bodies = Group(g, "bodies");
    for (int b = 0; b < rm.model->nbody(); ++b) {
      const hid_t gb = Group(bodies, rm.model->bodies[b].name);
      Dataset(gb, "position", Flatten(ts.body_position.empty() ? std::vector<Vec3>{} : ts.body_position[b]), n, 3, "m",
              "COM x, y, z, world frame");
      std::vector<double> q;
      if (!ts.body_orientation.empty())
        for (const Quat& x : ts.body_orientation[b]) q.insert(q.end(), {x.w(), x.x(), x.y(), x.z()});
      Dataset(gb, "orientation", q, n, 4, "1", "unit quaternion w, x, y, z (body to world)");
      AttrDouble(gb, "mass_kg", rm.model->bodies[b].mass_kg);
      if (b == rm.pelvis) {
        AttrDoubles(gb, "hip_left_m", V(rm.p_PHip_P[0]));
        AttrDoubles(gb, "hip_right_m", V(rm.p_PHip_P[1]));
      }
      for (int s = 0; s < 2; ++s)
        if (b == rm.sole[s]) {
          std::vector<double> pts;
          for (int c : rm.foot_contacts[s]) for (double x : V(rm.model->contacts[c].p_BC_B)) pts.push_back(x);
          AttrDoubles(gb, "contact_points_m", pts);
        }
      H5Gclose(gb);
    }
    H5Gclose(bodies);
    const hid_t muscles = Group(g, "muscles");
    for (size_t k = 0; k < rm.muscles.size(); ++k) {
      const hid_t gm = Group(muscles, rm.model->lines[rm.muscles[k].line].name);
      Dataset(gm, "tension", ts.muscle_tension.empty() ? std::vector<double>{} : ts.muscle_tension[k], n, 1, "N");
      AttrString(gm, "group", MuscleGroupName(rm.muscles[k].group));
      const LineElement& le = rm.model->lines[rm.muscles[k].line];
      AttrString(gm, "body_a", le.body_a == kWorld ? "world" : rm.model->bodies[le.body_a].name);
      AttrString(gm, "body_b", le.body_b == kWorld ? "world" : rm.model->bodies[le.body_b].name);
      AttrDoubles(gm, "attachment_a_m", V(le.p_AoA_A));
      AttrDoubles(gm, "attachment_b_m", V(le.p_BoB_B));
      H5Gclose(gm);
    }
    H5Gclose(muscles);
    const hid_t acc = Group(g, "accelerations");
    Dataset(acc, "pelvis", Flatten(ts.pelvis_acc_W), n, 3, "m/s^2", "world frame");
    Dataset(acc, "upper_trunk", Flatten(ts.hat_acc_W), n, 3, "m/s^2", "world frame");
    H5Gclose(acc);
    const hid_t defl = Group(g, "deflections");
    Dataset(defl, "shoe_left", ts.shoe_deflection_m[0], n, 1, "m");
    Dataset(defl, "shoe_right", ts.shoe_deflection_m[1], n, 1, "m");
    Dataset(defl, "heel_pad_left", ts.heel_pad_deflection_m[0], n, 1, "m");
    Dataset(defl, "heel_pad_right", ts.heel_pad_deflection_m[1], n, 1, "m");
    Dataset(defl, "surface_left", ts.surface_deflection_m[0], n, 1, "m");
    Dataset(defl, "surface_right", ts.surface_deflection_m[1], n, 1, "m");
    H5Gclose(defl);
    const hid_t ev = Group(g, "events");
    const char* names[2][2] = {{"toeoff_left", "touchdown_left"}, {"toeoff_right", "touchdown_right"}};
    for (int s = 0; s < 2; ++s)
      for (int td = 0; td < 2; ++td) {
        std::vector<double> t;
        for (const GaitEvent& e : r.events)
          if (e.side == s && e.touchdown == (td == 1)) t.push_back(e.t_s);
        Dataset(ev, names[s][td], t, t.size(), 1, "s");
      }
    H5Gclose(ev);
    H5Gclose(g);
    H5Gclose(scen);
  });
  done_.insert(sc.name);
  done_index_[sc.name] = index;
}

void ResultsWriter::Finish(const std::vector<Scenario>& scenarios) {
  std::lock_guard<std::mutex> lock(g_h5_mutex);
  const std::string tmp = output_ + ".tmp";
  // The assembled file holds the parts' chunks as they are (H5Ocopy), plus the summary table:
  // their sum with a margin bounds its size (measured: 2.89 MB assembled from 3.00 MB of parts).
  uintmax_t bytes = 65536 + 1024 * scenarios.size();
  for (const auto& [name, index] : done_index_) {
    std::error_code ec;
    const uintmax_t size = fs::file_size(PartPath(index, name), ec);
    if (!ec) bytes += size;
  }
  ReserveSpace(tmp, bytes);
  WriteAtomically(tmp, output_, [&](hid_t out) {
    AttrString(out, "format", "strideload-results");
    AttrDouble(out, "format_version", 1);
    AttrString(out, "tool_version", info_.tool_version);
    const std::time_t now = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    AttrString(out, "created_utc", buf);
    AttrString(out, "command_line", info_.command_line);
    AttrString(out, "sweep_sha256", info_.sweep_sha256);
    std::string files, hashes;
    for (const auto& [path, sha] : info_.model_files) {
      files += (files.empty() ? "" : "\n") + path;
      hashes += (hashes.empty() ? "" : "\n") + sha;
    }
    AttrString(out, "model_files", files);
    AttrString(out, "model_files_sha256", hashes);
    std::string varied;
    for (const auto& k : info_.varied_keys) varied += (varied.empty() ? "" : ",") + k;
    AttrString(out, "varied_keys", varied);
    const hid_t scen = Group(out, "scenarios");
    // Copy each scenario group, in sweep order, and collect its summary row.
    const hid_t ocpypl = H5Pcreate(H5P_OBJECT_COPY);
    std::vector<std::vector<double>> num_rows;
    std::vector<std::vector<std::string>> str_rows;
    std::vector<std::string> num_cols, str_cols = {"name", "status"};
    for (const auto& k : StringKeys()) str_cols.push_back(ColumnName(k));
    for (const ScenarioKey& k : ScenarioKeys())
      if (k.type == "number" || k.type == "integer") num_cols.push_back(ColumnName(k.path));
    bool metric_cols_done = false;
    for (size_t i = 0; i < scenarios.size(); ++i) {
      const Scenario& sc = scenarios[i];
      const auto it = done_index_.find(sc.name);
      if (it == done_index_.end()) throw std::runtime_error("scenario '" + sc.name + "' has no result");
      const std::string part = PartPath(it->second, sc.name);
      const hid_t pf = H5Fopen(part.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
      if (pf < 0) throw std::runtime_error("cannot read '" + part + "'");
      const std::string src = "scenarios/" + sc.name;
      Check(H5Ocopy(pf, src.c_str(), scen, sc.name.c_str(), ocpypl, H5P_DEFAULT), "copying " + sc.name);
      const hid_t g = H5Gopen2(pf, src.c_str(), H5P_DEFAULT);
      std::vector<std::string> srow = {sc.name, ""};
      ReadAttrString(g, "status", &srow[1]);
      for (const auto& k : StringKeys()) srow.push_back(ScenarioValue(sc, k));
      std::vector<double> nrow;
      for (const ScenarioKey& k : ScenarioKeys())
        if (k.type == "number" || k.type == "integer") nrow.push_back(ScenarioNumber(sc, k.path));
      // Metrics in attribute order (metric.*), the same for every scenario.
      std::vector<std::pair<std::string, double>> metrics;
      H5Aiterate2(
          g, H5_INDEX_CRT_ORDER, H5_ITER_NATIVE, nullptr,
          [](hid_t loc, const char* name, const H5A_info_t*, void* op) -> herr_t {
            auto* v = static_cast<std::vector<std::pair<std::string, double>>*>(op);
            const std::string n(name);
            if (n.rfind("metric.", 0) == 0) {
              double x = 0;
              ReadAttrDouble(loc, n, &x);
              v->push_back({n.substr(7), x});
            }
            return 0;
          },
          &metrics);
      if (!metric_cols_done) {
        for (const auto& m : metrics) num_cols.push_back(m.first);
        metric_cols_done = true;
      }
      for (const auto& m : metrics) nrow.push_back(m.second);
      H5Gclose(g);
      H5Fclose(pf);
      num_rows.push_back(nrow);
      str_rows.push_back(srow);
    }
    H5Pclose(ocpypl);
    H5Gclose(scen);
    // Compound summary: fixed-length strings then float64 columns.
    const size_t n = scenarios.size();
    const size_t str_len[] = {128, 16, 16, 32, 32};
    size_t row_size = 0;
    std::vector<size_t> offsets;
    for (size_t c = 0; c < str_cols.size(); ++c) {
      offsets.push_back(row_size);
      row_size += str_len[c];
    }
    for (size_t c = 0; c < num_cols.size(); ++c) {
      offsets.push_back(row_size);
      row_size += sizeof(double);
    }
    const hid_t ctype = H5Tcreate(H5T_COMPOUND, row_size);
    std::vector<hid_t> stypes;
    for (size_t c = 0; c < str_cols.size(); ++c) {
      const hid_t st = H5Tcopy(H5T_C_S1);
      H5Tset_size(st, str_len[c]);
      H5Tset_strpad(st, H5T_STR_NULLPAD);
      H5Tinsert(ctype, str_cols[c].c_str(), offsets[c], st);
      stypes.push_back(st);
    }
    for (size_t c = 0; c < num_cols.size(); ++c)
      H5Tinsert(ctype, num_cols[c].c_str(), offsets[str_cols.size() + c], H5T_IEEE_F64LE);
    std::vector<char> buf2(std::max<size_t>(1, n * row_size), 0);
    for (size_t i = 0; i < n; ++i) {
      char* row = buf2.data() + i * row_size;
      for (size_t c = 0; c < str_cols.size(); ++c)
        std::memcpy(row + offsets[c], str_rows[i][c].c_str(), std::min(str_rows[i][c].size(), str_len[c] - 1));
      for (size_t c = 0; c < num_cols.size(); ++c) {
        const double v = std::isfinite(num_rows[i][c]) ? num_rows[i][c] : 0.0;
        std::memcpy(row + offsets[str_cols.size() + c], &v, sizeof(double));
      }
    }
    hsize_t dims[1] = {n};
    const hid_t space = H5Screate_simple(1, dims, nullptr);
    const hid_t ds = CheckId(H5Dcreate2(out, "summary", ctype, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "creating /summary");
    if (n > 0) Check(H5Dwrite(ds, ctype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf2.data()), "writing /summary");
    AttrString(ds, "units", "see each column's suffix: _bw body weights, _s seconds, _deg degrees, _m metres, _kg, _m_s, _km");
    H5Dclose(ds);
    H5Sclose(space);
    for (hid_t st : stypes) H5Tclose(st);
    H5Tclose(ctype);
  });
  std::error_code ec;
  fs::remove_all(parts_dir_, ec);
}

SummaryTable ReadSummary(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_h5_mutex);
  H5Silence quiet;
  if (!fs::exists(path)) throw InputError(path + ": no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw InputError(path + ": not an HDF5 file (or truncated)");
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw InputError(path + ": cannot be opened as HDF5 (truncated or corrupt?)");
  std::string format;
  if (!ReadAttrString(f, "format", &format) || format != "strideload-results") {
    H5Fclose(f);
    throw InputError(path + ": not a strideload results file (no format attribute 'strideload-results')");
  }
  const hid_t ds = H5Dopen2(f, "summary", H5P_DEFAULT);
  if (ds < 0) {
    H5Fclose(f);
    throw InputError(path + ": has no /summary dataset");
  }
  const hid_t type = H5Dget_type(ds);
  const hid_t space = H5Dget_space(ds);
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space, &n, nullptr);
  const size_t row_size = H5Tget_size(type);
  std::vector<char> buf(std::max<size_t>(1, n * row_size));
  if (n > 0) H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data());
  SummaryTable t;
  const int nm = H5Tget_nmembers(type);
  for (int i = 0; i < nm; ++i) {
    char* name = H5Tget_member_name(type, i);
    t.columns.push_back(name);
    H5free_memory(name);
  }
  for (hsize_t r = 0; r < n; ++r) {
    std::vector<std::string> row;
    for (int i = 0; i < nm; ++i) {
      const size_t off = H5Tget_member_offset(type, i);
      const hid_t mt = H5Tget_member_type(type, i);
      const char* p = buf.data() + r * row_size + off;
      if (H5Tget_class(mt) == H5T_STRING) {
        const size_t len = H5Tget_size(mt);
        row.push_back(std::string(p, strnlen(p, len)));
      } else {
        double v;
        std::memcpy(&v, p, sizeof v);
        std::ostringstream os;
        os.precision(6);
        os << v;
        row.push_back(os.str());
      }
      H5Tclose(mt);
    }
    t.rows.push_back(row);
  }
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(ds);
  H5Fclose(f);
  return t;
}

}  // namespace sl

namespace sl {
namespace {

std::vector<double> ReadDoubles(hid_t file, const std::string& path, size_t cols) {
  H5Silence quiet;
  const hid_t ds = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (ds < 0) throw InputError("results file: missing dataset " + path);
  const hid_t space = H5Dget_space(ds);
  hsize_t dims[2] = {0, 0};
  H5Sget_simple_extent_dims(space, dims, nullptr);
  std::vector<double> v(static_cast<size_t>(dims[0]) * cols);
  if (!v.empty()) H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  H5Sclose(space);
  H5Dclose(ds);
  return v;
}

std::vector<Vec3> ToVec3(const std::vector<double>& v) {
  std::vector<Vec3> out(v.size() / 3);
  for (size_t i = 0; i < out.size(); ++i) out[i] = Vec3(v[3 * i], v[3 * i + 1], v[3 * i + 2]);
  return out;
}

// Opens a results file and checks the scenario exists; throws InputError otherwise.
hid_t OpenScenarioFile(const std::string& path, const std::string& name) {
  H5Silence quiet;
  if (!fs::exists(path)) throw InputError(path + ": no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw InputError(path + ": not an HDF5 file (or truncated)");
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw InputError(path + ": cannot be opened as HDF5");
  std::string format;
  if (!ReadAttrString(f, "format", &format) || format != "strideload-results") {
    H5Fclose(f);
    throw InputError(path + ": not a strideload results file");
  }
  const std::string g = "scenarios/" + name;
  if (H5Lexists(f, "scenarios", H5P_DEFAULT) <= 0 || H5Lexists(f, g.c_str(), H5P_DEFAULT) <= 0) {
    H5Fclose(f);
    throw InputError(path + ": no scenario '" + name + "' (see `strideload summary " + path + "`)");
  }
  return f;
}

ScenarioSeries ReadSeries(hid_t f, const std::string& name) {
  const std::string g = "scenarios/" + name;
  ScenarioSeries s;
  s.name = name;
  {
    const hid_t grp = H5Gopen2(f, g.c_str(), H5P_DEFAULT);
    ReadAttrString(grp, "status", &s.status);
    ReadAttrDouble(grp, "param.runner.body_mass_kg", &s.body_mass_kg);
    double w = 0;
    ReadAttrDouble(grp, "param.simulation.warmup_strides", &w);
    s.warmup_strides = static_cast<int>(w);
    H5Gclose(grp);
    s.time_s = ReadDoubles(f, g + "/time", 1);
    s.grf_W[0] = ToVec3(ReadDoubles(f, g + "/grf_left", 3));
    s.grf_W[1] = ToVec3(ReadDoubles(f, g + "/grf_right", 3));
    s.l5s1_force = ToVec3(ReadDoubles(f, g + "/joints/L5_S1/force", 3));
    s.touchdown_s[0] = ReadDoubles(f, g + "/events/touchdown_left", 1);
    s.touchdown_s[1] = ReadDoubles(f, g + "/events/touchdown_right", 1);
    s.toeoff_s[0] = ReadDoubles(f, g + "/events/toeoff_left", 1);
    s.toeoff_s[1] = ReadDoubles(f, g + "/events/toeoff_right", 1);
  }
  return s;
}

std::vector<std::string> ChildNames(hid_t f, const std::string& group) {
  std::vector<std::string> names;
  const hid_t g = H5Gopen2(f, group.c_str(), H5P_DEFAULT);
  if (g < 0) throw InputError("results file: missing group " + group);
  hsize_t n = 0;
  H5G_info_t info;
  if (H5Gget_info(g, &info) >= 0) n = info.nlinks;
  for (hsize_t i = 0; i < n; ++i) {
    const ssize_t len = H5Lget_name_by_idx(g, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (len < 0) {  // no creation-order index: fall back to name order
      names.clear();
      for (hsize_t j = 0; j < n; ++j) {
        const ssize_t l2 = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, j, nullptr, 0, H5P_DEFAULT);
        std::string b(static_cast<size_t>(l2) + 1, '\0');
        H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, j, b.data(), b.size(), H5P_DEFAULT);
        names.push_back(b.c_str());
      }
      break;
    }
    std::string b(static_cast<size_t>(len) + 1, '\0');
    H5Lget_name_by_idx(g, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i, b.data(), b.size(), H5P_DEFAULT);
    names.push_back(b.c_str());
  }
  H5Gclose(g);
  return names;
}

// Geometry attributes are required: files written before they existed cannot be drawn.
void Need(bool ok, const std::string& path, const std::string& what) {
  if (!ok)
    throw InputError(path + ": no '" + what + "' geometry attribute; the file predates 3-D output, re-run the sweep with this strideload");
}

Vec3 ReadVec3Attr(hid_t obj, const std::string& attr, const std::string& path, const std::string& where) {
  double v[3];
  Need(ReadAttrDoubles(obj, attr, 3, v), path, where + "/" + attr);
  return Vec3(v[0], v[1], v[2]);
}

ScenarioMotion ReadMotion(hid_t f, const std::string& path, const std::string& name) {
  const std::string g = "scenarios/" + name;
  ScenarioMotion m;
  m.series = ReadSeries(f, name);
  for (const std::string& b : ChildNames(f, g + "/bodies")) {
    ScenarioMotion::BodyTrack t;
    t.name = b;
    t.p_WB = ToVec3(ReadDoubles(f, g + "/bodies/" + b + "/position", 3));
    const std::vector<double> q = ReadDoubles(f, g + "/bodies/" + b + "/orientation", 4);
    for (size_t i = 0; i + 3 < q.size(); i += 4) t.q_WB.push_back(Quat(q[i], q[i + 1], q[i + 2], q[i + 3]).normalized());
    const hid_t gb = H5Gopen2(f, (g + "/bodies/" + b).c_str(), H5P_DEFAULT);
    ReadAttrDouble(gb, "mass_kg", &t.mass_kg);
    H5Gclose(gb);
    m.bodies.push_back(std::move(t));
  }
  m.pelvis = m.Body("pelvis");
  m.hat = m.Body("HAT");
  m.foot = {m.Body("foot_l"), m.Body("foot_r")};
  if (m.pelvis < 0 || m.hat < 0 || m.foot[0] < 0 || m.foot[1] < 0)
    throw InputError(path + ": scenario '" + name + "' lacks the pelvis, HAT or foot bodies");
  {
    const hid_t gp = H5Gopen2(f, (g + "/bodies/pelvis").c_str(), H5P_DEFAULT);
    m.p_PHip_P[0] = ReadVec3Attr(gp, "hip_left_m", path, "bodies/pelvis");
    m.p_PHip_P[1] = ReadVec3Attr(gp, "hip_right_m", path, "bodies/pelvis");
    H5Gclose(gp);
    for (int s = 0; s < 2; ++s) {
      const hid_t gf = H5Gopen2(f, (g + "/bodies/" + m.bodies[m.foot[s]].name).c_str(), H5P_DEFAULT);
      double v[12];
      const bool ok = ReadAttrDoubles(gf, "contact_points_m", 12, v);
      H5Gclose(gf);
      Need(ok, path, "bodies/foot/contact_points_m");
      for (int p = 0; p < 4; ++p) m.foot_points_B[s][p] = Vec3(v[3 * p], v[3 * p + 1], v[3 * p + 2]);
    }
  }
  static const char* kLevels[6] = {"L5_S1", "L4_L5", "L3_L4", "L2_L3", "L1_L2", "T12_L1"};
  for (const char* level : kLevels) {
    const std::string jg = g + "/joints/" + level;
    if (H5Lexists(f, jg.c_str(), H5P_DEFAULT) <= 0) continue;
    ScenarioMotion::Joint j;
    j.name = level;
    const hid_t gj = H5Gopen2(f, jg.c_str(), H5P_DEFAULT);
    std::string parent, child;
    ReadAttrString(gj, "parent_body", &parent);
    ReadAttrString(gj, "child_body", &child);
    j.parent = m.Body(parent);
    j.child = m.Body(child);
    double q[4];
    const bool ok = j.parent >= 0 && j.child >= 0 && ReadAttrDoubles(gj, "disc_frame_in_parent", 4, q);
    if (ok) {
      j.q_PF = Quat(q[0], q[1], q[2], q[3]).normalized();
      j.p_PJ_P = ReadVec3Attr(gj, "joint_in_parent_m", path, jg);
      j.p_CJ_C = ReadVec3Attr(gj, "joint_in_child_m", path, jg);
    }
    H5Gclose(gj);
    Need(ok, path, jg + "/parent_body, child_body, disc_frame_in_parent");
    j.force_N = ToVec3(ReadDoubles(f, jg + "/force", 3));
    j.moment_Nm = ToVec3(ReadDoubles(f, jg + "/moment", 3));
    m.joints.push_back(std::move(j));
  }
  for (const std::string& mu : ChildNames(f, g + "/muscles")) {
    ScenarioMotion::Muscle x;
    x.name = mu;
    const std::string mg = g + "/muscles/" + mu;
    const hid_t gm = H5Gopen2(f, mg.c_str(), H5P_DEFAULT);
    std::string a, b;
    ReadAttrString(gm, "group", &x.group);
    const bool ok = ReadAttrString(gm, "body_a", &a) && ReadAttrString(gm, "body_b", &b);
    x.body_a = m.Body(a);
    x.body_b = m.Body(b);
    if (ok) {
      x.p_AoA_A = ReadVec3Attr(gm, "attachment_a_m", path, mg);
      x.p_BoB_B = ReadVec3Attr(gm, "attachment_b_m", path, mg);
    }
    H5Gclose(gm);
    Need(ok, path, mg + "/body_a, body_b");
    x.tension_N = ReadDoubles(f, mg + "/tension", 1);
    m.muscles.push_back(std::move(x));
  }
  return m;
}

// Runs `read` on the opened file and always closes it.
template <typename R>
R WithScenarioFile(const std::string& path, const std::string& name, R (*read)(hid_t, const std::string&, const std::string&)) {
  std::lock_guard<std::mutex> lock(g_h5_mutex);
  H5Silence quiet;
  const hid_t f = OpenScenarioFile(path, name);
  try {
    R r = read(f, path, name);
    H5Fclose(f);
    return r;
  } catch (...) {
    H5Fclose(f);
    throw;
  }
}

ScenarioSeries ReadSeriesAt(hid_t f, const std::string&, const std::string& name) { return ReadSeries(f, name); }

}  // namespace

int ScenarioMotion::Body(const std::string& name) const {
  for (size_t i = 0; i < bodies.size(); ++i)
    if (bodies[i].name == name) return static_cast<int>(i);
  return -1;
}

ScenarioSeries ReadScenarioSeries(const std::string& path, const std::string& name) {
  return WithScenarioFile<ScenarioSeries>(path, name, &ReadSeriesAt);
}

ScenarioMotion ReadScenarioMotion(const std::string& path, const std::string& name) {
  return WithScenarioFile<ScenarioMotion>(path, name, &ReadMotion);
}

}  // namespace sl
