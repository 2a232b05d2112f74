// Accounts on the web: the session cookie, CSRF tokens and the in-memory rate limits of
// /login and /join (private to src/http).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "veche/core/clock.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/http/message.hpp"
#include "veche/registry/accounts.hpp"

namespace veche::http {

inline constexpr std::string_view kSessionCookie = "veche_session";
inline constexpr std::string_view kCsrfCookie = "veche_csrf";

// Fixed one-minute windows: at most `per_key` attempts per key and `overall` in all.
// Memory stays bounded: keys are counted only while the overall budget lasts, and the map is
// cleared when the minute turns. Thread-safe.
class RateLimiter {
 public:
  RateLimiter(int per_key, int overall) : per_key_(per_key), overall_(overall) {}
  // True when one more attempt for `key` is allowed now (and counts it).
  bool allow(std::string_view key, core::TimePoint now);

 private:
  const int per_key_;
  const int overall_;
  std::mutex mu_;
  std::int64_t minute_ = -1;                        // GUARDED_BY(mu_)
  int total_ = 0;                                   // GUARDED_BY(mu_)
  std::map<std::string, int, std::less<>> counts_;  // GUARDED_BY(mu_)
};

struct AccountsWeb {
  AccountsWeb(store::Database& db, const core::Clock& clock, crypto::SecretBytes key,
              bool secure_cookies)
      : key_(std::move(key)), accounts(db, clock, key_), secure(secure_cookies) {}

  crypto::SecretBytes key_;  // declared first: `accounts` borrows it
  registry::Accounts accounts;
  bool secure;
  RateLimiter login_limits{5, 60};
  RateLimiter join_limits{5, 30};

  // The session of the request's cookie, if it is valid.
  std::optional<registry::Session> session(const Request& req) const;
  // The CSRF token for forms on this request: bound to the session when there is one, else to
  // the veche_csrf cookie. When neither exists, makes a new cookie value and puts its
  // Set-Cookie header in `set_cookie`.
  std::string csrf_token(const Request& req, std::string* set_cookie) const;
  // True when the form's `csrf` field matches the token of this request (constant time).
  bool csrf_ok(const Request& req, std::string_view submitted) const;
  // Set-Cookie values.
  std::string session_cookie(std::string_view token) const;
  std::string clear_session_cookie() const;
};

}  // namespace veche::http
