// A fictional demo agenda for `veche serve --demo`: issues, supports from fictional
// constituents, a counted priority round a month ago and one open now.
#include <fmt/format.h>

#include <array>

#include "veche/agenda/agenda.hpp"

namespace veche::agenda {
namespace {

constexpr int kDemoConstituents = 24;
constexpr std::int64_t kDemoThreshold = 5;

struct DemoIssue {
  std::string_view title;
  std::string_view body;
  std::string_view countries;  // comma-separated
  std::string_view groups;
  std::string_view tag;
  int supporters;  // the first n demo constituents
};

constexpr std::array<DemoIssue, 7> kIssues = {{
    {"Bank accounts for exiles with home-country passports",
     "Banks in several EU states close or refuse accounts of people holding only a home-country "
     "passport.\n\n- ask the European Banking Authority for guidance\n- collect refusals",
     "DE,LT,LV,PL", "exiles with residence permits", "banking", 18},
    {"Cars with home-country plates at the EU border",
     "People who fled by car cannot enter or stay with their vehicle. Ask for a transition "
     "period and a re-registration path.",
     "FI,EE,LT,LV,PL", "drivers", "vehicles", 12},
    {"Humanitarian visas for those who refuse to fight",
     "Men who refuse mobilization need a safe route and an asylum procedure that takes desertion "
     "into account.",
     "DE,FR,CZ", "deserters,conscientious objectors", "asylum-and-deserters", 15},
    {"Passports expiring abroad",
     "Consulates refuse to renew passports of people listed as opponents. Host states should "
     "accept expired passports or issue travel documents.",
     "GE,AM,KZ,RS", "people with expired passports", "documents", 9},
    {"Delisting opponents of the war from personal sanctions",
     "A clear and fast procedure for people sanctioned by mistake who oppose the war.", "",
     "sanctioned individuals", "sanctions", 7},
    {"Recognition of diplomas", "Faster recognition of university degrees for exiles.", "DE,CZ",
     "students,graduates", "education", 3},
    {"Work permits without a job offer",
     "Let exiles with protection status work while they look for a job.", "TR,RS", "", "work", 2},
}};

}  // namespace

Status load_demo(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key) {
  const auto now = clock.now();
  std::vector<registry::AccountId> people;
  VECHE_TRY(store::with_write(db, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto any, tx.query("SELECT 1 FROM agenda_issues LIMIT 1"));
    if (!any.empty()) return already_exists("the agenda already has issues");
    // Fictional constituents; their passphrase hash is not a valid Argon2id string, so nobody
    // can log in as them.
    for (int i = 1; i <= kDemoConstituents; ++i) {
      const auto handle = fmt::format("demo-agenda-{:02}", i);
      VECHE_ASSIGN_OR_RETURN(
          auto id, tx.insert("INSERT INTO accounts (handle, handle_key, passphrase_hash, "
                             "display_name, created_at) VALUES (?, ?, '!', '', ?) RETURNING id",
                             {handle, handle, core::to_unix(now)}));
      VECHE_TRY(
          tx.exec("INSERT INTO account_roles (account_id, role, organization_id, granted_at) "
                  "VALUES (?, 'constituent', NULL, ?)",
                  {id, core::to_unix(now)}));
      people.emplace_back(id);
    }
    return ok();
  }));
  // The history happens a month ago on a clock of its own.
  core::ManualClock past(now - std::chrono::days(40));
  Agenda agenda(db, past, key);
  VECHE_TRY(agenda.set_threshold(kDemoThreshold));
  std::vector<IssueId> ids;
  for (const auto& d : kIssues) {
    NewIssue issue;
    issue.title = std::string(d.title);
    issue.body = std::string(d.body);
    std::string_view countries = d.countries;
    while (!countries.empty()) {
      auto pos = countries.find(',');
      issue.countries.emplace_back(countries.substr(0, pos));
      countries = pos == std::string_view::npos ? std::string_view{} : countries.substr(pos + 1);
    }
    std::string_view groups = d.groups;
    while (!groups.empty()) {
      auto pos = groups.find(',');
      issue.groups.emplace_back(groups.substr(0, pos));
      groups = pos == std::string_view::npos ? std::string_view{} : groups.substr(pos + 1);
    }
    issue.tags.emplace_back(d.tag);
    VECHE_ASSIGN_OR_RETURN(auto id, agenda.raise(people[ids.size() % people.size()], issue));
    ids.push_back(id);
    past.advance(std::chrono::hours(6));
    for (int i = 0; i < d.supporters; ++i) {
      VECHE_TRY(agenda.support(people[static_cast<std::size_t>(i)], id));
    }
  }
  // A counted round over the admitted issues.
  past.advance(std::chrono::days(2));
  VECHE_ASSIGN_OR_RETURN(auto first, agenda.create_round(registry::AccountId{}, "Autumn priorities",
                                                         RoundMethod::kSchulze, past.now(),
                                                         past.now() + std::chrono::days(7)));
  auto round = agenda.round(first);
  if (!round) return round.error();
  const auto& entries = round->issues;
  for (std::size_t p = 0; p < people.size(); ++p) {
    // Rankings that rotate which issue comes first, weighted towards banking and asylum.
    Ballot ballot;
    std::size_t start = (p % 3 == 0) ? 2 : (p % 3 == 1 ? 0 : p % entries.size());
    for (std::size_t k = 0; k < entries.size(); ++k) {
      ballot.push_back(entries[(start + k) % entries.size()].issue);
    }
    VECHE_TRY(agenda.cast(people[p], first, ballot));
  }
  past.advance(std::chrono::days(8));
  VECHE_TRY(agenda.count_round(first));
  // A second round open now, for the ballot form.
  Agenda current(db, clock, key);
  VECHE_TRY(current.create_round(registry::AccountId{}, "Winter priorities", RoundMethod::kApproval,
                                 now, now + std::chrono::days(14)));
  return ok();
}

}  // namespace veche::agenda
