// Server configuration: defaults, then a TOML file, then VECHE_* environment variables,
// then command-line flags (applied by `app`), each overriding the one before.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "veche/core/result.hpp"

namespace veche::core {

struct Config {
  std::string listen = "127.0.0.1:8080";  // ADDR:PORT; [::1]:8080 for IPv6
  std::string db = "veche.db";            // SQLite file, or a postgresql:// URL
  std::string web_root;                   // templates, static files, catalogs; "" = built-in path
  std::string data_key_file;              // key for personal data at rest; outside the database
  std::string log_level = "info";         // trace, debug, info, warn, error
  std::string default_language = "en";    // when Accept-Language names nothing we have
  unsigned threads = 0;                   // 0 = one per core
  bool log_addresses = false;             // access log without client addresses by default
  bool secure_cookies = false;            // set when served over TLS (behind a proxy)
  std::uint64_t max_body_bytes = 1 << 20;
  std::uint32_t max_header_bytes = 16 << 10;
  std::uint32_t request_timeout_seconds = 15;
};

// Applies the keys present in `toml_text` over `cfg`. Unknown keys and wrong types are errors
// (kInvalidArgument) naming the key, so a typo in a config file is not silently ignored.
Status apply_toml(Config& cfg, std::string_view toml_text);

// Applies VECHE_LISTEN, VECHE_DB, VECHE_WEB_ROOT, VECHE_DATA_KEY_FILE, VECHE_LOG_LEVEL,
// VECHE_DEFAULT_LANGUAGE, VECHE_THREADS, VECHE_LOG_ADDRESSES, VECHE_SECURE_COOKIES,
// VECHE_MAX_BODY_BYTES. `getenv` returns nullopt for an unset variable.
Status apply_env(Config& cfg,
                 const std::function<std::optional<std::string>(const char*)>& getenv);

// Checks the values together (a listen address that parses, a known log level, ...).
Status validate(const Config& cfg);

// Splits "ADDR:PORT" or "[v6]:PORT". Errors are kInvalidArgument.
struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};
Result<HostPort> parse_host_port(std::string_view s);

}  // namespace veche::core
