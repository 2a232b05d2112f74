#include "common.hpp"

#include <algorithm>
#include <span>

#include "veche/core/random.hpp"

namespace veche::count {

const char* method_name(Method method) {
  switch (method) {
    case Method::kPlurality:
      return "plurality";
    case Method::kApproval:
      return "approval";
    case Method::kInstantRunoff:
      return "irv";
    case Method::kSchulze:
      return "schulze";
    case Method::kRankedPairs:
      return "ranked-pairs";
    case Method::kMajorityJudgment:
      return "majority-judgment";
    case Method::kDHondt:
      return "dhondt";
    case Method::kSainteLague:
      return "sainte-lague";
    case Method::kScottishStv:
      return "scottish";
    case Method::kMeekStv:
      return "meek";
  }
  return "unknown";
}

std::optional<Method> method_from_name(std::string_view name) {
  for (Method m : {Method::kPlurality, Method::kApproval, Method::kInstantRunoff, Method::kSchulze,
                   Method::kRankedPairs, Method::kMajorityJudgment, Method::kDHondt,
                   Method::kSainteLague, Method::kScottishStv, Method::kMeekStv}) {
    if (name == method_name(m)) return m;
  }
  return std::nullopt;
}

std::vector<int> lot_order(std::size_t n, const std::array<std::byte, 32>& seed) {
  std::vector<int> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<int>(i);
  core::SeededRandom random(std::span<const std::byte, 32>(seed.data(), 32));
  for (std::size_t i = n; i > 1; --i) {
    const auto j = static_cast<std::size_t>(random.uniform(i));
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

Result<Report> count(Method method, const Profile& profile, const CountOptions& options) {
  switch (method) {
    case Method::kPlurality:
      return count_plurality(profile, options);
    case Method::kApproval:
      return count_approval(profile, options);
    case Method::kInstantRunoff:
      return count_instant_runoff(profile, options);
    case Method::kSchulze:
      return count_schulze(profile, options);
    case Method::kRankedPairs:
      return count_ranked_pairs(profile, options);
    case Method::kMajorityJudgment:
      return count_majority_judgment(profile, options);
    case Method::kDHondt:
    case Method::kSainteLague:
      return count_party_list(method, profile, options);
    case Method::kScottishStv:
      return count_scottish_stv(profile, options);
    case Method::kMeekStv:
      return count_meek_stv(profile, options);
  }
  return invalid_argument("unknown method");
}

namespace detail {

Result<Report> start_report(Method method, const Profile& profile, const CountOptions& options,
                            std::int64_t scale) {
  Report r;
  r.method = method;
  r.title = profile.title;
  r.candidates = profile.candidates;
  r.seats = options.seats > 0 ? options.seats : profile.seats;
  r.scale = scale;
  if (profile.candidates.empty()) return invalid_argument("no candidates");
  if (profile.candidates.size() > kMaxCandidates) return too_large("too many candidates");
  if (r.seats < 1 || static_cast<std::size_t>(r.seats) > profile.candidates.size()) {
    return invalid_argument("seats must be between 1 and the number of candidates (" +
                            std::to_string(profile.candidates.size()) + ")");
  }
  r.lot_order = lot_order(profile.candidates.size(), options.seed);
  return r;
}

std::vector<int> lot_ranks(const std::vector<int>& order) {
  std::vector<int> rank(order.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    rank[static_cast<std::size_t>(order[i])] = static_cast<int>(i);
  return rank;
}

std::string join_names(const std::vector<int>& who, const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < who.size(); ++i) {
    if (i > 0) s += ", ";
    s += names[static_cast<std::size_t>(who[i])];
  }
  return s;
}

int break_tie(std::vector<int> tied, const std::vector<Round>& rounds, bool lowest, bool look_back,
              const std::vector<int>& lot_rank, const std::vector<std::string>& names,
              std::vector<std::string>& notes, const std::string& what) {
  const std::string all = join_names(tied, names);
  if (look_back) {
    for (auto r = rounds.rbegin(); r != rounds.rend() && tied.size() > 1; ++r) {
      if (r->votes.empty()) continue;
      std::int64_t best = r->votes[static_cast<std::size_t>(tied[0])];
      for (int c : tied) {
        const std::int64_t v = r->votes[static_cast<std::size_t>(c)];
        best = lowest ? std::min(best, v) : std::max(best, v);
      }
      std::vector<int> keep;
      for (int c : tied) {
        if (r->votes[static_cast<std::size_t>(c)] == best) keep.push_back(c);
      }
      if (keep.size() < tied.size()) {
        notes.push_back("tie for " + what + " among " + all + " narrowed to " +
                        join_names(keep, names) + " by looking back to round " +
                        std::to_string(r->number));
        tied = std::move(keep);
      }
    }
  }
  if (tied.size() == 1) return tied[0];
  // By lot: exclusion takes the candidate latest in the lot order; election the earliest.
  int pick = tied[0];
  for (int c : tied) {
    const bool later =
        lot_rank[static_cast<std::size_t>(c)] > lot_rank[static_cast<std::size_t>(pick)];
    if (lowest ? later : !later) pick = c;
  }
  notes.push_back("tie for " + what + " among " + join_names(tied, names) +
                  " decided by lot: " + names[static_cast<std::size_t>(pick)]);
  return pick;
}

std::vector<int> order_by_votes(const std::vector<int>& candidates,
                                const std::vector<std::int64_t>& votes,
                                const std::vector<int>& lot_rank) {
  std::vector<int> out = candidates;
  std::sort(out.begin(), out.end(), [&](int a, int b) {
    const auto ua = static_cast<std::size_t>(a);
    const auto ub = static_cast<std::size_t>(b);
    if (votes[ua] != votes[ub]) return votes[ua] > votes[ub];
    return lot_rank[ua] < lot_rank[ub];
  });
  return out;
}

std::vector<std::vector<int>> levels_by_score(const std::vector<std::int64_t>& score,
                                              const std::vector<int>& lot_rank) {
  std::vector<int> all(score.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  std::vector<int> order = order_by_votes(all, score, lot_rank);
  std::vector<std::vector<int>> levels;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i == 0 || score[static_cast<std::size_t>(order[i])] !=
                      score[static_cast<std::size_t>(order[i - 1])]) {
      levels.emplace_back();
    }
    levels.back().push_back(order[i]);
  }
  return levels;
}

}  // namespace detail
}  // namespace veche::count
