// veche-verify RECORD: checks an election record (docs/protocol.md §14) and prints each numbered
// check, a progress bar on stderr, and a verdict naming the first thing that is wrong.
// Exit status: 0 valid, 1 invalid, 2 usage or unreadable file.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "veche/crypto/random.hpp"
#include "veche/record/verify.hpp"

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: veche-verify [--threads N] [--quiet] RECORD\n"
               "  RECORD is an election record (board.jsonl) or a board folder containing one.\n");
}

void progress_bar(std::uint64_t done, std::uint64_t total) {
  constexpr int kWidth = 40;
  const int filled = total == 0 ? kWidth : static_cast<int>(done * kWidth / total);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\rballots [%s] %llu/%llu", bar.c_str(),
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(total));
  if (done == total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  bool quiet = false;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quiet") {
      quiet = true;
    } else if (arg == "--threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::max(1L, std::strtol(argv[++i], nullptr, 10)));
    } else if (arg == "-h" || arg == "--help") {
      usage();
      return 0;
    } else if (path.empty() && !arg.starts_with("-")) {
      path = arg;
    } else {
      usage();
      return 2;
    }
  }
  if (path.empty()) {
    usage();
    return 2;
  }
  if (!veche::crypto::initialize()) {
    std::fprintf(stderr, "veche-verify: libsodium failed to initialize\n");
    return 2;
  }
  std::filesystem::path file(path);
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) file /= "board.jsonl";
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "veche-verify: cannot read %s\n", file.c_str());
    return 2;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string record = ss.str();

  std::printf("veche-verify: %s (%zu bytes)\n", file.c_str(), record.size());
  veche::record::VerifyOptions options;
  options.threads = threads;
  if (!quiet) options.progress = progress_bar;
  const auto report = veche::record::verify_record(record, options);
  for (const auto& c : report.checks) {
    const char* status = c.status == veche::record::CheckStatus::kPassed   ? "ok"
                         : c.status == veche::record::CheckStatus::kFailed ? "FAILED"
                                                                           : "not reached";
    std::printf("%2d. %-52s %s%s%s\n", c.number, c.name.c_str(), status,
                c.detail.empty() ? "" : ": ", c.detail.c_str());
  }
  if (report.valid && report.result) {
    std::printf("result (%llu ballots counted):\n",
                static_cast<unsigned long long>(report.result->counted));
    for (std::size_t q = 0; q < report.result->counts.size(); ++q) {
      std::printf("  %s:", report.question_ids[q].c_str());
      for (std::size_t c = 0; c < report.result->counts[q].size(); ++c) {
        std::printf(" %llu", static_cast<unsigned long long>(report.result->counts[q][c]));
        if (!report.result->seats[q].empty())
          std::printf(" (%u seats)", report.result->seats[q][c]);
      }
      std::printf("\n");
    }
  }
  if (report.valid) {
    std::printf("verdict: VALID\n");
    return 0;
  }
  std::printf("verdict: INVALID at check %d (%s): %s\n", report.failed_check,
              veche::record::check_name(report.failed_check), report.error.c_str());
  return 1;
}
