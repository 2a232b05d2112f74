// `veche count FILE --method M`: counts a ballot file (BLT, PrefLib, ABIF) and prints the
// round-by-round table, the JSON report or an SVG chart of the rounds.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "commands/commands.hpp"
#include "veche/count/formats.hpp"
#include "veche/count/methods.hpp"
#include "veche/count/output.hpp"

namespace veche::app {
namespace {

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
  bool ignore_withdrawals = false;
};

constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{4} << 30;

Result<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot open " + path);
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size < 0) return invalid_argument("cannot read " + path);
  if (static_cast<std::uintmax_t>(size) > kMaxFileBytes) return too_large(path + " is over 4 GiB");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  in.read(text.data(), size);
  if (!in) return invalid_argument("cannot read " + path);
  return text;
}

// The default seed of the lot (docs/counting.md): FNV-1a-64 of the file's bytes, expanded to
// 32 bytes by four SplitMix64 steps, each written little-endian.
std::array<std::byte, 32> seed_from_bytes(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  std::array<std::byte, 32> seed{};
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t z = (h += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    for (std::size_t b = 0; b < 8; ++b) {
      seed[8 * i + b] = static_cast<std::byte>((z >> (8 * b)) & 0xff);
    }
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
Result<std::pair<std::int64_t, std::int64_t>> fraction(std::string s) {
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
    return invalid_argument("--threshold: expected a fraction such as 5%, 0.05 or 1/20");
  }
  den *= den_mul;
  if (den <= 0 || num < 0 || num > den) {
    return invalid_argument("--threshold must be between 0 and 1");
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
  VECHE_ASSIGN_OR_RETURN(count::Format format, count::format_from_name(o.file));
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
  VECHE_ASSIGN_OR_RETURN(auto threshold, fraction(o.threshold));
  options.threshold_num = threshold.first;
  options.threshold_den = threshold.second;

  Progress progress(!quiet && isatty(STDERR_FILENO) != 0);
  options.progress = [](void* context, double fraction) {
    static_cast<Progress*>(context)->set_fraction(fraction);
  };
  options.progress_context = &progress;
  VECHE_ASSIGN_OR_RETURN(std::string text, read_whole_file(o.file));
  if (o.seed_hex.empty()) {
    options.seed = seed_from_bytes(text);
  } else {
    VECHE_ASSIGN_OR_RETURN(options.seed, seed_from_hex(o.seed_hex));
  }
  progress.set_phase("parsing");
  auto profile = count::parse(format, text, parse_options);
  if (!profile) return Error{profile.error().code, o.file + ": " + profile.error().message};
  progress.set_phase("counting");
  VECHE_ASSIGN_OR_RETURN(count::Report report, count::count(*method, *profile, options));
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
  CLI::App* cmd = app.add_subcommand("count", "Count a ballot file (BLT, PrefLib, ABIF)");
  cmd->add_option("file", o->file, "Ballot file: .blt, .soc/.soi/.toc/.toi or .abif")->required();
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
  cmd->add_flag("--ignore-withdrawals", o->ignore_withdrawals,
                "Count withdrawn candidates as standing");
  cmd->callback([o, &global] {
    const Status s = run_count(*o, global.quiet);
    if (!s) throw CLI::RuntimeError(report_error(s.error()));
  });
}

}  // namespace veche::app
