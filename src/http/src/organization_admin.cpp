// What an organization's delegates and registrars do on the site: edit its public profile,
// appoint and remove delegates and registrars (/organizations/{slug}/manage), and issue and
// revoke invitation codes within the coalition's quota (/organizations/{slug}/codes); the same
// through the JSON API. Every request is authorized here: the role for this organization,
// the second factor, and for cookie writes the CSRF token.
#include <boost/json.hpp>
#include <charconv>

#include "accounts_web.hpp"
#include "charter_routes.hpp"
#include "site_impl.hpp"
#include "veche/core/text.hpp"

namespace veche::http {
namespace {

using registry::Role;

constexpr std::string_view kBadCsrf =
    "This form has expired or did not come from this site. Please reload the page and try again.";
constexpr std::string_view kApiCsrf =
    "Send the CSRF token of your session in the X-CSRF-Token header.";
constexpr std::string_view kNoSuchOrg = "There is no organization with that short name.";

// The non-empty lines of a text area, trimmed.
std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = core::trim(text.substr(start, end - start));
    if (!line.empty()) out.emplace_back(line);
    start = end + 1;
  }
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += i + "\n";
  return out;
}

std::optional<int> small_int(std::string_view s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// "be: Name" lines to other names; kInvalidArgument for a line without a colon.
Result<std::vector<registry::OtherName>> other_names_of(std::string_view text) {
  std::vector<registry::OtherName> out;
  for (const auto& line : lines_of(text)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      return invalid_argument(
          "Write each name in another language as \"code: name\", such as "
          "\"be: Name\".");
    }
    out.push_back({std::string(core::trim(std::string_view(line).substr(0, colon))),
                   std::string(core::trim(std::string_view(line).substr(colon + 1)))});
  }
  return out;
}

Result<Role> org_role(std::string_view name) {
  if (name == "delegate") return Role::kDelegate;
  if (name == "registrar") return Role::kRegistrar;
  return invalid_argument("An organization appoints delegates and registrars only.");
}

Response api_json(const boost::json::value& v, int status = 200) {
  Response r = Response::json(boost::json::serialize(v), status);
  r.header("Cache-Control", "no-store");
  return r;
}

}  // namespace

Result<Principal> Site::Impl::org_power(const Request& req, Role role,
                                        std::string_view slug) const {
  VECHE_ASSIGN_OR_RETURN(Principal p, accounts_web->authenticate(req));
  if (p.may_act_as(role, slug) || p.may_act_as(Role::kOperator)) return p;
  if (p.holds(role, slug)) {
    return permission_denied(
        "Your roles need a second factor. Set up an authenticator app and log in with it before "
        "you use them.");
  }
  return permission_denied(role == Role::kDelegate
                               ? "Only a delegate of this organization can do that."
                               : "Only a registrar of this organization can do that.");
}

std::variant<Principal, Response> Site::Impl::api_writer(Request& req) const {
  auto p = accounts_web->authenticate(req);
  if (!p) {
    Response r = error(req, p.error());
    if (r.status == 401) r.header("WWW-Authenticate", "Bearer");
    return r;
  }
  if (p->needs_csrf() && !accounts_web->api_csrf_ok(req)) {
    return error(req, 403, kCharterBadCsrf);
  }
  return std::move(*p);
}

Response Site::Impl::org_error(const Request& req, const Error& e) const {
  if (e.code == ErrorCode::kUnauthenticated && !req.wants_json()) {
    return Response::redirect("/login");
  }
  Response r = error(req, e);
  if (r.status == 401) r.header("WWW-Authenticate", "Bearer");
  return r;
}

Response Site::Impl::manage_page(const Request& req, const registry::Organization& o,
                                 const registry::OrganizationProfile& shown,
                                 std::string_view message, int status) const {
  const auto code = lang_code(lang(req));
  Data d;
  d.set("slug", o.slug);
  d.set("org_name", o.name.in(code));
  d.set("name_en", shown.name.en);
  d.set("name_ru", shown.name.ru);
  d.set("description_en", shown.description.en);
  d.set("description_ru", shown.description.ru);
  d.set("website", shown.website);
  std::string other;
  for (const auto& n : shown.other_names) other += n.lang + ": " + n.name + "\n";
  d.set("other_names", other);
  d.set("focus_areas", joined(shown.focus_areas));
  d.set("regions", joined(shown.regions));
  d.set("minorities", joined(shown.minorities));
  Data holders = Data::type::list;
  if (auto hs = accounts_web->accounts.organization_roles(o.slug)) {
    for (const auto& h : *hs) {
      Data row;
      row.set("handle", h.handle);
      row.set("role", std::string(registry::role_name(h.role)));
      row.set("is_delegate", h.role == Role::kDelegate);
      holders.push_back(row);
    }
  }
  d.set("holders", holders);
  return account_form(req, "organization_manage", std::move(d), "Manage the organization", message,
                      status);
}

Response Site::Impl::codes_page(const Request& req, const registry::Organization& o,
                                const std::vector<std::string>& new_codes, std::string_view message,
                                int status) const {
  const auto code = lang_code(lang(req));
  Data d;
  d.set("slug", o.slug);
  d.set("org_name", o.name.in(code));
  auto counts = accounts_web->accounts.code_counts(o.slug);
  auto quota = accounts_web->accounts.code_quota(o.slug);
  auto issued = accounts_web->accounts.codes_issued_in_period(o.slug);
  if (!counts || !quota || !issued) {
    return error(req, !counts ? counts.error() : !quota ? quota.error() : issued.error());
  }
  d.set("unused", std::to_string(counts->unused));
  d.set("used", std::to_string(counts->used));
  d.set("revoked", std::to_string(counts->revoked));
  d.set("expired", std::to_string(counts->expired));
  d.set("quota", std::to_string(quota->codes));
  d.set("period_days", std::to_string(quota->period_days));
  d.set("issued", std::to_string(*issued));
  d.set("remaining", std::to_string(std::max<std::int64_t>(0, quota->codes - *issued)));
  Data list = Data::type::list;
  for (const auto& c : new_codes) list.push_back(Data("code", c));
  d.set("new_codes", list);
  d.set("has_new_codes", !new_codes.empty());
  d.set("new_count", std::to_string(new_codes.size()));
  if (auto revoked = req.query_param("revoked")) d.set("revoked_now", *revoked);
  return account_form(req, "organization_codes", std::move(d), "Invitation codes", message, status);
}

void Site::Impl::add_organization_admin() {
  // Reads the organization of the path, or answers 404.
  auto find_org = [this](const Request& req) -> Result<registry::Organization> {
    auto o = registry.organization(req.path_params.at("slug"));
    if (!o && o.error().code == ErrorCode::kInvalidArgument)
      return not_found(std::string(kNoSuchOrg));
    return o;
  };

  // What every form write here starts with: the CSRF token, the organization of the path and
  // the role for it. `refusal` is the answer to send when one of them fails.
  struct FormWrite {
    std::map<std::string, std::string> fields;
    registry::Organization org;
    Principal who;
    std::optional<Response> refusal;
  };
  auto form_write = [this, find_org](const Request& req, Role role) {
    FormWrite w;
    w.fields = form_fields(req);
    if (!accounts_web->csrf_ok(req, field(w.fields, "csrf"))) {
      w.refusal = error(req, 403, kBadCsrf);
      return w;
    }
    auto o = find_org(req);
    if (!o) {
      w.refusal = error(req, o.error());
      return w;
    }
    auto p = org_power(req, role, o->slug);
    if (!p) {
      w.refusal = org_error(req, p.error());
      return w;
    }
    w.org = std::move(*o);
    w.who = std::move(*p);
    return w;
  };

  // --- Delegates: the profile and the role holders -------------------------------------------
  router.add(Method::kGet, "/organizations/{slug}/manage", [this, find_org](Request& req) {
    auto o = find_org(req);
    if (!o) return error(req, o.error());
    if (auto p = org_power(req, Role::kDelegate, o->slug); !p) return org_error(req, p.error());
    return manage_page(req, *o, *o, "", 200);
  });

  router.add(Method::kPost, "/organizations/{slug}/profile", [this, form_write](Request& req) {
    auto w = form_write(req, Role::kDelegate);
    if (w.refusal) return std::move(*w.refusal);
    const auto& f = w.fields;
    const registry::Organization* o = &w.org;
    const Principal* p = &w.who;
    registry::OrganizationProfile profile;
    profile.name = {field(f, "name_en"), field(f, "name_ru")};
    profile.description = {field(f, "description_en"), field(f, "description_ru")};
    profile.website = std::string(core::trim(field(f, "website")));
    profile.focus_areas = lines_of(field(f, "focus_areas"));
    profile.regions = lines_of(field(f, "regions"));
    profile.minorities = lines_of(field(f, "minorities"));
    auto others = other_names_of(field(f, "other_names"));
    Status saved = others ? Status(ok()) : Status(others.error());
    if (saved) {
      profile.other_names = std::move(*others);
      saved = registry.update_profile(o->slug, profile, p->handle);
    }
    if (!saved) {
      if (status_for(saved.error().code) >= 500) return error(req, saved.error());
      return manage_page(req, *o, profile, saved.error().message, status_for(saved.error().code));
    }
    return Response::redirect("/organizations/" + o->slug + "?saved=1");
  });

  router.add(Method::kPost, "/organizations/{slug}/roles", [this, form_write](Request& req) {
    auto w = form_write(req, Role::kDelegate);
    if (w.refusal) return std::move(*w.refusal);
    const auto& f = w.fields;
    const registry::Organization* o = &w.org;
    const Principal* p = &w.who;
    const bool revoke = field(f, "action") == "revoke";
    const auto role = org_role(field(f, "role"));
    Status done = role ? change_org_role(*p, o->slug, std::string(core::trim(field(f, "handle"))),
                                         *role, revoke)
                       : Status(role.error());
    if (!done) {
      if (status_for(done.error().code) >= 500) return error(req, done.error());
      return manage_page(req, *o, *o, done.error().message, status_for(done.error().code));
    }
    return Response::redirect("/organizations/" + o->slug + "/manage");
  });

  // --- Registrars: invitation codes -------------------------------------------------------------
  router.add(Method::kGet, "/organizations/{slug}/codes", [this, find_org](Request& req) {
    auto o = find_org(req);
    if (!o) return error(req, o.error());
    if (auto p = org_power(req, Role::kRegistrar, o->slug); !p) return org_error(req, p.error());
    return codes_page(req, *o, {}, "", 200);
  });

  router.add(Method::kPost, "/organizations/{slug}/codes", [this, form_write](Request& req) {
    auto w = form_write(req, Role::kRegistrar);
    if (w.refusal) return std::move(*w.refusal);
    const auto& f = w.fields;
    const registry::Organization* o = &w.org;
    const Principal* p = &w.who;
    const auto count = small_int(field(f, "count"));
    const auto days = small_int(field(f, "days"));
    if (!count || !days) {
      return codes_page(req, *o, {}, "Give the number of codes and the days they stay valid.", 400);
    }
    auto codes =
        accounts_web->accounts.issue_codes(o->slug, *count, std::chrono::days(*days), p->handle);
    if (!codes) {
      if (status_for(codes.error().code) >= 500) return error(req, codes.error());
      return codes_page(req, *o, {}, codes.error().message, status_for(codes.error().code));
    }
    return codes_page(req, *o, *codes, "", 200);
  });

  router.add(Method::kPost, "/organizations/{slug}/codes/revoke", [this, form_write](Request& req) {
    auto w = form_write(req, Role::kRegistrar);
    if (w.refusal) return std::move(*w.refusal);
    const registry::Organization* o = &w.org;
    const Principal* p = &w.who;
    auto n = accounts_web->accounts.revoke_unused_codes(o->slug, p->handle);
    if (!n) return error(req, n.error());
    return Response::redirect("/organizations/" + o->slug + "/codes?revoked=" + std::to_string(*n));
  });

  // --- The same through the API ---------------------------------------------------------------
  // An API write: the role for the organization, then CSRF for a cookie session.
  auto api_power = [this, find_org](const Request& req, Role role) -> Result<Principal> {
    VECHE_ASSIGN_OR_RETURN(auto o, find_org(req));
    VECHE_ASSIGN_OR_RETURN(auto p, org_power(req, role, o.slug));
    if (p.needs_csrf() && req.method != Method::kGet && !accounts_web->api_csrf_ok(req)) {
      return permission_denied(std::string(kApiCsrf));
    }
    return p;
  };
  auto body_object = [](const Request& req) -> Result<boost::json::object> {
    std::error_code ec;
    auto v = boost::json::parse(req.body, ec);
    if (ec || !v.is_object()) return invalid_argument("The body must be a JSON object.");
    return std::move(v.as_object());
  };
  auto text_of = [](const boost::json::object& o, std::string_view key) -> std::string {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  auto list_of = [](const boost::json::object& o, std::string_view key) {
    std::vector<std::string> out;
    if (const auto* v = o.if_contains(key); v != nullptr && v->is_array()) {
      for (const auto& item : v->get_array()) {
        out.push_back(item.is_string() ? std::string(item.get_string()) : std::string());
      }
    }
    return out;
  };

  router.add(Method::kGet, "/api/v1/organizations/{slug}/roles", [this, find_org](Request& req) {
    auto o = find_org(req);
    if (!o) return error(req, o.error());
    auto holders = accounts_web->accounts.organization_roles(o->slug);
    if (!holders) return error(req, holders.error());
    boost::json::array a;
    for (const auto& h : *holders) {
      a.push_back({{"handle", h.handle}, {"role", registry::role_name(h.role)}});
    }
    return api_json(boost::json::object{{"organization", o->slug}, {"roles", std::move(a)}});
  });

  router.add(Method::kPut, "/api/v1/organizations/{slug}/profile",
             [this, api_power, body_object, text_of, list_of](Request& req) {
               auto p = api_power(req, Role::kDelegate);
               if (!p) return org_error(req, p.error());
               auto body = body_object(req);
               if (!body) return error(req, body.error());
               registry::OrganizationProfile profile;
               const auto localized = [&](std::string_view key) {
                 registry::LocalizedText t;
                 if (const auto* v = body->if_contains(key); v != nullptr && v->is_object()) {
                   t.en = text_of(v->get_object(), "en");
                   t.ru = text_of(v->get_object(), "ru");
                 }
                 return t;
               };
               profile.name = localized("name");
               profile.description = localized("description");
               profile.website = text_of(*body, "website");
               profile.focus_areas = list_of(*body, "focus_areas");
               profile.regions = list_of(*body, "regions");
               profile.minorities = list_of(*body, "minorities");
               if (const auto* v = body->if_contains("other_names");
                   v != nullptr && v->is_object()) {
                 for (const auto& kv : v->get_object()) {
                   profile.other_names.push_back(
                       {std::string(kv.key()),
                        kv.value().is_string() ? std::string(kv.value().get_string()) : ""});
                 }
               }
               const auto slug = req.path_params.at("slug");
               if (auto s = registry.update_profile(slug, profile, p->handle); !s) {
                 return error(req, s.error());
               }
               return api_json(boost::json::object{{"organization", slug}, {"saved", true}});
             });

  router.add(Method::kPost, "/api/v1/organizations/{slug}/roles",
             [this, api_power, body_object, text_of](Request& req) {
               auto p = api_power(req, Role::kDelegate);
               if (!p) return org_error(req, p.error());
               auto body = body_object(req);
               if (!body) return error(req, body.error());
               auto role = org_role(text_of(*body, "role"));
               if (!role) return error(req, role.error());
               const auto slug = req.path_params.at("slug");
               const auto handle = text_of(*body, "handle");
               if (auto s = change_org_role(*p, slug, handle, *role, false); !s) {
                 return error(req, s.error());
               }
               return api_json(boost::json::object{{"organization", slug},
                                                   {"handle", handle},
                                                   {"role", registry::role_name(*role)}},
                               201);
             });

  router.add(Method::kDelete, "/api/v1/organizations/{slug}/roles/{role}/{handle}",
             [this, api_power](Request& req) {
               auto p = api_power(req, Role::kDelegate);
               if (!p) return org_error(req, p.error());
               auto role = org_role(req.path_params.at("role"));
               if (!role) return error(req, 404, "There is no such role here.");
               const auto slug = req.path_params.at("slug");
               if (auto s = change_org_role(*p, slug, req.path_params.at("handle"), *role, true);
                   !s) {
                 return error(req, s.error());
               }
               return api_json(boost::json::object{{"revoked", true}});
             });

  router.add(Method::kGet, "/api/v1/organizations/{slug}/codes", [this, api_power](Request& req) {
    auto p = api_power(req, Role::kRegistrar);
    if (!p) return org_error(req, p.error());
    const auto slug = req.path_params.at("slug");
    auto counts = accounts_web->accounts.code_counts(slug);
    auto quota = accounts_web->accounts.code_quota(slug);
    auto issued = accounts_web->accounts.codes_issued_in_period(slug);
    if (!counts || !quota || !issued) {
      return error(req, !counts ? counts.error() : !quota ? quota.error() : issued.error());
    }
    return api_json(boost::json::object{
        {"organization", slug},
        {"unused", counts->unused},
        {"used", counts->used},
        {"revoked", counts->revoked},
        {"expired", counts->expired},
        {"quota", {{"codes", quota->codes}, {"period_days", quota->period_days}}},
        {"issued_in_period", *issued}});
  });

  router.add(
      Method::kPost, "/api/v1/organizations/{slug}/codes",
      [this, api_power, body_object](Request& req) {
        auto p = api_power(req, Role::kRegistrar);
        if (!p) return org_error(req, p.error());
        auto body = body_object(req);
        if (!body) return error(req, body.error());
        const auto* count = body->if_contains("count");
        const auto* days = body->if_contains("days");
        if (count == nullptr || !count->is_int64() || (days != nullptr && !days->is_int64())) {
          return error(req, 400, "Give \"count\" and optionally \"days\" as whole numbers.");
        }
        const std::int64_t d = days != nullptr ? days->get_int64() : 14;
        if (count->get_int64() < 1 || count->get_int64() > registry::kMaxCodesPerBatch || d < 1 ||
            d > 365) {
          return error(req, 400, "A batch holds 1 to 1000 codes, valid 1 to 365 days.");
        }
        const auto slug = req.path_params.at("slug");
        auto codes = accounts_web->accounts.issue_codes(slug, static_cast<int>(count->get_int64()),
                                                        std::chrono::days(d), p->handle);
        if (!codes) return error(req, codes.error());
        boost::json::array a;
        for (const auto& c : *codes) a.emplace_back(c);
        return api_json(boost::json::object{{"organization", slug}, {"codes", std::move(a)}}, 201);
      });

  router.add(
      Method::kPost, "/api/v1/organizations/{slug}/codes/revoke", [this, api_power](Request& req) {
        auto p = api_power(req, Role::kRegistrar);
        if (!p) return org_error(req, p.error());
        auto n = accounts_web->accounts.revoke_unused_codes(req.path_params.at("slug"), p->handle);
        if (!n) return error(req, n.error());
        return api_json(boost::json::object{{"revoked", *n}});
      });
}

Status Site::Impl::change_org_role(const Principal& p, std::string_view slug,
                                   const std::string& handle, Role role, bool revoke) const {
  if (!revoke) return accounts_web->accounts.grant_role(p.handle, handle, role, slug);
  if (role == Role::kDelegate) {
    // An organization keeps at least one delegate: only the operator can leave it without one.
    VECHE_ASSIGN_OR_RETURN(auto holders, accounts_web->accounts.organization_roles(slug));
    const auto delegates = std::count_if(holders.begin(), holders.end(),
                                         [](const auto& h) { return h.role == Role::kDelegate; });
    const bool is_holder = std::any_of(holders.begin(), holders.end(), [&](const auto& h) {
      return h.role == Role::kDelegate && lower_ascii(h.handle) == lower_ascii(handle);
    });
    if (is_holder && delegates <= 1) {
      return failed_precondition(
          "An organization keeps at least one delegate. Appoint another before removing the last "
          "one.");
    }
  }
  return accounts_web->accounts.revoke_role(p.handle, handle, role, slug);
}

}  // namespace veche::http
