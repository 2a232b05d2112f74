#include <algorithm>
#include <cstdio>

#include "veche/count/output.hpp"

namespace veche::count {
namespace {

const char* method_title(Method m) {
  switch (m) {
    case Method::kPlurality:
      return "Plurality";
    case Method::kApproval:
      return "Approval";
    case Method::kInstantRunoff:
      return "Instant-runoff";
    case Method::kSchulze:
      return "Schulze";
    case Method::kRankedPairs:
      return "Ranked pairs";
    case Method::kMajorityJudgment:
      return "Majority judgment";
    case Method::kDHondt:
      return "D'Hondt";
    case Method::kSainteLague:
      return "Sainte-Lague";
    case Method::kScottishStv:
      return "Scottish STV (SSI 2007/42)";
    case Method::kMeekStv:
      return "Meek STV (reference rule)";
  }
  return "";
}

std::string pad(std::string s, std::size_t width, bool left) {
  if (s.size() >= width) return s;
  return left ? s + std::string(width - s.size(), ' ') : std::string(width - s.size(), ' ') + s;
}

std::string names_of(const Report& r, const std::vector<int>& who) {
  std::string s;
  for (std::size_t i = 0; i < who.size(); ++i) {
    if (i > 0) s += ", ";
    s += r.candidates[static_cast<std::size_t>(who[i])];
  }
  return s;
}

}  // namespace

std::string to_text(const Report& r) {
  std::string out;
  out += method_title(r.method);
  if (!r.title.empty()) out += " - " + r.title;
  out += "\n";
  if (r.party.has_value() && r.distinct_ballots == 0) {
    out += "Seats: " + std::to_string(r.seats) + "   Votes: " + std::to_string(r.ballots);
  } else {
    out += "Seats: " + std::to_string(r.seats) + "   Ballots: " + std::to_string(r.ballots) + " (" +
           std::to_string(r.distinct_ballots) + " distinct)";
  }
  if (r.invalid_ballots > 0) out += "   Set aside: " + std::to_string(r.invalid_ballots);
  out += "\n\n";
  std::size_t name_width = 9;
  for (const auto& c : r.candidates) name_width = std::max(name_width, c.size());
  name_width = std::min<std::size_t>(name_width, 32);
  const bool party = r.party.has_value();
  if (!r.rounds.empty() && !party) {
    std::size_t col = 6;
    for (const auto& round : r.rounds) {
      for (auto v : round.votes) col = std::max(col, format_amount(v, r.scale).size() + 1);
      col = std::max(col, format_amount(round.quota, r.scale).size());
      col = std::max(col, format_amount(round.exhausted, r.scale).size());
    }
    col += 1;
    out += pad("Candidate", name_width, true);
    for (const auto& round : r.rounds) out += pad("R" + std::to_string(round.number), col, false);
    out += "\n";
    for (std::size_t c = 0; c < r.candidates.size(); ++c) {
      out += pad(r.candidates[c].substr(0, name_width), name_width, true);
      for (const auto& round : r.rounds) {
        std::string cell;
        const bool elected_here = std::find(round.elected.begin(), round.elected.end(),
                                            static_cast<int>(c)) != round.elected.end();
        const bool excluded_here = std::find(round.excluded.begin(), round.excluded.end(),
                                             static_cast<int>(c)) != round.excluded.end();
        const CandidateState state =
            c < round.states.size() ? round.states[c] : CandidateState::kHopeful;
        if (state == CandidateState::kWithdrawn) {
          cell = "w";
        } else if (state == CandidateState::kExcluded && !excluded_here) {
          cell = "-";
        } else {
          cell = format_amount(c < round.votes.size() ? round.votes[c] : 0, r.scale);
          cell += elected_here ? "*" : (excluded_here ? "x" : " ");
        }
        out += pad(cell, col, false);
      }
      out += "\n";
    }
    out += pad("Exhausted", name_width, true);
    for (const auto& round : r.rounds) {
      out += pad(format_amount(round.exhausted, r.scale) + " ", col, false);
    }
    out += "\n";
    if (std::any_of(r.rounds.begin(), r.rounds.end(),
                    [](const Round& x) { return x.quota != 0; })) {
      out += pad("Quota", name_width, true);
      for (const auto& round : r.rounds) {
        out += pad(format_amount(round.quota, r.scale) + " ", col, false);
      }
      out += "\n";
    }
    out += "(* elected, x excluded, - out of the count, w withdrawn)\n\n";
    for (const auto& round : r.rounds) {
      out += "R" + std::to_string(round.number) + ": " + round.action;
      if (!round.elected.empty()) out += "; elected " + names_of(r, round.elected);
      if (!round.excluded.empty()) out += "; excluded " + names_of(r, round.excluded);
      if (round.transfer_value != 0) {
        out += "; transfer value " + format_amount(round.transfer_value, r.scale);
      }
      if (round.iterations > 0) out += "; " + std::to_string(round.iterations) + " iterations";
      out += "\n";
      for (const auto& note : round.notes) out += "    " + note + "\n";
    }
    out += "\n";
  }
  if (party) {
    for (std::size_t i = 0; i < r.candidates.size(); ++i) {
      out += pad(r.candidates[i].substr(0, name_width), name_width, true);
      out += pad(std::to_string(r.party->seats[i]), 8, false);
      if (!r.party->qualified[i]) out += "  (below threshold)";
      if (i < r.party->elected_names.size() && !r.party->elected_names[i].empty()) {
        out += "  ";
        for (std::size_t k = 0; k < r.party->elected_names[i].size(); ++k) {
          out += (k > 0 ? ", " : "") + r.party->elected_names[i][k];
        }
      }
      out += "\n";
    }
    out += "\n";
  }
  if (!r.pairwise.empty()) {
    out += "Pairwise preferences (row over column):\n";
    out += pad("", name_width, true);
    for (std::size_t j = 0; j < r.candidates.size(); ++j)
      out += pad(std::to_string(j + 1), 10, false);
    out += "\n";
    for (std::size_t i = 0; i < r.pairwise.size(); ++i) {
      out += pad(std::to_string(i + 1) + " " + r.candidates[i].substr(0, name_width - 2),
                 name_width, true);
      for (std::size_t j = 0; j < r.pairwise.size(); ++j) {
        out += pad(i == j ? "-" : std::to_string(r.pairwise[i][j]), 10, false);
      }
      out += "\n";
    }
    out += "\n";
  }
  if (!r.median_grades.empty()) {
    out += "Median grades:\n";
    for (std::size_t c = 0; c < r.candidates.size(); ++c) {
      out += "  " + pad(r.candidates[c], name_width, true) + " " +
             std::to_string(r.median_grades[c]) + "\n";
    }
    out += "\n";
  }
  if (!r.ranking.empty()) {
    out += "Ranking: ";
    for (std::size_t i = 0; i < r.ranking.size(); ++i) {
      if (i > 0) out += " > ";
      std::string level;
      for (std::size_t k = 0; k < r.ranking[i].size(); ++k) {
        if (k > 0) level += " = ";
        level += r.candidates[static_cast<std::size_t>(r.ranking[i][k])];
      }
      out += level;
    }
    out += "\n";
  }
  out += (party ? "Seats in order of award: " : "Elected: ") + names_of(r, r.winners) + "\n";
  for (const auto& note : r.notes) out += "Note: " + note + "\n";
  return out;
}

}  // namespace veche::count
