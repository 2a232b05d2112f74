// A fictional demo conversation for `veche serve --demo`: four camps of pseudonymous
// participants vote on twelve statements; two statements every camp agrees with, one pending
// statement for the moderation queue, and the first report.
#include <fmt/format.h>

#include <array>
#include <random>

#include "internal.hpp"

namespace veche::conversations {
namespace {

constexpr int kPerCamp = 20;

struct DemoStatement {
  std::string_view text;
  std::array<int, 4> agree_percent;  // per camp
};

// Three opinion axes; each camp sits on a different corner, so the four are equally far apart.
constexpr std::array<DemoStatement, 12> kStatements = {{
    {"EU states should issue humanitarian visas to men fleeing mobilization.", {90, 10, 90, 10}},
    {"Every applicant should pass a security check before entry.", {85, 15, 15, 85}},
    {"Deserters should get asylum as a protected group.", {90, 15, 85, 10}},
    {"Host states should accept expired home-country passports as identity documents.",
     {92, 90, 92, 88}},
    {"Exiles should be able to open a bank account with a home-country passport.",
     {90, 88, 90, 86}},
    {"The coalition should lobby Brussels rather than individual capitals.", {90, 85, 10, 15}},
    {"Entry should be limited to those who publicly oppose the war.", {10, 90, 15, 85}},
    {"Exile organizations, not states, should vouch for who is a genuine refugee.",
     {10, 15, 90, 85}},
    {"The EU should fund independent media in Russian for people inside the country.",
     {85, 90, 15, 10}},
    {"Work permits should be granted from the first day of protection.", {90, 10, 15, 85}},
    {"Border guards should be trained on the situation of conscripts.", {85, 80, 85, 80}},
    {"Sanctions should not freeze the savings of ordinary exiles.", {15, 85, 90, 10}},
}};

}  // namespace

Status load_demo(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key) {
  const auto now = clock.now();
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto any, tx->query("SELECT 1 FROM conversations LIMIT 1"));
    if (!any.empty()) return already_exists("conversations exist already");
  }
  core::ManualClock past(now - std::chrono::days(10));
  Conversations service(db, past, key);
  NewConversation c;
  c.question = "What should the coalition demand from EU states for people fleeing mobilization?";
  c.description =
      "A fictional demo conversation. Vote on the statements one at a time, add your own, and "
      "see where the camps of the coalition already agree.";
  c.audience = Audience::kBoth;
  c.closes_at = now + std::chrono::days(20);
  for (const auto& s : kStatements) c.seeds.emplace_back(s.text);
  VECHE_ASSIGN_OR_RETURN(auto id, service.open(registry::AccountId{}, c));
  VECHE_ASSIGN_OR_RETURN(auto statements, service.statements(id));
  std::mt19937 rng(1136);  // deterministic: the same demo every time
  VECHE_TRY(store::with_write(db, [&](store::Transaction& tx) -> Status {
    for (int camp = 0; camp < 4; ++camp) {
      for (int i = 0; i < kPerCamp; ++i) {
        VECHE_ASSIGN_OR_RETURN(
            auto number,
            detail::participant_number(
                tx, id, detail::participant_key(key, fmt::format("demo/{}/{}", camp, i))));
        for (std::size_t s = 0; s < statements.size(); ++s) {
          if (rng() % 100 < 10) continue;  // not every participant sees every statement
          const auto roll = static_cast<int>(rng() % 100);
          consensus::Vote v = consensus::Vote::kDisagree;
          if (roll < 5) {
            v = consensus::Vote::kPass;
          } else if (roll <
                     5 + kStatements[s].agree_percent[static_cast<std::size_t>(camp)] * 95 / 100) {
            v = consensus::Vote::kAgree;
          }
          VECHE_TRY(detail::record_vote(tx, id, statements[s].id, number, v, past.now()));
        }
      }
    }
    return ok();
  }));
  VECHE_TRY(store::with_write(db, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(
        auto author, detail::participant_number(tx, id, detail::participant_key(key, "demo/0/0")));
    VECHE_TRY(
        tx.exec("INSERT INTO conversation_statements (conversation_id, text, author, state, "
                "created_at) VALUES (?, ?, ?, 'pending', ?)",
                {id.value(),
                 std::string("Consulates of host states should accept applications from "
                             "third countries."),
                 author, core::to_unix(now)}));
    return ok();
  }));
  VECHE_TRY(service.recompute(id));
  return ok();
}

}  // namespace veche::conversations
