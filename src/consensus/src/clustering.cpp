#include <algorithm>
#include <cmath>
#include <limits>

#include "internal.hpp"

namespace veche::consensus::detail {

namespace {

constexpr int kMaxLloyd = 50;

// Assigns each point to its nearest centre; returns the inertia and whether anything moved.
double assign(const RowMatrix& points, const RowMatrix& centers, std::vector<int>& labels,
              bool& changed) {
  changed = false;
  double inertia = 0;
  for (Eigen::Index i = 0; i < points.rows(); ++i) {
    int best = 0;
    double best_d = std::numeric_limits<double>::infinity();
    for (Eigen::Index c = 0; c < centers.rows(); ++c) {
      const double d = (points.row(i) - centers.row(c)).squaredNorm();
      if (d < best_d) {
        best_d = d;
        best = static_cast<int>(c);
      }
    }
    if (labels[static_cast<std::size_t>(i)] != best) {
      labels[static_cast<std::size_t>(i)] = best;
      changed = true;
    }
    inertia += best_d;
  }
  return inertia;
}

KMeans lloyd(const RowMatrix& points, RowMatrix centers, int max_iterations = kMaxLloyd) {
  const auto n = static_cast<std::size_t>(points.rows());
  const auto k = centers.rows();
  KMeans result;
  result.labels.assign(n, -1);
  bool changed = true;
  for (int it = 0; it < max_iterations && changed; ++it) {
    result.inertia = assign(points, centers, result.labels, changed);
    if (!changed) break;
    RowMatrix sums = RowMatrix::Zero(k, points.cols());
    std::vector<std::size_t> sizes(static_cast<std::size_t>(k), 0);
    for (std::size_t i = 0; i < n; ++i) {
      sums.row(result.labels[i]) += points.row(static_cast<Eigen::Index>(i));
      ++sizes[static_cast<std::size_t>(result.labels[i])];
    }
    for (Eigen::Index c = 0; c < k; ++c) {
      if (sizes[static_cast<std::size_t>(c)] > 0) {
        centers.row(c) = sums.row(c) / static_cast<double>(sizes[static_cast<std::size_t>(c)]);
        continue;
      }
      // An empty cluster takes the point farthest from its centre (the first such point).
      std::size_t far = 0;
      double far_d = -1;
      for (std::size_t i = 0; i < n; ++i) {
        const double d = (points.row(static_cast<Eigen::Index>(i)) - centers.row(result.labels[i]))
                             .squaredNorm();
        if (d > far_d) {
          far_d = d;
          far = i;
        }
      }
      centers.row(c) = points.row(static_cast<Eigen::Index>(far));
      changed = true;
    }
  }
  bool unused = false;
  result.inertia = assign(points, centers, result.labels, unused);
  result.centers = std::move(centers);
  return result;
}

RowMatrix plus_plus(const RowMatrix& points, int k, core::Random& random) {
  const auto n = static_cast<std::size_t>(points.rows());
  RowMatrix centers(k, points.cols());
  std::vector<double> d2(n, std::numeric_limits<double>::infinity());
  std::size_t first = static_cast<std::size_t>(random.uniform(n));
  centers.row(0) = points.row(static_cast<Eigen::Index>(first));
  for (int c = 1; c < k; ++c) {
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      d2[i] = std::min(
          d2[i], (points.row(static_cast<Eigen::Index>(i)) - centers.row(c - 1)).squaredNorm());
      total += d2[i];
    }
    std::size_t pick = static_cast<std::size_t>(random.uniform(n));
    if (total > 0) {
      double target = uniform01(random) * total;
      for (std::size_t i = 0; i < n; ++i) {
        target -= d2[i];
        if (target <= 0) {
          pick = i;
          break;
        }
      }
    }
    centers.row(c) = points.row(static_cast<Eigen::Index>(pick));
  }
  return centers;
}

}  // namespace

KMeans kmeans(const RowMatrix& points, int k, std::uint64_t seed, int restarts) {
  core::SeededRandom random(seed);
  KMeans best;
  best.inertia = std::numeric_limits<double>::infinity();
  for (int r = 0; r < std::max(restarts, 1); ++r) {
    KMeans run = lloyd(points, plus_plus(points, k, random));
    if (run.inertia < best.inertia) best = std::move(run);
  }
  return best;
}

KMeans refine(const RowMatrix& points, RowMatrix centers, int max_iterations) {
  return lloyd(points, std::move(centers), max_iterations);
}

double silhouette(const RowMatrix& points, const std::vector<int>& labels, int k) {
  const auto n = static_cast<std::size_t>(points.rows());
  std::vector<std::size_t> sizes(static_cast<std::size_t>(k), 0);
  for (int l : labels) ++sizes[static_cast<std::size_t>(l)];
  double sum = 0;
  std::vector<double> dist(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < n; ++i) {
    std::fill(dist.begin(), dist.end(), 0.0);
    for (std::size_t j = 0; j < n; ++j) {
      dist[static_cast<std::size_t>(labels[j])] +=
          (points.row(static_cast<Eigen::Index>(i)) - points.row(static_cast<Eigen::Index>(j)))
              .norm();
    }
    const auto own = static_cast<std::size_t>(labels[i]);
    if (sizes[own] <= 1) continue;  // a singleton scores 0
    const double a = dist[own] / static_cast<double>(sizes[own] - 1);
    double b = std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < dist.size(); ++c) {
      if (c != own && sizes[c] > 0) b = std::min(b, dist[c] / static_cast<double>(sizes[c]));
    }
    if (!std::isfinite(b)) continue;
    const double denom = std::max(a, b);
    if (denom > 0) sum += (b - a) / denom;
  }
  return n == 0 ? 0.0 : sum / static_cast<double>(n);
}

}  // namespace veche::consensus::detail
