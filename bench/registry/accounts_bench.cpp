// accounts_bench [THREADS] [SECONDS]: how many joins (invitation code + Argon2id hash of the
// passphrase + insert) and logins (Argon2id verification + session) per second the registry
// does on THREADS threads against a SQLite file in /tmp. Argon2id with libsodium's
// interactive limits (64 MiB, 2 passes) is the cost by design: it is what makes a stolen
// database slow to attack. The server's rate limits (5 logins per minute per source) are
// in front of this in production; here the service is called directly.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "veche/crypto/random.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/registry/registry.hpp"

using namespace veche;

namespace {

constexpr const char* kPass = "a passphrase of some length";

template <class Fn>
double per_second(int threads, double seconds, Fn&& one) {
  std::atomic<long> done{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> pool;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (long i = 0; !stop.load(); ++i) {
        if (one(t, i)) done.fetch_add(1);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(done.load()) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  const double seconds = argc > 2 ? std::atof(argv[2]) : 10.0;
  if (threads < 1 || threads > 64 || seconds <= 0) {
    std::fprintf(stderr, "usage: accounts_bench [THREADS 1..64] [SECONDS]\n");
    return 64;
  }
  if (!crypto::initialize()) return 1;
  const auto dir = std::filesystem::temp_directory_path() / "veche-accounts-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto db = store::open((dir / "b.db").string());
  if (!db || !store::migrate(**db, registry::migrations())) return 1;
  core::SystemClock clock;
  registry::Registry reg(**db, clock);
  if (!reg.add_organization({"bench", {"Bench", ""}, {"", ""}, ""})) return 1;
  auto key = registry::load_or_create_data_key((dir / "data.key").string());
  if (!key) return 1;
  registry::Accounts accounts(**db, clock, *key);
  if (!accounts.set_code_quota("operator", "bench", 100000, 30)) return 1;
  // Enough codes for the join phase, issued beforehand (issuing is not what is measured).
  std::vector<std::string> codes;
  for (int b = 0; b < 20; ++b) {
    auto batch = accounts.issue_codes("bench", 1000, std::chrono::days(1), "operator");
    if (!batch) return 1;
    codes.insert(codes.end(), batch->begin(), batch->end());
  }
  std::atomic<std::size_t> next_code{0};
  const double joins = per_second(threads, seconds, [&](int t, long i) {
    const std::size_t c = next_code.fetch_add(1);
    if (c >= codes.size()) return false;
    return accounts.join(codes[c], "u" + std::to_string(t) + "-" + std::to_string(i), kPass)
        .has_value();
  });
  const std::size_t joined = std::min(next_code.load(), codes.size());
  const double logins = per_second(threads, seconds, [&](int t, long i) {
    (void)t;
    const std::size_t who = static_cast<std::size_t>(i) % std::max<std::size_t>(1, joined / 2);
    return accounts.login("u0-" + std::to_string(who), kPass).has_value();
  });
  std::printf("| operation (%d threads, %.0f s) | per second | ms each (per thread) |\n", threads,
              seconds);
  std::printf("|---|---:|---:|\n");
  std::printf("| join (code + Argon2id hash + insert) | %.1f | %.0f |\n", joins,
              1000.0 * threads / joins);
  std::printf("| login (Argon2id verify + session) | %.1f | %.0f |\n", logins,
              1000.0 * threads / logins);
  std::filesystem::remove_all(dir);
  return 0;
}
