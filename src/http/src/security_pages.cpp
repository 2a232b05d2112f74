// The second login step, the security and access-token pages, account recovery, and the
// account's JSON API (/api/v1/me). Forms work without JavaScript; every POST checks its CSRF
// token first. Secrets (TOTP key, recovery code, access token) appear only in the response
// that made them, which is never cached.
#include <boost/json.hpp>
#include <charconv>
#include <string>

#include "accounts_web.hpp"
#include "site_impl.hpp"
#include "veche/http/qr_svg.hpp"

namespace veche::http {
namespace {

using registry::Scope;
using registry::TotpState;

constexpr std::string_view kTooMany = "Too many attempts. Please wait a minute and try again.";
constexpr std::string_view kBadCsrf =
    "This form has expired or did not come from this site. Please reload the page and try again.";
constexpr std::string_view kNeedsSecondFactor =
    "Your roles need a second factor. Set up an authenticator app and log in with it before you "
    "use them.";

std::optional<std::int64_t> parse_id(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty() || s.size() > 18) return std::nullopt;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

std::string scopes_text(const std::vector<Scope>& scopes) {
  std::string out;
  for (Scope s : scopes) {
    if (!out.empty()) out += ", ";
    out += registry::scope_name(s);
  }
  return out;
}

std::string day(core::TimePoint t) { return core::to_iso8601(t).substr(0, 10); }

Response json(const boost::json::value& v, int status = 200) {
  Response r = Response::json(boost::json::serialize(v), status);
  r.header("Cache-Control", "no-store");
  return r;
}

}  // namespace

void Site::Impl::add_security() {
  // --- The second login step -------------------------------------------------------------
  router.add(Method::kGet, "/login/totp", [this](Request& req) {
    if (cookie_value(req, kLoginCookie).empty()) return Response::redirect("/login");
    return account_form(req, "login_totp", Data(), "Second step", "", 200);
  });

  router.add(Method::kPost, "/login/totp", [this](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kBadCsrf);
    const auto challenge = cookie_value(req, kLoginCookie);
    // Limited per account, whatever the number of challenges a passphrase holder opens.
    auto account = accounts_web->factors.challenge_account(challenge);
    const auto limit_key =
        account ? "account:" + std::to_string(account->value()) : "login:" + challenge;
    if (!accounts_web->totp_limits.allow(limit_key, clock.now())) {
      return account_form(req, "login_totp", Data(), "Second step", kTooMany, 429);
    }
    auto token = accounts_web->factors.finish_login(challenge, field(f, "code"));
    if (!token) {
      const int status = status_for(token.error().code);
      if (status >= 500) return error(req, token.error());
      if (token.error().code == ErrorCode::kUnauthenticated) {
        Response r = account_form(req, "login", Data(), "Log in", token.error().message, status);
        r.header("Set-Cookie", accounts_web->clear_login_cookie());
        return r;
      }
      return account_form(req, "login_totp", Data(), "Second step", token.error().message, status);
    }
    const auto old = cookie_value(req, kSessionCookie);
    if (!old.empty()) {
      if (auto s = accounts_web->accounts.logout(old); !s) return error(req, s.error());
    }
    Response r = Response::redirect("/me");
    r.header("Set-Cookie", accounts_web->session_cookie(*token));
    r.header("Set-Cookie", accounts_web->clear_login_cookie());
    return r;
  });

  // --- Security: TOTP and the recovery code ------------------------------------------------
  // Renders /me/security for the request's session with `extra` on top.
  auto security_page = [this](const Request& req, const registry::Session& s, Data extra,
                              std::string_view error_message, int status) -> Response {
    auto& f = accounts_web->factors;
    auto state = f.totp_state(s.account);
    auto needs = f.needs_second_factor(s.account);
    auto second_ok = f.second_factor_ok(s);
    auto has_recovery = f.has_recovery_code(s.account);
    if (!state) return error(req, state.error());
    if (!needs) return error(req, needs.error());
    if (!second_ok) return error(req, second_ok.error());
    if (!has_recovery) return error(req, has_recovery.error());
    const bool enrolling = extra.get("enrolment") != nullptr;
    extra.set("totp_on", *state == TotpState::kActive);
    extra.set("totp_off", *state != TotpState::kActive && !enrolling);
    extra.set("required", *needs);
    extra.set("second_factor_missing", !*second_ok);
    extra.set("has_recovery", *has_recovery);
    return account_form(req, "me_security", std::move(extra), "Security", error_message, status);
  };
  // The enrolment part of the page: the key, its otpauth:// link and the QR code.
  auto enrolment_data = [this](const Request& req,
                               const registry::TotpEnrolment& e) -> Result<Data> {
    VECHE_ASSIGN_OR_RETURN(
        auto svg, qr_svg(e.uri, translator.tr(lang(req), "QR code of the authenticator key")));
    Data d;
    d.set("secret", e.secret_base32);
    d.set("uri", e.uri);
    d.set("qr_svg", svg);
    return d;
  };

  router.add(Method::kGet, "/me/security", [this, security_page](Request& req) {
    auto s = accounts_web->session(req);
    if (!s) return Response::redirect("/login");
    Data d;
    if (req.query_param("done").value_or("") == "totp-on") {
      d.set("notice", translator.tr(lang(req), "The authenticator app is on."));
    } else if (req.query_param("done").value_or("") == "totp-off") {
      d.set("notice", translator.tr(lang(req), "The authenticator app is off."));
    }
    return security_page(req, *s, std::move(d), "", 200);
  });

  router.add(Method::kPost, "/me/totp/begin", [this, security_page, enrolment_data](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kBadCsrf);
    auto s = accounts_web->session(req);
    if (!s) return Response::redirect("/login");
    auto e = accounts_web->factors.begin_totp(s->account);
    if (!e) {
      if (status_for(e.error().code) >= 500) return error(req, e.error());
      return security_page(req, *s, Data(), e.error().message, status_for(e.error().code));
    }
    auto enrol = enrolment_data(req, *e);
    if (!enrol) return error(req, enrol.error());
    Data d;
    d.set("enrolment", *enrol);
    return security_page(req, *s, std::move(d), "", 200);
  });

  router.add(Method::kPost, "/me/totp/confirm",
             [this, security_page, enrolment_data](Request& req) {
               const auto f = form_fields(req);
               if (!accounts_web->csrf_ok(req, field(f, "csrf"))) {
                 return error(req, 403, kBadCsrf);
               }
               auto s = accounts_web->session(req);
               if (!s) return Response::redirect("/login");
               const auto key = "account:" + std::to_string(s->account.value());
               std::string_view problem;
               Error failure;
               int status = 200;
               if (!accounts_web->totp_limits.allow(key, clock.now())) {
                 problem = kTooMany;
                 status = 429;
               } else {
                 auto done = accounts_web->factors.confirm_totp(s->account, field(f, "code"),
                                                                cookie_value(req, kSessionCookie));
                 if (done) return Response::redirect("/me/security?done=totp-on");
                 failure = done.error();
                 status = status_for(failure.code);
                 if (status >= 500) return error(req, failure);
                 problem = failure.message;
               }
               // Still pending: the same key again, so a mistyped code needs no new scan.
               Data d;
               auto pending = accounts_web->factors.pending_totp(s->account);
               if (!pending) return error(req, pending.error());
               if (*pending) {
                 auto enrol = enrolment_data(req, **pending);
                 if (!enrol) return error(req, enrol.error());
                 d.set("enrolment", *enrol);
               }
               return security_page(req, *s, std::move(d), problem, status);
             });

  router.add(Method::kPost, "/me/totp/disable", [this, security_page](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kBadCsrf);
    auto s = accounts_web->session(req);
    if (!s) return Response::redirect("/login");
    auto needs = accounts_web->factors.needs_second_factor(s->account);
    if (!needs) return error(req, needs.error());
    if (*needs) {
      return security_page(req, *s, Data(), "Your roles need it, so it cannot be turned off.", 403);
    }
    if (!accounts_web->totp_limits.allow("account:" + std::to_string(s->account.value()),
                                         clock.now())) {
      return security_page(req, *s, Data(), kTooMany, 429);
    }
    auto done = accounts_web->factors.disable_totp(s->account, field(f, "code"));
    if (!done) {
      if (status_for(done.error().code) >= 500) return error(req, done.error());
      return security_page(req, *s, Data(), done.error().message, status_for(done.error().code));
    }
    return Response::redirect("/me/security?done=totp-off");
  });

  router.add(Method::kPost, "/me/recovery", [this, security_page](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kBadCsrf);
    auto s = accounts_web->session(req);
    if (!s) return Response::redirect("/login");
    auto code = accounts_web->factors.new_recovery_code(s->account);
    if (!code) return error(req, code.error());
    Data d;
    d.set("recovery_code", *code);
    return security_page(req, *s, std::move(d), "", 200);
  });

  // --- Personal access tokens --------------------------------------------------------------
  auto tokens_page = [this](const Request& req, const registry::Session& s, Data extra,
                            std::string_view error_message, int status) -> Response {
    auto list = accounts_web->factors.tokens(s.account);
    if (!list) return error(req, list.error());
    Data rows = Data::type::list;
    for (const auto& t : *list) {
      Data r;
      r.set("id", std::to_string(t.id));
      r.set("name", t.name);
      r.set("scopes", scopes_text(t.scopes));
      r.set("created", day(t.created_at));
      r.set("last_used", t.last_used_day);
      r.set("expires", day(t.expires_at));
      r.set("expired", t.expired);
      rows.push_back(r);
    }
    extra.set("has_tokens", !list->empty());
    extra.set("tokens", rows);
    return account_form(req, "me_tokens", std::move(extra), "Access tokens", error_message, status);
  };

  router.add(Method::kGet, "/me/tokens", [this, tokens_page](Request& req) {
    auto s = accounts_web->session(req);
    if (!s) return Response::redirect("/login");
    return tokens_page(req, *s, Data(), "", 200);
  });

  router.add(Method::kPost, "/me/tokens", [this, tokens_page](Request& req) {
    // Every checked scope: form_fields() keeps only the first value of a name.
    std::map<std::string, std::string> f;
    std::vector<Scope> scopes;
    std::optional<Error> bad_scope;
    if (auto all = parse_form(req.body)) {
      for (auto& [k, v] : *all) {
        if (k == "scope") {
          auto sc = registry::parse_scope(v);
          if (sc) {
            scopes.push_back(*sc);
          } else {
            bad_scope = sc.error();
          }
        } else {
          f.emplace(k, v);
        }
      }
    }
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kBadCsrf);
    auto s = accounts_web->session(req);
    if (!s) return Response::redirect("/login");
    Data keep;
    keep.set("name", field(f, "name").substr(0, 64));
    if (bad_scope) return tokens_page(req, *s, keep, bad_scope->message, 400);
    auto second_ok = accounts_web->factors.second_factor_ok(*s);
    if (!second_ok) return error(req, second_ok.error());
    if (!*second_ok) return tokens_page(req, *s, keep, kNeedsSecondFactor, 403);
    const auto days = parse_id(field(f, "days"));
    if (!days || *days > registry::kMaxTokenDays) {
      return tokens_page(req, *s, keep, "A token is valid for 1 to 365 days.", 400);
    }
    auto token = accounts_web->factors.create_token(s->account, field(f, "name"), scopes,
                                                    std::chrono::days(*days), s->second_factor);
    if (!token) {
      const int status = status_for(token.error().code);
      if (status >= 500) return error(req, token.error());
      return tokens_page(req, *s, keep, token.error().message, status);
    }
    Data d;
    d.set("new_token", *token);
    return tokens_page(req, *s, std::move(d), "", 200);
  });

  router.add(Method::kPost, "/me/tokens/{id}/revoke", [this, tokens_page](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kBadCsrf);
    auto s = accounts_web->session(req);
    if (!s) return Response::redirect("/login");
    const auto id = parse_id(req.path_params.at("id"));
    if (!id) return error(req, 404, "There is no such token.");
    if (auto done = accounts_web->factors.revoke_token(s->account, *id); !done) {
      if (status_for(done.error().code) >= 500) return error(req, done.error());
      return tokens_page(req, *s, Data(), done.error().message, status_for(done.error().code));
    }
    return Response::redirect("/me/tokens");
  });

  // --- Recovery ---------------------------------------------------------------------------
  router.add(Method::kGet, "/recover", [this](Request& req) {
    return account_form(req, "recover", Data(), "Recover your account", "", 200);
  });

  router.add(Method::kPost, "/recover", [this](Request& req) {
    const auto f = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(f, "csrf"))) return error(req, 403, kBadCsrf);
    const auto handle = field(f, "handle").substr(0, 64);
    Data keep;
    keep.set("handle", handle);
    if (!accounts_web->recover_limits.allow(lower_ascii(handle), clock.now())) {
      return account_form(req, "recover", keep, "Recover your account", kTooMany, 429);
    }
    auto code = accounts_web->factors.recover(handle, field(f, "code"), field(f, "passphrase"));
    if (!code) {
      const int status = status_for(code.error().code);
      if (status >= 500) return error(req, code.error());
      return account_form(req, "recover", keep, "Recover your account", code.error().message,
                          status);
    }
    Data d;
    d.set("new_code", *code);
    Response r = account_form(req, "recover", std::move(d), "Recover your account", "", 200);
    r.header("Set-Cookie", accounts_web->clear_session_cookie());
    return r;
  });

  // --- JSON API ---------------------------------------------------------------------------
  // 401 (with a WWW-Authenticate challenge) or 403 when the request may not read the account.
  auto api_principal = [this](Request& req) -> std::pair<std::optional<Principal>, Response> {
    auto p = accounts_web->authenticate(req);
    if (!p) {
      Response r = error(req, p.error());
      if (r.status == 401) r.header("WWW-Authenticate", "Bearer");
      return {std::nullopt, std::move(r)};
    }
    if (!p->has_scope(Scope::kRead)) {
      return {std::nullopt, error(req, 403, "This token lacks the read scope.")};
    }
    return {std::move(*p), Response()};
  };

  router.add(Method::kGet, "/api/v1/me", [this, api_principal](Request& req) {
    auto [p, refusal] = api_principal(req);
    if (!p) return refusal;
    auto totp = accounts_web->factors.totp_state(p->account);
    if (!totp) return error(req, totp.error());
    boost::json::array roles;
    for (const auto& g : p->roles) {
      roles.push_back({{"role", registry::role_name(g.role)}, {"organization", g.organization}});
    }
    boost::json::array scopes;
    for (Scope s : p->scopes) scopes.push_back(boost::json::string(registry::scope_name(s)));
    boost::json::object o{{"handle", p->handle},
                          {"roles", std::move(roles)},
                          {"via", p->via_token ? "token" : "session"},
                          {"scopes", std::move(scopes)},
                          {"second_factor", p->second_factor},
                          {"totp", *totp == TotpState::kActive}};
    // Browser clients on the session cookie send this back in X-CSRF-Token for writes.
    if (!p->via_token) o["csrf_token"] = accounts_web->csrf_token(req, nullptr);
    return json(o);
  });

  router.add(Method::kGet, "/api/v1/me/tokens", [this, api_principal](Request& req) {
    auto [p, refusal] = api_principal(req);
    if (!p) return refusal;
    auto list = accounts_web->factors.tokens(p->account);
    if (!list) return error(req, list.error());
    boost::json::array a;
    for (const auto& t : *list) {
      boost::json::array scopes;
      for (Scope s : t.scopes) scopes.push_back(boost::json::string(registry::scope_name(s)));
      boost::json::object o{{"id", t.id},
                            {"name", t.name},
                            {"scopes", std::move(scopes)},
                            {"created_at", core::to_iso8601(t.created_at)},
                            {"expires_at", core::to_iso8601(t.expires_at)},
                            {"expired", t.expired}};
      o["last_used_day"] = t.last_used_day.empty() ? boost::json::value(nullptr)
                                                   : boost::json::value(t.last_used_day);
      a.push_back(std::move(o));
    }
    return json(boost::json::object{{"tokens", std::move(a)}});
  });

  router.add(Method::kDelete, "/api/v1/me/tokens/{id}", [this](Request& req) {
    auto p = accounts_web->authenticate(req);
    if (!p) {
      Response r = error(req, p.error());
      if (r.status == 401) r.header("WWW-Authenticate", "Bearer");
      return r;
    }
    if (p->needs_csrf() && !accounts_web->api_csrf_ok(req)) {
      return error(req, 403, "Send the CSRF token of your session in the X-CSRF-Token header.");
    }
    const auto id = parse_id(req.path_params.at("id"));
    if (!id) return error(req, 404, "There is no such token.");
    if (auto done = accounts_web->factors.revoke_token(p->account, *id); !done) {
      return error(req, done.error());
    }
    return json(boost::json::object{{"revoked", *id}});
  });
}

}  // namespace veche::http
