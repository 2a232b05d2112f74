// Charter signatures: the charter page with, for each version, the organizations that signed
// it (neutral order) and the number of individual signatures (never who); the forms that sign
// and withdraw; and the JSON API /api/v1/charter. Every POST checks its CSRF token first.
#include <boost/json.hpp>
#include <charconv>

#include "charter_routes.hpp"
#include "veche/registry/charter.hpp"

namespace veche::http {

std::optional<std::int64_t> parse_positive(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty() || s.size() > 18) return std::nullopt;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

namespace {

constexpr std::string_view kNoVersion = "There is no such charter version.";
constexpr std::string_view kNotDelegate = "Only a delegate of the organization may sign for it.";

std::optional<int> version_param(const Request& req) {
  auto v = parse_positive(req.path_params.at("version"));
  if (!v || *v > 1'000'000) return std::nullopt;
  return static_cast<int>(*v);
}

boost::json::object localized(const registry::LocalizedText& t) {
  return {{"en", t.en}, {"ru", t.ru}};
}

Response json(const boost::json::value& v, int status = 200) {
  return Response::json(boost::json::serialize(v), status);
}

// Signs or withdraws for `org` ("" for an individual) after the caller checked CSRF.
Status apply(registry::Charter& charter, const Principal& p, int version, const std::string& org,
             bool sign) {
  if (org.empty()) {
    return sign ? charter.sign_individually(p.account, version)
                : charter.withdraw_individually(p.account, version);
  }
  return sign ? charter.sign_for_organization(p.account, version, org)
              : charter.withdraw_for_organization(p.account, version, org);
}

// Whether `p` may do it: an individual needs the constituent role (and, through a token, the
// vote scope); an organization a delegate of it (second factor; delegate scope).
std::optional<std::string_view> refusal(const Principal& p, const std::string& org) {
  if (org.empty()) {
    if (!p.may_act_as(registry::Role::kConstituent)) {
      return "Only a constituent may sign as an individual.";
    }
    return std::nullopt;
  }
  if (!p.may_act_as(registry::Role::kDelegate, org)) {
    if (p.holds(registry::Role::kDelegate, org) && !p.second_factor) {
      return "Your roles need a second factor. Set up an authenticator app and log in with it "
             "before you use them.";
    }
    if (p.holds(registry::Role::kDelegate, org)) return "This token lacks the delegate scope.";
    return kNotDelegate;
  }
  return std::nullopt;
}

}  // namespace

void Site::Impl::add_charter() {
  router.add(Method::kGet, "/charter", [this](Request& req) {
    const Lang l = lang(req);
    const auto code = lang_code(l);
    registry::Charter charter(db, clock);
    auto versions = charter.versions();
    if (!versions) return error(req, versions.error());
    if (versions->empty()) return error(req, 404, "The coalition has not adopted a charter yet.");
    const auto principal = accounts_web->principal(req);
    std::vector<int> mine;
    if (principal) {
      auto s = charter.signed_by(principal->account);
      if (!s) return error(req, s.error());
      mine = std::move(*s);
    }
    // The organizations the reader may sign for, in the neutral order.
    std::vector<std::pair<std::string, std::string>> my_orgs;  // slug, name
    if (principal) {
      auto orgs = organizations_sorted(l);
      if (!orgs) return error(req, orgs.error());
      for (const auto& o : *orgs) {
        if (principal->holds(registry::Role::kDelegate, o.slug)) {
          my_orgs.emplace_back(o.slug, o.name.in(code));
        }
      }
    }
    const auto& current = versions->back();
    Data d;
    d.set("html", markdown_to_html(current.charter.body.in(code)));
    d.set("version", std::to_string(current.charter.version));
    d.set("adopted", core::to_iso8601(current.charter.adopted_at).substr(0, 10));
    d.set("signed_in", principal.has_value());
    const auto done = req.query_param("done").value_or("");
    if (done == "signed") d.set("notice", translator.tr(l, "Your signature is recorded."));
    if (done == "withdrawn") d.set("notice", translator.tr(l, "The signature is withdrawn."));
    Data list = Data::type::list;
    for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
      const int v = it->charter.version;
      Data vd;
      vd.set("number", std::to_string(v));
      vd.set("adopted", core::to_iso8601(it->charter.adopted_at).substr(0, 10));
      vd.set("current", v == current.charter.version);
      const auto sorted = sort_neutrally(it->organizations, l);
      Data orgs = Data::type::list;
      std::vector<std::string> signed_slugs;
      for (const auto& o : sorted) {
        Data od;
        od.set("slug", o.slug);
        od.set("name", o.name.in(code));
        orgs.push_back(od);
        signed_slugs.push_back(o.slug);
      }
      vd.set("organizations", orgs);
      vd.set("has_organizations", !sorted.empty());
      vd.set("organization_count", std::to_string(sorted.size()));
      vd.set("individuals", std::to_string(it->individuals));
      if (principal) {
        vd.set("i_signed", std::find(mine.begin(), mine.end(), v) != mine.end());
        Data mo = Data::type::list;
        for (const auto& [slug, name] : my_orgs) {
          Data od;
          od.set("slug", slug);
          od.set("name", name);
          od.set("org_signed",
                 std::find(signed_slugs.begin(), signed_slugs.end(), slug) != signed_slugs.end());
          mo.push_back(od);
        }
        vd.set("my_orgs", mo);
      }
      list.push_back(vd);
    }
    d.set("versions", list);
    if (!principal) return page(req, "charter", std::move(d), translator.tr(l, "Charter"));
    return account_form(req, "charter", std::move(d), "Charter", "", 200);
  });

  for (const bool sign : {true, false}) {
    router.add(Method::kPost, sign ? "/charter/{version}/sign" : "/charter/{version}/withdraw",
               [this, sign](Request& req) {
                 const auto f = form_fields(req);
                 if (!accounts_web->csrf_ok(req, field(f, "csrf"))) {
                   return error(req, 403, kCharterBadCsrf);
                 }
                 const auto p = accounts_web->principal(req);
                 if (!p) return Response::redirect("/login");
                 const auto version = version_param(req);
                 if (!version) return error(req, 404, kNoVersion);
                 const auto org = field(f, "organization").substr(0, 64);
                 if (auto why = refusal(*p, org)) return error(req, 403, *why);
                 registry::Charter charter(db, clock);
                 if (auto s = apply(charter, *p, *version, org, sign); !s) {
                   return error(req, s.error());
                 }
                 return Response::redirect(std::string("/charter?done=") +
                                           (sign ? "signed" : "withdrawn") + "#version-" +
                                           std::to_string(*version));
               });
  }

  router.add(Method::kGet, "/api/v1/charter", [this](Request& req) {
    registry::Charter charter(db, clock);
    auto versions = charter.versions();
    if (!versions) return error(req, versions.error());
    if (versions->empty()) return error(req, 404, "The coalition has not adopted a charter yet.");
    const auto lang_q = req.query_param("lang").value_or("en");
    if (lang_q != "en" && lang_q != "ru") {
      return error(req, 400, "The lang parameter must be 'en' or 'ru'.");
    }
    const Lang l = lang_q == "ru" ? Lang::kRu : Lang::kEn;
    boost::json::array all;
    for (const auto& v : *versions) {
      boost::json::array orgs;
      for (const auto& o : sort_neutrally(v.organizations, l)) {
        orgs.push_back({{"slug", o.slug}, {"name", localized(o.name)}});
      }
      all.push_back({{"version", v.charter.version},
                     {"body_markdown", localized(v.charter.body)},
                     {"adopted_at", core::to_iso8601(v.charter.adopted_at)},
                     {"organizations", std::move(orgs)},
                     {"individual_signatures", v.individuals}});
    }
    const auto& current = versions->back();
    // The first three fields keep the shape of the earlier single-version answer.
    return json(boost::json::object{{"version", current.charter.version},
                                    {"body_markdown", localized(current.charter.body)},
                                    {"adopted_at", core::to_iso8601(current.charter.adopted_at)},
                                    {"versions", std::move(all)},
                                    {"order", "alphabetical"},
                                    {"lang", lang_q}});
  });

  // POST signs, DELETE withdraws: {"organization": slug} for an organization, {} or no body
  // for oneself.
  for (const bool sign : {true, false}) {
    router.add(
        sign ? Method::kPost : Method::kDelete, "/api/v1/charter/{version}/signatures",
        [this, sign](Request& req) {
          auto p = accounts_web->authenticate(req);
          if (!p) {
            Response r = error(req, p.error());
            if (r.status == 401) r.header("WWW-Authenticate", "Bearer");
            return r;
          }
          if (p->needs_csrf() && !accounts_web->api_csrf_ok(req)) {
            return error(req, 403, kCharterBadCsrf);
          }
          const auto version = version_param(req);
          if (!version) return error(req, 404, kNoVersion);
          std::string org;
          if (!req.body.empty()) {
            boost::system::error_code ec;
            auto body = boost::json::parse(req.body, ec);
            if (ec || !body.is_object()) {
              return error(req, 400, "The request body must be a JSON object.");
            }
            if (const auto* o = body.as_object().if_contains("organization")) {
              if (!o->is_string() || o->as_string().empty() || o->as_string().size() > 64) {
                return error(req, 400, "'organization' must be an organization's short name.");
              }
              org = std::string(o->as_string());
            }
          }
          if (auto why = refusal(*p, org)) return error(req, 403, *why);
          registry::Charter charter(db, clock);
          if (auto s = apply(charter, *p, *version, org, sign); !s) return error(req, s.error());
          auto versions = charter.versions();
          if (!versions) return error(req, versions.error());
          std::int64_t individuals = 0;
          boost::json::array orgs;
          for (const auto& v : *versions) {
            if (v.charter.version != *version) continue;
            individuals = v.individuals;
            for (const auto& o : sort_neutrally(v.organizations, Lang::kEn)) {
              orgs.push_back(boost::json::string(o.slug));
            }
          }
          return json(boost::json::object{{"version", *version},
                                          {"signed", sign},
                                          {"as", org.empty() ? "individual" : "organization"},
                                          {"organization", org},
                                          {"organizations", std::move(orgs)},
                                          {"individual_signatures", individuals}},
                      sign ? 201 : 200);
        });
  }

  add_audit();
  add_data();
}

}  // namespace veche::http
