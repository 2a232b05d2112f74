// Schulze and ranked pairs, both from the pairwise matrix d[i][j] = voters ranking i above j
// (a ranked candidate is above every unranked one; equal ranks and two unranked candidates give
// no preference).
#include <algorithm>
#include <thread>

#include "common.hpp"

namespace veche::count {
namespace {

using Matrix = std::vector<std::vector<std::int64_t>>;

struct Pairwise {
  Profile storage;
  const Profile* profile = nullptr;
  Matrix d;
  std::vector<int> standing;  // candidates not withdrawn
};

// Fills `out` (not movable once profile points into it).
void pairwise(const Profile& in, const CountOptions& o, Pairwise& out) {
  out.profile = &normalized(in, o.ballot, /*strict=*/false, out.storage);
  const Profile& p = *out.profile;
  const std::size_t n = p.num_candidates();
  // d[c][x] = (voters ranking c) - (voters ranking c with x at or above c's level): each ballot
  // then costs one addition per pair of its ranked candidates (about L^2/2 for a ranking of
  // length L) instead of one per candidate of the election for each one it ranks.
  // Large profiles are summed on two threads, each over half of the groups, into its own
  // counters; the sums are exact integers, so the split never changes the matrix.
  struct Sums {
    std::vector<std::int64_t> ranked_by;
    std::vector<std::int64_t> at_or_above;
  };
  auto sum_groups = [&p, n](std::size_t from, std::size_t to, Sums& s) {
    s.ranked_by.assign(n, 0);
    s.at_or_above.assign(n * n, 0);
    for (std::size_t g = from; g < to; ++g) {
      auto b = p.ballot(g);
      const auto w = static_cast<std::int64_t>(p.weights[g]);
      std::size_t k = 0;
      while (k < b.size()) {
        std::size_t e = k + 1;
        while (e < b.size() && is_tied(b[e])) ++e;
        for (std::size_t j = k; j < e; ++j) {
          const std::size_t c = candidate_of(b[j]);
          s.ranked_by[c] += w;
          std::int64_t* row = s.at_or_above.data() + c * n;
          for (std::size_t i = 0; i < e; ++i) row[candidate_of(b[i])] += w;
        }
        k = e;
      }
    }
  };
  constexpr std::size_t kParallelGroups = 20000;
  const std::size_t groups = p.num_groups();
  Sums first;
  if (groups >= kParallelGroups && std::thread::hardware_concurrency() > 1) {
    Sums second;
    std::thread worker([&] { sum_groups(groups / 2, groups, second); });
    sum_groups(0, groups / 2, first);
    worker.join();
    for (std::size_t c = 0; c < n; ++c) first.ranked_by[c] += second.ranked_by[c];
    for (std::size_t i = 0; i < n * n; ++i) first.at_or_above[i] += second.at_or_above[i];
  } else {
    sum_groups(0, groups, first);
  }
  const std::vector<std::int64_t>& ranked_by = first.ranked_by;
  const std::vector<std::int64_t>& at_or_above = first.at_or_above;
  out.d.assign(n, std::vector<std::int64_t>(n, 0));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) out.d[i][j] = ranked_by[i] - at_or_above[i * n + j];
  }
  for (std::size_t c = 0; c < n; ++c) {
    if (!(o.ballot.apply_withdrawals && c < p.withdrawn.size() && p.withdrawn[c])) {
      out.standing.push_back(static_cast<int>(c));
    }
  }
}

void fill_common(Report& r, const Pairwise& pw) {
  r.ballots = pw.profile->total_weight();
  r.invalid_ballots = pw.profile->invalid_ballots;
  r.distinct_ballots = pw.profile->num_groups();
  r.pairwise = pw.d;
}

// Winners: the first `seats` of the ranking, levels broken by lot.
void winners_from_levels(Report& r, const std::vector<int>& rank) {
  for (auto level : r.ranking) {
    if (level.size() > 1 && static_cast<int>(r.winners.size()) < r.seats) {
      std::sort(level.begin(), level.end(), [&](int a, int b) {
        return rank[static_cast<std::size_t>(a)] < rank[static_cast<std::size_t>(b)];
      });
      r.notes.push_back("tie among " + detail::join_names(level, r.candidates) +
                        " ordered by lot: " + detail::join_names(level, r.candidates));
    }
    for (int c : level) {
      if (static_cast<int>(r.winners.size()) < r.seats) r.winners.push_back(c);
    }
  }
}

}  // namespace

// Schulze (M. Schulze, "A new monotonic, clone-independent, reversal symmetric, and
// Condorcet-consistent single-winner election method", Social Choice and Welfare 36, 2011):
// link strength = winning votes d[i][j] when d[i][j] > d[j][i]; strongest paths by the
// Floyd-Warshall variant of section 2.3; i is ranked above j when p[i][j] > p[j][i].
Result<Report> count_schulze(const Profile& in, const CountOptions& o) {
  VECHE_ASSIGN_OR_RETURN(Report r, detail::start_report(Method::kSchulze, in, o, 1));
  Pairwise pw;
  pairwise(in, o, pw);
  if (static_cast<int>(pw.standing.size()) < r.seats) {
    return invalid_argument("fewer standing candidates than seats");
  }
  fill_common(r, pw);
  const std::size_t n = pw.d.size();
  Matrix p(n, std::vector<std::int64_t>(n, 0));
  for (int i : pw.standing) {
    for (int j : pw.standing) {
      const auto ui = static_cast<std::size_t>(i);
      const auto uj = static_cast<std::size_t>(j);
      if (i != j && pw.d[ui][uj] > pw.d[uj][ui]) p[ui][uj] = pw.d[ui][uj];
    }
  }
  for (int i : pw.standing) {
    const auto ui = static_cast<std::size_t>(i);
    for (int j : pw.standing) {
      const auto uj = static_cast<std::size_t>(j);
      if (i == j || p[uj][ui] == 0) continue;
      for (int k : pw.standing) {
        const auto uk = static_cast<std::size_t>(k);
        if (k == i || k == j) continue;
        p[uj][uk] = std::max(p[uj][uk], std::min(p[uj][ui], p[ui][uk]));
      }
    }
  }
  r.strongest = p;
  std::vector<std::int64_t> wins(n, -1);
  for (int i : pw.standing) {
    std::int64_t w = 0;
    for (int j : pw.standing) {
      if (p[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] >
          p[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)]) {
        ++w;
      }
    }
    wins[static_cast<std::size_t>(i)] = w;
  }
  const std::vector<int> rank = detail::lot_ranks(r.lot_order);
  // The relation p[i][j] >= p[j][i] is transitive (Schulze, section 4.1), so the number of
  // candidates each one beats orders it; equal counts are ties.
  for (auto& level : detail::levels_by_score(wins, rank)) {
    if (wins[static_cast<std::size_t>(level[0])] >= 0) r.ranking.push_back(level);
  }
  winners_from_levels(r, rank);
  return r;
}

// Ranked pairs (T. N. Tideman, "Independence of clones as a criterion for voting rules", Social
// Choice and Welfare 4, 1987): majorities sorted by winning votes, then by fewer opposing votes,
// then by the lot order of the winner and of the loser; each is locked unless it would close a
// cycle. The ranking peels candidates no locked pair points to.
Result<Report> count_ranked_pairs(const Profile& in, const CountOptions& o) {
  VECHE_ASSIGN_OR_RETURN(Report r, detail::start_report(Method::kRankedPairs, in, o, 1));
  Pairwise pw;
  pairwise(in, o, pw);
  if (static_cast<int>(pw.standing.size()) < r.seats) {
    return invalid_argument("fewer standing candidates than seats");
  }
  fill_common(r, pw);
  const std::size_t n = pw.d.size();
  const std::vector<int> rank = detail::lot_ranks(r.lot_order);
  std::vector<std::pair<int, int>> pairs;
  for (int i : pw.standing) {
    for (int j : pw.standing) {
      if (pw.d[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] >
          pw.d[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)]) {
        pairs.emplace_back(i, j);
      }
    }
  }
  auto dv = [&](int a, int b) {
    return pw.d[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)];
  };
  std::sort(pairs.begin(), pairs.end(), [&](const auto& x, const auto& y) {
    if (dv(x.first, x.second) != dv(y.first, y.second)) {
      return dv(x.first, x.second) > dv(y.first, y.second);
    }
    if (dv(x.second, x.first) != dv(y.second, y.first)) {
      return dv(x.second, x.first) < dv(y.second, y.first);
    }
    const auto rx = rank[static_cast<std::size_t>(x.first)];
    const auto ry = rank[static_cast<std::size_t>(y.first)];
    if (rx != ry) return rx < ry;
    return rank[static_cast<std::size_t>(x.second)] > rank[static_cast<std::size_t>(y.second)];
  });
  std::vector<std::vector<char>> locked(n, std::vector<char>(n, 0));
  std::vector<char> visited(n);
  std::vector<int> stack;
  auto reaches = [&](int from, int to) {
    std::fill(visited.begin(), visited.end(), 0);
    stack.assign(1, from);
    visited[static_cast<std::size_t>(from)] = 1;
    while (!stack.empty()) {
      const int x = stack.back();
      stack.pop_back();
      if (x == to) return true;
      for (std::size_t y = 0; y < n; ++y) {
        if (locked[static_cast<std::size_t>(x)][y] && !visited[y]) {
          visited[y] = 1;
          stack.push_back(static_cast<int>(y));
        }
      }
    }
    return false;
  };
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const auto [a, b] = pairs[k];
    if (k + 1 < pairs.size() && dv(a, b) == dv(pairs[k + 1].first, pairs[k + 1].second) &&
        dv(b, a) == dv(pairs[k + 1].second, pairs[k + 1].first)) {
      r.notes.push_back("pairs " + r.candidates[static_cast<std::size_t>(a)] + ">" +
                        r.candidates[static_cast<std::size_t>(b)] + " and " +
                        r.candidates[static_cast<std::size_t>(pairs[k + 1].first)] + ">" +
                        r.candidates[static_cast<std::size_t>(pairs[k + 1].second)] +
                        " are equally strong; ordered by lot");
    }
    if (!reaches(b, a)) {
      locked[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)] = 1;
      r.locked.emplace_back(a, b);
    }
  }
  std::vector<int> remaining = pw.standing;
  while (!remaining.empty()) {
    std::vector<int> sources;
    for (int c : remaining) {
      bool beaten = false;
      for (int x : remaining) {
        if (locked[static_cast<std::size_t>(x)][static_cast<std::size_t>(c)]) beaten = true;
      }
      if (!beaten) sources.push_back(c);
    }
    VECHE_CHECK(!sources.empty(), "a locked graph without cycles always has a source");
    std::sort(sources.begin(), sources.end(), [&](int a, int b) {
      return rank[static_cast<std::size_t>(a)] < rank[static_cast<std::size_t>(b)];
    });
    r.ranking.push_back(sources);
    std::erase_if(remaining, [&](int c) {
      return std::find(sources.begin(), sources.end(), c) != sources.end();
    });
  }
  winners_from_levels(r, rank);
  return r;
}

}  // namespace veche::count
