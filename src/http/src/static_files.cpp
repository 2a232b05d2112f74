#include "static_files.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <sstream>

#include "veche/core/file.hpp"

namespace veche::http {
namespace {

std::string content_type_for(const std::string& ext) {
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json") return "application/json";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".wasm") return "application/wasm";
  return "application/octet-stream";
}

// FNV-1a, 64 bits: enough to tell versions of our own files apart (not a security property).
std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

StaticFiles StaticFiles::load(const std::string& dir) {
  namespace fs = std::filesystem;
  StaticFiles sf;
  std::error_code ec;
  std::size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    auto read = core::read_file(it->path());
    if (!read) continue;
    std::string body = std::move(*read);
    total += body.size();
    if (total > (16u << 20)) break;
    const auto rel = fs::relative(it->path(), dir).generic_string();
    File f{content_type_for(it->path().extension().string()),
           fmt::format("\"{:016x}\"", fnv1a(body)), std::move(body)};
    sf.files_.emplace("/static/" + rel, std::move(f));
  }
  return sf;
}

void StaticFiles::add_vendor(const std::string& list, const std::string& modules_dir) {
  namespace fs = std::filesystem;
  const auto text = core::read_file(list);
  if (!text) {
    spdlog::warn("static files: no vendor list at {}", list);
    return;
  }
  std::istringstream lines(*text);
  std::string line;
  std::size_t total = 0;
  while (std::getline(lines, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    const fs::path rel(line);
    bool inside = rel.is_relative() && !rel.empty();
    for (const auto& part : rel) inside = inside && part != ".." && part != ".";
    if (!inside) {
      spdlog::warn("static files: vendor path {} is not inside {}", line, modules_dir);
      continue;
    }
    const fs::path path = fs::path(modules_dir) / rel;
    Result<std::string> read = not_found("not a regular file");
    if (fs::is_regular_file(path)) read = core::read_file(path);
    if (!read) {
      spdlog::warn("static files: vendor file {} is missing (run scripts/deps)", line);
      continue;
    }
    std::string body = std::move(*read);
    total += body.size();
    if (total > (16u << 20)) {
      spdlog::warn("static files: vendor files over 16 MiB; {} and later skipped", line);
      return;
    }
    File f{content_type_for(rel.extension().string()), fmt::format("\"{:016x}\"", fnv1a(body)),
           std::move(body)};
    files_.insert_or_assign("/static/vendor/" + rel.generic_string(), std::move(f));
  }
}

std::optional<Response> StaticFiles::serve(const Request& req) const {
  auto it = files_.find(req.path);
  if (it == files_.end()) return std::nullopt;
  const File& f = it->second;
  Response r;
  r.content_type = f.content_type;
  r.header("ETag", f.etag);
  r.header("Cache-Control", "public, max-age=3600");
  const auto inm = req.header("if-none-match");
  if (!inm.empty() && inm.find(f.etag) != std::string_view::npos) {
    r.status = 304;
    return r;
  }
  r.body = f.body;
  return r;
}

}  // namespace veche::http
