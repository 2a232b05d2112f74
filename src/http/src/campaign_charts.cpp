#include "campaign_charts.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "coordination_charts.hpp"
#include "veche/core/text.hpp"

namespace veche::http {
namespace {

constexpr int kLeft = 260;
constexpr int kWidth = 460;
constexpr int kRight = 20;
constexpr int kRow = 14;

struct Axis {
  std::int64_t from = 0, to = 1;
  double x(core::TimePoint t) const {
    const auto v = std::clamp(core::to_unix(t), from, to);
    return kLeft + static_cast<double>(v - from) * kWidth / static_cast<double>(to - from);
  }
};

Axis axis_of(core::TimePoint a, core::TimePoint b) {
  Axis ax;
  ax.from = core::to_unix(a);
  ax.to = std::max(core::to_unix(b), ax.from + 86400);
  return ax;
}

// Year marks along the axis (at most about ten).
std::string year_marks(const Axis& ax, int top, int bottom) {
  std::string out;
  const int y0 = std::stoi(core::to_iso8601(core::from_unix(ax.from)).substr(0, 4));
  const int y1 = std::stoi(core::to_iso8601(core::from_unix(ax.to)).substr(0, 4));
  const int step = std::max(1, (y1 - y0) / 10 + 1);
  for (int y = y0 + 1; y <= y1; y += step) {
    const auto t = core::TimePoint(std::chrono::sys_days(std::chrono::year_month_day{
        std::chrono::year(y), std::chrono::January, std::chrono::day(1)}));
    const double x = ax.x(t);
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#ddd\"/>"
        "<text x=\"{0:.1f}\" y=\"{3}\" font-size=\"10\" fill=\"#666\" "
        "text-anchor=\"middle\">{4}</text>",
        x, top, bottom, bottom + 12, y);
  }
  return out;
}

// The first and last day of the axis, under its two ends.
std::string axis_ends(const Axis& ax, int y) {
  return fmt::format(
      "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#666\">{}</text>"
      "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#666\" text-anchor=\"end\">{}</text>",
      kLeft, y, core::to_iso8601(core::from_unix(ax.from)).substr(0, 10), kLeft + kWidth, y,
      core::to_iso8601(core::from_unix(ax.to)).substr(0, 10));
}

std::string_view colour(std::string_view outcome) {
  if (outcome == "achieved") return "#1b7f3b";
  if (outcome == "partly") return "#b7791f";
  if (outcome == "not-achieved") return "#b3261e";
  return "#3b5b92";
}

std::string shortened(std::string_view s, std::size_t max_points = 40) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++points > max_points) {
      return std::string(s.substr(0, i)) + "…";
    }
  }
  return std::string(s);
}

}  // namespace

std::string campaign_timeline_svg(std::string_view title, const std::vector<TimelineEvent>& events,
                                  core::TimePoint now, const std::vector<std::string>& row_names) {
  core::TimePoint lo = now, hi = now;
  for (const auto& e : events) {
    lo = std::min(lo, e.at);
    hi = std::max(hi, e.at);
  }
  const Axis ax = axis_of(lo - std::chrono::days(7), hi + std::chrono::days(7));
  // Rows: started/outcome on the first, actions on the second, milestones on the third.
  const int height = 4 * 26 + 30;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{}\" class=\"chart timeline\" font-family=\"sans-serif\">",
      kLeft + kWidth + kRight, height, core::xml_escape(title));
  const char* rows[] = {"started", "action", "milestone", "outcome"};
  for (int r = 0; r < 3; ++r) {
    const std::string name = static_cast<std::size_t>(r) < row_names.size() ? row_names[r] : "";
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>", 8, 26 * r + 30,
                       core::xml_escape(name));
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\"/>", kLeft,
                       26 * r + 26, kLeft + kWidth, 26 * r + 26);
  }
  out += year_marks(ax, 12, 26 * 3 + 10);
  out += axis_ends(ax, 26 * 3 + 36);
  for (const auto& e : events) {
    int row = 0;
    for (int r = 0; r < 4; ++r) {
      if (e.kind == rows[r]) row = r == 3 ? 0 : r;
    }
    const double x = ax.x(e.at);
    const int y = 26 * row + 26;
    const std::string tip = fmt::format(
        "<title>{} {}</title>", core::to_iso8601(e.at).substr(0, 10), core::xml_escape(e.label));
    if (e.kind == "milestone") {
      out += fmt::format("<path d=\"M{0:.1f} {1}l5 5l-5 5l-5-5z\" fill=\"#6b4fa0\">{2}</path>", x,
                         y - 5, tip);
    } else if (e.kind == "outcome") {
      out +=
          fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"8\" height=\"10\" fill=\"{}\">{}</rect>",
                      x - 4, y - 5, colour(e.label), tip);
    } else if (e.kind == "started") {
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{}\" width=\"3\" height=\"14\" fill=\"#222\">{}</rect>", x - 1.5,
          y - 7, tip);
    } else {
      out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{}\" r=\"4\" fill=\"#3b5b92\">{}</circle>", x,
                         y, tip);
    }
  }
  return out + "</svg>";
}

std::string record_timeline_svg(std::string_view title, const std::vector<RecordBar>& bars) {
  core::TimePoint lo = core::from_unix(0), hi = core::from_unix(0);
  bool first = true;
  for (const auto& b : bars) {
    if (first || b.from < lo) lo = b.from;
    if (first || b.to > hi) hi = b.to;
    first = false;
  }
  const Axis ax = axis_of(lo, hi);
  const int height = static_cast<int>(bars.size()) * kRow + 40;
  std::string out;
  out.reserve(bars.size() * 260 + 1000);
  out += fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{}\" class=\"chart record\" font-family=\"sans-serif\">",
      kLeft + kWidth + kRight, height, core::xml_escape(title));
  out += year_marks(ax, 4, height - 22);
  out += axis_ends(ax, height - 2);
  int y = 10;
  for (const auto& b : bars) {
    const double x0 = ax.x(b.from);
    const double x1 = std::max(ax.x(b.to), x0 + 2);
    out += fmt::format(
        "<text x=\"4\" y=\"{}\" font-size=\"11\">{}</text><rect x=\"{:.1f}\" y=\"{}\" "
        "width=\"{:.1f}\" "
        "height=\"10\" fill=\"{}\"><title>{}: {}</title></rect>",
        y + 9, core::xml_escape(shortened(b.label)), x0, y, x1 - x0, colour(b.outcome),
        core::xml_escape(b.label), core::xml_escape(b.outcome_label));
    y += kRow;
  }
  return out + "</svg>";
}

}  // namespace veche::http
