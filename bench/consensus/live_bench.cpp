// Times the engine on a vote file without the CLI around it: parse, matrix, full analysis,
// then single-vote updates of a LiveAnalysis (the request path).
//   consensus_live_bench VOTES.csv [UPDATES] [SEED]
// Prints one line per phase: wall seconds and process CPU seconds (user+sys) it took, then
// the latency of UPDATES single-vote updates (random participants, a tenth of them newcomers,
// statements drawn from the active ones, random votes): median, 99th percentile, maximum.
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "veche/consensus/csv.hpp"
#include "veche/consensus/live.hpp"
#include "veche/core/random.hpp"

namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

struct Clock {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = cpu_seconds();
  void lap(const char* what) {
    const auto now = std::chrono::steady_clock::now();
    const double c = cpu_seconds();
    std::printf("%-16s wall %7.3f s   cpu %7.3f s\n", what,
                std::chrono::duration<double>(now - wall).count(), c - cpu);
    wall = now;
    cpu = c;
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace veche::consensus;
  if (argc < 2) {
    std::fprintf(stderr, "usage: consensus_live_bench VOTES.csv [UPDATES] [SEED]\n");
    return 64;
  }
  long updates = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 1000;
  const auto seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  Clock clock;
  std::string text;
  {
    std::ifstream in(argv[1], std::ios::binary | std::ios::ate);
    text.resize(static_cast<std::size_t>(in.tellg()));
    in.seekg(0);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
  }
  clock.lap("read");
  VoteMatrixBuilder builder;
  if (auto st = read_vote_file(text, builder); !st) {
    std::fprintf(stderr, "%s\n", st.error().message.c_str());
    return 1;
  }
  text = {};
  clock.lap("parse");
  auto votes = builder.build();
  if (!votes) return 1;
  builder = {};
  clock.lap("matrix");
  auto started = LiveAnalysis::start(std::move(votes).value());
  if (!started) {
    std::fprintf(stderr, "%s\n", started.error().message.c_str());
    return 1;
  }
  clock.lap("full analysis");
  auto live = std::move(started).value();
  const auto& report = live.report();
  std::printf("participants %zu statements %zu votes %zu groups %zu dimensions %d\n",
              report.participants, report.statements, report.votes, report.groups.size(),
              report.dimensions);

  std::printf("group sizes");
  for (const auto& g : report.groups) std::printf(" %zu", g.size);
  std::printf("\nconsensus");
  for (const auto& c : report.consensus)
    std::printf(" %s%s", c.agree ? "+" : "-", live.votes().statement_id(c.statement).c_str());
  std::printf("\nbridging");
  for (const auto& b : report.bridging)
    std::printf(" %s(%.3f)", live.votes().statement_id(b.statement).c_str(), b.intercept);
  std::printf("\nexplained");
  for (const double x : report.explained_variance) std::printf(" %.3f", x);
  std::printf("\n");

  std::vector<std::uint32_t> active;
  for (std::size_t s = 0; s < report.statement_counts.size(); ++s) {
    if (report.statement_counts[s].seen() > 0) active.push_back(static_cast<std::uint32_t>(s));
  }
  veche::core::SeededRandom random(seed);
  const auto n = live.votes().participant_count();
  std::vector<double> ms;
  ms.reserve(static_cast<std::size_t>(std::max(updates, 0L)));
  for (long i = 0; i < updates; ++i) {
    const std::string participant = random.uniform(10) == 0
                                        ? "bench-newcomer-" + std::to_string(random.uniform(100))
                                        : live.votes().participant_id(random.uniform(n));
    const std::string& statement = live.votes().statement_id(active[random.uniform(active.size())]);
    const auto vote = static_cast<Vote>(static_cast<int>(random.uniform(3)) - 1);
    const auto t0 = std::chrono::steady_clock::now();
    const auto applied = live.add_vote(participant, statement, vote);
    const auto t1 = std::chrono::steady_clock::now();
    if (!applied || !applied.value()) return 1;
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  if (!ms.empty()) {
    std::sort(ms.begin(), ms.end());
    std::printf("update of one vote (%zu): median %.3f ms   p99 %.3f ms   max %.3f ms\n", ms.size(),
                ms[ms.size() / 2], ms[ms.size() * 99 / 100], ms.back());
  }
  clock.lap("updates");
  return 0;
}
