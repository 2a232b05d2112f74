// Building blocks of the analysis, private to the module (tested through analyse()).
#pragma once

#include <Eigen/Dense>
#include <cmath>
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

// Solves A x = b in place for a symmetric positive definite n x n `a` given by its lower
// triangle (column-major): Cholesky into `a`, x into `b`. For the tiny ridge systems here;
// Eigen's decompositions copy the matrix and showed in the profile.
inline void solve_spd(double* a, double* b, int n) {
  for (int j = 0; j < n; ++j) {
    double d = a[j * n + j];
    for (int k = 0; k < j; ++k) d -= a[k * n + j] * a[k * n + j];
    d = std::sqrt(d);
    a[j * n + j] = d;
    for (int i = j + 1; i < n; ++i) {
      double v = a[j * n + i];
      for (int k = 0; k < j; ++k) v -= a[k * n + i] * a[k * n + j];
      a[j * n + i] = v / d;
    }
  }
  for (int i = 0; i < n; ++i) {  // L y = b
    double v = b[i];
    for (int k = 0; k < i; ++k) v -= a[k * n + i] * b[k];
    b[i] = v / a[i * n + i];
  }
  for (int i = n - 1; i >= 0; --i) {  // L^T x = y
    double v = b[i];
    for (int k = i + 1; k < n; ++k) v -= a[i * n + k] * b[k];
    b[i] = v / a[i * n + i];
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
// At most `max_iterations` Lloyd iterations from given centres (then a final assignment).
KMeans refine(const RowMatrix& points, RowMatrix centers, int max_iterations);
// Mean silhouette of `labels` over `points` (every row is used; pass a sample for speed).
double silhouette(const RowMatrix& points, const std::vector<int>& labels, int k);

// Community Notes' regularization (scoring/matrix_factorization): factors 0.03, intercepts
// five times harder, each on the mean of the squared parameters next to the mean squared
// error. Multiplied by (ratings / parameters) they become penalties on the sum of squared
// errors, which the closed-form solves use.
inline constexpr double kFactorLambda = 0.03;
inline constexpr double kInterceptLambda = 5 * kFactorLambda;

// The rating scale of the bridging factorization: agree 1, pass 1/2, disagree 0.
inline double bridging_rating(Vote v) {
  return v == Vote::kAgree ? 1.0 : v == Vote::kDisagree ? 0.0 : 0.5;
}

// Community Notes style factorization of ratings (agree 1, pass 1/2, disagree 0):
// rating ~ mu + i_participant + i_statement + f_participant . f_statement, with `factors`
// factor dimensions.
struct Bridging {
  Eigen::VectorXd intercept;       // per statement
  Eigen::VectorXd factor;          // per statement: length of its factor vector
  Eigen::VectorXd standard_error;  // per statement, of the intercept
  double mu = 0;
  // What an incremental update needs: the fitted parameters (column 0 the intercept, then the
  // factors), the residual variance and the regularization scales.
  RowMatrix participants;
  RowMatrix statements;
  double sigma2 = 0;
  double per_participant = 0;
  double per_statement = 0;
};
// `start`: the embedding whose leading components start the statements' factors (or null).
Bridging fit_bridging(const VoteMatrix& votes, const Active& active, int factors,
                      std::uint64_t seed, int threads, const Embedding* start = nullptr);

// Per statement, what the lists of the report are chosen from (summarise_counts keeps it so
// that a live update rescores only the statements whose counts changed).
struct Summary {
  struct Lean {  // one group on one statement
    bool listed = false;
    bool significant = false;
    bool agree = false;
    double metric = 0;
  };
  struct Gap {
    double score = 0;
    int hi = -1, lo = -1;  // groups agreeing most and least
  };
  std::vector<Lean> lean;               // [group * statements + statement]
  std::vector<double> agree, disagree;  // consensus score, -1 when some group leans away
  std::vector<Gap> gap;
};

// What the full analysis leaves behind for incremental updates (LiveAnalysis): the statement
// side of every fit, the group centres and the vote counts per group.
struct Model {
  Active active;
  std::uint32_t min_votes = 0;  // fewer active votes: mapped but not grouped
  Embedding embedding;
  int dimensions = 0;
  RowMatrix centers;                     // per group (Report::groups order) x dimensions
  std::vector<Counts> group_counts;      // [group * statements + statement]
  std::vector<Counts> clustered_counts;  // per statement, over everyone grouped
  Summary summary;
  Bridging bridging;
  int representatives = 0;
  int top_statements = 0;
};

// analyse(), also filling `model` when it is not null.
Result<Report> analyse(const VoteMatrix& votes, const AnalysisOptions& options, Model* model);

// The parts of the report that follow from the counts: each group's representative
// statements, consensus and divisive statements. `changed`: the statements whose counts
// changed since `summary` was filled (null: all).
void summarise_counts(const std::vector<char>& active, const std::vector<Counts>& group_counts,
                      const std::vector<Counts>& clustered_counts, int representatives,
                      int top_statements, Report& report, Summary& summary,
                      const std::vector<std::uint32_t>* changed);
// The bridging list from the fitted intercepts.
void rank_bridging(const std::vector<char>& active, const Bridging& bridging, int top_statements,
                   Report& report);

inline void add_vote(Counts& c, Vote v, int sign = 1) {
  auto& field = v == Vote::kAgree ? c.agree : v == Vote::kDisagree ? c.disagree : c.pass;
  field = static_cast<std::uint32_t>(static_cast<int>(field) + sign);
}

// Normal upper tail helpers.
double normal_cdf(double z);
// Pol.is one-proportion test: does a group lean towards `successes` (> 1/2)?
double prop_test(double successes, double n);
// Pol.is two-proportion test: is the share in the group above the share outside it?
double two_prop_test(double succ_in, double succ_out, double pop_in, double pop_out);
inline constexpr double kZ90 = 1.2816;

}  // namespace veche::consensus::detail
