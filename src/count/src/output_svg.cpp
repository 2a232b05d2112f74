#include <algorithm>
#include <cstdio>

#include "veche/core/text.hpp"
#include "veche/count/output.hpp"

namespace veche::count {
namespace {

constexpr const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                                    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
                                    "#393b79", "#637939", "#843c39", "#7b4173", "#3182bd"};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

std::string to_svg(const Report& r) {
  const std::size_t n = r.candidates.size();
  const double left = 70;
  const double top = 40;
  const double plot_w = 640;
  const double plot_h = 360;
  const double legend_w = 260;
  const double width = left + plot_w + legend_w;
  const double height = std::max(top + plot_h + 60, top + 20.0 + 18.0 * static_cast<double>(n));
  std::string s;
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" +
       num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
       "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  s += "<title>" + core::xml_escape(std::string(method_name(r.method)) + " " + r.title) +
       "</title>\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
  s += "<text x=\"" + num(left) + "\" y=\"22\" font-size=\"15\">" +
       core::xml_escape(r.title.empty() ? std::string(method_name(r.method)) : r.title) + " (" +
       method_name(r.method) + ", " + std::to_string(r.seats) + " seats)</text>\n";
  const std::size_t rounds = r.rounds.size();
  std::int64_t max_v = 1;
  for (const auto& round : r.rounds) {
    for (auto v : round.votes) max_v = std::max(max_v, v);
    max_v = std::max(max_v, round.quota);
  }
  auto x_of = [&](std::size_t i) {
    return rounds <= 1 ? left + plot_w / 2
                       : left + plot_w * static_cast<double>(i) / static_cast<double>(rounds - 1);
  };
  auto y_of = [&](std::int64_t v) {
    return top + plot_h - plot_h * static_cast<double>(v) / static_cast<double>(max_v);
  };
  // Axes and grid.
  s += "<g stroke=\"#ccc\">\n";
  for (int k = 0; k <= 4; ++k) {
    const double y = top + plot_h * k / 4.0;
    s += "<line x1=\"" + num(left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(left + plot_w) +
         "\" y2=\"" + num(y) + "\"/>\n";
  }
  s += "</g>\n";
  for (int k = 0; k <= 4; ++k) {
    const double y = top + plot_h * k / 4.0;
    const auto v = static_cast<std::int64_t>(static_cast<double>(max_v) * (4 - k) / 4.0 /
                                             static_cast<double>(r.scale));
    s += "<text x=\"" + num(left - 6) + "\" y=\"" + num(y + 4) + "\" text-anchor=\"end\">" +
         std::to_string(v) + "</text>\n";
  }
  for (std::size_t i = 0; i < rounds; ++i) {
    s += "<text x=\"" + num(x_of(i)) + "\" y=\"" + num(top + plot_h + 16) +
         "\" text-anchor=\"middle\">" + std::to_string(r.rounds[i].number) + "</text>\n";
  }
  s += "<text x=\"" + num(left + plot_w / 2) + "\" y=\"" + num(top + plot_h + 34) +
       "\" text-anchor=\"middle\">round</text>\n";
  // Quota line.
  if (std::any_of(r.rounds.begin(), r.rounds.end(), [](const Round& x) { return x.quota > 0; })) {
    std::string pts;
    for (std::size_t i = 0; i < rounds; ++i) {
      pts += num(x_of(i)) + "," + num(y_of(r.rounds[i].quota)) + " ";
    }
    s += "<polyline fill=\"none\" stroke=\"#000\" stroke-dasharray=\"6 4\" points=\"" + pts +
         "\"><title>quota</title></polyline>\n";
    s += "<text x=\"" + num(left + plot_w + 4) + "\" y=\"" + num(y_of(r.rounds.back().quota) + 4) +
         "\">quota</text>\n";
  }
  // One line per candidate while in the count; a disc where elected, a cross where excluded.
  for (std::size_t c = 0; c < n; ++c) {
    const std::string color = kPalette[c % (sizeof kPalette / sizeof kPalette[0])];
    std::string pts;
    std::string marks;
    for (std::size_t i = 0; i < rounds; ++i) {
      const Round& round = r.rounds[i];
      if (c >= round.votes.size() || c >= round.states.size()) break;
      const bool excluded_here = std::find(round.excluded.begin(), round.excluded.end(),
                                           static_cast<int>(c)) != round.excluded.end();
      if (round.states[c] == CandidateState::kWithdrawn ||
          (round.states[c] == CandidateState::kExcluded && !excluded_here)) {
        break;
      }
      const double x = x_of(i);
      const double y = y_of(round.votes[c]);
      pts += num(x) + "," + num(y) + " ";
      if (std::find(round.elected.begin(), round.elected.end(), static_cast<int>(c)) !=
          round.elected.end()) {
        marks += "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"5\" fill=\"" + color +
                 "\"><title>" + core::xml_escape(r.candidates[c]) + " elected in round " +
                 std::to_string(round.number) + "</title></circle>\n";
      }
      if (excluded_here) {
        marks += "<path d=\"M" + num(x - 4) + "," + num(y - 4) + "l8,8m0,-8l-8,8\" stroke=\"" +
                 color + "\" stroke-width=\"2\"><title>" + core::xml_escape(r.candidates[c]) +
                 " excluded in round " + std::to_string(round.number) + "</title></path>\n";
      }
    }
    if (!pts.empty()) {
      s += "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\" points=\"" + pts +
           "\"><title>" + core::xml_escape(r.candidates[c]) + "</title></polyline>\n";
    }
    s += marks;
    const double ly = top + 18.0 * static_cast<double>(c);
    const bool won =
        std::find(r.winners.begin(), r.winners.end(), static_cast<int>(c)) != r.winners.end();
    s += "<rect x=\"" + num(left + plot_w + 50) + "\" y=\"" + num(ly - 9) +
         "\" width=\"10\" height=\"10\" fill=\"" + color + "\"/>\n";
    s += "<text x=\"" + num(left + plot_w + 66) + "\" y=\"" + num(ly) + "\"" +
         (won ? " font-weight=\"bold\"" : "") + ">" + core::xml_escape(r.candidates[c]) +
         (won ? " (elected)" : "") + "</text>\n";
  }
  if (rounds == 0) {
    s += "<text x=\"" + num(left + 10) + "\" y=\"" + num(top + 20) +
         "\">This method has no rounds; see the JSON report for its pairwise steps.</text>\n";
  }
  s += "</svg>\n";
  return s;
}

}  // namespace veche::count
