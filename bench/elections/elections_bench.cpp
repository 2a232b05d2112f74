// elections_bench [--voters N] [--shape 4|12] [--threads T] [--write FILE] [--jobs J]
//                 [--verify-threads-only 1]
// Times, for one election shape: making a ballot, verifying the whole record (1 and T
// threads), and the tally (partial decryptions with proofs, combination, discrete logs).
// Prints one line per measurement; docs/benchmarks.md records the figures.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "election_fixture.hpp"
#include "veche/crypto/random.hpp"
#include "veche/record/verify.hpp"

namespace {

using namespace veche;
using Clock = std::chrono::steady_clock;

// CPU time of the whole process: on a shared, loaded machine wall time measures the neighbours.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Timer {
  Clock::time_point wall = Clock::now();
  double cpu = cpu_ms();
  double wall_ms() const {
    return std::chrono::duration<double, std::milli>(Clock::now() - wall).count();
  }
  double cpu_ms_elapsed() const { return cpu_ms() - cpu; }
};

std::vector<record::Question> shape_questions(int shape) {
  std::vector<record::Question> qs;
  const int count = shape == 12 ? 3 : 1;
  for (int q = 0; q < count; ++q) {
    qs.push_back({"q" + std::to_string(q + 1),
                  record::QuestionKind::kApproval,
                  {"A", "B", "C", "D"},
                  0,
                  4,
                  true,
                  0,
                  record::SeatMethod::kNone,
                  0});
  }
  return qs;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint32_t voters = 1000;
  int shape = 4;
  unsigned threads = 2;
  std::string write;
  unsigned jobs = 1;          // threads making the ballots (a benchmark convenience)
  bool verify_single = true;  // also time verification on one thread
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--voters") == 0)
      voters = static_cast<std::uint32_t>(std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--shape") == 0) shape = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--threads") == 0)
      threads = static_cast<unsigned>(std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--write") == 0) write = argv[i + 1];
    if (std::strcmp(argv[i], "--jobs") == 0)
      jobs = static_cast<unsigned>(std::max(1, std::atoi(argv[i + 1])));
    if (std::strcmp(argv[i], "--verify-threads-only") == 0)
      verify_single = std::strcmp(argv[i + 1], "0") == 0;
  }
  if (!crypto::initialize()) return 2;
  record::testing::TestElection el(
      record::testing::ElectionShape{3, 2, voters, shape_questions(shape)}, 1);
  el.open();
  el.trust_ballots();

  const std::uint32_t sample = std::min<std::uint32_t>(voters, 200);
  Timer t;
  for (std::uint32_t v = 0; v < sample; ++v) (void)el.make_ballot(v, el.plain_for(v));
  std::printf("shape %d ciphertexts: make one ballot: %.3f ms CPU (%.3f ms wall)\n", shape,
              t.cpu_ms_elapsed() / sample, t.wall_ms() / sample);

  t = Timer();
  if (jobs > 1) {
    el.vote_all_parallel(jobs, 1);
  } else {
    el.vote_all();
  }
  el.close();
  std::printf("make and append %u ballots on %u thread(s): %.1f ms CPU (%.3f ms per ballot)\n",
              voters, jobs, t.cpu_ms_elapsed(), t.cpu_ms_elapsed() / voters);

  t = Timer();
  el.decrypt({1, 3});
  const double partial_ms = t.cpu_ms_elapsed() / 2;
  t = Timer();
  el.publish();
  std::printf(
      "tally: one trustee's partial decryption with proofs: %.2f ms CPU; result (combine, "
      "discrete logs, seats): %.2f ms CPU\n",
      partial_ms, t.cpu_ms_elapsed());

  const std::string text = el.board().serialize();
  std::printf("record: %zu bytes (%.0f bytes per ballot)\n", text.size(),
              static_cast<double>(text.size()) / voters);
  if (!write.empty()) std::ofstream(write, std::ios::binary) << text;
  for (const unsigned nthreads : {verify_single ? 1U : threads, threads}) {
    record::VerifyOptions options;
    options.threads = nthreads;
    const Timer timer;
    const auto report = record::verify_record(text, options);
    std::printf(
        "verify the whole record on %u thread(s): %.1f ms CPU (%.3f ms CPU per ballot), "
        "%.1f ms wall %s\n",
        nthreads, timer.cpu_ms_elapsed(), timer.cpu_ms_elapsed() / voters, timer.wall_ms(),
        report.valid ? "VALID" : report.error.c_str());
    if (nthreads == threads) break;
  }
  return 0;
}
