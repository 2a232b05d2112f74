// The registry service: the coalition, its member organizations and its charter.
//
// Organizations are equals: this service returns them in no meaningful order; every reader
// sorts them neutrally (alphabetically in the reader's language).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/id.hpp"
#include "veche/core/result.hpp"
#include "veche/store/database.hpp"

namespace veche::registry {

struct OrganizationTag {};
using OrganizationId = core::Id<OrganizationTag>;

// A text in the two languages Veche speaks. `ru` may be empty: readers then see `en`.
struct LocalizedText {
  std::string en;
  std::string ru;
  const std::string& in(std::string_view lang) const {
    return lang == "ru" && !ru.empty() ? ru : en;
  }
};

struct Coalition {
  LocalizedText name;
  LocalizedText summary;  // the charter summary shown on the home page
};

// The organization's name in a language other than English and Russian.
struct OtherName {
  std::string lang;  // 2 or 3 lowercase letters (ISO 639), not "en" or "ru"
  std::string name;
};

// What an organization's delegates may edit about it.
struct OrganizationProfile {
  LocalizedText name;
  LocalizedText description;
  std::string website;                 // "" or an https:// or http:// URL
  std::vector<OtherName> other_names;  // at most 10, one per language
  // Each at most 20 items of 1..80 characters, one line each.
  std::vector<std::string> focus_areas;
  std::vector<std::string> regions;
  std::vector<std::string> minorities;  // the minorities it represents
};

struct Organization : OrganizationProfile {
  OrganizationId id;
  std::string slug;  // lowercase ASCII letters, digits and '-', 2..40 characters
  core::TimePoint joined_at;
};

struct NewOrganization {
  std::string slug;
  LocalizedText name;
  LocalizedText description;
  std::string website;
};

struct CharterVersion {
  int version = 0;
  LocalizedText body;  // Markdown
  core::TimePoint adopted_at;
};

// The tables this module owns, for store::migrate().
std::span<const store::Migration> migrations();

class Registry {
 public:
  Registry(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // kNotFound before the coalition is created.
  Result<Coalition> coalition() const;
  // Creates or renames the coalition. Names 1..200 characters, summary up to 2,000.
  Status set_coalition(const Coalition& c);

  // kInvalidArgument for a bad slug, name, description or website; kAlreadyExists when the
  // slug is taken.
  Result<OrganizationId> add_organization(const NewOrganization& org);
  Result<std::vector<Organization>> organizations() const;
  // The coalition and its organizations, read in one transaction (the home page).
  struct Overview {
    Coalition coalition;
    std::vector<Organization> organizations;
  };
  Result<Overview> overview() const;
  Result<Organization> organization(std::string_view slug) const;
  // Replaces the organization's profile (validated as add_organization, plus the lists above);
  // the change goes to the public audit log in the name of `actor`. Callers check that the
  // actor is a delegate of the organization or the operator.
  Status update_profile(std::string_view slug, const OrganizationProfile& profile,
                        std::string_view actor);

  // Adopts a new charter version (numbered 1, 2, ...); returns its number.
  Result<int> adopt_charter(const LocalizedText& body);
  // kNotFound before the first version.
  Result<CharterVersion> current_charter() const;
  Result<std::vector<CharterVersion>> charter_history() const;

 private:
  store::Database& db_;
  const core::Clock& clock_;
};

// Fills an empty database with the fictional demo coalition. kAlreadyExists when a
// coalition exists (nothing is changed then).
Status load_demo(store::Database& db, const core::Clock& clock);
// The demo's organization profiles, delegates, registrars and code statistics (load_demo
// calls it).
Status load_demo_profiles(store::Database& db, const core::Clock& clock);

}  // namespace veche::registry
