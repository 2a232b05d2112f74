// Meek STV: the Proportional Representation Foundation's reference rule (prfound.org, "Meek STV
// reference rule", after B. L. Meek 1969 and Hill, Wichmann and Woodall 1987). Fixed point with
// nine decimal places in integers (units of 10^-9); no floating point.
//
// 1. Hopeful candidates have keep factor kf = 1, excluded and withdrawn kf = 0.
// 2. Iterate: (a) every ballot starts with weight w = 1 and, for each candidate in order, gives
//    w x kf (rounded UP to 9 places) to that candidate and keeps the rest (w reduced by it),
//    until w is 0 or the ranking ends; (b) quota = sum of all candidates' votes / (seats + 1),
//    truncated to 9 places, plus 10^-9; (c) every hopeful with votes >= quota is elected;
//    (d) total surplus = sum over elected of (votes - quota), not below 0; (e) if someone was
//    elected, go to 3; if the surplus is below omega (10^-6), or (after the first iteration) not
//    smaller than the previous iteration's, go to 4; (f) each elected kf becomes kf x quota /
//    votes, rounded UP to 9 places; repeat from (a).
// 3. Count complete? elected = seats: the rest are defeated; elected + hopeful <= seats: the
//    hopefuls are elected. Otherwise iterate again (2).
// 4. Defeat the hopeful with the fewest votes; candidates within the total surplus of the lowest
//    are tied, and the tie is decided by lot. Its kf becomes 0; go to 3.
//
// Identical prefixes of rankings share one trie node, so (a) visits each distinct prefix once
// (the arithmetic per ballot is unchanged: a node's weight depends only on its prefix) and stops
// below a hopeful candidate, who keeps the whole weight.
#include <algorithm>
#include <numeric>
#include <thread>

#include "common.hpp"

namespace veche::count {
namespace {

constexpr std::int64_t kScale = 1'000'000'000;

struct Trie {
  std::vector<Item> candidate;
  std::vector<std::uint16_t> depth;
  std::vector<std::int64_t> through;  // voters whose ranking has this prefix
  std::vector<std::uint32_t> next;    // first node after this node's subtree
};

Trie build_trie(const Profile& p) {
  // Sort the rankings. With at most 15 candidates a ranking (no repeats, so at most 15 long)
  // packs exactly into 64 bits, each item + 1 in a nibble from the top and 0 past the end, so
  // the key alone orders them; otherwise a key of the first four items (16 bits each) settles
  // most comparisons and the items decide the rest.
  const bool nibbles = p.num_candidates() <= 15;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed(p.num_groups());
  for (std::uint32_t g = 0; g < p.num_groups(); ++g) {
    auto b = p.ballot(g);
    std::uint64_t key = 0;
    if (nibbles) {
      for (std::size_t k = 0; k < b.size() && k < 16; ++k) {
        key |= (static_cast<std::uint64_t>(candidate_of(b[k])) + 1) << (60 - 4 * k);
      }
    } else {
      for (std::size_t k = 0; k < 4; ++k) {
        key = (key << 16) | (k < b.size() ? static_cast<std::uint64_t>(b[k]) + 1 : 0);
      }
    }
    keyed[g] = {key, g};
  }
  if (nibbles) {
    std::sort(keyed.begin(), keyed.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  } else {
    std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first < b.first;
      auto x = p.ballot(a.second);
      auto y = p.ballot(b.second);
      return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end());
    });
  }
  std::vector<std::uint32_t> order(p.num_groups());
  for (std::size_t i = 0; i < keyed.size(); ++i) order[i] = keyed[i].second;
  Trie t;
  std::vector<std::uint32_t> open;  // node at each depth on the current path
  std::span<const Item> prev;
  for (std::uint32_t g : order) {
    auto b = p.ballot(g);
    std::size_t lcp = 0;
    while (lcp < b.size() && lcp < prev.size() && lcp < open.size() && b[lcp] == prev[lcp]) ++lcp;
    const auto here = static_cast<std::uint32_t>(t.candidate.size());
    while (open.size() > lcp) {
      t.next[open.back()] = here;
      open.pop_back();
    }
    const auto w = static_cast<std::int64_t>(p.weights[g]);
    for (std::uint32_t node : open) t.through[node] += w;
    for (std::size_t k = lcp; k < b.size(); ++k) {
      open.push_back(static_cast<std::uint32_t>(t.candidate.size()));
      t.candidate.push_back(candidate_of(b[k]));
      t.depth.push_back(static_cast<std::uint16_t>(k));
      t.through.push_back(w);
      t.next.push_back(0);
    }
    prev = b;
  }
  const auto end = static_cast<std::uint32_t>(t.candidate.size());
  for (std::uint32_t node : open) t.next[node] = end;
  return t;
}

// Step 2(a) over the nodes [begin, end) (whole subtrees): adds to votes.
void distribute_range(const Trie& t, const std::vector<std::int64_t>& kf, std::size_t begin,
                      std::size_t end, std::vector<std::int64_t>& votes,
                      std::vector<std::int64_t>& weight_at_depth) {
  std::size_t i = begin;
  while (i < end) {
    const std::size_t d = t.depth[i];
    const std::int64_t w = d == 0 ? kScale : weight_at_depth[d - 1];
    const Item c = t.candidate[i];
    const std::int64_t k = kf[c];
    std::int64_t keep = 0;
    if (k == kScale) {
      keep = w;
    } else if (k != 0) {
      // w x kf rounded up to 9 places: both factors are at most 10^9, the product fits 63 bits.
      keep = (w * k + kScale - 1) / kScale;
    }
    votes[c] += t.through[i] * keep;
    const std::int64_t rest = w - keep;
    if (rest == 0) {
      i = t.next[i];
    } else {
      weight_at_depth[d] = rest;
      ++i;
    }
  }
}

// Step 2(a): votes per candidate for the given keep factors. Large tries are split in two at a
// top-level node and counted on two threads; integer sums make the result independent of the
// split.
class Distributor {
 public:
  Distributor(const Trie& t, std::size_t n, std::size_t max_depth) : t_(t) {
    const std::size_t size = t.candidate.size();
    split_ = size;
    if (size >= kParallelNodes && std::thread::hardware_concurrency() > 1) {
      std::size_t i = 0;
      while (i < size && i < size / 2) i = t.next[i];  // top-level nodes only
      split_ = i;
    }
    votes2_.assign(n, 0);
    depth1_.assign(max_depth, 0);
    depth2_.assign(max_depth, 0);
  }

  void run(const std::vector<std::int64_t>& kf, std::vector<std::int64_t>& votes) {
    std::fill(votes.begin(), votes.end(), 0);
    const std::size_t size = t_.candidate.size();
    if (split_ >= size || split_ == 0) {
      distribute_range(t_, kf, 0, size, votes, depth1_);
      return;
    }
    std::fill(votes2_.begin(), votes2_.end(), 0);
    std::thread second([&] { distribute_range(t_, kf, split_, size, votes2_, depth2_); });
    distribute_range(t_, kf, 0, split_, votes, depth1_);
    second.join();
    for (std::size_t c = 0; c < votes.size(); ++c) votes[c] += votes2_[c];
  }

 private:
  static constexpr std::size_t kParallelNodes = 200000;
  const Trie& t_;
  std::size_t split_ = 0;
  std::vector<std::int64_t> votes2_;
  std::vector<std::int64_t> depth1_;
  std::vector<std::int64_t> depth2_;
};

}  // namespace

Result<Report> count_meek_stv(const Profile& in, const CountOptions& o) {
  VECHE_ASSIGN_OR_RETURN(Report r, detail::start_report(Method::kMeekStv, in, o, kScale));
  if (o.meek_omega <= 0) return invalid_argument("omega must be positive");
  Profile storage;
  const Profile& p = normalized(in, o.ballot, /*strict=*/true, storage);
  const std::size_t n = p.num_candidates();
  const std::vector<int> rank = detail::lot_ranks(r.lot_order);
  std::vector<CandidateState> states(n, CandidateState::kHopeful);
  std::vector<std::int64_t> kf(n, kScale);
  for (std::size_t c = 0; c < n; ++c) {
    if (o.ballot.apply_withdrawals && p.withdrawn[c]) {
      states[c] = CandidateState::kWithdrawn;
      kf[c] = 0;
    }
  }
  const auto standing =
      static_cast<int>(std::count(states.begin(), states.end(), CandidateState::kHopeful));
  if (standing < r.seats) return invalid_argument("fewer standing candidates than seats");
  std::uint64_t valid = 0;
  for (std::size_t g = 0; g < p.num_groups(); ++g) {
    if (!p.ballot(g).empty()) valid += p.weights[g];
  }
  r.ballots = valid;
  r.invalid_ballots = p.invalid_ballots + (p.total_weight() - valid);
  r.distinct_ballots = p.num_groups();
  const Trie trie = build_trie(p);
  std::size_t max_depth = 1;
  for (auto d : trie.depth) max_depth = std::max<std::size_t>(max_depth, d + 1u);
  Distributor distributor(trie, n, max_depth);
  std::vector<std::int64_t> votes(n, 0);
  const std::int64_t total = static_cast<std::int64_t>(valid) * kScale;
  int elected_count = 0;
  std::int64_t quota = 0;
  std::int64_t surplus = 0;

  auto hopefuls = [&] {
    std::vector<int> h;
    for (std::size_t c = 0; c < n; ++c) {
      if (states[c] == CandidateState::kHopeful) h.push_back(static_cast<int>(c));
    }
    return h;
  };
  auto record = [&](Round& round, int iterations) {
    round.number = static_cast<int>(r.rounds.size()) + 1;
    round.votes = votes;
    round.states = states;
    round.keep_factors = kf;
    round.quota = quota;
    round.surplus = surplus;
    round.iterations = iterations;
    std::int64_t sum = 0;
    for (auto v : votes) sum += v;
    round.exhausted = total - sum;
    r.rounds.push_back(std::move(round));
    if (o.progress != nullptr) {
      o.progress(o.progress_context,
                 static_cast<double>(elected_count) / static_cast<double>(r.seats));
    }
  };
  // Step 3; returns true when the count is complete (and records the final round).
  auto complete = [&](Round& round, int iterations) {
    std::vector<int> h = hopefuls();
    if (elected_count == r.seats) {
      for (int c : h) {
        states[static_cast<std::size_t>(c)] = CandidateState::kExcluded;
        kf[static_cast<std::size_t>(c)] = 0;
        round.excluded.push_back(c);
      }
      if (!h.empty())
        round.notes.push_back("all seats filled; the remaining candidates are defeated");
      record(round, iterations);
      return true;
    }
    if (elected_count + static_cast<int>(h.size()) <= r.seats) {
      for (int c : detail::order_by_votes(h, votes, rank)) {
        states[static_cast<std::size_t>(c)] = CandidateState::kElected;
        round.elected.push_back(c);
        r.winners.push_back(c);
        ++elected_count;
      }
      round.notes.push_back("as many seats left as hopeful candidates: all elected");
      record(round, iterations);
      return true;
    }
    return false;
  };

  {
    Round start;
    start.action = "start";
    if (complete(start, 0)) return r;
  }
  for (;;) {
    Round round;
    std::int64_t previous = -1;
    int iterations = 0;
    bool elected_now = false;
    for (;;) {
      distributor.run(kf, votes);
      ++iterations;
      std::int64_t sum = 0;
      for (auto v : votes) sum += v;
      quota = sum / (r.seats + 1) + 1;
      std::vector<int> reach;
      for (int c : hopefuls()) {
        if (votes[static_cast<std::size_t>(c)] >= quota) reach.push_back(c);
      }
      for (int c : detail::order_by_votes(reach, votes, rank)) {
        states[static_cast<std::size_t>(c)] = CandidateState::kElected;
        round.elected.push_back(c);
        r.winners.push_back(c);
        ++elected_count;
        elected_now = true;
      }
      surplus = 0;
      for (std::size_t c = 0; c < n; ++c) {
        if (states[c] == CandidateState::kElected) surplus += votes[c] - quota;
      }
      surplus = std::max<std::int64_t>(surplus, 0);
      if (elected_now) break;
      if (surplus < o.meek_omega || (previous >= 0 && surplus >= previous)) break;
      previous = surplus;
      for (std::size_t c = 0; c < n; ++c) {
        if (states[c] != CandidateState::kElected) continue;
        // kf x quota / votes, rounded up to 9 places. votes > 0 for an elected candidate.
        kf[c] = static_cast<std::int64_t>(
            (static_cast<detail::Int128>(kf[c]) * quota + votes[c] - 1) / votes[c]);
      }
    }
    if (elected_now) {
      round.action = "election of " + detail::join_names(round.elected, r.candidates);
      if (complete(round, iterations)) break;
      record(round, iterations);
      continue;
    }
    // Step 4: defeat the lowest; everyone within the surplus of the lowest is tied.
    std::vector<int> h = hopefuls();
    std::int64_t low = votes[static_cast<std::size_t>(h[0])];
    for (int c : h) low = std::min(low, votes[static_cast<std::size_t>(c)]);
    std::vector<int> tied;
    for (int c : h) {
      if (votes[static_cast<std::size_t>(c)] <= low + surplus) tied.push_back(c);
    }
    int out = tied[0];
    if (tied.size() > 1) {
      out = detail::break_tie(tied, r.rounds, /*lowest=*/true, /*look_back=*/false, rank,
                              r.candidates, round.notes, "defeat (within the surplus)");
    }
    states[static_cast<std::size_t>(out)] = CandidateState::kExcluded;
    kf[static_cast<std::size_t>(out)] = 0;
    round.excluded.push_back(out);
    round.action = "defeat of " + r.candidates[static_cast<std::size_t>(out)];
    if (complete(round, iterations)) break;
    record(round, iterations);
  }
  return r;
}

}  // namespace veche::count
