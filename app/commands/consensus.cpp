// `veche consensus analyse FILE`: the consensus report for a Pol.is-style vote file, so the
// engine can be checked against public datasets.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include "commands/commands.hpp"
#include "commands/file_bytes.hpp"
#include "veche/consensus/analysis.hpp"
#include "veche/consensus/csv.hpp"
#include "veche/consensus/report_format.hpp"

namespace veche::app {

namespace {

struct AnalyseOptions {
  std::string file;
  std::string statements;
  std::string format = "text";
  std::string output;
  std::uint64_t seed = 1;
  int max_groups = 8;
  int dimensions = 0;
};

constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{8} << 30;

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot open " + path);
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size < 0) return invalid_argument("cannot read " + path);
  if (static_cast<std::uintmax_t>(size) > kMaxFileBytes) return too_large(path + " is over 8 GiB");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0);
  in.read(text.data(), size);
  if (!in) return invalid_argument("cannot read " + path);
  return text;
}

Status write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
      return unavailable("cannot write to standard output");
    }
    return ok();
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) return unavailable("cannot write " + path);
  return ok();
}

Status run_analyse(const AnalyseOptions& o) {
  using namespace veche::consensus;
  VECHE_ASSIGN_OR_RETURN(auto votes_file, FileBytes::open(o.file, kMaxFileBytes));
  VoteMatrixBuilder builder;
  if (auto st = read_vote_file(votes_file->view(), builder); !st) {
    return Error{st.error().code, o.file + ": " + st.error().message};
  }
  votes_file.reset();
  std::vector<StatementText> texts;
  if (!o.statements.empty()) {
    VECHE_ASSIGN_OR_RETURN(const std::string comments, read_file(o.statements));
    auto parsed = read_comments_csv(comments);
    if (!parsed) return Error{parsed.error().code, o.statements + ": " + parsed.error().message};
    texts = std::move(parsed).value();
    for (const auto& t : texts) {
      if (t.moderated_out) builder.moderate_out(t.id);
    }
  }
  VECHE_ASSIGN_OR_RETURN(const VoteMatrix votes, builder.build());
  AnalysisOptions options;
  options.seed = o.seed;
  options.max_groups = o.max_groups;
  options.min_groups = std::min(options.min_groups, o.max_groups);
  options.dimensions = o.dimensions;
  VECHE_ASSIGN_OR_RETURN(const Report report, analyse(votes, options));
  const auto by_index = statement_texts(votes, texts);
  std::string out;
  if (o.format == "json") {
    out = format_json(votes, report, by_index);
  } else if (o.format == "csv") {
    out = format_csv(votes, report, by_index);
  } else if (o.format == "svg") {
    out = format_svg(report);
  } else {
    out = format_text(votes, report, by_index);
  }
  return write_output(o.output, out);
}

}  // namespace

void add_consensus_command(CLI::App& app, const GlobalOptions& /*global*/) {
  auto* consensus = app.add_subcommand("consensus", "Opinion groups, consensus and bridging");
  consensus->require_subcommand(1);
  auto* analyse = consensus->add_subcommand(
      "analyse", "Report on a Pol.is participants-votes.csv or votes.csv file");
  auto o = std::make_shared<AnalyseOptions>();
  analyse->add_option("FILE", o->file, "Vote file (format detected from its header)")
      ->required()
      ->check(CLI::ExistingFile);
  analyse->add_option("--statements", o->statements, "Pol.is comments.csv with statement texts")
      ->check(CLI::ExistingFile);
  analyse->add_option("--format", o->format, "text, json, csv or svg (the opinion map)")
      ->check(CLI::IsMember({"text", "json", "csv", "svg"}));
  analyse->add_option("-o,--output", o->output, "Write here instead of standard output");
  analyse->add_option("--seed", o->seed, "Seed of the factorizations and k-means++");
  analyse->add_option("--max-groups", o->max_groups, "Most opinion groups to consider (2-26)")
      ->check(CLI::Range(2, 26));
  analyse
      ->add_option("--dimensions", o->dimensions,
                   "Clustering dimensions (0: chosen by explained variance)")
      ->check(CLI::Range(0, 8));
  analyse->callback([o] {
    if (auto st = run_analyse(*o); !st) throw CLI::RuntimeError(report_error(st.error()));
  });
}

}  // namespace veche::app
