// Building blocks of the analysis, private to the module (tested through analyse()).
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "veche/consensus/analysis.hpp"
#include "veche/consensus/vote_matrix.hpp"
#include "veche/core/random.hpp"

namespace veche::consensus::detail {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Runs fn(begin, end) over [0, n) split into `threads` contiguous ranges. Each range is
// processed by exactly one thread, so results that are written per index do not depend on
// the number of threads.
void parallel_for(std::size_t n, int threads,
                  const std::function<void(std::size_t, std::size_t)>& fn);

// a(lower triangle) += v v^T and b += y v for a column-major r x r `a`: the inner loop of every
// least-squares solve here. Eigen's rankUpdate goes through its general product machinery,
// which costs several times more at these sizes (r <= 20).
inline void accumulate(Eigen::MatrixXd& a, Eigen::VectorXd& b, const double* v, double y) {
  const Eigen::Index r = a.rows();
  double* d = a.data();
  for (Eigen::Index j = 0; j < r; ++j) {
    const double vj = v[j];
    double* col = d + j * r;
    for (Eigen::Index i = j; i < r; ++i) col[i] += v[i] * vj;
    b[j] += y * vj;
  }
}

// Uniform in [0, 1) and standard normal draws from a seeded source.
double uniform01(core::Random& random);
double normal(core::Random& random);

// Statements that take part in the analysis: not moderated out, at least one vote.
struct Active {
  std::vector<char> statement;       // per statement
  std::vector<std::uint32_t> votes;  // per participant: votes on active statements
  std::size_t statements = 0;
  std::size_t participants = 0;  // with at least one active vote
  std::size_t total_votes = 0;
};
Active find_active(const VoteMatrix& votes);

// Low-rank principal components of the centred vote matrix, fitted on the observed votes only
// by regularized alternating least squares, then rotated to orthonormal components ordered by
// the variance they explain.
struct Embedding {
  Eigen::VectorXd mean;          // per statement: mean vote among those who voted
  RowMatrix components;          // statements x rank, orthonormal columns
  std::vector<double> variance;  // per component, participants' variance along it
  std::vector<double> share;     // variance / total variance of the votes
};
Embedding fit_embedding(const VoteMatrix& votes, const Active& active, int rank, std::uint64_t seed,
                        int threads);

// Pol.is projection: the centred votes a participant cast, projected on the components and
// scaled by sqrt(active statements / their votes). participants x rank.
RowMatrix project(const VoteMatrix& votes, const Active& active, const Embedding& embedding,
                  int threads);

// Number of clustering dimensions the variance supports (at least 2, at most the rank).
int choose_dimensions(const Embedding& embedding);

struct KMeans {
  std::vector<int> labels;
  RowMatrix centers;
  double inertia = 0;
};
// k-means++ seeding from `seed`, `restarts` runs, the lowest inertia kept.
KMeans kmeans(const RowMatrix& points, int k, std::uint64_t seed, int restarts);
// Lloyd iterations from given centres.
KMeans refine(const RowMatrix& points, RowMatrix centers);
// Mean silhouette of `labels` over `points` (every row is used; pass a sample for speed).
double silhouette(const RowMatrix& points, const std::vector<int>& labels, int k);

// Community Notes style factorization of ratings (agree 1, pass 1/2, disagree 0):
// rating ~ mu + i_participant + i_statement + f_participant . f_statement, with `factors`
// factor dimensions.
struct Bridging {
  Eigen::VectorXd intercept;       // per statement
  Eigen::VectorXd factor;          // per statement: length of its factor vector
  Eigen::VectorXd standard_error;  // per statement, of the intercept
  double mu = 0;
};
Bridging fit_bridging(const VoteMatrix& votes, const Active& active, int factors,
                      std::uint64_t seed, int threads);

// Normal upper tail helpers.
double normal_cdf(double z);
// Pol.is one-proportion test: does a group lean towards `successes` (> 1/2)?
double prop_test(double successes, double n);
// Pol.is two-proportion test: is the share in the group above the share outside it?
double two_prop_test(double succ_in, double succ_out, double pop_in, double pop_out);
inline constexpr double kZ90 = 1.2816;

}  // namespace veche::consensus::detail
