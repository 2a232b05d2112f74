// Writes a synthetic conversation at Pol.is scale as a Pol.is votes.csv (long format):
//   consensus_generate PARTICIPANTS STATEMENTS VOTES [CAMPS] [SEED] > votes.csv
// Participation is skewed as in real conversations: votes per participant follow a log-normal
// law and statements a Zipf-like popularity, so a few statements and participants carry many
// votes and most carry few. Each participant belongs to one of CAMPS camps with its own stance
// on every statement; a vote follows the stance with probability 0.75, goes against it 0.15,
// passes 0.10.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/random.hpp"

namespace {

bool parse(const char* arg, std::uint64_t& out) {
  const std::string_view s(arg);
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

double uniform01(veche::core::Random& r) {
  return static_cast<double>(r.next_u64() >> 11) * 0x1.0p-53;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t n = 0, m = 0, total = 0, camps = 5, seed = 1;
  if (argc < 4 || !parse(argv[1], n) || !parse(argv[2], m) || !parse(argv[3], total) ||
      (argc > 4 && !parse(argv[4], camps)) || (argc > 5 && !parse(argv[5], seed)) || n == 0 ||
      m == 0 || camps == 0 || total > n * m) {
    std::fprintf(stderr,
                 "usage: consensus_generate PARTICIPANTS STATEMENTS VOTES [CAMPS] [SEED]\n");
    return 64;
  }
  veche::core::SeededRandom random(seed);
  // Votes per participant: log-normal weights scaled to the total, at least 1, at most m.
  std::vector<double> weight(n);
  double sum = 0;
  for (auto& w : weight) {
    const double u1 = 1.0 - uniform01(random), u2 = uniform01(random);
    w = std::exp(1.2 * std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2));
    sum += w;
  }
  std::vector<std::uint64_t> count(n);
  for (std::uint64_t p = 0; p < n; ++p) {
    count[p] = std::clamp<std::uint64_t>(
        static_cast<std::uint64_t>(std::llround(static_cast<double>(total) * weight[p] / sum)), 1,
        m);
  }
  // Statement popularity: weight 1/(rank+20)^0.7, sampled through the cumulative sum.
  std::vector<double> cumulative(m);
  double acc = 0;
  for (std::uint64_t s = 0; s < m; ++s) {
    acc += 1.0 / std::pow(static_cast<double>(s) + 20.0, 0.7);
    cumulative[s] = acc;
  }
  // Camp stances: one bit per (camp, statement).
  std::vector<std::vector<bool>> stance(camps, std::vector<bool>(m));
  for (auto& row : stance) {
    for (std::uint64_t s = 0; s < m; ++s) row[s] = random.uniform(2) == 1;
  }
  std::vector<char> buffer;
  buffer.reserve(1 << 20);
  auto flush = [&] {
    std::fwrite(buffer.data(), 1, buffer.size(), stdout);
    buffer.clear();
  };
  const std::string header = "timestamp,datetime,comment-id,voter-id,vote\n";
  buffer.insert(buffer.end(), header.begin(), header.end());
  std::vector<std::uint32_t> chosen;
  std::vector<char> taken(m, 0);
  std::uint64_t timestamp = 1'500'000'000'000ULL;
  for (std::uint64_t p = 0; p < n; ++p) {
    const auto camp = random.uniform(camps);
    chosen.clear();
    // Dense participants take a uniform sample; sparse ones follow popularity.
    while (chosen.size() < count[p]) {
      std::uint64_t s;
      if (count[p] * 4 > m) {
        s = random.uniform(m);
      } else {
        const double x = uniform01(random) * acc;
        s = static_cast<std::uint64_t>(std::lower_bound(cumulative.begin(), cumulative.end(), x) -
                                       cumulative.begin());
        if (s >= m) s = m - 1;
      }
      if (taken[s]) continue;
      taken[s] = 1;
      chosen.push_back(static_cast<std::uint32_t>(s));
    }
    for (const auto s : chosen) {
      taken[s] = 0;
      const double x = uniform01(random);
      const int follow = stance[camp][s] ? 1 : -1;
      const int vote = x < 0.75 ? follow : x < 0.90 ? -follow : 0;
      char line[96];
      const int len = std::snprintf(line, sizeof line, "%llu,,%u,%llu,%d\n",
                                    static_cast<unsigned long long>(timestamp += 1000), s,
                                    static_cast<unsigned long long>(p), vote);
      buffer.insert(buffer.end(), line, line + len);
      if (buffer.size() > (1 << 20) - 128) flush();
    }
  }
  flush();
  return 0;
}
