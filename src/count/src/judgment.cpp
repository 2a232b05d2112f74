// Majority judgment (M. Balinski and R. Laraki, "Majority Judgment", MIT Press 2011, ch. 13):
// every voter grades every candidate; candidates are ordered by their lower median grade, and a
// tie is broken by removing one median grade from each and comparing again, as often as needed.
//
// Grades: a rated ballot's ratings (ABIF `A/5`); otherwise a ranking gives (number of candidates
// minus the rank level) to a ranked candidate. An ungraded candidate gets
// CountOptions::mj_unranked_grade.
#include <algorithm>
#include <map>

#include "common.hpp"

namespace veche::count {
namespace {

// Grades of one candidate: ascending grades and cumulative counts.
struct Grades {
  std::vector<std::int32_t> grade;
  std::vector<std::int64_t> upto;  // number of grades <= grade[i]

  std::int64_t total() const { return upto.empty() ? 0 : upto.back(); }
  // Index of the run holding sorted position q.
  std::size_t run(std::int64_t q) const {
    return static_cast<std::size_t>(std::upper_bound(upto.begin(), upto.end(), q) - upto.begin());
  }
  std::int64_t run_start(std::size_t i) const { return i == 0 ? 0 : upto[i - 1]; }
};

// First sorted position going from `q` in direction `step` where a and b hold different grades;
// -1 when none.
std::int64_t first_difference(const Grades& a, const Grades& b, std::int64_t q, int step) {
  // Every voter grades every candidate, so the totals are equal; min() keeps this safe anyway.
  const std::int64_t n = std::min(a.total(), b.total());
  while (q >= 0 && q < n) {
    const std::size_t ra = a.run(q);
    const std::size_t rb = b.run(q);
    if (a.grade[ra] != b.grade[rb]) return q;
    if (step < 0) {
      q = std::max(a.run_start(ra), b.run_start(rb)) - 1;
    } else {
      q = std::min(a.upto[ra], b.upto[rb]);
    }
  }
  return -1;
}

// Sequence index at which the grade at sorted position q is removed (see the file comment).
std::int64_t sequence_index(std::int64_t q, std::int64_t n) {
  const std::int64_t m = (n - 1) / 2;
  if (q == m) return 0;
  if (n % 2 == 1) return q < m ? 2 * (m - q) - 1 : 2 * (q - m);
  return q > m ? 2 * (q - m) - 1 : 2 * (m - q);
}

// <0: a below b, 0: equal, >0: a above b.
int compare(const Grades& a, const Grades& b) {
  const std::int64_t n = a.total();
  if (n == 0) return 0;
  const std::int64_t m = (n - 1) / 2;
  const std::int64_t lo = first_difference(a, b, m, -1);
  const std::int64_t hi = first_difference(a, b, m, +1);
  std::int64_t q = -1;
  if (lo >= 0 && hi >= 0) {
    q = sequence_index(lo, n) < sequence_index(hi, n) ? lo : hi;
  } else {
    q = lo >= 0 ? lo : hi;
  }
  if (q < 0) return 0;
  const std::int32_t ga = a.grade[a.run(q)];
  const std::int32_t gb = b.grade[b.run(q)];
  return ga < gb ? -1 : (ga > gb ? 1 : 0);
}

}  // namespace

Result<Report> count_majority_judgment(const Profile& in, const CountOptions& o) {
  VECHE_ASSIGN_OR_RETURN(Report r, detail::start_report(Method::kMajorityJudgment, in, o, 1));
  Profile storage;
  const Profile& p = normalized(in, o.ballot, /*strict=*/false, storage);
  const std::size_t n = p.num_candidates();
  const bool rated = !p.ratings.empty();
  std::vector<std::map<std::int32_t, std::int64_t>> hist(n);
  std::vector<std::uint32_t> mark(n, 0);
  std::int64_t total = 0;
  for (std::size_t g = 0; g < p.num_groups(); ++g) {
    auto b = p.ballot(g);
    const auto w = static_cast<std::int64_t>(p.weights[g]);
    total += w;
    const auto stamp = static_cast<std::uint32_t>(g + 1);
    std::int32_t level = 0;
    for (std::size_t k = 0; k < b.size(); ++k) {
      if (k > 0 && !is_tied(b[k])) ++level;
      const Item c = candidate_of(b[k]);
      mark[c] = stamp;
      const std::int32_t grade =
          rated ? p.ratings[p.offsets[g] + k] : static_cast<std::int32_t>(n) - level;
      hist[c][grade] += w;
    }
    for (std::size_t c = 0; c < n; ++c) {
      if (mark[c] != stamp) hist[c][o.mj_unranked_grade] += w;
    }
  }
  std::vector<Grades> grades(n);
  r.median_grades.assign(n, 0);
  for (std::size_t c = 0; c < n; ++c) {
    std::int64_t cum = 0;
    for (const auto& [grade, count] : hist[c]) {
      cum += count;
      grades[c].grade.push_back(grade);
      grades[c].upto.push_back(cum);
    }
    if (total > 0) r.median_grades[c] = grades[c].grade[grades[c].run((total - 1) / 2)];
  }
  r.ballots = p.total_weight();
  r.invalid_ballots = p.invalid_ballots;
  r.distinct_ballots = p.num_groups();
  const std::vector<int> rank = detail::lot_ranks(r.lot_order);
  std::vector<int> standing;
  for (std::size_t c = 0; c < n; ++c) {
    if (!(o.ballot.apply_withdrawals && p.withdrawn[c])) standing.push_back(static_cast<int>(c));
  }
  if (static_cast<int>(standing.size()) < r.seats) {
    return invalid_argument("fewer standing candidates than seats");
  }
  std::sort(standing.begin(), standing.end(), [&](int a, int b) {
    const int cmp =
        compare(grades[static_cast<std::size_t>(a)], grades[static_cast<std::size_t>(b)]);
    if (cmp != 0) return cmp > 0;
    return rank[static_cast<std::size_t>(a)] < rank[static_cast<std::size_t>(b)];
  });
  for (std::size_t i = 0; i < standing.size(); ++i) {
    if (i == 0 || compare(grades[static_cast<std::size_t>(standing[i])],
                          grades[static_cast<std::size_t>(standing[i - 1])]) != 0) {
      r.ranking.emplace_back();
    }
    r.ranking.back().push_back(standing[i]);
  }
  for (const auto& level : r.ranking) {
    if (level.size() > 1 && static_cast<int>(r.winners.size()) < r.seats) {
      r.notes.push_back("identical grade profiles for " + detail::join_names(level, r.candidates) +
                        "; ordered by lot");
    }
    for (int c : level) {
      if (static_cast<int>(r.winners.size()) < r.seats) r.winners.push_back(c);
    }
  }
  return r;
}

}  // namespace veche::count
