// The report as people and programs read it: text, JSON, CSV and the SVG opinion map.
// The map shows positions and groups only: no ids or labels that could identify anyone.
#pragma once

#include <string>
#include <vector>

#include "veche/consensus/analysis.hpp"
#include "veche/consensus/csv.hpp"
#include "veche/consensus/vote_matrix.hpp"

namespace veche::consensus {

// Statement texts by statement index (VoteMatrix order); empty when unknown.
std::vector<std::string> statement_texts(const VoteMatrix& votes,
                                         const std::vector<StatementText>& texts);

std::string format_text(const VoteMatrix& votes, const Report& report,
                        const std::vector<std::string>& texts);
std::string format_json(const VoteMatrix& votes, const Report& report,
                        const std::vector<std::string>& texts);
// One table: kind,group,statement,direction,agree,disagree,pass,seen,score,confidence,text.
std::string format_csv(const VoteMatrix& votes, const Report& report,
                       const std::vector<std::string>& texts);
std::string format_svg(const Report& report);

}  // namespace veche::consensus
