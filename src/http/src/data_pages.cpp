// A constituent's own data: /me/data (display name, contact address, download, erase),
// /me/data.json and /api/v1/me/data. The contact address is shown to its owner only; pages
// that show it are never cached. Every POST checks its CSRF token first.
#include <boost/json.hpp>

#include "charter_routes.hpp"
#include "veche/core/text.hpp"
#include "veche/registry/personal_data.hpp"

namespace veche::http {
namespace {

constexpr std::string_view kTooMany = "Too many attempts. Please wait a minute and try again.";

boost::json::object export_json(const registry::PersonalDataExport& e) {
  boost::json::array roles;
  for (const auto& g : e.roles) {
    roles.push_back({{"role", registry::role_name(g.role)}, {"organization", g.organization}});
  }
  boost::json::array sigs;
  for (int v : e.charter_signatures) sigs.push_back(v);
  boost::json::object o{{"handle", e.handle},
                        {"display_name", e.display_name},
                        {"roles", std::move(roles)},
                        {"charter_signatures", std::move(sigs)},
                        {"created_at", core::to_iso8601(e.created_at)},
                        {"sessions", e.sessions},
                        {"access_tokens", e.access_tokens},
                        {"totp", e.totp}};
  if (e.contact_address) {
    o["contact_address"] = *e.contact_address;
  } else {
    o["contact_address"] = nullptr;
  }
  return o;
}

Response no_store_json(const boost::json::value& v) {
  Response r = Response::json(boost::json::serialize(v));
  r.header("Cache-Control", "no-store");
  return r;
}

}  // namespace

void Site::Impl::add_data() {
  auto data_service = [&site = *this]() {
    return registry::PersonalData(site.db, site.clock, site.accounts_web->key_);
  };

  // Renders /me/data for `account` with `error_message` (and the fields as typed) on top.
  auto data_page = [&site = *this, data_service](const Request& req, registry::AccountId account,
                                                 Data d, std::string_view error_message,
                                                 int status) -> Response {
    auto e = data_service().export_data(account);
    if (!e) return site.error(req, e.error());
    d.set("handle", e->handle);
    if (d.get("display_name") == nullptr) d.set("display_name", e->display_name);
    if (d.get("contact") == nullptr) d.set("contact", e->contact_address.value_or(""));
    d.set("has_contact", e->contact_address.has_value());
    return site.account_form(req, "me_data", std::move(d), "Your data", error_message, status);
  };

  router.add(Method::kGet, "/me/data", [&site = *this, data_page](Request& req) {
    auto s = site.accounts_web->session(req);
    if (!s) return Response::redirect("/login");
    Data d;
    const auto done = req.query_param("done").value_or("");
    const Lang l = site.lang(req);
    if (done == "name") d.set("notice", site.translator.tr(l, "Your display name is saved."));
    if (done == "contact") {
      d.set("notice", site.translator.tr(l, "Your contact address is saved."));
    }
    return data_page(req, s->account, std::move(d), "", 200);
  });

  router.add(Method::kPost, "/me/data/name",
             [&site = *this, data_page, data_service](Request& req) {
               const auto f = form_fields(req);
               if (!site.accounts_web->csrf_ok(req, field(f, "csrf"))) {
                 return site.error(req, 403, kCharterBadCsrf);
               }
               auto s = site.accounts_web->session(req);
               if (!s) return Response::redirect("/login");
               const auto name = field(f, "display_name");
               if (auto r = data_service().set_display_name(s->account, name); !r) {
                 const int status = status_for(r.error().code);
                 if (status >= 500) return site.error(req, r.error());
                 Data d;
                 d.set("display_name", name.substr(0, 400));
                 return data_page(req, s->account, std::move(d), r.error().message, status);
               }
               return Response::redirect("/me/data?done=name");
             });

  router.add(Method::kPost, "/me/data/contact",
             [&site = *this, data_page, data_service](Request& req) {
               const auto f = form_fields(req);
               if (!site.accounts_web->csrf_ok(req, field(f, "csrf"))) {
                 return site.error(req, 403, kCharterBadCsrf);
               }
               auto s = site.accounts_web->session(req);
               if (!s) return Response::redirect("/login");
               const auto address = field(f, "contact");
               auto service = data_service();
               const bool clear = !field(f, "clear").empty() || core::trim(address).empty();
               Status r = clear ? service.clear_contact_address(s->account)
                                : service.set_contact_address(s->account, address);
               if (!r) {
                 const int status = status_for(r.error().code);
                 if (status >= 500) return site.error(req, r.error());
                 Data d;
                 d.set("contact", address.substr(0, 400));
                 return data_page(req, s->account, std::move(d), r.error().message, status);
               }
               return Response::redirect("/me/data?done=contact");
             });

  router.add(Method::kGet, "/me/data.json", [&site = *this, data_service](Request& req) {
    auto s = site.accounts_web->session(req);
    if (!s) return site.error(req, 401, "Please log in first.");
    auto e = data_service().export_data(s->account);
    if (!e) return site.error(req, e.error());
    Response r = no_store_json(export_json(*e));
    r.header("Content-Disposition", "attachment; filename=\"veche-my-data.json\"");
    return r;
  });

  router.add(Method::kGet, "/api/v1/me/data", [&site = *this, data_service](Request& req) {
    auto p = site.accounts_web->authenticate(req);
    if (!p) {
      Response r = site.error(req, p.error());
      if (r.status == 401) r.header("WWW-Authenticate", "Bearer");
      return r;
    }
    if (!p->has_scope(registry::Scope::kRead)) {
      return site.error(req, 403, "This token lacks the read scope.");
    }
    auto e = data_service().export_data(p->account);
    if (!e) return site.error(req, e.error());
    return no_store_json(export_json(*e));
  });

  router.add(Method::kPost, "/me/data/erase",
             [&site = *this, data_page, data_service](Request& req) {
               const auto f = form_fields(req);
               if (!site.accounts_web->csrf_ok(req, field(f, "csrf"))) {
                 return site.error(req, 403, kCharterBadCsrf);
               }
               auto s = site.accounts_web->session(req);
               if (!s) return Response::redirect("/login");
               // One Argon2id verification per attempt: limited like logins, per account.
               if (!site.accounts_web->login_limits.allow(
                       "erase:" + std::to_string(s->account.value()), site.clock.now())) {
                 return data_page(req, s->account, Data(), kTooMany, 429);
               }
               if (auto r = data_service().erase(s->account, field(f, "passphrase")); !r) {
                 const int status = status_for(r.error().code);
                 if (status >= 500) return site.error(req, r.error());
                 return data_page(req, s->account, Data(), r.error().message, status);
               }
               Data d;
               d.set("erased", true);
               d.set("handle", s->handle);
               Response r = site.page(req, "me_data", std::move(d),
                                      site.translator.tr(site.lang(req), "Your account is erased"));
               r.header("Set-Cookie", site.accounts_web->clear_session_cookie());
               return r;
             });
}

}  // namespace veche::http
