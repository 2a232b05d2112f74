// Joining, logging in and out, and the account page. Forms work without JavaScript; every POST
// checks its CSRF token before anything else.
#include <algorithm>
#include <string>

#include "accounts_web.hpp"
#include "site_impl.hpp"
#include "veche/crypto/at_rest.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/password.hpp"

namespace veche::http {
namespace {

constexpr std::string_view kTooMany = "Too many attempts. Please wait a minute and try again.";
constexpr std::string_view kBadCsrf =
    "This form has expired or did not come from this site. Please reload the page and try again.";

std::string_view role_label(registry::Role r) {
  switch (r) {
    case registry::Role::kConstituent:
      return "Constituent";
    case registry::Role::kDelegate:
      return "Delegate";
    case registry::Role::kRegistrar:
      return "Registrar";
    case registry::Role::kTrustee:
      return "Trustee";
    case registry::Role::kCoordinator:
      return "Coordinator";
    case registry::Role::kModerator:
      return "Moderator";
    case registry::Role::kOperator:
      return "Operator";
  }
  return "Constituent";
}

std::string with_flags(std::string c, bool secure) {
  if (secure) c += "; Secure";
  return c;
}

}  // namespace

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::map<std::string, std::string> form_fields(const Request& req) {
  std::map<std::string, std::string> out;
  if (auto fields = parse_form(req.body)) {
    for (auto& [k, v] : *fields) out.emplace(std::move(k), std::move(v));
  }
  return out;
}

std::string field(const std::map<std::string, std::string>& f, const std::string& name) {
  auto it = f.find(name);
  return it == f.end() ? std::string() : it->second;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = static_cast<unsigned char>(
        diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
  }
  return diff == 0;
}

std::string cookie_value(const Request& req, std::string_view name) {
  auto it = req.cookies.find(std::string(name));
  if (it == req.cookies.end() || it->second.size() > 128) return {};
  return it->second;
}

bool RateLimiter::allow(std::string_view key, core::TimePoint now) {
  const std::int64_t minute = core::to_unix(now) / 60;
  std::lock_guard lock(mu_);
  if (minute != minute_) {
    minute_ = minute;
    total_ = 0;
    counts_.clear();
  }
  if (total_ >= overall_) return false;
  auto it = counts_.find(key);
  if (it == counts_.end()) it = counts_.emplace(std::string(key), 0).first;
  if (it->second >= per_key_) return false;
  ++it->second;
  ++total_;
  return true;
}

std::optional<registry::Session> AccountsWeb::session(const Request& req) const {
  const auto token = cookie_value(req, kSessionCookie);
  if (token.empty()) return std::nullopt;
  auto s = accounts.session(token);
  if (!s) return std::nullopt;
  return std::move(*s);
}

std::string AccountsWeb::csrf_token(const Request& req, std::string* set_cookie) const {
  const auto token = cookie_value(req, kSessionCookie);
  if (!token.empty() && accounts.session(token)) {
    return crypto::to_hex(crypto::keyed_hash(key_, "csrf-session", token));
  }
  auto anon = cookie_value(req, kCsrfCookie);
  if (anon.empty()) {
    anon = crypto::random_token(16);
    if (set_cookie != nullptr) {
      *set_cookie = std::string(kCsrfCookie) + "=" + anon + "; Path=/; HttpOnly; SameSite=Strict";
      if (secure) *set_cookie += "; Secure";
    }
  }
  return crypto::to_hex(crypto::keyed_hash(key_, "csrf-anonymous", anon));
}

bool AccountsWeb::csrf_ok(const Request& req, std::string_view submitted) const {
  if (submitted.empty()) return false;
  const auto token = cookie_value(req, kSessionCookie);
  if (!token.empty() && accounts.session(token)) {
    return equal_constant_time(submitted,
                               crypto::to_hex(crypto::keyed_hash(key_, "csrf-session", token)));
  }
  const auto anon = cookie_value(req, kCsrfCookie);
  if (anon.empty()) return false;
  return equal_constant_time(submitted,
                             crypto::to_hex(crypto::keyed_hash(key_, "csrf-anonymous", anon)));
}

std::string AccountsWeb::session_cookie(std::string_view token) const {
  std::string c = std::string(kSessionCookie) + "=" + std::string(token) +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                  std::to_string(registry::kSessionLifetime.count());
  if (secure) c += "; Secure";
  return c;
}

std::string AccountsWeb::clear_session_cookie() const {
  std::string c = std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  if (secure) c += "; Secure";
  return c;
}

bool AccountsWeb::api_csrf_ok(const Request& req) const {
  return csrf_ok(req, req.header(kCsrfHeader));
}

std::string AccountsWeb::login_cookie(std::string_view challenge) const {
  return with_flags(std::string(kLoginCookie) + "=" + std::string(challenge) +
                        "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=" +
                        std::to_string(registry::kLoginChallengeLifetime.count()),
                    secure);
}

std::string AccountsWeb::clear_login_cookie() const {
  return with_flags(
      std::string(kLoginCookie) + "=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0", secure);
}

// The recovery code travels from POST /join to GET /login sealed under the data key, so that
// it is never in a URL and the redirect after the form still works.
std::string AccountsWeb::recovery_cookie(std::string_view code) const {
  const auto sealed =
      crypto::encrypt_at_rest(key_, "recovery-cookie", "join", crypto::as_bytes(code));
  return with_flags(std::string(kRecoveryCookie) + "=" + crypto::to_hex(sealed) +
                        "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=900",
                    secure);
}

std::string AccountsWeb::clear_recovery_cookie() const {
  return with_flags(
      std::string(kRecoveryCookie) + "=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0",
      secure);
}

std::string AccountsWeb::recovery_code_in(const Request& req) const {
  const auto value = cookie_value(req, kRecoveryCookie);
  if (value.empty()) return {};
  auto sealed = crypto::from_hex(value);
  if (!sealed) return {};
  auto code = crypto::decrypt_at_rest(key_, "recovery-cookie", "join", *sealed);
  if (!code) return {};
  const auto bytes = code->expose();
  return std::string(bytes.begin(), bytes.end());
}

bool Principal::has_scope(registry::Scope s) const {
  return std::find(scopes.begin(), scopes.end(), s) != scopes.end();
}

bool Principal::holds(registry::Role role, std::string_view org) const {
  for (const auto& g : roles) {
    if (g.role == role && (!registry::role_needs_organization(role) || g.organization == org)) {
      return true;
    }
  }
  return false;
}

bool Principal::may_act_as(registry::Role role, std::string_view org) const {
  if (!holds(role, org)) return false;
  if (registry::role_needs_second_factor(role) && !second_factor) return false;
  if (!via_token) return true;
  switch (role) {
    case registry::Role::kConstituent:
      return has_scope(registry::Scope::kVote);
    case registry::Role::kDelegate:
      return has_scope(registry::Scope::kDelegate);
    case registry::Role::kRegistrar:
      return has_scope(registry::Scope::kRegistrar);
    default:
      return false;
  }
}

Result<Principal> AccountsWeb::authenticate(const Request& req) {
  Principal p;
  const auto authorization = req.header("authorization");
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (!authorization.starts_with(kBearer)) {
      return unauthenticated("Send a personal access token as: Authorization: Bearer <token>.");
    }
    VECHE_ASSIGN_OR_RETURN(auto auth,
                           factors.authenticate_token(authorization.substr(kBearer.size())));
    p.account = auth.account;
    p.handle = auth.handle;
    p.via_token = true;
    p.scopes = auth.scopes;
    VECHE_ASSIGN_OR_RETURN(auto needs, factors.needs_second_factor(auth.account));
    p.second_factor = auth.second_factor || !needs;
  } else {
    const auto token = cookie_value(req, kSessionCookie);
    if (token.empty()) return unauthenticated("Please log in.");
    VECHE_ASSIGN_OR_RETURN(auto s, accounts.session(token));
    p.account = s.account;
    p.handle = s.handle;
    p.scopes = registry::all_scopes();
    VECHE_ASSIGN_OR_RETURN(p.second_factor, factors.second_factor_ok(s));
    p.session_token = token;
  }
  VECHE_ASSIGN_OR_RETURN(auto account, accounts.account(p.account));
  p.roles = std::move(account.roles);
  return p;
}

std::optional<Principal> AccountsWeb::principal(const Request& req) {
  auto p = authenticate(req);
  if (!p) return std::nullopt;
  return std::move(*p);
}

void Site::Impl::add_account_header(const Request& req, Data& layout) const {
  if (!accounts_web) return;
  if (auto s = accounts_web->session(req)) {
    layout.set("signed_in", true);
    layout.set("handle", s->handle);
  }
}

Response Site::Impl::account_form(const Request& req, const std::string& name, Data data,
                                  std::string_view title, std::string_view error_message,
                                  int status) const {
  const Lang l = lang(req);
  std::string set_cookie;
  data.set("csrf", accounts_web->csrf_token(req, &set_cookie));
  if (!error_message.empty()) data.set("error", translator.tr(l, error_message));
  Response r = page(req, name, std::move(data), translator.tr(l, title), status);
  if (!set_cookie.empty()) r.header("Set-Cookie", set_cookie);
  // Forms carry CSRF tokens and some pages show a secret once: never stored by a cache.
  std::erase_if(r.headers, [](const auto& h) { return h.first == "Cache-Control"; });
  r.header("Cache-Control", "no-store");
  return r;
}

void Site::Impl::add_accounts() {
  auto form_data = [](const std::string& handle, const std::string& code) {
    Data d;
    d.set("handle", handle);
    d.set("code", code);
    return d;
  };

  router.add(Method::kGet, "/join", [this, form_data](Request& req) {
    return account_form(req, "join", form_data("", req.query_param("code").value_or("")), "Join",
                        "", 200);
  });

  router.add(Method::kPost, "/join", [this, form_data](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kBadCsrf);
    const auto code = field(f, "code").substr(0, 64);
    const auto handle = field(f, "handle").substr(0, 64);
    const auto keep = form_data(handle, code);
    if (!accounts_web->join_limits.allow(lower_ascii(handle), clock.now())) {
      return account_form(req, "join", keep, "Join", kTooMany, 429);
    }
    auto joined = accounts_web->accounts.join(code, handle, field(f, "passphrase"));
    if (!joined) {
      const int status = status_for(joined.error().code);
      if (status >= 500) return error(req, joined.error());
      return account_form(req, "join", keep, "Join", joined.error().message, status);
    }
    // The recovery code is shown once, on the login page the browser goes to next.
    auto recovery = accounts_web->factors.new_recovery_code(*joined);
    if (!recovery) return error(req, recovery.error());
    Response r = Response::redirect("/login?joined=1");
    r.header("Set-Cookie", accounts_web->recovery_cookie(*recovery));
    return r;
  });

  router.add(Method::kGet, "/login", [this, form_data](Request& req) {
    Data d = form_data("", "");
    d.set("joined", req.query_param("joined").has_value());
    const auto recovery = accounts_web->recovery_code_in(req);
    if (!recovery.empty()) d.set("recovery_code", recovery);
    Response r = account_form(req, "login", std::move(d), "Log in", "", 200);
    if (!cookie_value(req, kRecoveryCookie).empty()) {
      r.header("Set-Cookie", accounts_web->clear_recovery_cookie());
    }
    return r;
  });

  router.add(Method::kPost, "/login", [this, form_data](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kBadCsrf);
    const auto handle = field(f, "handle").substr(0, 64);
    if (!accounts_web->login_limits.allow(lower_ascii(handle), clock.now())) {
      return account_form(req, "login", form_data(handle, ""), "Log in", kTooMany, 429);
    }
    auto step = accounts_web->factors.login(handle, field(f, "passphrase"));
    if (!step) {
      const int status = status_for(step.error().code);
      if (status >= 500) return error(req, step.error());
      return account_form(req, "login", form_data(handle, ""), "Log in", step.error().message,
                          status);
    }
    if (!step->challenge_token.empty()) {
      // TOTP is on: no session until the code is given (security_pages.cpp, /login/totp).
      Response r = Response::redirect("/login/totp");
      r.header("Set-Cookie", accounts_web->login_cookie(step->challenge_token));
      return r;
    }
    // A new session id at every login: the session the browser held before ends here.
    const auto old = cookie_value(req, kSessionCookie);
    if (!old.empty()) {
      if (auto s = accounts_web->accounts.logout(old); !s) return error(req, s.error());
    }
    Response r = Response::redirect("/me");
    r.header("Set-Cookie", accounts_web->session_cookie(step->session_token));
    return r;
  });

  router.add(Method::kPost, "/logout", [this](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kBadCsrf);
    const auto token = cookie_value(req, kSessionCookie);
    if (field(f, "everywhere") == "1") {
      if (auto s = accounts_web->session(req)) {
        if (auto done = accounts_web->accounts.logout_everywhere(s->account); !done) {
          return error(req, done.error());
        }
      }
    } else if (auto done = accounts_web->accounts.logout(token); !done) {
      return error(req, done.error());
    }
    Response r = Response::redirect("/");
    r.header("Set-Cookie", accounts_web->clear_session_cookie());
    return r;
  });

  router.add(Method::kGet, "/me", [this](Request& req) {
    auto s = accounts_web->session(req);
    if (!s) return Response::redirect("/login");
    auto account = accounts_web->accounts.account(s->account);
    if (!account) return error(req, account.error());
    const Lang l = lang(req);
    Data roles = Data::type::list;
    for (const auto& g : account->roles) {
      Data r;
      r.set("role", translator.tr(l, role_label(g.role)));
      r.set("organization", g.organization);
      r.set("has_organization", !g.organization.empty());
      roles.push_back(r);
    }
    Data d;
    d.set("handle", account->handle);
    d.set("roles", roles);
    d.set("since", core::to_iso8601(account->created_at).substr(0, 10));
    auto totp = accounts_web->factors.totp_state(s->account);
    auto second_ok = accounts_web->factors.second_factor_ok(*s);
    if (!totp) return error(req, totp.error());
    if (!second_ok) return error(req, second_ok.error());
    d.set("totp_on", *totp == registry::TotpState::kActive);
    d.set("second_factor_missing", !*second_ok);
    return account_form(req, "me", std::move(d), "Your account", "", 200);
  });
}

}  // namespace veche::http
