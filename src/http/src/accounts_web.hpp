// Accounts on the web: the session cookie, CSRF tokens, the in-memory rate limits of /login,
// /join, /login/totp and /recover, and who a request speaks for (Principal: a session cookie
// or a personal access token). Private to src/http.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/http/message.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/registry/factors.hpp"

namespace veche::http {

inline constexpr std::string_view kSessionCookie = "veche_session";
inline constexpr std::string_view kCsrfCookie = "veche_csrf";
// The pending login between the passphrase and the TOTP code (Path=/login).
inline constexpr std::string_view kLoginCookie = "veche_login";
// The recovery code made at joining, sealed, shown once by /login (Path=/login).
inline constexpr std::string_view kRecoveryCookie = "veche_recovery";
// API clients that use the session cookie send the CSRF token in this header.
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

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

// Who a request speaks for. Endpoints authorize with it:
//   auto p = accounts_web->authenticate(req);        // 401 when there is none
//   if (!p->may_act_as(Role::kRegistrar, slug)) ...   // 403
//   if (p->needs_csrf() && !accounts_web->api_csrf_ok(req)) ...  // cookie writes only
struct Principal {
  registry::AccountId account;
  std::string handle;
  std::vector<registry::RoleGrant> roles;
  bool via_token = false;  // Authorization: Bearer <token>; else the session cookie
  // A token's scopes; every scope for a session cookie.
  std::vector<registry::Scope> scopes;
  // The account needs no second factor, or this session passed TOTP (for a token: the session
  // that made it had). Role powers need it.
  bool second_factor = false;
  std::string session_token;  // the cookie's token ("" for a bearer token)

  bool has_scope(registry::Scope s) const;
  // Holds `role` (for the organization `org` when the role needs one).
  bool holds(registry::Role role, std::string_view org = {}) const;
  // May use the powers of `role` now: holds it, passed the second factor when the role needs
  // it, and, through a token, has the scope of the role: "delegate", "registrar", "vote" for
  // constituents; trustee, coordinator, moderator and operator powers need a session.
  bool may_act_as(registry::Role role, std::string_view org = {}) const;
  // Writes with a session cookie need a CSRF token; a bearer token cannot be sent by another
  // site's form, so it needs none.
  bool needs_csrf() const { return !via_token; }
};

// The organizations whose delegate the principal may act as now (delegate_powers.cpp).
std::vector<std::string> delegate_orgs(const Principal& p);
// kPermissionDenied, saying why (no second factor, a token without the delegate scope, not a
// delegate), unless the principal may act as a delegate of some organization now.
Status check_any_delegate(const Principal& p);

struct AccountsWeb {
  AccountsWeb(store::Database& db, const core::Clock& clock, crypto::SecretBytes key,
              bool secure_cookies)
      : key_(std::move(key)),
        accounts(db, clock, key_),
        factors(db, clock, key_, accounts),
        secure(secure_cookies) {}

  crypto::SecretBytes key_;  // declared first: `accounts` and `factors` borrow it
  registry::Accounts accounts;
  registry::Factors factors;
  bool secure;
  RateLimiter login_limits{5, 60};
  RateLimiter join_limits{5, 30};
  RateLimiter totp_limits{5, 120};    // per account: /login/totp, confirming, turning off
  RateLimiter recover_limits{5, 30};  // per handle: three Argon2id hashes per attempt

  // The session of the request's cookie, if it is valid.
  std::optional<registry::Session> session(const Request& req) const;
  // The principal of a bearer token (when an Authorization header is sent) or else of the
  // session cookie. kUnauthenticated when there is neither, or the token is unknown, revoked
  // or expired (a bad token never falls back to the cookie).
  Result<Principal> authenticate(const Request& req);
  std::optional<Principal> principal(const Request& req);
  // The CSRF token for forms on this request: bound to the session when there is one, else to
  // the veche_csrf cookie. When neither exists, makes a new cookie value and puts its
  // Set-Cookie header in `set_cookie`.
  std::string csrf_token(const Request& req, std::string* set_cookie) const;
  // True when the form's `csrf` field matches the token of this request (constant time).
  bool csrf_ok(const Request& req, std::string_view submitted) const;
  // csrf_ok() for the X-CSRF-Token header of an API request.
  bool api_csrf_ok(const Request& req) const;
  // Set-Cookie values.
  std::string session_cookie(std::string_view token) const;
  std::string clear_session_cookie() const;
  std::string login_cookie(std::string_view challenge) const;
  std::string clear_login_cookie() const;
  std::string recovery_cookie(std::string_view code) const;
  std::string clear_recovery_cookie() const;
  // The recovery code of the request's recovery cookie, or "".
  std::string recovery_code_in(const Request& req) const;
};

// Helpers shared by the account and security pages (accounts_pages.cpp).
// The first value of each form field; an undecodable body counts as empty (CSRF then fails).
std::map<std::string, std::string> form_fields(const Request& req);
std::string field(const std::map<std::string, std::string>& f, const std::string& name);
// A cookie's value, or "" when absent or longer than 128 characters.
std::string cookie_value(const Request& req, std::string_view name);
bool equal_constant_time(std::string_view a, std::string_view b);
std::string lower_ascii(std::string_view s);

}  // namespace veche::http
