// Feeds arbitrary bytes to the Pol.is CSV readers; small inputs that parse go through the whole
// analysis and every report format. Nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "veche/consensus/analysis.hpp"
#include "veche/consensus/csv.hpp"
#include "veche/consensus/report_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace veche::consensus;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CsvLimits limits;
  limits.max_statements = 200;
  limits.max_participants = 2000;
  limits.max_votes = 20000;
  (void)read_comments_csv(text, limits);
  (void)detect_vote_file_format(text);
  VoteMatrixBuilder builder;
  if (!read_vote_file(text, builder, limits)) return 0;
  auto votes = builder.build();
  if (!votes || votes->vote_count() > 2000) return 0;
  AnalysisOptions options;
  options.threads = 1;
  options.kmeans_restarts = 1;
  const auto report = analyse(*votes, options);
  if (!report) return 0;
  (void)format_text(*votes, *report, {});
  (void)format_json(*votes, *report, {});
  (void)format_csv(*votes, *report, {});
  (void)format_svg(*report);
  return 0;
}
