// The Veche web site and JSON API: everything the server answers, behind one handler.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/http/message.hpp"
#include "veche/http/router.hpp"
#include "veche/store/database.hpp"

namespace veche::http {

struct SiteOptions {
  std::string web_root;    // holds templates/ and static/
  std::string locale_dir;  // compiled catalogs: <dir>/<lang>/LC_MESSAGES/veche.mo
  std::string default_language = "en";
  bool secure_cookies = false;
  std::string version;
  // The data key (32 bytes, created with mode 0600 when missing): keyed hashes of session
  // tokens, invitation codes and CSRF tokens. Required.
  std::string data_key_file;
};

class Site {
 public:
  // Loads templates, static files and catalogs. kNotFound / kInvalidArgument name the
  // missing or broken file. `db` and `clock` must outlive the site.
  static Result<std::unique_ptr<Site>> create(const SiteOptions& options, store::Database& db,
                                              const core::Clock& clock);
  ~Site();
  // Answers one request. Thread-safe.
  Response handle(Request& req) const;
  const Router& router() const;
  // The body limit of the few routes that take more than the server's default (a registrar's
  // credentials, one event of up to 16 MiB), 0 for the others: ServerOptions::body_limit_for.
  static std::uint64_t body_limit(Method method, std::string_view target);
  // Reads ahead what the first requests after a start would wait for (the boards of elections
  // open for voting). Thread-safe: runs while the site serves.
  Status warm() const;

 private:
  Site();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The HTTP status for an error code: the one table (STYLE.md, "Errors").
int status_for(ErrorCode code);

}  // namespace veche::http
