// The fictional demo campaigns, built on the demo agenda and decisions through the public
// services, on a clock of their own that walks forward so the log's times only grow.
#include <fmt/format.h>

#include <chrono>

#include "veche/agenda/agenda.hpp"
#include "veche/campaigns/campaigns.hpp"
#include "veche/crypto/random.hpp"
#include "veche/decisions/motions.hpp"

namespace veche::campaigns {
namespace {

using std::chrono::days;

Result<std::optional<registry::AccountId>> account_of(store::Database& db,
                                                      std::string_view handle) {
  VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT id FROM accounts WHERE handle_key = ?", {std::string(handle)}));
  if (rows.empty()) return std::optional<registry::AccountId>();
  return std::optional<registry::AccountId>(registry::AccountId(rows[0].int64(0)));
}

NewAction action(ActionKind kind, core::TimePoint on, std::string title, std::string text,
                 std::string org, std::vector<std::string> links = {}) {
  NewAction a;
  a.kind = kind;
  a.on = core::TimePoint(std::chrono::floor<days>(on));
  a.title = std::move(title);
  a.description = std::move(text);
  a.organization = std::move(org);
  a.links = std::move(links);
  return a;
}

}  // namespace

Status load_demo(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key) {
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT COUNT(*) FROM campaigns"));
    if (rows[0].int64(0) > 0) return already_exists("the demo campaigns are loaded already");
  }
  VECHE_ASSIGN_OR_RETURN(auto ilmen, account_of(db, "demo-ilmen"));
  VECHE_ASSIGN_OR_RETURN(auto pravda, account_of(db, "demo-pravda"));
  VECHE_ASSIGN_OR_RETURN(auto zhiguli, account_of(db, "demo-zhiguli"));
  if (!ilmen || !pravda || !zhiguli) return ok();  // not the demo coalition: nothing to show

  const core::TimePoint now = clock.now();
  core::ManualClock past(now - days(9));
  crypto::SystemRandom rng;
  Campaigns service(db, past, key, rng);

  // From the passed demo motion, when there is one.
  decisions::Motions motions(db, clock);
  VECHE_ASSIGN_OR_RETURN(auto list, motions.list());
  for (const auto& m : list) {
    if (!m.outcome || *m.outcome != decisions::Outcome::kPassed) continue;
    NewCampaign c;
    c.title = "Expired passports accepted for residence permits";
    c.goal =
        "Host states accept expired home-country passports as identity documents when residence "
        "permits are renewed.\n\n*Fictional demo campaign.*";
    c.targets = {"Federal Ministry of the Interior (DE)", "Migration Department (LT)"};
    c.organizations = {"northern-forum"};
    c.source = Source::kMotion;
    c.source_id = m.id.value();
    VECHE_ASSIGN_OR_RETURN(const auto id, service.start(*ilmen, c));
    past.advance(days(1));
    VECHE_TRY(service.join(*pravda, id, "legal-aid-abroad"));
    VECHE_TRY(service.record_action(
        *ilmen, id,
        action(ActionKind::kLetter, past.now(), "Letter to the Federal Ministry of the Interior",
               "A joint letter with twelve documented cases.", "northern-forum",
               {"https://example.org/demo/letter-bmi.pdf"})));
    past.advance(days(2));
    VECHE_TRY(service.record_action(
        *pravda, id,
        action(ActionKind::kLegalCase, past.now(), "Test case before the administrative court",
               "A constituent's refused renewal, taken to court with legal aid.",
               "legal-aid-abroad")));
    VECHE_ASSIGN_OR_RETURN(const auto ms,
                           service.add_milestone(*ilmen, id, "northern-forum",
                                                 "Meeting at the ministry", now + days(20)));
    past.advance(days(1));
    VECHE_TRY(service.update_milestone(*ilmen, id, ms, "northern-forum",
                                       MilestoneStatus::kInProgress, "A date is being agreed."));
    break;
  }

  // From the first admitted demo issue.
  agenda::Agenda issues(db, clock, key);
  agenda::IssueFilter filter;
  VECHE_ASSIGN_OR_RETURN(auto all, issues.list(filter));
  for (const auto& issue : all) {
    if (issue.state != agenda::IssueState::kAdmitted || issue.hidden_reason) continue;
    past.advance(days(1));
    NewCampaign c;
    c.title = "Bank accounts for exiles";
    c.goal =
        "Banks in the EU open and keep basic payment accounts for exiles who hold a valid "
        "residence title, as the Payment Accounts Directive requires.\n\n*Fictional demo "
        "campaign.*";
    c.targets = {"European Commission (DG FISMA)", "European Banking Authority"};
    c.organizations = {"volga-federalists"};
    c.source = Source::kIssue;
    c.source_id = issue.id.value();
    VECHE_ASSIGN_OR_RETURN(const auto id, service.start(*zhiguli, c));
    VECHE_TRY(service.record_action(
        *zhiguli, id,
        action(ActionKind::kMeeting, past.now() - days(1), "Meeting with DG FISMA officials",
               "Cases of closed accounts presented.", "volga-federalists")));
    past.advance(days(1));
    VECHE_ASSIGN_OR_RETURN(
        const auto petition,
        service.open_petition(*zhiguli, id, "volga-federalists", "Basic accounts for exiles, now",
                              "We ask the European Commission to make banks "
                              "honour the right to a basic payment account.",
                              now + days(60)));
    for (int i = 1; i <= 12; ++i) {
      VECHE_ASSIGN_OR_RETURN(auto signer, account_of(db, fmt::format("demo-agenda-{:02}", i)));
      if (!signer) continue;
      auto signed_ = service.sign(*signer, petition, i % 3 == 0 ? fmt::format("Demo {}", i) : "");
      if (!signed_) return std::move(signed_).error();
    }
    past.advance(days(1));
    VECHE_TRY(service.record_action(
        *zhiguli, id,
        action(ActionKind::kPublication, past.now(), "Report: 300 closed accounts",
               "A report on accounts closed for holders of home-country passports.",
               "volga-federalists", {"https://example.org/demo/accounts-report"})));
    past.advance(days(1));
    VECHE_TRY(service.record_outcome(
        *zhiguli, id, "volga-federalists", Outcome::kPartly,
        "Two national regulators issued guidance to banks; the Commission has not acted yet.",
        {"https://example.org/demo/regulator-guidance"}));
    break;
  }
  return ok();
}

}  // namespace veche::campaigns
