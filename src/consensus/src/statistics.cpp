#include <cmath>

#include "internal.hpp"

namespace veche::consensus::detail {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Pol.is (math/src/polismath/math/stats.clj, prop-test): both counts shifted by one.
double prop_test(double successes, double n) {
  const double s = successes + 1;
  const double t = n + 1;
  return 2 * std::sqrt(t) * (s / t - 0.5);
}

// Pol.is two-prop-test: all four counts shifted by one.
double two_prop_test(double succ_in, double succ_out, double pop_in, double pop_out) {
  const double s1 = succ_in + 1, s2 = succ_out + 1, n1 = pop_in + 1, n2 = pop_out + 1;
  const double p1 = s1 / n1, p2 = s2 / n2;
  const double p = (s1 + s2) / (n1 + n2);
  const double var = p * (1 - p) * (1 / n1 + 1 / n2);
  if (var <= 0) return 0;
  return (p1 - p2) / std::sqrt(var);
}

}  // namespace veche::consensus::detail
