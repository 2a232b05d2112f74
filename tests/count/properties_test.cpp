// Laws of the counting methods, checked on random small elections (rapidcheck).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>

#include "veche/count/formats.hpp"
#include "veche/count/methods.hpp"

namespace veche::count {
namespace {

struct Election {
  int candidates = 2;
  int seats = 1;
  std::vector<std::pair<std::vector<Item>, std::uint64_t>> ballots;
};

Election random_election(int min_seats_free) {
  Election e;
  e.candidates = *rc::gen::inRange(2, 7);
  e.seats = *rc::gen::inRange(1, std::max(2, e.candidates - min_seats_free + 1));
  const int count = *rc::gen::inRange(1, 30);
  for (int i = 0; i < count; ++i) {
    std::vector<Item> order(static_cast<std::size_t>(e.candidates));
    std::iota(order.begin(), order.end(), Item{0});
    // A random permutation by random keys, truncated to a random length >= 1.
    std::vector<int> keys =
        *rc::gen::container<std::vector<int>>(order.size(), rc::gen::arbitrary<int>());
    std::vector<std::size_t> idx(order.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::stable_sort(idx.begin(), idx.end(), [&](auto a, auto b) { return keys[a] < keys[b]; });
    std::vector<Item> ballot;
    const auto length = static_cast<std::size_t>(*rc::gen::inRange(1, e.candidates + 1));
    for (std::size_t k = 0; k < length; ++k) ballot.push_back(order[idx[k]]);
    e.ballots.emplace_back(ballot, static_cast<std::uint64_t>(*rc::gen::inRange(1, 6)));
  }
  return e;
}

Profile build(const Election& e, const std::vector<Item>& relabel = {}) {
  ProfileBuilder b;
  for (const auto& [ballot, weight] : e.ballots) {
    std::vector<Item> items = ballot;
    if (!relabel.empty()) {
      for (auto& c : items) c = relabel[c];
    }
    RC_ASSERT(b.add(items, weight).has_value());
  }
  Profile p = b.finish();
  for (int c = 0; c < e.candidates; ++c) p.candidates.push_back("c" + std::to_string(c));
  p.withdrawn.assign(p.candidates.size(), false);
  p.seats = e.seats;
  return p;
}

bool used_lot(const Report& r) {
  auto has = [](const std::vector<std::string>& notes) {
    return std::any_of(notes.begin(), notes.end(), [](const std::string& n) {
      return n.find("lot") != std::string::npos || n.find("tie") != std::string::npos;
    });
  };
  return has(r.notes) || std::any_of(r.rounds.begin(), r.rounds.end(),
                                     [&](const Round& x) { return has(x.notes); });
}

Report run(Method m, const Profile& p, int seats) {
  CountOptions o;
  o.seats = seats;
  auto r = count(m, p, o);
  RC_ASSERT(r.has_value());
  return *r;
}

RC_GTEST_PROP(CountProperties, SingleSeatStvEqualsInstantRunoff, ()) {
  Election e = random_election(0);
  const Profile p = build(e);
  const Report irv = run(Method::kInstantRunoff, p, 1);
  const Report stv = run(Method::kScottishStv, p, 1);
  RC_PRE(!used_lot(irv) && !used_lot(stv));
  RC_ASSERT(irv.winners == stv.winners);
}

RC_GTEST_PROP(CountProperties, ACondorcetWinnerWinsSchulzeAndRankedPairs, ()) {
  Election e = random_election(0);
  const Profile p = build(e);
  const Report s = run(Method::kSchulze, p, 1);
  const auto& d = s.pairwise;
  int condorcet = -1;
  for (std::size_t i = 0; i < d.size(); ++i) {
    bool beats_all = true;
    for (std::size_t j = 0; j < d.size(); ++j) {
      if (i != j && d[i][j] <= d[j][i]) beats_all = false;
    }
    if (beats_all) condorcet = static_cast<int>(i);
  }
  RC_PRE(condorcet >= 0);
  RC_ASSERT(s.winners[0] == condorcet);
  RC_ASSERT(run(Method::kRankedPairs, p, 1).winners[0] == condorcet);
}

RC_GTEST_PROP(CountProperties, BallotOrderDoesNotChangeAnyResult, ()) {
  Election e = random_election(0);
  Election shuffled = e;
  const std::vector<int> keys =
      *rc::gen::container<std::vector<int>>(e.ballots.size(), rc::gen::arbitrary<int>());
  std::vector<std::size_t> idx(e.ballots.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::stable_sort(idx.begin(), idx.end(), [&](auto a, auto b) { return keys[a] < keys[b]; });
  for (std::size_t k = 0; k < idx.size(); ++k) shuffled.ballots[k] = e.ballots[idx[k]];
  const Profile a = build(e);
  const Profile b = build(shuffled);
  for (Method m : {Method::kPlurality, Method::kApproval, Method::kInstantRunoff, Method::kSchulze,
                   Method::kRankedPairs, Method::kMajorityJudgment, Method::kDHondt,
                   Method::kSainteLague, Method::kScottishStv, Method::kMeekStv}) {
    const int seats = m == Method::kInstantRunoff ? 1 : e.seats;
    const Report x = run(m, a, seats);
    const Report y = run(m, b, seats);
    RC_ASSERT(x.winners == y.winners);
    RC_ASSERT(x.rounds.size() == y.rounds.size());
    for (std::size_t k = 0; k < x.rounds.size(); ++k)
      RC_ASSERT(x.rounds[k].votes == y.rounds[k].votes);
  }
}

RC_GTEST_PROP(CountProperties, RelabellingCandidatesRelabelsTheResult, ()) {
  Election e = random_election(0);
  std::vector<Item> perm(static_cast<std::size_t>(e.candidates));
  std::iota(perm.begin(), perm.end(), Item{0});
  const std::vector<int> keys =
      *rc::gen::container<std::vector<int>>(perm.size(), rc::gen::arbitrary<int>());
  std::stable_sort(perm.begin(), perm.end(), [&](auto a, auto b) { return keys[a] < keys[b]; });
  const Profile a = build(e);
  const Profile b = build(e, perm);
  for (Method m : {Method::kPlurality, Method::kInstantRunoff, Method::kSchulze,
                   Method::kRankedPairs, Method::kScottishStv, Method::kMeekStv}) {
    const int seats = m == Method::kInstantRunoff ? 1 : e.seats;
    const Report x = run(m, a, seats);
    const Report y = run(m, b, seats);
    if (used_lot(x) || used_lot(y)) continue;  // ties aside
    std::vector<int> expected;
    for (int w : x.winners) expected.push_back(perm[static_cast<std::size_t>(w)]);
    // Several winners are compared as a set: their order among equal votes is the lot's.
    if (seats > 1) {
      std::sort(expected.begin(), expected.end());
      std::vector<int> got = y.winners;
      std::sort(got.begin(), got.end());
      RC_ASSERT(got == expected);
    } else {
      RC_ASSERT(y.winners == expected);
    }
  }
}

RC_GTEST_PROP(CountProperties, MeekKeepFactorsAndSurplusesObeyTheRuleEveryRound, ()) {
  Election e = random_election(1);
  const Profile p = build(e);
  const Report r = run(Method::kMeekStv, p, e.seats);
  constexpr std::int64_t kOne = 1'000'000'000;
  const auto total = static_cast<std::int64_t>(r.ballots) * kOne;
  RC_ASSERT(static_cast<int>(r.winners.size()) == e.seats);
  for (const auto& round : r.rounds) {
    if (round.iterations == 0) continue;
    std::int64_t sum = 0;
    for (auto v : round.votes) sum += v;
    RC_ASSERT(sum + round.exhausted == total);          // votes are conserved
    RC_ASSERT(round.quota == sum / (e.seats + 1) + 1);  // the reference quota
    RC_ASSERT(round.surplus >= 0);
    for (std::size_t c = 0; c < round.keep_factors.size(); ++c) {
      const auto kf = round.keep_factors[c];
      RC_ASSERT(kf >= 0 && kf <= kOne);
      if (round.states[c] == CandidateState::kHopeful) RC_ASSERT(kf == kOne);
      if (round.states[c] == CandidateState::kElected) RC_ASSERT(kf > 0);
      const bool excluded_here = std::find(round.excluded.begin(), round.excluded.end(),
                                           static_cast<int>(c)) != round.excluded.end();
      if (round.states[c] == CandidateState::kExcluded && !excluded_here) RC_ASSERT(kf == 0);
      if (round.states[c] == CandidateState::kExcluded && !excluded_here) {
        RC_ASSERT(round.votes[c] == 0);
      }
    }
  }
}

RC_GTEST_PROP(CountProperties, ScottishStvConservesVotesAtEveryStage, ()) {
  Election e = random_election(1);
  const Profile p = build(e);
  const Report r = run(Method::kScottishStv, p, e.seats);
  RC_ASSERT(static_cast<int>(r.winners.size()) == e.seats);
  for (const auto& round : r.rounds) {
    std::int64_t sum = round.exhausted + round.loss;
    for (auto v : round.votes) sum += v;
    RC_ASSERT(sum == static_cast<std::int64_t>(r.ballots) * 100000);
    RC_ASSERT(round.loss >= 0);
  }
}

}  // namespace
}  // namespace veche::count

namespace veche::count {
namespace {

// Ballot lines in any mix of spacings read as their ballots: the line-text table, the packed
// scanner and the general reader (blt.cpp) must agree on every line.
RC_GTEST_PROP(CountProperties, BltLinesOfAnySpacingGroupLikeTheirBallots, ()) {
  const int n = *rc::gen::inRange(2, 21);
  const int lines = *rc::gen::inRange(1, 300);
  std::string text = std::to_string(n) + " 1\n";
  std::map<std::vector<Item>, std::uint64_t> expected;
  const std::vector<std::string> blanks{" ", " ", " ", " ", "  ", "\t"};
  for (int l = 0; l < lines; ++l) {
    std::vector<Item> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), Item{0});
    const auto keys = *rc::gen::container<std::vector<int>>(order.size(), rc::gen::inRange(0, 4));
    std::stable_sort(order.begin(), order.end(), [&](Item a, Item b) { return keys[a] < keys[b]; });
    order.resize(static_cast<std::size_t>(*rc::gen::inRange(1, n + 1)));
    const auto weight = static_cast<std::uint64_t>(*rc::gen::inRange(1, 20));
    text += std::to_string(weight);
    for (Item c : order) text += *rc::gen::elementOf(blanks) + std::to_string(c + 1);
    text += *rc::gen::elementOf(blanks) + "0";
    text += *rc::gen::element<std::string>("\n", "\n", "\n", "\r\n", " \n");
    expected[order] += weight;
  }
  text += "0\n";
  for (int c = 0; c < n; ++c)
    text += "\"A candidate with a long name " + std::to_string(c) + "\"\n";
  auto p = parse_blt(text);
  RC_ASSERT(p.has_value());
  std::map<std::vector<Item>, std::uint64_t> got;
  for (std::size_t g = 0; g < p->num_groups(); ++g) {
    auto b = p->ballot(g);
    got[std::vector<Item>(b.begin(), b.end())] += p->weights[g];
  }
  RC_ASSERT(got == expected);
  RC_ASSERT(got.size() == p->num_groups());
}

}  // namespace
}  // namespace veche::count
