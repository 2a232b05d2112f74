// Static files (CSS, icons, browser scripts) held in memory with strong ETags.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "veche/http/message.hpp"

namespace veche::http {

class StaticFiles {
 public:
  // Loads every regular file below `dir` (at most 16 MiB in all). Paths are fixed at load
  // time, so no request path can reach outside the folder.
  static StaticFiles load(const std::string& dir);
  // Adds the third-party browser files named in `list` (web/vendor.txt: one path under
  // `modules_dir` a line, blank lines and `#` comments ignored), each served at
  // "/static/vendor/<path>". A missing file or a path leaving `modules_dir` is skipped with a
  // warning in the log; at most 16 MiB in all.
  void add_vendor(const std::string& list, const std::string& modules_dir);
  // Serves "/static/<rel>" from memory: 200 with ETag and Cache-Control, or 304 when
  // If-None-Match matches. nullopt when there is no such file.
  std::optional<Response> serve(const Request& req) const;

 private:
  struct File {
    std::string content_type;
    std::string etag;
    std::string body;
  };
  std::map<std::string, File, std::less<>> files_;
};

}  // namespace veche::http
