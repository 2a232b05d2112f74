// count_phases FILE METHOD [REPEAT]: the steps of `veche count FILE --method METHOD --format json`
// (read the file and hash it for the seed of the lot, parse and group, count, render JSON),
// each timed in process CPU time (both
// threads) and wall time, best of REPEAT runs. Prints one line per phase. For finding where the
// time goes; the whole-process figures in docs/benchmarks.md come from `veche count` itself.
#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "veche/count/formats.hpp"
#include "veche/count/methods.hpp"
#include "veche/count/output.hpp"

namespace {

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double wall_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Timer {
  double cpu = cpu_now();
  double wall = wall_now();
  std::pair<double, double> lap() {
    const double c = cpu_now();
    const double w = wall_now();
    std::pair<double, double> out{c - cpu, w - wall};
    cpu = c;
    wall = w;
    return out;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: count_phases FILE METHOD [REPEAT]\n");
    return 2;
  }
  const auto method = veche::count::method_from_name(argv[2]);
  if (!method) {
    std::fprintf(stderr, "unknown method %s\n", argv[2]);
    return 2;
  }
  const int repeat = argc > 3 ? std::atoi(argv[3]) : 1;
  const char* names[] = {"read", "parse", "count", "json"};
  std::vector<std::pair<double, double>> best(4, {1e9, 1e9});
  for (int run = 0; run < repeat; ++run) {
    Timer t;
    std::ifstream in(argv[1], std::ios::binary);
    in.seekg(0, std::ios::end);
    std::string text(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    // The default seed of `veche count`: SHA-256 of the file's bytes (docs/counting.md).
    veche::count::CountOptions options;
    unsigned int length = 0;
    EVP_Digest(text.data(), text.size(), reinterpret_cast<unsigned char*>(options.seed.data()),
               &length, EVP_sha256(), nullptr);
    std::pair<double, double> lap[4];
    lap[0] = t.lap();
    auto profile = veche::count::parse_blt(text);
    lap[1] = t.lap();
    if (!profile) {
      std::fprintf(stderr, "%s\n", profile.error().message.c_str());
      return 1;
    }
    if (*method == veche::count::Method::kInstantRunoff) options.seats = 1;
    auto report = veche::count::count(*method, *profile, options);
    lap[2] = t.lap();
    if (!report) {
      std::fprintf(stderr, "%s\n", report.error().message.c_str());
      return 1;
    }
    const std::string json = veche::count::to_json(*report);
    lap[3] = t.lap();
    for (std::size_t i = 0; i < 4; ++i) {
      best[i].first = std::min(best[i].first, lap[i].first);
      best[i].second = std::min(best[i].second, lap[i].second);
    }
    if (run == 0) {
      std::printf("%zu groups, winners:", profile->num_groups());
      for (int w : report->winners) std::printf(" %d", w + 1);
      std::printf("\n");
    }
  }
  for (std::size_t i = 0; i < 4; ++i) {
    std::printf("%-6s cpu %.4f s  wall %.4f s\n", names[i], best[i].first, best[i].second);
  }
  return 0;
}
