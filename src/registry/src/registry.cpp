#include "veche/registry/registry.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "audit_append.hpp"
#include "veche/core/text.hpp"

namespace veche::registry {
namespace {

Status check_localized(std::string_view field, const LocalizedText& t, std::size_t max,
                       bool multiline, bool required) {
  VECHE_TRY(core::check_text(fmt::format("{} (English)", field), t.en, max, multiline));
  VECHE_TRY(core::check_text(fmt::format("{} (Russian)", field), t.ru, max, multiline));
  if (required && core::trim(t.en).empty()) {
    return invalid_argument(fmt::format("{} (English) must not be empty", field));
  }
  return ok();
}

Status check_slug(std::string_view slug) {
  if (slug.size() < 2 || slug.size() > 40) {
    return invalid_argument("the short name must be 2 to 40 characters long");
  }
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return invalid_argument("the short name may hold only a-z, 0-9 and '-'");
    }
  }
  if (slug.front() == '-' || slug.back() == '-') {
    return invalid_argument("the short name must not start or end with '-'");
  }
  return ok();
}

Status check_website(std::string_view url) {
  if (url.empty()) return ok();
  VECHE_TRY(core::check_text("website", url, 300));
  if (!url.starts_with("https://") && !url.starts_with("http://")) {
    return invalid_argument("the website must start with https:// or http://");
  }
  if (url.find_first_of(" \"'<>") != std::string_view::npos) {
    return invalid_argument("the website address contains characters a URL cannot hold");
  }
  return ok();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string joined_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

Organization org_from_row(const store::Row& r) {
  Organization o;
  o.id = OrganizationId(r.int64(0));
  o.slug = r.text(1);
  o.name = {r.text(2), r.text(3)};
  o.description = {r.text(4), r.text(5)};
  o.website = r.text(6);
  o.joined_at = core::from_unix(r.int64(7));
  // Other names are stored as "lang=name" lines; a line without '=' (never written by this
  // code) is skipped rather than trusted.
  for (const auto& line : lines_of(r.text(8))) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) o.other_names.push_back({line.substr(0, eq), line.substr(eq + 1)});
  }
  o.focus_areas = lines_of(r.text(9));
  o.regions = lines_of(r.text(10));
  o.minorities = lines_of(r.text(11));
  return o;
}

constexpr std::string_view kOrgColumns =
    "id, slug, name_en, name_ru, description_en, description_ru, website, joined_at, "
    "other_names, focus_areas, regions, minorities";

Status check_list(std::string_view field, const std::vector<std::string>& items) {
  if (items.size() > 20) return invalid_argument(fmt::format("{}: at most 20 items", field));
  for (const auto& item : items) {
    VECHE_TRY(core::check_text(field, item, 80, false));
    if (core::trim(item).empty())
      return invalid_argument(fmt::format("{}: an item is empty", field));
  }
  return ok();
}

Status check_other_names(const std::vector<OtherName>& names) {
  if (names.size() > 10) return invalid_argument("at most 10 names in other languages");
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto& lang = names[i].lang;
    const bool letters =
        std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (lang.size() < 2 || lang.size() > 3 || !letters) {
      return invalid_argument("a language code is 2 or 3 lowercase letters, such as be or uk");
    }
    if (lang == "en" || lang == "ru") {
      return invalid_argument("names in English and Russian have fields of their own");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (names[j].lang == lang)
        return invalid_argument("one name per language: " + lang + " twice");
    }
    VECHE_TRY(core::check_text("name (" + lang + ")", names[i].name, 200, false));
    if (core::trim(names[i].name).empty()) {
      return invalid_argument("name (" + lang + ") must not be empty");
    }
  }
  return ok();
}

Result<Coalition> read_coalition(store::Transaction& tx) {
  VECHE_ASSIGN_OR_RETURN(
      auto row, tx.query_one("SELECT name_en, name_ru, summary_en, summary_ru FROM coalition "
                             "WHERE id = 1",
                             {}, "the coalition has not been created yet"));
  return Coalition{{row.text(0), row.text(1)}, {row.text(2), row.text(3)}};
}

Result<std::vector<Organization>> read_organizations(store::Transaction& tx) {
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx.query(fmt::format("SELECT {} FROM organizations", kOrgColumns)));
  std::vector<Organization> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(org_from_row(r));
  return out;
}

}  // namespace

Result<Coalition> Registry::coalition() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  return read_coalition(*tx);
}

Result<Registry::Overview> Registry::overview() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  Overview o;
  VECHE_ASSIGN_OR_RETURN(o.coalition, read_coalition(*tx));
  VECHE_ASSIGN_OR_RETURN(o.organizations, read_organizations(*tx));
  return o;
}

Status Registry::set_coalition(const Coalition& c) {
  VECHE_TRY(check_localized("coalition name", c.name, 200, false, true));
  VECHE_TRY(check_localized("charter summary", c.summary, 2000, true, false));
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(
        tx.exec("INSERT INTO coalition (id, name_en, name_ru, summary_en, summary_ru) "
                "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name_en = excluded.name_en, "
                "name_ru = excluded.name_ru, summary_en = excluded.summary_en, "
                "summary_ru = excluded.summary_ru",
                {c.name.en, c.name.ru, c.summary.en, c.summary.ru}));
    return ok();
  });
}

Result<OrganizationId> Registry::add_organization(const NewOrganization& org) {
  VECHE_TRY(check_slug(org.slug));
  VECHE_TRY(check_localized("organization name", org.name, 200, false, true));
  VECHE_TRY(check_localized("description", org.description, 5000, true, false));
  VECHE_TRY(check_website(org.website));
  std::int64_t id = 0;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    auto r = tx.insert(
        "INSERT INTO organizations (slug, name_en, name_ru, description_en, description_ru, "
        "website, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {org.slug, org.name.en, org.name.ru, org.description.en, org.description.ru, org.website,
         core::to_unix(clock_.now())});
    if (!r && r.error().code == ErrorCode::kAlreadyExists) {
      return already_exists(
          fmt::format("an organization with the short name '{}' exists", org.slug));
    }
    VECHE_ASSIGN_OR_RETURN(id, std::move(r));
    return ok();
  }));
  return OrganizationId(id);
}

Result<std::vector<Organization>> Registry::organizations() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  return read_organizations(*tx);
}

Result<Organization> Registry::organization(std::string_view slug) const {
  VECHE_TRY(check_slug(slug));
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto row,
      tx->query_one(fmt::format("SELECT {} FROM organizations WHERE slug = ?", kOrgColumns),
                    {std::string(slug)}, "there is no organization with that short name"));
  return org_from_row(row);
}

Status Registry::update_profile(std::string_view slug, const OrganizationProfile& p,
                                std::string_view actor) {
  VECHE_TRY(check_slug(slug));
  VECHE_TRY(check_localized("organization name", p.name, 200, false, true));
  VECHE_TRY(check_localized("description", p.description, 5000, true, false));
  VECHE_TRY(check_website(p.website));
  VECHE_TRY(check_other_names(p.other_names));
  VECHE_TRY(check_list("focus areas", p.focus_areas));
  VECHE_TRY(check_list("regions", p.regions));
  VECHE_TRY(check_list("minorities", p.minorities));
  std::vector<std::string> other;
  for (const auto& n : p.other_names) other.push_back(n.lang + "=" + n.name);
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(
        auto changed,
        tx.exec("UPDATE organizations SET name_en = ?, name_ru = ?, description_en = ?, "
                "description_ru = ?, website = ?, other_names = ?, focus_areas = ?, regions = ?, "
                "minorities = ? WHERE slug = ?",
                {p.name.en, p.name.ru, p.description.en, p.description.ru, p.website,
                 joined_lines(other), joined_lines(p.focus_areas), joined_lines(p.regions),
                 joined_lines(p.minorities), std::string(slug)}));
    if (changed == 0) return not_found("there is no organization with that short name");
    return append_audit_entry(tx, clock_.now(), actor, "organization.profile", std::string(slug),
                              true);
  });
}

Result<int> Registry::adopt_charter(const LocalizedText& body) {
  VECHE_TRY(check_localized("charter", body, 100000, true, true));
  int version = 0;
  VECHE_TRY(store::with_write(
      db_,
      [&](store::Transaction& tx) -> Status {
        VECHE_ASSIGN_OR_RETURN(
            auto row, tx.query_one("SELECT COALESCE(MAX(version), 0) FROM charter_versions", {},
                                   "charter versions"));
        version = static_cast<int>(row.int64(0)) + 1;
        VECHE_TRY(
            tx.exec("INSERT INTO charter_versions (version, body_en, body_ru, adopted_at) VALUES "
                    "(?, ?, ?, ?)",
                    {std::int64_t{version}, body.en, body.ru, core::to_unix(clock_.now())}));
        return ok();
      },
      store::Durability::kFull));
  return version;
}

Result<CharterVersion> Registry::current_charter() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto r, tx->query_one("SELECT version, body_en, body_ru, adopted_at FROM charter_versions "
                            "ORDER BY version DESC LIMIT 1",
                            {}, "no charter has been adopted yet"));
  return CharterVersion{
      static_cast<int>(r.int64(0)), {r.text(1), r.text(2)}, core::from_unix(r.int64(3))};
}

Result<std::vector<CharterVersion>> Registry::charter_history() const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT version, body_en, body_ru, adopted_at FROM "
                                              "charter_versions ORDER BY version"));
  std::vector<CharterVersion> out;
  for (const auto& r : rows) {
    out.push_back(
        {static_cast<int>(r.int64(0)), {r.text(1), r.text(2)}, core::from_unix(r.int64(3))});
  }
  return out;
}

}  // namespace veche::registry
