#include "veche/consensus/live.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "internal.hpp"

namespace veche::consensus {

namespace {

using Cell = VoteMatrix::Cell;

struct IdHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// Sets the vote on `index` in a list ordered by index; returns the vote it replaced.
std::optional<Vote> put(std::vector<Cell>& cells, std::uint32_t index, Vote vote) {
  auto it = std::lower_bound(cells.begin(), cells.end(), index,
                             [](const Cell& c, std::uint32_t i) { return c.index < i; });
  if (it != cells.end() && it->index == index) return std::exchange(it->vote, vote);
  cells.insert(it, Cell{index, vote});
  return std::nullopt;
}

std::optional<Vote> find(const Cell* begin, const Cell* end, std::uint32_t index) {
  const auto it = std::lower_bound(begin, end, index,
                                   [](const Cell& c, std::uint32_t i) { return c.index < i; });
  if (it != end && it->index == index) return it->vote;
  return std::nullopt;
}

// Calls fn(index, vote) over a sorted base list with the cells of `overlay` replacing or
// joining it, in index order.
template <class Fn>
void merged(const Cell* begin, const Cell* end, const std::vector<Cell>* overlay, Fn&& fn) {
  if (overlay == nullptr) {
    for (auto c = begin; c != end; ++c) fn(c->index, c->vote);
    return;
  }
  auto o = overlay->begin();
  for (auto c = begin; c != end; ++c) {
    for (; o != overlay->end() && o->index < c->index; ++o) fn(o->index, o->vote);
    if (o != overlay->end() && o->index == c->index) {
      fn(o->index, o->vote);
      ++o;
    } else {
      fn(c->index, c->vote);
    }
  }
  for (; o != overlay->end(); ++o) fn(o->index, o->vote);
}

}  // namespace

struct LiveAnalysis::State {
  VoteMatrix votes;
  Report report;
  detail::Model model;
  std::vector<std::string> newcomers;  // ids of participants index >= votes.participant_count()
  std::unordered_map<std::string, std::uint32_t, IdHash, std::equal_to<>> newcomer_index;
  // Votes since the full analysis, by participant (cells hold statements) and by statement
  // (cells hold participants); each ordered by index.
  std::unordered_map<std::uint32_t, std::vector<Cell>> rows;
  std::unordered_map<std::uint32_t, std::vector<Cell>> columns;
  std::size_t added = 0;
  std::vector<std::uint32_t> changed;  // statements whose counts an update changed

  std::size_t base_participants() const { return votes.participant_count(); }

  template <class Fn>
  void each_vote_of(std::uint32_t p, Fn&& fn) const {
    const auto it = rows.find(p);
    const std::vector<Cell>* overlay = it == rows.end() ? nullptr : &it->second;
    if (p < base_participants()) {
      merged(votes.row_begin(p), votes.row_end(p), overlay, fn);
    } else {
      merged(nullptr, nullptr, overlay, fn);
    }
  }

  template <class Fn>
  void each_vote_on(std::uint32_t s, Fn&& fn) const {
    const auto it = columns.find(s);
    merged(votes.column_begin(s), votes.column_end(s), it == columns.end() ? nullptr : &it->second,
           fn);
  }

  std::uint32_t participant(std::string_view id) {
    if (const auto p = votes.find_participant(id); p >= 0) return static_cast<std::uint32_t>(p);
    if (const auto it = newcomer_index.find(id); it != newcomer_index.end()) return it->second;
    const auto p = static_cast<std::uint32_t>(base_participants() + newcomers.size());
    newcomers.emplace_back(id);
    newcomer_index.emplace(std::string(id), p);
    report.assignment.push_back(-1);
    report.map.push_back({0.0f, 0.0f});
    model.active.votes.push_back(0);
    // Room for newcomers grows by a quarter at a time (copying 100,000 rows per newcomer
    // showed in the update latency); rows beyond the newcomers are never read.
    auto& params = model.bridging.participants;
    if (static_cast<Eigen::Index>(p) >= params.rows()) {
      const auto old = params.rows();
      params.conservativeResize(std::max<Eigen::Index>(p + 1, old + old / 4 + 16), Eigen::NoChange);
      params.bottomRows(params.rows() - old).setZero();
    }
    return p;
  }

  void count(std::uint32_t s, int group, Vote vote, int sign) {
    const auto m = votes.statement_count();
    if (group < 0) return;
    detail::add_vote(model.group_counts[static_cast<std::size_t>(group) * m + s], vote, sign);
    detail::add_vote(model.clustered_counts[s], vote, sign);
  }

  // The Pol.is projection of participant p's votes on the fixed components, as project() does.
  Eigen::VectorXd position(std::uint32_t p) const {
    const auto& e = model.embedding;
    Eigen::VectorXd x = Eigen::VectorXd::Zero(e.components.cols());
    std::uint32_t n = 0;
    each_vote_of(p, [&](std::uint32_t s, Vote v) {
      if (!model.active.statement[s]) return;
      x.noalias() += (static_cast<double>(v) - e.mean[s]) * e.components.row(s).transpose();
      ++n;
    });
    if (n > 0) x *= std::sqrt(static_cast<double>(model.active.statements) / n);
    return x;
  }

  int nearest_group(const Eigen::VectorXd& x) const {
    int best = -1;
    double best_d = std::numeric_limits<double>::infinity();
    const auto dims = model.centers.cols();
    for (Eigen::Index g = 0; g < model.centers.rows(); ++g) {
      const double d = (model.centers.row(g).transpose() - x.head(dims)).squaredNorm();
      if (d < best_d) {
        best_d = d;
        best = static_cast<int>(g);
      }
    }
    return best;
  }

  // One ridge solve of the bridging factorization for a participant (against the statements'
  // parameters) or a statement (against the participants'), as in fit_bridging().
  template <class Each>
  Eigen::VectorXd solve_bridging(const detail::RowMatrix& other, double per_row, Each each) const {
    const auto r = other.cols();
    const double mu = model.bridging.mu;
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(r, r);
    Eigen::VectorXd b = Eigen::VectorXd::Zero(r), x(r);
    bool any = false;
    each([&](std::uint32_t i, Vote v) {
      const auto o = other.row(i);
      x[0] = 1;
      x.tail(r - 1) = o.tail(r - 1).transpose();
      detail::accumulate(a, b, x.data(), detail::bridging_rating(v) - mu - o[0]);
      any = true;
    });
    if (!any) return Eigen::VectorXd::Zero(r);
    a(0, 0) += detail::kInterceptLambda * per_row;
    for (Eigen::Index k = 1; k < r; ++k) a(k, k) += detail::kFactorLambda * per_row;
    return a.selfadjointView<Eigen::Lower>().ldlt().solve(b);
  }

  void apply(std::uint32_t p, std::uint32_t s, Vote vote) {
    std::optional<Vote> previous;
    if (const auto it = rows.find(p); it != rows.end()) {
      const auto& cells = it->second;
      previous = find(cells.data(), cells.data() + cells.size(), s);
    }
    if (!previous && p < base_participants()) {
      previous = find(votes.row_begin(p), votes.row_end(p), s);
    }
    put(rows[p], s, vote);
    put(columns[s], p, vote);
    ++added;

    // Counts of the statement, overall and in the voter's group.
    const int group = report.assignment[p];
    if (previous) {
      detail::add_vote(report.statement_counts[s], *previous, -1);
      count(s, group, *previous, -1);
    } else {
      if (model.active.votes[p]++ == 0) ++report.participants;
      ++report.votes;
    }
    detail::add_vote(report.statement_counts[s], vote);
    count(s, group, vote, 1);

    // Position and group of the voter.
    const Eigen::VectorXd x = position(p);
    report.map[p] = {static_cast<float>(x[0]), static_cast<float>(x[1])};
    int now = group;
    if (model.active.votes[p] >= model.min_votes) now = nearest_group(x);
    changed.assign(1, s);
    if (now != group) {
      each_vote_of(p, [&](std::uint32_t t, Vote v) {
        if (!model.active.statement[t]) return;
        count(t, group, v, -1);
        count(t, now, v, 1);
        if (t != s) changed.push_back(t);
      });
      if (group >= 0) {
        --report.groups[static_cast<std::size_t>(group)].size;
      } else {
        ++report.clustered;
      }
      ++report.groups[static_cast<std::size_t>(now)].size;
      report.assignment[p] = now;
    }

    // Bridging: the voter's parameters, then the statement's, against the others fixed.
    auto& bridging = model.bridging;
    const Eigen::VectorXd mine =
        solve_bridging(bridging.statements, bridging.per_participant, [&](auto&& fn) {
          each_vote_of(p, [&](std::uint32_t t, Vote v) {
            if (model.active.statement[t]) fn(t, v);
          });
        });
    bridging.participants.row(p) = mine.transpose();
    const Eigen::VectorXd statement = solve_bridging(bridging.participants, bridging.per_statement,
                                                     [&](auto&& fn) { each_vote_on(s, fn); });
    bridging.statements.row(s) = statement.transpose();
    const auto e = static_cast<Eigen::Index>(s);
    bridging.intercept[e] = statement[0];
    bridging.factor[e] = statement.tail(statement.size() - 1).norm();
    bridging.standard_error[e] =
        std::sqrt(bridging.sigma2 / (report.statement_counts[s].seen() +
                                     detail::kInterceptLambda * bridging.per_statement));

    detail::summarise_counts(model.active.statement, model.group_counts, model.clustered_counts,
                             model.representatives, model.top_statements, report, model.summary,
                             &changed);
    detail::rank_bridging(model.active.statement, bridging, model.top_statements, report);
  }
};

LiveAnalysis::LiveAnalysis(std::unique_ptr<State> state) : state_(std::move(state)) {}
LiveAnalysis::LiveAnalysis(LiveAnalysis&&) noexcept = default;
LiveAnalysis& LiveAnalysis::operator=(LiveAnalysis&&) noexcept = default;
LiveAnalysis::~LiveAnalysis() = default;

Result<LiveAnalysis> LiveAnalysis::start(VoteMatrix votes, const AnalysisOptions& options) {
  auto state = std::make_unique<State>();
  state->votes = std::move(votes);
  VECHE_ASSIGN_OR_RETURN(state->report, detail::analyse(state->votes, options, &state->model));
  return LiveAnalysis(std::move(state));
}

Result<bool> LiveAnalysis::add_vote(std::string_view participant_id, std::string_view statement_id,
                                    Vote vote) {
  if (participant_id.empty() || statement_id.empty()) {
    return invalid_argument("a participant or statement id is empty");
  }
  const auto s = state_->votes.find_statement(statement_id);
  if (s < 0 || !state_->model.active.statement[static_cast<std::size_t>(s)]) return false;
  state_->apply(state_->participant(participant_id), static_cast<std::uint32_t>(s), vote);
  return true;
}

const Report& LiveAnalysis::report() const { return state_->report; }
const VoteMatrix& LiveAnalysis::votes() const { return state_->votes; }
std::size_t LiveAnalysis::participant_count() const {
  return state_->base_participants() + state_->newcomers.size();
}
const std::string& LiveAnalysis::participant_id(std::size_t p) const {
  const auto n = state_->base_participants();
  return p < n ? state_->votes.participant_id(p) : state_->newcomers[p - n];
}
std::size_t LiveAnalysis::votes_added() const { return state_->added; }

}  // namespace veche::consensus
