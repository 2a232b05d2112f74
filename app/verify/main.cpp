// veche-verify RECORD: checks an election record (docs/protocol.md §14) and prints each numbered
// check, a progress bar on stderr, and a verdict naming the first thing that is wrong; with
// --json, the same report as one JSON object (for observers who publish or compare reports).
// Exit status: 0 valid, 1 invalid, 2 usage or unreadable file.
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>

#include "veche/core/file.hpp"
#include "veche/crypto/random.hpp"
#include "veche/record/verify.hpp"

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: veche-verify [--threads N] [--quiet] [--json] RECORD\n"
               "  RECORD is an election record (board.jsonl) or a board folder containing one.\n"
               "  --json prints the report as one JSON object instead of lines.\n");
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

const char* status_name(veche::record::CheckStatus s) {
  return s == veche::record::CheckStatus::kPassed   ? "ok"
         : s == veche::record::CheckStatus::kFailed ? "failed"
                                                    : "not reached";
}

// The report as JSON (docs/elections.md, "Checking an election"): the same facts as the lines.
std::string json_report(const std::string& file, std::size_t bytes,
                        const veche::record::VerificationReport& report) {
  namespace json = boost::json;
  json::array checks;
  for (const auto& c : report.checks) {
    checks.push_back(json::object{{"number", c.number},
                                  {"name", c.name},
                                  {"status", status_name(c.status)},
                                  {"detail", c.detail}});
  }
  json::object o{{"record", file},
                 {"bytes", bytes},
                 {"verdict", report.valid ? "valid" : "invalid"},
                 {"election_id", report.election_id},
                 {"fingerprint", report.fingerprint},
                 {"events", report.events},
                 {"head", report.head},
                 {"checks", std::move(checks)}};
  if (!report.valid) {
    o["failed_check"] = report.failed_check;
    o["failed_check_name"] = veche::record::check_name(report.failed_check);
    o["error"] = report.error;
  }
  if (report.valid && report.result) {
    json::array questions;
    for (std::size_t q = 0; q < report.result->counts.size(); ++q) {
      json::array counts;
      for (const auto n : report.result->counts[q]) counts.push_back(n);
      json::object question{{"id", report.question_ids[q]}, {"counts", std::move(counts)}};
      if (!report.result->seats[q].empty()) {
        json::array seats;
        for (const auto n : report.result->seats[q]) seats.push_back(n);
        question["seats"] = std::move(seats);
      }
      questions.push_back(std::move(question));
    }
    o["result"] =
        json::object{{"counted", report.result->counted}, {"questions", std::move(questions)}};
  }
  return json::serialize(o);
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  bool quiet = false;
  bool as_json = false;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quiet") {
      quiet = true;
    } else if (arg == "--json") {
      as_json = true;
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
  const auto read = veche::core::read_file(file);
  if (!read) {
    std::fprintf(stderr, "veche-verify: cannot read %s\n", file.c_str());
    return 2;
  }
  const std::string& record = *read;

  if (!as_json) std::printf("veche-verify: %s (%zu bytes)\n", file.c_str(), record.size());
  veche::record::VerifyOptions options;
  options.threads = threads;
  if (!quiet) options.progress = progress_bar;
  const auto report = veche::record::verify_record(record, options);
  if (as_json) {
    std::printf("%s\n", json_report(file.string(), record.size(), report).c_str());
    return report.valid ? 0 : 1;
  }
  for (const auto& c : report.checks) {
    const char* status =
        c.status == veche::record::CheckStatus::kFailed ? "FAILED" : status_name(c.status);
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
    std::printf("election %s, fingerprint %s\n", report.election_id.c_str(),
                report.fingerprint.c_str());
    std::printf("record head %s (%llu events): compare it with other observers'\n",
                report.head.c_str(), static_cast<unsigned long long>(report.events));
    std::printf("verdict: VALID\n");
    return 0;
  }
  std::printf("verdict: INVALID at check %d (%s): %s\n", report.failed_check,
              veche::record::check_name(report.failed_check), report.error.c_str());
  return 1;
}
