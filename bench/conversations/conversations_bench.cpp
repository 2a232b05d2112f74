// A large conversation through the service, on a SQLite file: PARTICIPANTS pseudonymous
// participants in four camps voting on VOTES_EACH of STATEMENTS statements (fixed seed,
// inserted directly), then timed:
//   vote:       Conversations::vote() by fresh constituent accounts (one write transaction each)
//   next:       Conversations::next_statement() for an account with 0 and with 25 votes
//   recompute:  Conversations::recompute(): read every vote, consensus::analyse, store the
//               report and the routing weights (what the worker thread does off the request path)
//   report:     Conversations::report(): what the report page reads
//   live:       a vote's way to the stored report through the ReportWorker's LiveAnalysis
//               (from the vote's return until the stored report counts it), and the
//               worker's own cost per vote (detail::apply_queued: apply, format, store)
// Usage: conversations_bench [participants=20000] [statements=1000] [votes_each=25] [file]
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../../src/conversations/src/internal.hpp"
#include "veche/conversations/conversations.hpp"
#include "veche/conversations/report_worker.hpp"
#include "veche/crypto/bytes.hpp"
#include "veche/crypto/random.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/registry/registry.hpp"

using namespace veche;
using namespace veche::conversations;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

void check(const Status& s, const char* what) {
  if (!s) {
    std::fprintf(stderr, "%s: %s\n", what, s.error().message.c_str());
    std::exit(1);
  }
}

struct Stats {
  double median, p99, max;
};
Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[v.size() * 99 / 100], v.back()};
}

}  // namespace

int main(int argc, char** argv) {
  const int participants = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int statement_count = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int votes_each = argc > 3 ? std::atoi(argv[3]) : 25;
  const std::string file = argc > 4 ? argv[4] : "/tmp/veche-conversations-bench.db";
  std::filesystem::remove(file);
  std::filesystem::remove(file + "-wal");
  std::filesystem::remove(file + "-shm");
  check(crypto::initialize(), "sodium");
  auto opened = store::open(file);
  check(opened.has_value() ? ok() : Status(opened.error()), "open");
  auto& db = **opened;
  std::vector<store::Migration> all;
  for (const auto& m : registry::migrations()) all.push_back(m);
  for (const auto& m : migrations()) all.push_back(m);
  check(store::migrate(db, all), "migrate");
  const crypto::SecretBytes key(crypto::Bytes(32, 9));
  core::SystemClock clock;
  Conversations service(db, clock, key);

  NewConversation c;
  c.question = "A benchmark conversation";
  c.audience = Audience::kConstituents;
  c.closes_at = clock.now() + std::chrono::days(30);
  auto id = service.open(registry::AccountId{}, c);
  check(id.has_value() ? ok() : Status(id.error()), "open conversation");
  // More statements than the seed limit: as if participants had added them and moderators
  // accepted them.
  check(store::with_write(db,
                          [&](store::Transaction& tx) -> Status {
                            for (int s = 0; s < statement_count; ++s) {
                              VECHE_TRY(tx.exec(
                                  "INSERT INTO conversation_statements (conversation_id, text, "
                                  "state, created_at) VALUES (?, ?, 'accepted', 0)",
                                  {id->value(), "Statement " + std::to_string(s)}));
                            }
                            return ok();
                          }),
        "statements");
  auto statements = service.statements(*id);
  std::vector<std::int64_t> sids;
  for (const auto& s : *statements) sids.push_back(s.id.value());

  // Bulk votes: four camps, each with its own leaning per statement.
  auto t = Clock::now();
  std::mt19937_64 rng(20261203);
  std::vector<std::array<int, 4>> lean(sids.size());
  for (auto& l : lean) {
    for (auto& p : l) p = static_cast<int>(rng() % 90) + 5;
  }
  std::int64_t total = 0;
  check(store::with_write(
            db,
            [&](store::Transaction& tx) -> Status {
              for (int p = 1; p <= participants; ++p) {
                const auto camp = static_cast<std::size_t>(p % 4);
                store::Blob voter(32);
                for (auto& b : voter) b = static_cast<std::byte>(rng());
                VECHE_TRY(
                    tx.exec("INSERT INTO conversation_participants (conversation_id, "
                            "number, voter_key) VALUES (?, ?, ?)",
                            {id->value(), std::int64_t{p}, voter}));
                for (int k = 0; k < votes_each; ++k) {
                  const auto s = rng() % sids.size();
                  const auto roll = static_cast<int>(rng() % 100);
                  const std::int64_t v = roll < 5 ? 0 : roll < lean[s][camp] ? 1 : -1;
                  auto n = tx.exec(
                      "INSERT INTO conversation_votes (conversation_id, "
                      "statement_id, participant, vote, at) VALUES (?, ?, ?, ?, 0) "
                      "ON CONFLICT DO NOTHING",
                      {id->value(), sids[s], std::int64_t{p}, v});
                  VECHE_TRY(n);
                  total += *n;
                }
              }
              VECHE_TRY(
                  tx.exec("UPDATE conversation_statements SET agree = (SELECT COUNT(*) "
                          "FROM conversation_votes v WHERE v.statement_id = "
                          "conversation_statements.id AND v.vote = 1), disagree = (SELECT "
                          "COUNT(*) FROM conversation_votes v WHERE v.statement_id = "
                          "conversation_statements.id AND v.vote = -1), pass = (SELECT "
                          "COUNT(*) FROM conversation_votes v WHERE v.statement_id = "
                          "conversation_statements.id AND v.vote = 0)"));
              VECHE_TRY(tx.exec(
                  "UPDATE conversations SET participants = ?, votes = ?, version = 1 WHERE id = ?",
                  {std::int64_t{participants}, total, id->value()}));
              return ok();
            }),
        "bulk votes");
  std::printf("setup: %d participants, %d statements, %lld votes in %.1f s\n", participants,
              statement_count, static_cast<long long>(total), ms_since(t) / 1000);

  t = Clock::now();
  auto first = service.recompute(*id);
  check(first.has_value() ? ok() : Status(first.error()), "recompute");
  const double recompute_ms = ms_since(t);
  std::printf("recompute (full, stored): %.0f ms%s\n", recompute_ms,
              first->problem.empty() ? "" : (" problem: " + first->problem).c_str());

  // Fresh constituents vote through the service.
  constexpr int kVoters = 100;
  std::vector<registry::AccountId> voters;
  check(store::with_write(db,
                          [&](store::Transaction& tx) -> Status {
                            for (int i = 0; i < kVoters; ++i) {
                              const auto h = "bench-" + std::to_string(i);
                              VECHE_ASSIGN_OR_RETURN(
                                  auto a, tx.insert("INSERT INTO accounts (handle, handle_key, "
                                                    "passphrase_hash, created_at) VALUES (?, ?, "
                                                    "'x', 0) RETURNING id",
                                                    {h, h}));
                              VECHE_TRY(
                                  tx.exec("INSERT INTO account_roles (account_id, role, "
                                          "granted_at) VALUES (?, 'constituent', 0)",
                                          {a}));
                              voters.emplace_back(a);
                            }
                            return ok();
                          }),
        "accounts");
  std::vector<double> next_fresh, next_voted, vote_ms;
  for (const auto& who : voters) {
    auto n0 = Clock::now();
    auto next = service.next_statement(who, *id);
    next_fresh.push_back(ms_since(n0));
    check(next.has_value() ? ok() : Status(next.error()), "next");
    for (int k = 0; k < 25; ++k) {
      auto v0 = Clock::now();
      check(service.vote(who, *id, StatementId(sids[rng() % sids.size()]),
                         rng() % 2 ? consensus::Vote::kAgree : consensus::Vote::kDisagree),
            "vote");
      vote_ms.push_back(ms_since(v0));
    }
    auto n1 = Clock::now();
    check(service.next_statement(who, *id).has_value() ? ok() : Status(next.error()), "next");
    next_voted.push_back(ms_since(n1));
  }
  std::vector<double> report_ms;
  for (int i = 0; i < 50; ++i) {
    auto r0 = Clock::now();
    auto r = service.report(*id);
    report_ms.push_back(ms_since(r0));
    check(r.has_value() ? ok() : Status(r.error()), "report");
  }
  const auto v = stats(vote_ms), n0 = stats(next_fresh), n1 = stats(next_voted),
             rp = stats(report_ms);
  std::printf("| operation | median | p99 | max |\n|---|---:|---:|---:|\n");
  std::printf("| vote (%zu, one write transaction each) | %.2f ms | %.2f ms | %.2f ms |\n",
              vote_ms.size(), v.median, v.p99, v.max);
  std::printf("| next statement, no votes yet | %.2f ms | %.2f ms | %.2f ms |\n", n0.median, n0.p99,
              n0.max);
  std::printf("| next statement, after 25 votes | %.2f ms | %.2f ms | %.2f ms |\n", n1.median,
              n1.p99, n1.max);
  std::printf("| stored report read | %.2f ms | %.2f ms | %.2f ms |\n", rp.median, rp.p99, rp.max);
  t = Clock::now();
  check(service.recompute(*id).has_value() ? ok() : Status(internal_error("")), "recompute");
  std::printf("| recompute after the votes (worker thread) | %.0f ms | | |\n", ms_since(t));

  // Live reports. Fresh constituents cast one new vote each; every vote is timed from the
  // return of Conversations::vote() to the stored report counting it.
  constexpr int kLiveVoters = 200;
  std::vector<registry::AccountId> live_voters;
  check(store::with_write(db,
                          [&](store::Transaction& tx) -> Status {
                            for (int i = 0; i < kLiveVoters; ++i) {
                              const auto h = "live-" + std::to_string(i);
                              VECHE_ASSIGN_OR_RETURN(
                                  auto a, tx.insert("INSERT INTO accounts (handle, handle_key, "
                                                    "passphrase_hash, created_at) VALUES (?, ?, "
                                                    "'x', 0) RETURNING id",
                                                    {h, h}));
                              VECHE_TRY(
                                  tx.exec("INSERT INTO account_roles (account_id, role, "
                                          "granted_at) VALUES (?, 'constituent', 0)",
                                          {a}));
                              live_voters.emplace_back(a);
                            }
                            return ok();
                          }),
        "accounts");
  auto stored_votes = [&] {
    auto tx = db.begin(store::Access::kRead);
    auto row = (*tx)->query_one("SELECT votes FROM conversation_reports WHERE conversation_id = ?",
                                {id->value()}, "report");
    return row ? row->int64(0) : -1;
  };
  auto cast = [&](int i) {
    check(service.vote(live_voters[static_cast<std::size_t>(i)], *id,
                       StatementId(sids[rng() % sids.size()]),
                       rng() % 2 ? consensus::Vote::kAgree : consensus::Vote::kDisagree),
          "vote");
  };
  auto wait_for = [&](std::int64_t votes) {
    while (stored_votes() < votes) std::this_thread::sleep_for(std::chrono::microseconds(200));
  };
  std::vector<double> live_ms;
  double first_ms = 0;
  int next_voter = 0;
  {
    // The worker as `veche serve` runs it (WorkerOptions defaults: poll 100 ms).
    ReportWorker worker(db, clock, key);
    auto expected = stored_votes() + 1;
    t = Clock::now();
    cast(next_voter++);
    wait_for(expected);  // the first vote after a start: debounce, then a full analysis
    first_ms = ms_since(t);
    std::uniform_int_distribution<int> phase(0, 100);
    for (int i = 0; i < 100; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(phase(rng)));  // any poll phase
      ++expected;
      cast(next_voter++);
      const auto v0 = Clock::now();
      wait_for(expected);
      live_ms.push_back(ms_since(v0));
    }
  }
  // The worker's own cost per vote, without the poll wait: detail::apply_queued() applies the
  // queued vote to the LiveAnalysis, formats JSON, CSV and SVG and stores them.
  detail::LiveReports live;
  std::int64_t cursor = 0;
  t = Clock::now();
  check(
      detail::recompute(db, clock, *id, &live[id->value()]).has_value() ? ok() : internal_error(""),
      "live start");
  const double start_ms = ms_since(t);
  check(detail::apply_queued(db, clock, live, cursor).has_value() ? ok() : internal_error(""),
        "catch up");
  std::vector<double> apply_ms;
  for (; next_voter < kLiveVoters; ++next_voter) {
    cast(next_voter);
    const auto a0 = Clock::now();
    auto n = detail::apply_queued(db, clock, live, cursor);
    apply_ms.push_back(ms_since(a0));
    check(n.has_value() && *n == 1 ? ok() : internal_error("not applied"), "apply");
  }
  const auto l = stats(live_ms), a = stats(apply_ms);
  std::printf(
      "| first vote after a start (debounce 5 s, full analysis kept live) | %.0f ms | | |\n",
      first_ms);
  std::printf(
      "| vote -> stored report, live (%zu, worker polls every 100 ms) | %.1f ms | %.1f ms "
      "| %.1f ms |\n",
      live_ms.size(), l.median, l.p99, l.max);
  std::printf(
      "| live update of one vote (apply, format, store; %zu) | %.2f ms | %.2f ms | %.2f "
      "ms |\n",
      apply_ms.size(), a.median, a.p99, a.max);
  std::printf(
      "| full analysis kept for live updates (LiveAnalysis::start, stored) | %.0f ms | | "
      "|\n",
      start_ms);
  return 0;
}
