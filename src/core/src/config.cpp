#include "veche/core/config.hpp"

#include <charconv>
#include <toml++/toml.h>

#include <fmt/format.h>

namespace veche::core {
namespace {

template <class T>
Status read_int(const toml::node& n, std::string_view key, T& out) {
  auto v = n.value<std::int64_t>();
  if (!v || *v < 0 || static_cast<std::uint64_t>(*v) > std::numeric_limits<T>::max()) {
    return invalid_argument(fmt::format("config: '{}' must be a non-negative integer", key));
  }
  out = static_cast<T>(*v);
  return ok();
}

Status read_str(const toml::node& n, std::string_view key, std::string& out) {
  auto v = n.value<std::string>();
  if (!v || !n.is_string()) return invalid_argument(fmt::format("config: '{}' must be a string", key));
  out = *v;
  return ok();
}

Status read_bool(const toml::node& n, std::string_view key, bool& out) {
  if (!n.is_boolean()) return invalid_argument(fmt::format("config: '{}' must be true or false", key));
  out = *n.value<bool>();
  return ok();
}

Result<bool> parse_bool(std::string_view s, std::string_view name) {
  if (s == "1" || s == "true" || s == "yes" || s == "on") return true;
  if (s == "0" || s == "false" || s == "no" || s == "off") return false;
  return invalid_argument(fmt::format("{} must be true or false, not '{}'", name, s));
}

template <class T>
Result<T> parse_uint(std::string_view s, std::string_view name) {
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) {
    return invalid_argument(fmt::format("{} must be a non-negative integer, not '{}'", name, s));
  }
  return v;
}

}  // namespace

Status apply_toml(Config& cfg, std::string_view toml_text) {
  toml::table t;
  try {
    t = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    return invalid_argument(fmt::format("config: line {}: {}", e.source().begin.line,
                                        std::string(e.description())));
  }
  for (auto&& [k, node] : t) {
    const std::string_view key = k.str();
    if (key == "listen") VECHE_TRY(read_str(node, key, cfg.listen));
    else if (key == "db") VECHE_TRY(read_str(node, key, cfg.db));
    else if (key == "web_root") VECHE_TRY(read_str(node, key, cfg.web_root));
    else if (key == "data_key_file") VECHE_TRY(read_str(node, key, cfg.data_key_file));
    else if (key == "log_level") VECHE_TRY(read_str(node, key, cfg.log_level));
    else if (key == "default_language") VECHE_TRY(read_str(node, key, cfg.default_language));
    else if (key == "threads") VECHE_TRY(read_int(node, key, cfg.threads));
    else if (key == "log_addresses") VECHE_TRY(read_bool(node, key, cfg.log_addresses));
    else if (key == "secure_cookies") VECHE_TRY(read_bool(node, key, cfg.secure_cookies));
    else if (key == "max_body_bytes") VECHE_TRY(read_int(node, key, cfg.max_body_bytes));
    else if (key == "max_header_bytes") VECHE_TRY(read_int(node, key, cfg.max_header_bytes));
    else if (key == "request_timeout_seconds")
      VECHE_TRY(read_int(node, key, cfg.request_timeout_seconds));
    else return invalid_argument(fmt::format("config: unknown key '{}'", key));
  }
  return validate(cfg);
}

Status apply_env(Config& cfg,
                 const std::function<std::optional<std::string>(const char*)>& getenv) {
  if (auto v = getenv("VECHE_LISTEN")) cfg.listen = *v;
  if (auto v = getenv("VECHE_DB")) cfg.db = *v;
  if (auto v = getenv("VECHE_WEB_ROOT")) cfg.web_root = *v;
  if (auto v = getenv("VECHE_DATA_KEY_FILE")) cfg.data_key_file = *v;
  if (auto v = getenv("VECHE_LOG_LEVEL")) cfg.log_level = *v;
  if (auto v = getenv("VECHE_DEFAULT_LANGUAGE")) cfg.default_language = *v;
  if (auto v = getenv("VECHE_THREADS")) {
    VECHE_ASSIGN_OR_RETURN(cfg.threads, parse_uint<unsigned>(*v, "VECHE_THREADS"));
  }
  if (auto v = getenv("VECHE_LOG_ADDRESSES")) {
    VECHE_ASSIGN_OR_RETURN(cfg.log_addresses, parse_bool(*v, "VECHE_LOG_ADDRESSES"));
  }
  if (auto v = getenv("VECHE_SECURE_COOKIES")) {
    VECHE_ASSIGN_OR_RETURN(cfg.secure_cookies, parse_bool(*v, "VECHE_SECURE_COOKIES"));
  }
  if (auto v = getenv("VECHE_MAX_BODY_BYTES")) {
    VECHE_ASSIGN_OR_RETURN(cfg.max_body_bytes,
                           parse_uint<std::uint64_t>(*v, "VECHE_MAX_BODY_BYTES"));
  }
  return validate(cfg);
}

Status validate(const Config& cfg) {
  VECHE_TRY(parse_host_port(cfg.listen));
  static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error", "off"};
  if (std::find(std::begin(kLevels), std::end(kLevels), cfg.log_level) == std::end(kLevels)) {
    return invalid_argument(fmt::format("unknown log level '{}'", cfg.log_level));
  }
  if (cfg.default_language != "en" && cfg.default_language != "ru") {
    return invalid_argument("default_language must be 'en' or 'ru'");
  }
  if (cfg.db.empty()) return invalid_argument("db must name a SQLite file or a postgresql:// URL");
  if (cfg.max_body_bytes < 1024) return invalid_argument("max_body_bytes must be at least 1024");
  if (cfg.max_header_bytes < 1024) return invalid_argument("max_header_bytes must be at least 1024");
  if (cfg.threads > 256) return invalid_argument("threads must be at most 256");
  return ok();
}

Result<HostPort> parse_host_port(std::string_view s) {
  HostPort hp;
  std::string_view port;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':') {
      return invalid_argument(fmt::format("listen address '{}' is not [ADDR]:PORT", s));
    }
    hp.host = std::string(s.substr(1, close - 1));
    port = s.substr(close + 2);
  } else {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
      return invalid_argument(fmt::format("listen address '{}' is not ADDR:PORT", s));
    }
    hp.host = std::string(s.substr(0, colon));
    port = s.substr(colon + 1);
  }
  unsigned p = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (ec != std::errc{} || ptr != port.data() + port.size() || p > 65535) {
    return invalid_argument(fmt::format("port in '{}' must be a number from 0 to 65535", s));
  }
  hp.port = static_cast<std::uint16_t>(p);
  return hp;
}

}  // namespace veche::core
