#include "veche/consensus/report_format.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "synthetic.hpp"

namespace veche::consensus {
namespace {

struct Formatted {
  VoteMatrix votes;
  Report report;
  std::vector<std::string> texts;
};

Formatted five_camps() {
  auto planted = testing::plant(5, 40, 30, 0.5, 5);
  // Ids that must never show on the map.
  VoteMatrixBuilder b;
  const auto source = planted.builder.build().value();
  for (std::size_t p = 0; p < source.participant_count(); ++p) {
    for (auto c = source.row_begin(p); c != source.row_end(p); ++c) {
      b.add("secret-" + source.participant_id(p), source.statement_id(c->index), c->vote);
    }
  }
  Formatted f{b.build().value(), {}, {}};
  f.report = analyse(f.votes).value();
  std::vector<StatementText> texts{
      {planted.consensus_id, "Open \"bank\" <accounts>, please", false}};
  f.texts = statement_texts(f.votes, texts);
  return f;
}

TEST(ReportFormat, MapShowsEveryGroupedParticipantAndNoIds) {
  const auto f = five_camps();
  const auto svg = format_svg(f.report);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(svg.find("secret"), std::string::npos);
  std::size_t circles = 0;
  for (auto at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) {
    ++circles;
  }
  // One per grouped participant plus one legend mark per group.
  EXPECT_EQ(circles, f.report.clustered + f.report.groups.size());
  EXPECT_NE(svg.find(">A (" + std::to_string(f.report.groups[0].size) + ")</text>"),
            std::string::npos);
}

TEST(ReportFormat, JsonCarriesGroupsStatementsAndCounts) {
  const auto f = five_camps();
  const auto doc = boost::json::parse(format_json(f.votes, f.report, f.texts)).as_object();
  EXPECT_EQ(doc.at("groups").as_array().size(), f.report.groups.size());
  const auto& first = doc.at("consensus").as_array().at(0).as_object();
  EXPECT_EQ(first.at("text").as_string(), "Open \"bank\" <accounts>, please");
  EXPECT_EQ(first.at("direction").as_string(), "agree");
  EXPECT_EQ(first.at("counts").at("seen").to_number<std::uint64_t>(),
            f.report.consensus[0].counts.seen());
  EXPECT_EQ(doc.at("votes").to_number<std::size_t>(), f.report.votes);
}

TEST(ReportFormat, CsvHasOneRowPerListedItemWithQuotedText) {
  const auto f = five_camps();
  const auto csv = format_csv(f.votes, f.report, f.texts);
  EXPECT_EQ(csv.rfind("kind,group,statement,direction,agree,disagree,pass,seen,score,confidence,"
                      "text\n",
                      0),
            0u);
  std::size_t rows = 0;
  for (char c : csv) rows += c == '\n';
  std::size_t reps = 0;
  for (const auto& g : f.report.groups) reps += g.representatives.size();
  EXPECT_EQ(rows, 1 + f.report.groups.size() + reps + f.report.consensus.size() +
                      f.report.bridging.size() + f.report.divisive.size());
  EXPECT_NE(csv.find("\"Open \"\"bank\"\" <accounts>, please\""), std::string::npos);
}

TEST(ReportFormat, TextNamesGroupsAndQuotesStatements) {
  const auto f = five_camps();
  const auto text = format_text(f.votes, f.report, f.texts);
  EXPECT_NE(text.find("Group A: "), std::string::npos);
  EXPECT_NE(text.find("\"Open \"bank\" <accounts>, please\""), std::string::npos);
  EXPECT_NE(text.find("Bridging"), std::string::npos);
  EXPECT_EQ(text.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace veche::consensus
