// `veche count FILE --method M`: counts a ballot file (BLT, PrefLib, ABIF) and prints the
// round-by-round table, the JSON report or an SVG chart of the rounds.
#include <malloc.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "commands/commands.hpp"
#include "commands/file_bytes.hpp"
#include "veche/count/formats.hpp"
#include "veche/count/methods.hpp"
#include "veche/count/output.hpp"

namespace veche::app {
namespace {

constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{4} << 30;
constexpr std::size_t kHugeHeapFrom = std::size_t{4} << 20;
constexpr std::size_t kHugePage = std::size_t{2} << 20;

// Large files: the parse's tables grow to tens of megabytes, and faulting them in 4 KiB pages
// cost a fifth of a million-ballot count. One heap (every thread allocates from it), grown in
// one step that is never given back, and backed by transparent huge pages where the kernel
// allows it (madvise mode): a few hundred faults instead of thousands. Only this command.
void use_huge_heap(std::size_t file_bytes) {
  const std::size_t pad = std::clamp<std::size_t>(file_bytes * 4, 64 << 20, 1 << 30);
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest glibc accepts
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, static_cast<int>(pad));
  void* first =
      std::malloc(16 << 20);  // below the mmap threshold: the heap grows by it and the pad
  const auto start = reinterpret_cast<std::uintptr_t>(first);
  const auto end = reinterpret_cast<std::uintptr_t>(::sbrk(0));
  std::free(first);
  const std::uintptr_t from = (start + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t to = end & ~(kHugePage - 1);
  if (to > from) (void)::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
}

struct CountCommandOptions {
  std::string file;
  std::string method;
  int seats = 0;
  std::string format = "text";
  std::string seed_hex;
  std::string overvote = "exhaust";
  std::string skipped = "continue";
  std::string repeated = "ignore";
  std::string write_in = "reject";
  std::string majority = "continuing";
  std::string threshold = "0";
  std::string gender_quota = "0";
  bool ignore_withdrawals = false;
};

// The default seed of the lot (docs/counting.md): the SHA-256 of the file's bytes, the value
// `sha256sum FILE` prints, so anyone can publish and check it.
Result<std::array<std::byte, 32>> seed_from_bytes(std::string_view bytes) {
  std::array<std::byte, 32> seed{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(seed.data()), &length,
                 EVP_sha256(), nullptr) != 1 ||
      length != seed.size()) {
    return internal_error("SHA-256 of the ballot file failed");
  }
  return seed;
}

Result<std::array<std::byte, 32>> seed_from_hex(const std::string& hex) {
  if (hex.size() != 64) return invalid_argument("--seed takes 64 hexadecimal digits (32 bytes)");
  std::array<std::byte, 32> seed{};
  for (std::size_t i = 0; i < 32; ++i) {
    int v = 0;
    for (std::size_t k = 0; k < 2; ++k) {
      const char c = hex[2 * i + k];
      int d = -1;
      if (c >= '0' && c <= '9') d = c - '0';
      if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
      if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0) return invalid_argument("--seed: '" + std::string(1, c) + "' is not hexadecimal");
      v = v * 16 + d;
    }
    seed[i] = static_cast<std::byte>(v);
  }
  return seed;
}

// "5%", "0.05" or "1/20" as num/den.
Result<std::pair<std::int64_t, std::int64_t>> fraction(std::string s, const std::string& option) {
  std::int64_t den_mul = 1;
  if (!s.empty() && s.back() == '%') {
    s.pop_back();
    den_mul = 100;
  }
  std::int64_t num = 0;
  std::int64_t den = 1;
  const auto slash = s.find('/');
  try {
    if (slash != std::string::npos) {
      num = std::stoll(s.substr(0, slash));
      den = std::stoll(s.substr(slash + 1));
    } else {
      const auto dot = s.find('.');
      std::string digits = s;
      if (dot != std::string::npos) {
        digits = s.substr(0, dot) + s.substr(dot + 1);
        for (std::size_t i = dot + 1; i < s.size() && den < 1'000'000'000; ++i) den *= 10;
      }
      if (digits.empty() || digits.size() > 15) throw std::invalid_argument("digits");
      num = std::stoll(digits);
    }
  } catch (const std::exception&) {
    return invalid_argument(option + ": expected a fraction such as 5%, 0.05 or 1/20");
  }
  den *= den_mul;
  if (den <= 0 || num < 0 || num > den) {
    return invalid_argument(option + " must be between 0 and 1");
  }
  return std::make_pair(num, den);
}

// An indeterminate progress line on stderr, shown only after a second of work.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled) {
    if (enabled_) thread_ = std::thread([this] { run(); });
  }
  ~Progress() { stop(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void set_phase(const char* phase) { phase_.store(phase); }
  void set_fraction(double f) { permille_.store(static_cast<int>(f * 1000)); }
  void stop() {
    if (!enabled_) return;
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (shown_) std::fputs("\r\033[K", stderr);
    enabled_ = false;
  }

 private:
  void run() {
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    if (cv_.wait_for(lock, std::chrono::seconds(1), [this] { return done_; })) return;
    while (!done_) {
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const int permille = permille_.load();
      const int filled = permille / 50;
      char bar[21];
      for (int i = 0; i < 20; ++i) bar[i] = i < filled ? '#' : '.';
      bar[20] = '\0';
      std::fprintf(stderr, "\r[%s] %s %.1fs", bar, phase_.load(), secs);
      std::fflush(stderr);
      shown_ = true;
      cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return done_; });
    }
  }
  bool enabled_;
  bool shown_ = false;
  bool done_ = false;
  std::atomic<const char*> phase_{"reading"};
  std::atomic<int> permille_{0};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::thread thread_;
};

Status run_count(const CountCommandOptions& o, bool quiet) {
  const auto method = count::method_from_name(o.method);
  if (!method) return invalid_argument("unknown method '" + o.method + "'");
  count::ParseOptions parse_options;
  if (o.write_in == "ignore") parse_options.write_in = count::ParseOptions::WriteIn::kIgnore;
  if (o.write_in == "accept") parse_options.write_in = count::ParseOptions::WriteIn::kAccept;
  count::CountOptions options;
  options.seats = o.seats;
  if (o.overvote == "skip") options.ballot.overvote = count::BallotOptions::Overvote::kSkip;
  if (o.overvote == "invalid") options.ballot.overvote = count::BallotOptions::Overvote::kInvalid;
  if (o.skipped == "exhaust") options.ballot.skipped = count::BallotOptions::SkippedRank::kExhaust;
  if (o.skipped == "exhaust-after-two") {
    options.ballot.skipped = count::BallotOptions::SkippedRank::kExhaustAfterTwo;
  }
  if (o.repeated == "invalid") options.ballot.repeated = count::BallotOptions::Repeated::kInvalid;
  options.ballot.apply_withdrawals = !o.ignore_withdrawals;
  options.irv_majority_of_continuing = o.majority == "continuing";
  VECHE_ASSIGN_OR_RETURN(auto threshold, fraction(o.threshold, "--threshold"));
  options.threshold_num = threshold.first;
  options.threshold_den = threshold.second;
  VECHE_ASSIGN_OR_RETURN(auto quota, fraction(o.gender_quota, "--gender-quota"));
  options.gender_quota_num = quota.first;
  options.gender_quota_den = quota.second;
  const bool lists = o.file.ends_with(".json");
  if (lists && *method != count::Method::kDHondt && *method != count::Method::kSainteLague) {
    return invalid_argument("a party-list file (.json) is counted by dhondt or sainte-lague");
  }
  if (!lists && quota.first > 0) {
    return invalid_argument("--gender-quota needs a party-list file (.json) with genders");
  }

  Progress progress(!quiet && isatty(STDERR_FILENO) != 0);
  options.progress = [](void* context, double fraction) {
    static_cast<Progress*>(context)->set_fraction(fraction);
  };
  options.progress_context = &progress;
  VECHE_ASSIGN_OR_RETURN(auto file, FileBytes::open(o.file, kMaxFileBytes));
  const std::string_view text = file->view();
  if (text.size() >= kHugeHeapFrom) use_huge_heap(text.size());
  // The file's SHA-256 is computed beside the parse, which does not need it; the count does.
  // (Declared before the thread, so it outlives it on every return path.)
  Result<std::array<std::byte, 32>> seed = internal_error("the seed was not computed");
  std::jthread hasher;
  if (o.seed_hex.empty()) {
    hasher = std::jthread([&seed, text] { seed = seed_from_bytes(text); });
  } else {
    seed = seed_from_hex(o.seed_hex);
    VECHE_TRY(seed);
  }
  auto take_seed = [&]() -> Status {
    if (hasher.joinable()) hasher.join();
    VECHE_ASSIGN_OR_RETURN(options.seed, std::move(seed));
    return ok();
  };
  progress.set_phase("parsing");
  count::Report report;
  if (lists) {
    auto file_lists = count::parse_party_lists(text);
    if (!file_lists)
      return Error{file_lists.error().code, o.file + ": " + file_lists.error().message};
    const int seats = o.seats > 0 ? o.seats : file_lists->seats;
    if (seats < 1) return invalid_argument(o.file + " gives no \"seats\": pass --seats N");
    progress.set_phase("counting");
    VECHE_TRY(take_seed());
    VECHE_ASSIGN_OR_RETURN(report,
                           count::count_party_list(*method, file_lists->parties, seats, options));
    report.title = file_lists->title;
  } else {
    VECHE_ASSIGN_OR_RETURN(count::Format format, count::format_from_name(o.file));
    auto profile = count::parse(format, text, parse_options);
    if (!profile) return Error{profile.error().code, o.file + ": " + profile.error().message};
    progress.set_phase("counting");
    VECHE_TRY(take_seed());
    VECHE_ASSIGN_OR_RETURN(report, count::count(*method, *profile, options));
  }
  progress.stop();
  std::string out;
  if (o.format == "json") {
    out = count::to_json(report) + "\n";
  } else if (o.format == "svg") {
    out = count::to_svg(report);
  } else {
    out = count::to_text(report);
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) {
    return unavailable("cannot write to standard output");
  }
  return ok();
}

}  // namespace

void add_count_command(CLI::App& app, const GlobalOptions& global) {
  auto o = std::make_shared<CountCommandOptions>();
  CLI::App* cmd =
      app.add_subcommand("count", "Count a ballot file (BLT, PrefLib, ABIF) or party lists (JSON)");
  cmd->add_option("file", o->file,
                  "Ballot file: .blt, .soc/.soi/.toc/.toi or .abif; party lists: .json")
      ->required();
  cmd->add_option("--method", o->method, "Counting method")
      ->required()
      ->check(
          CLI::IsMember({"meek", "scottish", "irv", "schulze", "ranked-pairs", "majority-judgment",
                         "approval", "plurality", "dhondt", "sainte-lague"}));
  cmd->add_option("--seats", o->seats, "Seats to fill (default: the file's)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--format", o->format, "Output: text, json or svg")
      ->check(CLI::IsMember({"text", "json", "svg"}));
  cmd->add_option("--seed", o->seed_hex,
                  "Seed of the lot, 64 hex digits (default: derived from the file's bytes)");
  cmd->add_option("--overvote", o->overvote, "Equal ranks for one-per-rank methods")
      ->check(CLI::IsMember({"exhaust", "skip", "invalid"}));
  cmd->add_option("--skipped", o->skipped, "Blank ranks")
      ->check(CLI::IsMember({"continue", "exhaust-after-two", "exhaust"}));
  cmd->add_option("--repeated", o->repeated, "A candidate ranked twice")
      ->check(CLI::IsMember({"ignore", "invalid"}));
  cmd->add_option("--write-ins", o->write_in, "Undeclared candidates on ballots")
      ->check(CLI::IsMember({"reject", "ignore", "accept"}));
  cmd->add_option("--irv-majority", o->majority, "IRV majority of continuing or valid ballots")
      ->check(CLI::IsMember({"continuing", "valid"}));
  cmd->add_option("--threshold", o->threshold, "Party-list threshold: 5%, 0.05 or 1/20");
  cmd->add_option("--gender-quota", o->gender_quota,
                  "Party lists (.json): minimum share of each list's seats per gender, e.g. 40%");
  cmd->add_flag("--ignore-withdrawals", o->ignore_withdrawals,
                "Count withdrawn candidates as standing");
  cmd->callback([o, &global] {
    const Status s = run_count(*o, global.quiet);
    if (!s) throw CLI::RuntimeError(report_error(s.error()));
  });
}

}  // namespace veche::app
