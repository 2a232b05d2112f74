// The JSON API, /api/v1 (described in docs/api/openapi.yaml).
#include <boost/json.hpp>

#include "site_impl.hpp"

namespace veche::http {
namespace {

boost::json::object localized(const registry::LocalizedText& t) {
  return {{"en", t.en}, {"ru", t.ru}};
}

boost::json::array strings(const std::vector<std::string>& items) {
  boost::json::array a;
  for (const auto& i : items) a.emplace_back(i);
  return a;
}

boost::json::object org_json(const registry::Organization& o) {
  boost::json::object other;
  for (const auto& n : o.other_names) other[n.lang] = n.name;
  return {{"slug", o.slug},
          {"name", localized(o.name)},
          {"description", localized(o.description)},
          {"website", o.website},
          {"joined_at", core::to_iso8601(o.joined_at)},
          {"other_names", std::move(other)},
          {"focus_areas", strings(o.focus_areas)},
          {"regions", strings(o.regions)},
          {"minorities", strings(o.minorities)}};
}

Response json(const boost::json::value& v) { return Response::json(boost::json::serialize(v)); }

}  // namespace

void Site::Impl::add_api() {
  router.add(Method::kGet, "/api/v1/coalition", [this](Request& req) {
    auto c = registry.coalition();
    if (!c) return error(req, c.error());
    return json(
        boost::json::object{{"name", localized(c->name)}, {"summary", localized(c->summary)}});
  });

  // Organizations in the neutral order of the language asked for (?lang=ru), default English.
  router.add(Method::kGet, "/api/v1/organizations", [this](Request& req) {
    const auto lang_q = req.query_param("lang").value_or("en");
    if (lang_q != "en" && lang_q != "ru") {
      return error(req, 400, "The lang parameter must be 'en' or 'ru'.");
    }
    auto orgs = organizations_sorted(lang_q == "ru" ? Lang::kRu : Lang::kEn);
    if (!orgs) return error(req, orgs.error());
    boost::json::array a;
    for (const auto& o : *orgs) a.push_back(org_json(o));
    return json(boost::json::object{
        {"organizations", std::move(a)}, {"order", "alphabetical"}, {"lang", lang_q}});
  });

  router.add(Method::kGet, "/api/v1/organizations/{slug}", [this](Request& req) {
    auto o = registry.organization(req.path_params.at("slug"));
    if (!o) {
      if (o.error().code == ErrorCode::kInvalidArgument) {
        return error(req, 404, "There is no organization with that short name.");
      }
      return error(req, o.error());
    }
    return json(org_json(*o));
  });
}

}  // namespace veche::http
