#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <thread>

#include "internal.hpp"

namespace veche::consensus::detail {

void parallel_for(std::size_t n, int threads,
                  const std::function<void(std::size_t, std::size_t)>& fn) {
  const std::size_t t = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), 1,
                                                std::max<std::size_t>(n / 256, 1));
  if (t == 1) {
    fn(0, n);
    return;
  }
  std::vector<std::thread> workers;
  workers.reserve(t - 1);
  const std::size_t chunk = (n + t - 1) / t;
  for (std::size_t i = 1; i < t; ++i) {
    const std::size_t begin = std::min(n, i * chunk);
    const std::size_t end = std::min(n, begin + chunk);
    workers.emplace_back([&fn, begin, end] { fn(begin, end); });
  }
  fn(0, std::min(n, chunk));
  for (auto& w : workers) w.join();
}

double uniform01(core::Random& random) {
  return static_cast<double>(random.next_u64() >> 11) * 0x1.0p-53;
}

double normal(core::Random& random) {
  const double u1 = 1.0 - uniform01(random);  // in (0, 1]
  const double u2 = uniform01(random);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

Active find_active(const VoteMatrix& votes) {
  Active a;
  a.statement.assign(votes.statement_count(), 0);
  for (std::size_t s = 0; s < votes.statement_count(); ++s) {
    if (!votes.moderated_out(s) && votes.column_begin(s) != votes.column_end(s)) {
      a.statement[s] = 1;
      ++a.statements;
    }
  }
  a.votes.assign(votes.participant_count(), 0);
  for (std::size_t p = 0; p < votes.participant_count(); ++p) {
    std::uint32_t n = 0;
    for (auto c = votes.row_begin(p); c != votes.row_end(p); ++c)
      n += a.statement[c->index] ? 1 : 0;
    a.votes[p] = n;
    a.total_votes += n;
    if (n > 0) ++a.participants;
  }
  return a;
}

namespace {

constexpr double kLambda = 1.0;  // ridge on both sides: a prior of one vote's weight
// ALS stops when a sweep lowers the objective by less than this share of it, or after
// kMaxIterations sweeps. Each sweep costs two passes over the votes; after the warm start the
// leading components (the ones clustering uses) settle within a few, and later sweeps mostly
// fit noise into the weakest (docs/benchmarks.md).
constexpr int kPowerIterations = 3;
constexpr int kMaxIterations = 4;
constexpr double kTolerance = 2e-3;
// Below this many votes a sweep is cheap, and the few capped sweeps can leave a participant on
// a border on one side or the other depending on the row order: small conversations sweep until
// the objective settles, as the property tests of permutation stability require.
constexpr std::size_t kSmallConversationVotes = 1'000'000;
constexpr int kMaxIterationsSmall = 30;

// a(lower triangle) += v v^T, b += y v, for R = r known at compile time (unrolled) or not.
template <int R>
inline void accumulate_fixed(double* a, double* b, const double* v, double y, Eigen::Index r) {
  const Eigen::Index n = R > 0 ? R : r;
  for (Eigen::Index j = 0; j < n; ++j) {
    const double vj = v[j];
    double* col = a + j * n;
    for (Eigen::Index i = j; i < n; ++i) col[i] += v[i] * vj;
    b[j] += y * vj;
  }
}

// One half-step of ALS: for every row of `out`, the ridge solution against `fixed` over the
// cells of that row, with `value(i, cell, y)` giving the centred vote (false: skip the cell).
// Writes x.b per row into `fit` (the objective after the step is total - sum(fit) +
// lambda |fixed|^2: with A x = b, |y - V x|^2 + lambda |x|^2 = |y|^2 - x.b).
template <int R, class Begin, class End, class Value>
void solve_side_fixed(std::size_t rows, const RowMatrix& fixed, RowMatrix& out,
                      std::vector<double>& fit, int threads, Begin begin, End end, Value value) {
  const auto r = fixed.cols();
  parallel_for(rows, threads, [&](std::size_t lo, std::size_t hi) {
    Eigen::MatrixXd a(r, r);
    Eigen::VectorXd b(r), rhs(r);
    for (std::size_t i = lo; i < hi; ++i) {
      a.setZero();
      b.setZero();
      bool any = false;
      for (auto c = begin(i); c != end(i); ++c) {
        double y = 0;
        if (!value(i, *c, y)) continue;
        accumulate_fixed<R>(a.data(), b.data(), fixed.row(c->index).data(), y, r);
        any = true;
      }
      auto row = out.row(static_cast<Eigen::Index>(i));
      if (!any) {
        row.setZero();
        fit[i] = 0;
        continue;
      }
      a.diagonal().array() += kLambda;
      rhs = b;
      solve_spd(a.data(), b.data(), static_cast<int>(r));
      row = b.transpose();
      fit[i] = b.dot(rhs);
    }
  });
}

template <class Begin, class End, class Value>
void solve_side(std::size_t rows, const RowMatrix& fixed, RowMatrix& out, std::vector<double>& fit,
                int threads, Begin begin, End end, Value value) {
  switch (fixed.cols()) {
#define VECHE_RANK(R)                                                       \
  case R:                                                                   \
    solve_side_fixed<R>(rows, fixed, out, fit, threads, begin, end, value); \
    return;
    VECHE_RANK(2)
    VECHE_RANK(3)
    VECHE_RANK(4)
    VECHE_RANK(5)
    VECHE_RANK(6)
    VECHE_RANK(7)
    VECHE_RANK(8)
#undef VECHE_RANK
    default:
      solve_side_fixed<0>(rows, fixed, out, fit, threads, begin, end, value);
  }
}

}  // namespace

Embedding fit_embedding(const VoteMatrix& votes, const Active& active, int rank, std::uint64_t seed,
                        int threads) {
  const auto n = votes.participant_count();
  const auto m = votes.statement_count();
  Embedding e;
  e.mean = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m));
  for (std::size_t s = 0; s < m; ++s) {
    if (!active.statement[s]) continue;
    double sum = 0;
    for (auto c = votes.column_begin(s); c != votes.column_end(s); ++c) {
      sum += static_cast<double>(c->vote);
    }
    e.mean[static_cast<Eigen::Index>(s)] =
        sum / static_cast<double>(votes.column_end(s) - votes.column_begin(s));
  }

  core::SeededRandom random(seed ^ 0x9e3779b97f4a7c15ULL);
  RowMatrix v(static_cast<Eigen::Index>(m), rank);
  for (Eigen::Index s = 0; s < v.rows(); ++s) {
    for (Eigen::Index k = 0; k < rank; ++k) {
      v(s, k) = active.statement[static_cast<std::size_t>(s)] ? 0.1 * normal(random) : 0.0;
    }
  }
  RowMatrix u = RowMatrix::Zero(static_cast<Eigen::Index>(n), rank);
  const auto& mean = e.mean;

  // Warm start: a few subspace (power) iterations on the centred votes with the missing cells
  // as zeros, O(votes x r) each against O(votes x r^2) for an ALS sweep. From a random start
  // ALS spends its first sweeps finding these directions; from here it only corrects them for
  // the missing votes. Columns scaled to norm sqrt(statements), entries about 1.
  for (int power = 0; power < kPowerIterations; ++power) {
    parallel_for(n, threads, [&](std::size_t lo, std::size_t hi) {
      for (std::size_t p = lo; p < hi; ++p) {
        auto row = u.row(static_cast<Eigen::Index>(p));
        row.setZero();
        for (auto c = votes.row_begin(p); c != votes.row_end(p); ++c) {
          if (!active.statement[c->index]) continue;
          row.noalias() += (static_cast<double>(c->vote) - mean[c->index]) * v.row(c->index);
        }
      }
    });
    parallel_for(m, threads, [&](std::size_t lo, std::size_t hi) {
      for (std::size_t s = lo; s < hi; ++s) {
        auto row = v.row(static_cast<Eigen::Index>(s));
        row.setZero();
        if (!active.statement[s]) continue;
        const double mu = mean[static_cast<Eigen::Index>(s)];
        for (auto c = votes.column_begin(s); c != votes.column_end(s); ++c) {
          row.noalias() += (static_cast<double>(c->vote) - mu) * u.row(c->index);
        }
      }
    });
    const Eigen::MatrixXd dense = v;
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(dense);
    v = qr.householderQ() * Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(m), rank);
  }
  v *= std::sqrt(std::max<double>(1.0, static_cast<double>(active.statements)));
  u.setZero();

  auto row_value = [&](std::size_t, const VoteMatrix::Cell& c, double& y) {
    if (!active.statement[c.index]) return false;
    y = static_cast<double>(c.vote) - mean[c.index];
    return true;
  };
  auto col_value = [&](std::size_t s, const VoteMatrix::Cell& c, double& y) {
    if (!active.statement[s]) return false;
    y = static_cast<double>(c.vote) - mean[static_cast<Eigen::Index>(s)];
    return true;
  };
  auto rb = [&](std::size_t p) { return votes.row_begin(p); };
  auto re = [&](std::size_t p) { return votes.row_end(p); };
  auto cb = [&](std::size_t s) { return votes.column_begin(s); };
  auto ce = [&](std::size_t s) { return votes.column_end(s); };

  double total = 0;  // sum of squared centred votes
  for (std::size_t s = 0; s < m; ++s) {
    if (!active.statement[s]) continue;
    const double mu = mean[static_cast<Eigen::Index>(s)];
    for (auto c = votes.column_begin(s); c != votes.column_end(s); ++c) {
      const double y = static_cast<double>(c->vote) - mu;
      total += y * y;
    }
  }

  std::vector<double> row_fit(n), col_fit(m);
  double previous = std::numeric_limits<double>::infinity();
  const int max_sweeps =
      active.total_votes < kSmallConversationVotes ? kMaxIterationsSmall : kMaxIterations;
  for (int it = 0; it < max_sweeps; ++it) {
    solve_side(n, v, u, row_fit, threads, rb, re, row_value);
    // The objective at (new U, current V), summed in index order whatever the threads.
    double loss = total + kLambda * v.squaredNorm();
    for (double x : row_fit) loss -= x;
    solve_side(m, u, v, col_fit, threads, cb, ce, col_value);
    if (previous - loss <= kTolerance * std::max(previous, 1e-12) && it >= 2) break;
    previous = loss;
  }

  // Rotate U V^T into orthonormal principal components: V = Q R, then the eigenvectors of
  // (U R^T)^T (U R^T) order the directions by the variance of the participants along them.
  const Eigen::MatrixXd v_dense = v;
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(v_dense);
  const Eigen::MatrixXd q =
      qr.householderQ() * Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(m), rank);
  const Eigen::MatrixXd r_upper =
      qr.matrixQR().topLeftCorner(rank, rank).triangularView<Eigen::Upper>();
  const Eigen::MatrixXd b = Eigen::MatrixXd(u) * r_upper.transpose();
  Eigen::MatrixXd gram = b.transpose() * b;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram);
  const double participants = std::max<double>(static_cast<double>(active.participants), 1.0);
  const double density = static_cast<double>(active.total_votes) /
                         std::max(1.0, participants * static_cast<double>(active.statements));
  // Total variance of the votes, scaled from the observed cells to the whole matrix so it
  // compares with the components' variance.
  const double total_variance = total / std::max(density, 1e-12) / participants;

  e.components.resize(static_cast<Eigen::Index>(m), rank);
  for (int k = 0; k < rank; ++k) {
    const int src = rank - 1 - k;  // eigenvalues ascend
    Eigen::VectorXd c = q * eig.eigenvectors().col(src);
    // Deterministic sign: the largest entry is positive.
    Eigen::Index at = 0;
    c.cwiseAbs().maxCoeff(&at);
    if (c[at] < 0) c = -c;
    e.components.col(k) = c;
    const double var = std::max(0.0, eig.eigenvalues()[src]) / participants;
    e.variance.push_back(var);
    e.share.push_back(total_variance > 0 ? std::min(1.0, var / total_variance) : 0.0);
  }
  return e;
}

RowMatrix project(const VoteMatrix& votes, const Active& active, const Embedding& embedding,
                  int threads) {
  const auto n = votes.participant_count();
  const auto r = embedding.components.cols();
  RowMatrix out = RowMatrix::Zero(static_cast<Eigen::Index>(n), r);
  const double m = static_cast<double>(active.statements);
  parallel_for(n, threads, [&](std::size_t lo, std::size_t hi) {
    for (std::size_t p = lo; p < hi; ++p) {
      if (active.votes[p] == 0) continue;
      auto row = out.row(static_cast<Eigen::Index>(p));
      for (auto c = votes.row_begin(p); c != votes.row_end(p); ++c) {
        if (!active.statement[c->index]) continue;
        const double y = static_cast<double>(c->vote) - embedding.mean[c->index];
        row.noalias() += y * embedding.components.row(c->index);
      }
      row *= std::sqrt(m / static_cast<double>(active.votes[p]));
    }
  });
  return out;
}

int choose_dimensions(const Embedding& embedding) {
  // A component is kept when it explains at least 2% of the variance and stands clearly above
  // the noise floor, estimated by the weakest component of the fit.
  const auto& var = embedding.variance;
  const int rank = static_cast<int>(var.size());
  if (rank <= 2) return rank;
  const double floor = var.back();
  int d = 0;
  for (int k = 0; k < rank; ++k) {
    if (embedding.share[static_cast<std::size_t>(k)] >= 0.02 &&
        var[static_cast<std::size_t>(k)] >= 1.5 * floor) {
      d = k + 1;
    } else {
      break;
    }
  }
  return std::clamp(d, 2, rank);
}

}  // namespace veche::consensus::detail
