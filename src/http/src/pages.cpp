// The HTML pages. Every page works without JavaScript.
#include <boost/json.hpp>

#include "site_impl.hpp"
#include "veche/core/clock.hpp"

namespace veche::http {
namespace {

Data org_data(const registry::Organization& o, std::string_view code) {
  Data d;
  d.set("slug", o.slug);
  d.set("name", o.name.in(code));
  d.set("description", o.description.in(code));
  d.set("website", o.website);
  d.set("has_website", !o.website.empty());
  d.set("joined", core::to_iso8601(o.joined_at).substr(0, 10));
  return d;
}

// A path on this site to return to after switching language; anything else goes home.
std::string local_path_or_home(const std::optional<std::string>& back) {
  if (!back || back->empty() || back->front() != '/' || back->starts_with("//") ||
      back->find('\\') != std::string::npos || back->size() > 512) {
    return "/";
  }
  for (char c : *back) {
    if (static_cast<unsigned char>(c) < 0x20) return "/";
  }
  return *back;
}

}  // namespace

void Site::Impl::add_pages() {
  router.add(Method::kGet, "/", [this](Request& req) {
    const Lang l = lang(req);
    const auto code = lang_code(l);
    auto overview = registry.overview();
    if (!overview) {
      if (overview.error().code == ErrorCode::kNotFound) {
        return error(req, 404,
                     "This Veche has no coalition yet. The operator creates it with "
                     "`veche demo` or the registry commands.");
      }
      return error(req, overview.error());
    }
    const auto orgs = sort_neutrally(std::move(overview->organizations), l);
    const auto& coalition = overview->coalition;
    Data list = Data::type::list;
    for (const auto& o : orgs) list.push_back(org_data(o, code));
    Data d;
    d.set("name", coalition.name.in(code));
    d.set("summary", coalition.summary.in(code));
    d.set("organizations", list);
    d.set("organization_count", std::to_string(orgs.size()));
    return page(req, "home", std::move(d), coalition.name.in(code));
  });

  router.add(Method::kGet, "/organizations", [this](Request& req) {
    const Lang l = lang(req);
    auto orgs = organizations_sorted(l);
    if (!orgs) return error(req, orgs.error());
    Data list = Data::type::list;
    for (const auto& o : *orgs) list.push_back(org_data(o, lang_code(l)));
    Data d;
    d.set("organizations", list);
    return page(req, "organizations", std::move(d), translator.tr(l, "Member organizations"));
  });

  router.add(Method::kGet, "/organizations/{slug}", [this](Request& req) {
    auto org = registry.organization(req.path_params.at("slug"));
    if (!org) {
      if (org.error().code == ErrorCode::kInvalidArgument) {
        return error(req, 404, "There is no organization with that short name.");
      }
      return error(req, org.error());
    }
    const auto code = lang_code(lang(req));
    Data d = org_data(*org, code);
    d.set("description_html", markdown_to_html(org->description.in(code)));
    Data others = Data::type::list;
    for (const auto& n : org->other_names) {
      Data one;
      one.set("lang", n.lang);
      one.set("name", n.name);
      others.push_back(one);
    }
    d.set("other_names", others);
    d.set("has_other_names", !org->other_names.empty());
    const auto items = [](const std::vector<std::string>& v) {
      Data list = Data::type::list;
      for (const auto& item : v) list.push_back(Data("item", item));
      return list;
    };
    d.set("focus_areas", items(org->focus_areas));
    d.set("has_focus_areas", !org->focus_areas.empty());
    d.set("regions", items(org->regions));
    d.set("has_regions", !org->regions.empty());
    d.set("minorities", items(org->minorities));
    d.set("has_minorities", !org->minorities.empty());
    Data delegates = Data::type::list;
    Data registrars = Data::type::list;
    if (auto holders = accounts_web->accounts.organization_roles(org->slug)) {
      for (const auto& h : *holders) {
        (h.role == registry::Role::kDelegate ? delegates : registrars)
            .push_back(Data("handle", h.handle));
      }
    }
    d.set("delegates", delegates);
    d.set("registrars", registrars);
    // Links to the tools of the reader's roles here (the tools check again).
    if (auto p = accounts_web->principal(req)) {
      d.set("may_manage",
            p->holds(registry::Role::kDelegate, org->slug) || p->holds(registry::Role::kOperator));
      d.set("may_issue",
            p->holds(registry::Role::kRegistrar, org->slug) || p->holds(registry::Role::kOperator));
    }
    d.set("saved", req.query_param("saved").has_value());
    return page(req, "organization", std::move(d), org->name.in(code));
  });

  // Language switch: a preference cookie (not a session), then back to the same page.
  router.add(Method::kGet, "/lang/{code}", [this](Request& req) {
    const auto& code = req.path_params.at("code");
    if (code != "en" && code != "ru") return error(req, 404, "This language is not available.");
    Response r = Response::redirect(local_path_or_home(req.query_param("back")));
    std::string cookie = "lang=" + code + "; Path=/; Max-Age=31536000; SameSite=Lax";
    if (options.secure_cookies) cookie += "; Secure";
    r.header("Set-Cookie", cookie);
    return r;
  });

  router.add(Method::kGet, "/healthz", [](Request&) { return Response::text("ok\n"); });
  router.add(Method::kGet, "/readyz", [this](Request&) {
    auto tx = db.begin(store::Access::kRead);
    if (!tx) return Response::text("database unavailable\n", 503);
    auto r = (*tx)->query("SELECT 1");
    if (!r) return Response::text("database unavailable\n", 503);
    return Response::text("ready\n");
  });
}

}  // namespace veche::http
