// Headers sent with every response (DESIGN.md: no third-party assets, no inline script or
// style, no referrer, no framing). 'wasm-unsafe-eval' lets our own scripts compile
// WebAssembly (libsodium in the election booth and ceremonies); it allows no JavaScript eval.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace veche::http {

inline std::vector<std::pair<std::string_view, std::string_view>> security_headers(
    std::string_view /*content_type*/) {
  return {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' "
       "data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
  };
}

}  // namespace veche::http
