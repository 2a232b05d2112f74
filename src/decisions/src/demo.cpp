#include "veche/decisions/demo.hpp"

#include <chrono>

#include "veche/decisions/consultations.hpp"
#include "veche/decisions/motions.hpp"

namespace veche::decisions {
namespace {

using std::chrono::days;
using std::chrono::hours;

struct Delegate {
  const char* handle;
  const char* org;
};
constexpr Delegate kDelegates[] = {{"demo-ilmen", "northern-forum"},
                                   {"demo-zhiguli", "volga-federalists"},
                                   {"demo-pravda", "legal-aid-abroad"},
                                   {"demo-vesna", "anti-war-women"}};

Result<std::optional<registry::AccountId>> account_of(store::Database& db,
                                                      std::string_view handle) {
  VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT id FROM accounts WHERE handle_key = ?", {std::string(handle)}));
  if (rows.empty()) return std::optional<registry::AccountId>();
  return std::optional<registry::AccountId>(registry::AccountId(rows[0].int64(0)));
}

}  // namespace

Status load_demo(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key) {
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT COUNT(*) FROM motions"));
    if (rows[0].int64(0) > 0) return already_exists("the demo decisions are loaded already");
  }
  std::vector<std::pair<registry::AccountId, std::string>> delegates;
  for (const auto& d : kDelegates) {
    VECHE_ASSIGN_OR_RETURN(auto id, account_of(db, d.handle));
    if (id) delegates.emplace_back(*id, d.org);
  }
  if (delegates.size() < 2) return ok();  // not the demo coalition: nothing to show

  // The decided motion and the closed consultation happened three weeks ago: a clock of
  // their own walks through their lifecycle in order, so the log's times only grow.
  const core::TimePoint now = clock.now();
  core::ManualClock past(now - days(21));
  Motions past_motions(db, past);
  NewMotion visas;
  visas.title = "Ask host states to accept expired home-country passports for residence permits";
  visas.text =
      "The coalition asks the host states of its constituents to accept expired passports of "
      "the home country as identity documents when residence permits are renewed, since "
      "consulates refuse to renew them for people who left after 2022.\n\n"
      "*Fictional demo motion.*";
  visas.kind = MotionKind::kPosition;
  visas.organization = delegates[0].second;
  visas.rule = DecisionRule{RuleKind::kConsensus, {0, 1}, {1, 2}};
  visas.voting_opens_at = past.now() + days(3);
  visas.voting_closes_at = past.now() + days(10);
  VECHE_ASSIGN_OR_RETURN(const MotionId decided, past_motions.propose(delegates[0].first, visas));
  Consultations past_consultations(db, past, key);
  past.set(now - days(20));
  NewConsultation priorities;
  priorities.title = "Which document problem should the coalition take up first?";
  priorities.question =
      "Rank the problems by how much they affect you. *Fictional demo consultation.*";
  priorities.kind = QuestionKind::kRanked;
  priorities.method = "schulze";
  priorities.options = {"Renewing passports abroad", "Apostilles on diplomas",
                        "Birth certificates for children born abroad"};
  priorities.closes_at = now - days(13);
  VECHE_ASSIGN_OR_RETURN(const ConsultationId ranked,
                         past_consultations.open(priorities, "operator"));
  past.set(now - days(19));
  const Choices rankings[] = {{0, 2, 1}, {0, 1, 2}, {2, 0, 1}, {0, 2}, {1, 0, 2}, {2, 0}};
  for (int i = 1; i <= 6; ++i) {
    VECHE_ASSIGN_OR_RETURN(auto id, account_of(db, "demo-signer-0" + std::to_string(i)));
    if (!id) continue;
    VECHE_TRY(past_consultations.cast(*id, ranked, rankings[i - 1]));
  }
  past.set(now - days(17));
  const VoteChoice choices[] = {VoteChoice::kYes, VoteChoice::kYes, VoteChoice::kAbstain,
                                VoteChoice::kYes};
  for (std::size_t i = 0; i < delegates.size() && i < std::size(choices); ++i) {
    VECHE_TRY(
        past_motions.vote(delegates[i].first, decided, delegates[i].second, choices[i],
                          i == 2 ? "Our lawyers are checking how each state would read it." : ""));
    past.advance(hours(5));
  }
  past.set(now - days(13));
  VECHE_TRY(past_consultations.close(ranked, "operator"));

  past.set(now - days(11));
  VECHE_TRY(past_motions.close(decided, "operator"));

  // Open now: a motion in its voting window (proposed earlier), one in discussion, and an
  // open consultation.
  past.set(now - days(2));
  NewMotion statement;
  statement.title = "Statement of support for conscientious objectors seeking asylum";
  statement.text =
      "The coalition states that people who refuse to fight in the war of aggression are "
      "refugees, and asks host states to grant them asylum.\n\n*Fictional demo motion.*";
  statement.kind = MotionKind::kStatement;
  statement.organization = delegates[1 % delegates.size()].second;
  statement.rule = DecisionRule{RuleKind::kConsensus, {0, 1}, {1, 2}};
  statement.voting_opens_at = now - days(1);
  statement.voting_closes_at = now + days(6);
  VECHE_ASSIGN_OR_RETURN(const MotionId open_motion,
                         past_motions.propose(delegates[1 % delegates.size()].first, statement));
  past.set(now - hours(12));
  VECHE_TRY(past_motions.vote(delegates[0].first, open_motion, delegates[0].second,
                              VoteChoice::kYes, ""));

  Motions motions(db, clock);
  NewMotion charter;
  charter.title = "Charter change: add a section on the rights of minorities";
  charter.text =
      "Adds a fourth section to the charter: member organizations respect the right of the "
      "peoples of the home country to their languages and to self-government.\n\n"
      "*Fictional demo motion.*";
  charter.kind = MotionKind::kCharterChange;
  charter.organization = delegates.back().second;
  charter.voting_opens_at = now + days(5);
  charter.voting_closes_at = now + days(12);
  VECHE_TRY(motions.propose(delegates.back().first, charter));

  Consultations consultations(db, clock, key);
  NewConsultation banks;
  banks.title = "Has a bank in your host country closed or refused your account?";
  banks.question = "Choose the answer closest to your experience. *Fictional demo consultation.*";
  banks.kind = QuestionKind::kSingleChoice;
  banks.options = {"Yes, closed", "Yes, refused to open one", "No", "I have not tried"};
  banks.closes_at = now + days(9);
  VECHE_TRY(consultations.open(banks, "operator"));
  return ok();
}

}  // namespace veche::decisions
