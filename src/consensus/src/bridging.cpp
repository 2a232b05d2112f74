#include <algorithm>
#include <cmath>

#include "internal.hpp"

namespace veche::consensus::detail {

namespace {

// Community Notes' regularization (scoring/matrix_factorization): factors 0.03, intercepts
// five times harder, each on the mean of the squared parameters next to the mean squared
// error. Multiplied by (ratings / parameters) they become penalties on the sum of squared
// errors, which the closed-form solves below use.
constexpr double kFactorLambda = 0.03;
constexpr double kInterceptLambda = 5 * kFactorLambda;
constexpr int kIterations = 20;

double rating(Vote v) {
  switch (v) {
    case Vote::kAgree:
      return 1.0;
    case Vote::kPass:
      return 0.5;
    case Vote::kDisagree:
      return 0.0;
  }
  return 0.5;
}

}  // namespace

Bridging fit_bridging(const VoteMatrix& votes, const Active& active, int factors,
                      std::uint64_t seed, int threads) {
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
  core::SeededRandom random(seed ^ 0xc2b2ae3d27d4eb4fULL);
  for (std::size_t s = 0; s < m; ++s) {
    if (!active.statement[s]) continue;
    for (int k = 1; k <= d; ++k) ps(static_cast<Eigen::Index>(s), k) = 0.1 * normal(random);
  }
  double mu = 0;
  for (std::size_t s = 0; s < m; ++s) {
    if (!active.statement[s]) continue;
    for (auto c = votes.column_begin(s); c != votes.column_end(s); ++c) mu += rating(c->vote);
  }
  mu /= ratings;

  // One side's ridge solve: the other side's intercept is moved to the target, its factors are
  // the regressors, and a constant 1 stands for this side's intercept.
  auto solve_side = [&](std::size_t rows, const RowMatrix& other, RowMatrix& mine, double per_row,
                        auto begin, auto end, auto usable) {
    parallel_for(rows, threads, [&](std::size_t lo, std::size_t hi) {
      Eigen::MatrixXd a(d + 1, d + 1);
      Eigen::VectorXd b(d + 1), x(d + 1);
      Eigen::LDLT<Eigen::MatrixXd> ldlt(d + 1);
      for (std::size_t i = lo; i < hi; ++i) {
        a.setZero();
        b.setZero();
        bool any = false;
        for (auto c = begin(i); c != end(i); ++c) {
          if (!usable(i, *c)) continue;
          const auto o = other.row(c->index);
          x[0] = 1;
          x.tail(d) = o.tail(d).transpose();
          const double y = rating(c->vote) - mu - o[0];
          accumulate(a, b, x.data(), y);
          any = true;
        }
        auto row = mine.row(static_cast<Eigen::Index>(i));
        if (!any) {
          row.setZero();
          continue;
        }
        a(0, 0) += kInterceptLambda * per_row;
        for (int k = 1; k <= d; ++k) a(k, k) += kFactorLambda * per_row;
        ldlt.compute(a);
        row = ldlt.solve(b).transpose();
      }
    });
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
  auto predict = [&](std::size_t p, std::size_t s) {
    const auto u = pu.row(static_cast<Eigen::Index>(p));
    const auto v = ps.row(static_cast<Eigen::Index>(s));
    return mu + u[0] + v[0] + u.tail(d).dot(v.tail(d));
  };

  for (int it = 0; it < kIterations; ++it) {
    solve_side(n, ps, pu, per_participant, rb, re, row_usable);
    solve_side(m, pu, ps, per_statement, cb, ce, col_usable);
    // The global mean carries the intercepts' penalty once: it is the mean residual.
    double resid = 0;
    for (std::size_t s = 0; s < m; ++s) {
      if (!active.statement[s]) continue;
      for (auto c = votes.column_begin(s); c != votes.column_end(s); ++c) {
        resid += rating(c->vote) - (predict(c->index, s) - mu);
      }
    }
    mu = resid / (ratings + kInterceptLambda);
  }

  // The intercept's standard error treats the other parameters as known.
  double sq = 0;
  for (std::size_t s = 0; s < m; ++s) {
    if (!active.statement[s]) continue;
    for (auto c = votes.column_begin(s); c != votes.column_end(s); ++c) {
      const double e = rating(c->vote) - predict(c->index, s);
      sq += e * e;
    }
  }
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
  return out;
}

}  // namespace veche::consensus::detail
