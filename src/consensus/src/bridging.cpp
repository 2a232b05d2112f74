#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "internal.hpp"

namespace veche::consensus::detail {

namespace {

// Alternating sweeps from the embedding's axes: the fit settles within a few
// (docs/benchmarks.md); stop when a sweep improves it by less than kTolerance.
constexpr int kMinIterations = 3;
constexpr int kMaxIterations = 10;
constexpr double kTolerance = 1e-3;

}  // namespace

Bridging fit_bridging(const VoteMatrix& votes, const Active& active, int factors,
                      std::uint64_t seed, int threads, const Embedding* start) {
  const auto n = votes.participant_count();
  const auto m = votes.statement_count();
  const int d = std::max(factors, 1);
  Bridging out;
  out.intercept = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m));
  out.factor = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m));
  out.standard_error = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m));
  if (active.total_votes == 0) return out;
  const double ratings = static_cast<double>(active.total_votes);
  const double per_participant =
      ratings / std::max<double>(1.0, static_cast<double>(active.participants));
  const double per_statement =
      ratings / std::max<double>(1.0, static_cast<double>(active.statements));

  // Column 0 of each parameter row is the intercept, columns 1..d the factors.
  RowMatrix pu = RowMatrix::Zero(static_cast<Eigen::Index>(n), d + 1);
  RowMatrix ps = RowMatrix::Zero(static_cast<Eigen::Index>(m), d + 1);
  // Warm start: the statements' factors from the embedding's leading components (the same
  // opinion axes), scaled to entries about 1/2; random when there are fewer components.
  core::SeededRandom random(seed ^ 0xc2b2ae3d27d4eb4fULL);
  const double scale =
      0.5 * std::sqrt(std::max<double>(1.0, static_cast<double>(active.statements)));
  for (std::size_t s = 0; s < m; ++s) {
    if (!active.statement[s]) continue;
    const auto e = static_cast<Eigen::Index>(s);
    for (int k = 1; k <= d; ++k) {
      ps(e, k) = start != nullptr && k <= start->components.cols()
                     ? scale * start->components(e, k - 1)
                     : 0.1 * normal(random);
    }
  }
  double mu = 0;
  for (std::size_t s = 0; s < m; ++s) {
    if (!active.statement[s]) continue;
    for (auto c = votes.column_begin(s); c != votes.column_end(s); ++c)
      mu += bridging_rating(c->vote);
  }
  mu /= ratings;

  // One side's ridge solve: the other side's intercept is moved to the target, its factors are
  // the regressors, and a constant 1 stands for this side's intercept. Per row it also keeps
  // the sum and the sum of squares of the residuals (from the normal equations, O(d^2) per
  // row instead of another pass over the votes).
  std::vector<double> resid_sum(std::max(n, m)), resid_sq(std::max(n, m));
  // Fixed-size systems (d + 1 = D unknowns) so that nothing is allocated or copied per row.
  auto solve_fixed = [&]<int D>(std::integral_constant<int, D>, std::size_t rows,
                                const RowMatrix& other, RowMatrix& mine, double per_row, auto begin,
                                auto end, auto usable) {
    using Matrix = Eigen::Matrix<double, D, D>;
    using Vector = Eigen::Matrix<double, D, 1>;
    parallel_for(rows, threads, [&](std::size_t lo, std::size_t hi) {
      Matrix a = Matrix::Zero(d + 1, d + 1);
      Vector b(d + 1), x(d + 1), z(d + 1), penalty(d + 1);
      penalty.setConstant(kFactorLambda * per_row);
      penalty[0] = kInterceptLambda * per_row;
      for (std::size_t i = lo; i < hi; ++i) {
        a.setZero();
        b.setZero();
        double yy = 0;
        bool any = false;
        for (auto c = begin(i); c != end(i); ++c) {
          if (!usable(i, *c)) continue;
          const double* o = other.row(c->index).data();
          x[0] = 1;
          for (int k = 1; k <= d; ++k) x[k] = o[k];
          const double y = bridging_rating(c->vote) - mu - o[0];
          for (int j = 0; j <= d; ++j) {
            for (int k = j; k <= d; ++k) a(k, j) += x[k] * x[j];
            b[j] += y * x[j];
          }
          yy += y * y;
          any = true;
        }
        auto row = mine.row(static_cast<Eigen::Index>(i));
        if (!any) {
          row.setZero();
          resid_sum[i] = resid_sq[i] = 0;
          continue;
        }
        a.diagonal() += penalty;
        z = b;
        solve_spd(a.data(), z.data(), d + 1);
        row = z.transpose();
        // With (A0 + P) z = b (A0 unpenalized, P the diagonal penalty) and x0 = 1 on every
        // vote: sum (y - z.x) = b0 - (A0 z)_0 = (P z)_0, and
        // sum (y - z.x)^2 = yy - 2 z.b + z^T A0 z = yy - z.b - z^T P z.
        resid_sum[i] = penalty[0] * z[0];
        resid_sq[i] = yy - z.dot(b) - z.dot(penalty.cwiseProduct(z));
      }
    });
  };
  auto solve_side = [&](std::size_t rows, const RowMatrix& other, RowMatrix& mine, double per_row,
                        auto begin, auto end, auto usable) {
    switch (d + 1) {
      case 2:
        return solve_fixed(std::integral_constant<int, 2>{}, rows, other, mine, per_row, begin, end,
                           usable);
      case 3:
        return solve_fixed(std::integral_constant<int, 3>{}, rows, other, mine, per_row, begin, end,
                           usable);
      case 4:
        return solve_fixed(std::integral_constant<int, 4>{}, rows, other, mine, per_row, begin, end,
                           usable);
      case 5:
        return solve_fixed(std::integral_constant<int, 5>{}, rows, other, mine, per_row, begin, end,
                           usable);
      default:
        return solve_fixed(std::integral_constant<int, Eigen::Dynamic>{}, rows, other, mine,
                           per_row, begin, end, usable);
    }
  };
  auto rb = [&](std::size_t p) { return votes.row_begin(p); };
  auto re = [&](std::size_t p) { return votes.row_end(p); };
  auto cb = [&](std::size_t s) { return votes.column_begin(s); };
  auto ce = [&](std::size_t s) { return votes.column_end(s); };
  auto row_usable = [&](std::size_t, const VoteMatrix::Cell& c) {
    return active.statement[c.index] != 0;
  };
  auto col_usable = [&](std::size_t s, const VoteMatrix::Cell&) {
    return active.statement[s] != 0;
  };

  double sq = 0;  // sum of squared residuals at the final parameters
  double last_sq = std::numeric_limits<double>::infinity();
  for (int it = 0; it < kMaxIterations; ++it) {
    solve_side(n, ps, pu, per_participant, rb, re, row_usable);
    solve_side(m, pu, ps, per_statement, cb, ce, col_usable);
    // The global mean carries the intercepts' penalty once: it is the mean residual.
    double s1 = 0, s2 = 0;
    for (std::size_t s = 0; s < m; ++s) {
      s1 += resid_sum[s];
      s2 += resid_sq[s];
    }
    const double next = (s1 + mu * ratings) / (ratings + kInterceptLambda);
    // The residuals move by (mu - next) each when mu becomes next.
    const double delta = mu - next;
    sq = s2 + 2 * delta * s1 + ratings * delta * delta;
    mu = next;
    // Stop once a sweep lowers the squared error by less than kTolerance of it.
    if (it >= kMinIterations - 1 && last_sq - sq <= kTolerance * last_sq) break;
    last_sq = sq;
  }

  // The intercept's standard error treats the other parameters as known.
  const double sigma2 = sq / ratings;
  for (std::size_t s = 0; s < m; ++s) {
    if (!active.statement[s]) continue;
    const auto e = static_cast<Eigen::Index>(s);
    const double k = static_cast<double>(votes.column_end(s) - votes.column_begin(s));
    out.intercept[e] = ps(e, 0);
    out.factor[e] = ps.row(e).tail(d).norm();
    out.standard_error[e] = std::sqrt(sigma2 / (k + kInterceptLambda * per_statement));
  }
  out.mu = mu;
  out.sigma2 = sigma2;
  out.per_participant = per_participant;
  out.per_statement = per_statement;
  out.participants = std::move(pu);
  out.statements = std::move(ps);
  return out;
}

}  // namespace veche::consensus::detail
