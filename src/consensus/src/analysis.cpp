#include "veche/consensus/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <thread>
#include <tuple>

#include "internal.hpp"

namespace veche::consensus {

namespace {

using detail::add_vote;
using detail::RowMatrix;

// Pol.is clusters a participant once they voted on min(7, statements) statements, and at
// least the 15 most active participants.
constexpr std::uint32_t kMinVotes = 7;
constexpr std::size_t kMinClustered = 15;
// k is chosen on a sample this large; the chosen k is then refined on everyone.
constexpr std::size_t kModelSample = 4'000;
constexpr std::size_t kSilhouetteSample = 2'000;
constexpr int kFinalLloyd = 3;
// Community Notes needs 5 ratings before a note gets a status.
constexpr std::uint32_t kMinBridgingVotes = 5;
// Bridging factors: as many opinion axes as the clustering found, up to this many.
constexpr int kMaxBridgingFactors = 4;

std::uint64_t mix(std::uint64_t seed, std::uint64_t salt) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (salt + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// `count` indices of [0, n) drawn without replacement from `seed`, ascending.
std::vector<std::size_t> sample_indices(std::size_t n, std::size_t count, std::uint64_t seed) {
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  if (count >= n) return all;
  core::SeededRandom random(seed);
  for (std::size_t i = 0; i < count; ++i) {
    const auto j = i + static_cast<std::size_t>(random.uniform(n - i));
    std::swap(all[i], all[j]);
  }
  all.resize(count);
  std::sort(all.begin(), all.end());
  return all;
}

RowMatrix rows_of(const RowMatrix& m, const std::vector<std::size_t>& rows, Eigen::Index cols) {
  RowMatrix out(static_cast<Eigen::Index>(rows.size()), cols);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.row(static_cast<Eigen::Index>(i)) = m.row(static_cast<Eigen::Index>(rows[i])).head(cols);
  }
  return out;
}

Status check_options(const AnalysisOptions& o) {
  if (o.min_groups < 2 || o.max_groups < o.min_groups || o.max_groups > 26) {
    return invalid_argument("groups: need 2 <= min_groups <= max_groups <= 26");
  }
  if (o.max_dimensions < 2 || o.max_dimensions > 20) {
    return invalid_argument("max_dimensions must be between 2 and 20");
  }
  if (o.dimensions != 0 && (o.dimensions < 2 || o.dimensions > o.max_dimensions)) {
    return invalid_argument("dimensions must be 0 (automatic) or between 2 and max_dimensions");
  }
  if (o.kmeans_restarts < 1 || o.kmeans_restarts > 100) {
    return invalid_argument("kmeans_restarts must be between 1 and 100");
  }
  if (o.representatives < 0 || o.top_statements < 0 || o.representatives > 1000 ||
      o.top_statements > 100000) {
    return invalid_argument("representatives and top_statements must be small non-negative");
  }
  if (o.threads < 1 || o.threads > 64) return invalid_argument("threads must be 1..64");
  if (!(o.k_hysteresis >= 0 && o.k_hysteresis <= 1)) {
    return invalid_argument("k_hysteresis must be in [0, 1]");
  }
  return ok();
}

struct Candidate {
  int k = 0;
  detail::KMeans fit;
  double silhouette = -2;
};

// Labels for new clusters: each takes the previous label it overlaps most (greedy, largest
// overlap first); the rest take the smallest labels nobody used before. Without history,
// larger clusters get smaller labels.
std::vector<int> stable_labels(const VoteMatrix& votes, const std::vector<std::size_t>& members,
                               const std::vector<int>& cluster, int k,
                               const std::unordered_map<std::string, int>& previous) {
  std::vector<int> label(static_cast<std::size_t>(k), -1);
  std::set<int> used;
  for (const auto& [id, l] : previous) used.insert(l);
  std::map<std::pair<int, int>, std::size_t> overlap;  // (cluster, previous label) -> count
  for (std::size_t i = 0; i < members.size(); ++i) {
    const auto it = previous.find(votes.participant_id(members[i]));
    if (it != previous.end()) ++overlap[{cluster[i], it->second}];
  }
  std::vector<std::tuple<std::size_t, int, int>> pairs;
  for (const auto& [key, count] : overlap) pairs.emplace_back(count, key.first, key.second);
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) > std::get<0>(b);
    return std::tie(std::get<1>(a), std::get<2>(a)) < std::tie(std::get<1>(b), std::get<2>(b));
  });
  std::set<int> taken;
  for (const auto& [count, c, l] : pairs) {
    if (label[static_cast<std::size_t>(c)] >= 0 || taken.count(l) || l < 0) continue;
    label[static_cast<std::size_t>(c)] = l;
    taken.insert(l);
  }
  // The remaining clusters, largest first (then by first member), take fresh labels.
  std::vector<std::size_t> size(static_cast<std::size_t>(k), 0);
  std::vector<std::size_t> first(static_cast<std::size_t>(k), members.size());
  for (std::size_t i = 0; i < members.size(); ++i) {
    const auto c = static_cast<std::size_t>(cluster[i]);
    ++size[c];
    first[c] = std::min(first[c], i);
  }
  std::vector<int> order(static_cast<std::size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b);
    if (size[ua] != size[ub]) return size[ua] > size[ub];
    return first[ua] < first[ub];
  });
  int next = 0;
  for (int c : order) {
    if (label[static_cast<std::size_t>(c)] >= 0) continue;
    while (used.count(next) || taken.count(next)) ++next;
    label[static_cast<std::size_t>(c)] = next;
    taken.insert(next);
  }
  return label;
}

double pa(const Counts& c) { return (c.agree + 1.0) / (c.seen() + 2.0); }
double pd(const Counts& c) { return (c.disagree + 1.0) / (c.seen() + 2.0); }

Counts minus(const Counts& a, const Counts& b) {
  return Counts{a.agree - b.agree, a.disagree - b.disagree, a.pass - b.pass};
}

Representative representativeness(std::uint32_t s, const Counts& in, const Counts& out,
                                  bool agree) {
  Representative r;
  r.statement = s;
  r.agree = agree;
  r.in_group = in;
  r.others = out;
  const double succ_in = agree ? in.agree : in.disagree;
  const double succ_out = agree ? out.agree : out.disagree;
  r.probability = agree ? pa(in) : pd(in);
  r.ratio = r.probability / (agree ? pa(out) : pd(out));
  r.z_probability = detail::prop_test(succ_in, in.seen());
  r.z_ratio = detail::two_prop_test(succ_in, succ_out, in.seen(), out.seen());
  r.metric = r.ratio * r.z_ratio * r.probability * r.z_probability;
  r.significant = r.z_probability > detail::kZ90 && r.z_ratio > detail::kZ90;
  return r;
}

}  // namespace

namespace detail {

void summarise_counts(const std::vector<char>& active, const std::vector<Counts>& group_counts,
                      const std::vector<Counts>& clustered_counts, int representatives,
                      int top_statements, Report& report, Summary& summary,
                      const std::vector<std::uint32_t>* changed) {
  const std::size_t m = active.size();
  const std::size_t groups = report.groups.size();
  auto gc = [&](std::size_t g, std::size_t s) -> const Counts& { return group_counts[g * m + s]; };
  const auto top = static_cast<std::size_t>(top_statements);

  // Per statement: the best direction for each group, the consensus scores and the widest gap.
  // A live update recomputes only the statements whose counts changed; the lists below are
  // then chosen by comparisons alone.
  auto score = [&](std::size_t s) {
    for (std::size_t g = 0; g < groups; ++g) {
      Summary::Lean& lean = summary.lean[g * m + s];
      lean = Summary::Lean{};
      if (!active[s] || gc(g, s).seen() == 0) continue;
      const Counts& in = gc(g, s);
      const Counts out = minus(clustered_counts[s], in);
      const auto id = static_cast<std::uint32_t>(s);
      const Representative a = representativeness(id, in, out, true);
      const Representative d = representativeness(id, in, out, false);
      const bool a_ok = a.ratio > 1 && a.probability > 0.5 && a.z_ratio > 0 && a.z_probability > 0;
      const bool d_ok = d.ratio > 1 && d.probability > 0.5 && d.z_ratio > 0 && d.z_probability > 0;
      if (a_ok && (!d_ok || a.metric >= d.metric)) {
        lean = Summary::Lean{true, a.significant, true, a.metric};
      } else if (d_ok) {
        lean = Summary::Lean{true, d.significant, false, d.metric};
      }
    }
    for (const bool agree : {true, false}) {
      double product = 1;
      bool all = active[s] != 0;
      for (std::size_t g = 0; g < groups && all; ++g) {
        const double p = agree ? pa(gc(g, s)) : pd(gc(g, s));
        product *= p;
        all = p > 0.5;
      }
      (agree ? summary.agree : summary.disagree)[s] = all ? product : -1;
    }
    Summary::Gap& gap = summary.gap[s];
    gap = Summary::Gap{};
    if (!active[s]) return;
    std::size_t hi = groups, lo = groups;
    for (std::size_t g = 0; g < groups; ++g) {
      if (gc(g, s).seen() == 0) continue;
      if (hi == groups || pa(gc(g, s)) > pa(gc(hi, s))) hi = g;
      if (lo == groups || pa(gc(g, s)) < pa(gc(lo, s))) lo = g;
    }
    if (hi == groups || hi == lo) return;
    gap = Summary::Gap{pa(gc(hi, s)) - pa(gc(lo, s)), static_cast<int>(hi), static_cast<int>(lo)};
  };
  if (changed == nullptr || summary.gap.size() != m) {
    summary.lean.assign(groups * m, Summary::Lean{});
    summary.agree.assign(m, -1);
    summary.disagree.assign(m, -1);
    summary.gap.assign(m, Summary::Gap{});
    for (std::size_t s = 0; s < m; ++s) score(s);
  } else {
    for (const auto s : *changed) score(s);
  }

  // Representative statements, significant first, then agreements, then by metric.
  struct Key {
    bool significant;
    bool agree;
    double metric;
    std::uint32_t statement;
  };
  auto before = [](const Key& x, const Key& y) {
    if (x.significant != y.significant) return x.significant;
    if (x.agree != y.agree) return x.agree;
    if (x.metric != y.metric) return x.metric > y.metric;
    return x.statement < y.statement;
  };
  std::vector<Key> keys;
  keys.reserve(m);
  for (std::size_t g = 0; g < groups; ++g) {
    keys.clear();
    for (std::size_t s = 0; s < m; ++s) {
      const Summary::Lean& lean = summary.lean[g * m + s];
      if (lean.listed) {
        keys.push_back(
            Key{lean.significant, lean.agree, lean.metric, static_cast<std::uint32_t>(s)});
      }
    }
    const auto keep = std::min(keys.size(), static_cast<std::size_t>(representatives));
    std::partial_sort(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(keep), keys.end(),
                      before);
    auto& reps = report.groups[g].representatives;
    reps.clear();
    for (std::size_t i = 0; i < keep; ++i) {
      const auto s = keys[i].statement;
      reps.push_back(
          representativeness(s, gc(g, s), minus(clustered_counts[s], gc(g, s)), keys[i].agree));
    }
  }

  // The best `top` statements by a per-statement score (negative: not listed), ties by index.
  std::vector<std::pair<double, std::uint32_t>> best;
  auto choose = [&](const std::vector<double>& by) {
    best.clear();
    for (std::size_t s = 0; s < m; ++s) {
      if (by[s] >= 0) best.emplace_back(by[s], static_cast<std::uint32_t>(s));
    }
    const auto keep = std::min(best.size(), top);
    std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(keep), best.end(),
                      [](const auto& x, const auto& y) {
                        if (x.first != y.first) return x.first > y.first;
                        return x.second < y.second;
                      });
    best.resize(keep);
  };

  // Group-informed consensus, both ways.
  report.consensus.clear();
  for (const bool agree : {true, false}) {
    choose(agree ? summary.agree : summary.disagree);
    for (const auto& [unused, s] : best) {
      ConsensusStatement c;
      c.statement = s;
      c.agree = agree;
      c.score = 1;
      c.confidence = 1;
      c.counts = report.statement_counts[s];
      for (std::size_t g = 0; g < groups; ++g) {
        const Counts& in = gc(g, s);
        const double p = agree ? pa(in) : pd(in);
        c.group_probability.push_back(p);
        c.score *= p;
        c.confidence = std::min(c.confidence, detail::normal_cdf(detail::prop_test(
                                                  agree ? in.agree : in.disagree, in.seen())));
      }
      report.consensus.push_back(std::move(c));
    }
  }

  // Divisive: the widest gap in agreement between two groups.
  std::vector<double> gaps(m);
  for (std::size_t s = 0; s < m; ++s) gaps[s] = summary.gap[s].hi < 0 ? -1 : summary.gap[s].score;
  choose(gaps);
  report.divisive.clear();
  for (const auto& [score_, s] : best) {
    const auto hi = static_cast<std::size_t>(summary.gap[s].hi);
    const auto lo = static_cast<std::size_t>(summary.gap[s].lo);
    DivisiveStatement d;
    d.statement = s;
    d.score = score_;
    d.agreeing_group = static_cast<int>(hi);
    d.disagreeing_group = static_cast<int>(lo);
    d.z =
        detail::two_prop_test(gc(hi, s).agree, gc(lo, s).agree, gc(hi, s).seen(), gc(lo, s).seen());
    d.confidence = detail::normal_cdf(d.z);
    d.counts = report.statement_counts[s];
    report.divisive.push_back(d);
  }
}

void rank_bridging(const std::vector<char>& active, const Bridging& bridging, int top_statements,
                   Report& report) {
  std::vector<std::pair<double, std::uint32_t>> list;  // (intercept, statement)
  for (std::size_t s = 0; s < active.size(); ++s) {
    if (!active[s] || report.statement_counts[s].seen() < kMinBridgingVotes) continue;
    list.emplace_back(bridging.intercept[static_cast<Eigen::Index>(s)],
                      static_cast<std::uint32_t>(s));
  }
  const auto keep = std::min(list.size(), static_cast<std::size_t>(top_statements));
  std::partial_sort(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(keep), list.end(),
                    [](const auto& x, const auto& y) {
                      if (x.first != y.first) return x.first > y.first;
                      return x.second < y.second;
                    });
  report.bridging.clear();
  for (std::size_t i = 0; i < keep; ++i) {
    const auto s = list[i].second;
    const auto e = static_cast<Eigen::Index>(s);
    BridgingStatement b;
    b.statement = s;
    b.intercept = bridging.intercept[e];
    b.factor = bridging.factor[e];
    b.standard_error = bridging.standard_error[e];
    b.bridges = b.intercept - detail::kZ90 * b.standard_error >= kBridgingIntercept;
    b.counts = report.statement_counts[s];
    report.bridging.push_back(b);
  }
}

}  // namespace detail

std::string group_name(int label) {
  std::string out;
  int n = label;
  do {
    out.insert(out.begin(), static_cast<char>('A' + n % 26));
    n = n / 26 - 1;
  } while (n >= 0);
  return out;
}

std::unordered_map<std::string, int> group_labels(const VoteMatrix& votes, const Report& report) {
  std::unordered_map<std::string, int> out;
  for (std::size_t p = 0; p < report.assignment.size(); ++p) {
    const int g = report.assignment[p];
    if (g >= 0)
      out.emplace(votes.participant_id(p), report.groups[static_cast<std::size_t>(g)].label);
  }
  return out;
}

Result<Report> analyse(const VoteMatrix& votes, const AnalysisOptions& options) {
  return detail::analyse(votes, options, nullptr);
}

namespace detail {

Result<Report> analyse(const VoteMatrix& votes, const AnalysisOptions& options, Model* model) {
  VECHE_TRY(check_options(options));
  const auto active = detail::find_active(votes);
  if (active.statements < 2) {
    return failed_precondition("at least 2 statements with votes are needed, found " +
                               std::to_string(active.statements));
  }
  const auto n = votes.participant_count();
  const auto m = votes.statement_count();
  const int threads = options.threads;

  Report report;
  report.participants = active.participants;
  report.statements = active.statements;
  report.votes = active.total_votes;

  // Who is clustered.
  const std::uint32_t min_votes =
      static_cast<std::uint32_t>(std::min<std::size_t>(kMinVotes, active.statements));
  std::vector<std::size_t> members;
  for (std::size_t p = 0; p < n; ++p) {
    if (active.votes[p] >= min_votes) members.push_back(p);
  }
  if (members.size() < kMinClustered) {
    std::vector<std::size_t> by_votes;
    for (std::size_t p = 0; p < n; ++p) {
      if (active.votes[p] > 0) by_votes.push_back(p);
    }
    std::stable_sort(by_votes.begin(), by_votes.end(), [&](std::size_t a, std::size_t b) {
      return active.votes[a] > active.votes[b];
    });
    by_votes.resize(std::min(by_votes.size(), kMinClustered));
    members = std::move(by_votes);
    std::sort(members.begin(), members.end());
  }
  if (members.size() < static_cast<std::size_t>(options.min_groups) + 1) {
    return failed_precondition("too few participants with votes to form groups: " +
                               std::to_string(members.size()));
  }
  report.clustered = members.size();

  // Embedding.
  const int rank = static_cast<int>(std::min<std::size_t>(
      {static_cast<std::size_t>(options.max_dimensions), active.statements, active.participants}));
  if (rank < 2) return failed_precondition("the votes support fewer than 2 dimensions");
  auto embedding = detail::fit_embedding(votes, active, rank, mix(options.seed, 1), threads);
  const RowMatrix coords = detail::project(votes, active, embedding, threads);
  report.explained_variance = embedding.share;
  const int dims = options.dimensions != 0 ? std::min(options.dimensions, rank)
                                           : detail::choose_dimensions(embedding);
  report.dimensions = dims;
  report.map.assign(n, {0.0f, 0.0f});
  for (std::size_t p = 0; p < n; ++p) {
    report.map[p] = {static_cast<float>(coords(static_cast<Eigen::Index>(p), 0)),
                     static_cast<float>(coords(static_cast<Eigen::Index>(p), 1))};
  }
  const RowMatrix points = rows_of(coords, members, dims);

  // Choose k on a sample, with silhouette on a smaller sample.
  const auto model_rows = sample_indices(members.size(), kModelSample, mix(options.seed, 2));
  const RowMatrix model_points = rows_of(points, model_rows, dims);
  const auto sil_rows = sample_indices(model_rows.size(), kSilhouetteSample, mix(options.seed, 3));
  const RowMatrix sil_points = rows_of(model_points, sil_rows, dims);
  const int k_max = static_cast<int>(
      std::min<std::size_t>(static_cast<std::size_t>(options.max_groups), model_rows.size() - 1));
  const int k_min = std::min(options.min_groups, k_max);
  std::vector<Candidate> candidates(static_cast<std::size_t>(k_max - k_min + 1));
  {
    auto work = [&](std::size_t first, std::size_t step) {
      for (std::size_t i = first; i < candidates.size(); i += step) {
        Candidate& c = candidates[i];
        c.k = k_min + static_cast<int>(i);
        c.fit = detail::kmeans(model_points, c.k,
                               mix(options.seed, 100 + static_cast<std::uint64_t>(c.k)),
                               options.kmeans_restarts);
        std::vector<int> labels(sil_rows.size());
        for (std::size_t j = 0; j < sil_rows.size(); ++j) labels[j] = c.fit.labels[sil_rows[j]];
        c.silhouette = detail::silhouette(sil_points, labels, c.k);
      }
    };
    const auto t =
        static_cast<std::size_t>(std::min<int>(threads, static_cast<int>(candidates.size())));
    std::vector<std::thread> workers;
    for (std::size_t i = 1; i < t; ++i) workers.emplace_back(work, i, t);
    work(0, std::max<std::size_t>(t, 1));
    for (auto& w : workers) w.join();
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < candidates.size(); ++i) {
    if (candidates[i].silhouette > candidates[best].silhouette) best = i;
  }
  if (!options.previous_groups.empty()) {
    std::set<int> previous_labels;
    for (const auto& [id, l] : options.previous_groups) previous_labels.insert(l);
    const int previous_k = static_cast<int>(previous_labels.size());
    if (previous_k >= k_min && previous_k <= k_max) {
      const auto i = static_cast<std::size_t>(previous_k - k_min);
      if (candidates[i].silhouette >= candidates[best].silhouette - options.k_hysteresis) best = i;
    }
  }
  const int k = candidates[best].k;
  report.silhouette = candidates[best].silhouette;
  // Everyone else joins the nearest centre of the sample's clustering, then a few Lloyd
  // iterations settle the centres (50 on every participant cost more than the factorization).
  detail::KMeans final_fit =
      model_rows.size() == members.size()
          ? std::move(candidates[best].fit)
          : detail::refine(points, candidates[best].fit.centers, kFinalLloyd);

  // Stable labels and groups.
  const auto labels = stable_labels(votes, members, final_fit.labels, k, options.previous_groups);
  std::vector<int> by_label(static_cast<std::size_t>(k));
  std::iota(by_label.begin(), by_label.end(), 0);
  std::sort(by_label.begin(), by_label.end(), [&](int a, int b) {
    return labels[static_cast<std::size_t>(a)] < labels[static_cast<std::size_t>(b)];
  });
  std::vector<int> group_of_cluster(static_cast<std::size_t>(k));
  report.groups.resize(static_cast<std::size_t>(k));
  for (int g = 0; g < k; ++g) {
    group_of_cluster[static_cast<std::size_t>(by_label[static_cast<std::size_t>(g)])] = g;
    report.groups[static_cast<std::size_t>(g)].label =
        labels[static_cast<std::size_t>(by_label[static_cast<std::size_t>(g)])];
  }
  report.assignment.assign(n, -1);
  for (std::size_t i = 0; i < members.size(); ++i) {
    const int g = group_of_cluster[static_cast<std::size_t>(final_fit.labels[i])];
    report.assignment[members[i]] = g;
    ++report.groups[static_cast<std::size_t>(g)].size;
  }

  // Counts: overall, per group, and over all clustered participants.
  const auto groups = static_cast<std::size_t>(k);
  report.statement_counts.assign(m, Counts{});
  std::vector<Counts> group_counts(groups * m);
  std::vector<Counts> clustered_counts(m);
  for (std::size_t s = 0; s < m; ++s) {
    if (!active.statement[s]) continue;
    for (auto c = votes.column_begin(s); c != votes.column_end(s); ++c) {
      add_vote(report.statement_counts[s], c->vote);
      const int g = report.assignment[c->index];
      if (g < 0) continue;
      add_vote(group_counts[static_cast<std::size_t>(g) * m + s], c->vote);
      add_vote(clustered_counts[s], c->vote);
    }
  }
  Summary summary;
  summarise_counts(active.statement, group_counts, clustered_counts, options.representatives,
                   options.top_statements, report, summary, nullptr);

  // Bridging (Community Notes).
  auto bridging = detail::fit_bridging(votes, active, std::min(dims, kMaxBridgingFactors),
                                       mix(options.seed, 4), threads, &embedding);
  rank_bridging(active.statement, bridging, options.top_statements, report);

  if (model != nullptr) {
    model->active = active;
    model->min_votes = min_votes;
    model->embedding = std::move(embedding);
    model->dimensions = dims;
    model->centers.resize(k, dims);
    for (int c = 0; c < k; ++c) {
      model->centers.row(group_of_cluster[static_cast<std::size_t>(c)]) = final_fit.centers.row(c);
    }
    model->group_counts = std::move(group_counts);
    model->summary = std::move(summary);
    model->clustered_counts = std::move(clustered_counts);
    model->bridging = std::move(bridging);
    model->representatives = options.representatives;
    model->top_statements = options.top_statements;
  }
  return report;
}

}  // namespace detail

}  // namespace veche::consensus
