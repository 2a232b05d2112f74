#include "coordination_charts.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "veche/core/text.hpp"

namespace veche::http {
namespace {

constexpr int kLabelWidth = 220;
constexpr int kBarArea = 380;
constexpr int kRow = 22;

double x_of(long long bp) {
  return kLabelWidth + static_cast<double>(std::clamp(bp, 0LL, 10000LL)) * kBarArea / 10000.0;
}

std::string percent(long long bp) { return fmt::format("{:.1f}%", static_cast<double>(bp) / 100); }

std::string shortened(std::string_view s, std::size_t max_points = 32) {
  // At most `max_points` code points, cut at a UTF-8 boundary.
  std::size_t points = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++points > max_points) {
      return std::string(s.substr(0, i)) + "…";
    }
  }
  return std::string(s);
}

}  // namespace

std::string share_bars_svg(std::string_view title, const std::vector<ChartBar>& bars,
                           long long target_bp, long long tolerance_bp) {
  const int height = 30 + kRow * static_cast<int>(std::max<std::size_t>(bars.size(), 1)) + 20;
  const int width = kLabelWidth + kBarArea + 70;
  std::string svg = fmt::format(
      R"(<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" )"
      R"(height="{}" role="img" aria-label="{}"><title>{}</title>)",
      width, height, width, height, core::xml_escape(title), core::xml_escape(title));
  svg += fmt::format(R"(<text x="0" y="12" font-size="12" font-weight="bold">{}</text>)",
                     core::xml_escape(shortened(title, 90)));
  if (tolerance_bp > 0) {
    const double x0 = x_of(target_bp - tolerance_bp);
    const double x1 = x_of(target_bp + tolerance_bp);
    svg += fmt::format(
        R"(<rect class="band" x="{:.1f}" y="20" width="{:.1f}" height="{}" fill="#dfe9f5"/>)", x0,
        x1 - x0, height - 40);
  }
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const int y = 24 + kRow * static_cast<int>(i);
    svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>)"
                       R"(<rect class="{}" x="{}" y="{}" width="{:.1f}" height="{}" fill="{}"/>)"
                       R"(<text x="{:.1f}" y="{}" font-size="11">{}</text>)",
                       kLabelWidth - 6, y + 13, core::xml_escape(shortened(b.label)),
                       b.ok ? "bar ok" : "bar off", kLabelWidth, y + 2,
                       x_of(b.share_bp) - kLabelWidth, kRow - 6, b.ok ? "#2e7d4f" : "#b5523b",
                       x_of(b.share_bp) + 4, y + 13, percent(b.share_bp));
  }
  const double tx = x_of(target_bp);
  svg += fmt::format(
      R"(<line class="target" x1="{:.1f}" y1="16" x2="{:.1f}" y2="{}" stroke="#1d3f6e" )"
      R"(stroke-width="2" stroke-dasharray="4 3"/>)"
      R"(<text x="{:.1f}" y="12" font-size="11" text-anchor="middle">{}</text>)",
      tx, tx, height - 16, tx, percent(target_bp));
  svg += fmt::format(R"(<text x="{}" y="{}" font-size="10">0%</text>)", kLabelWidth, height - 4);
  svg += fmt::format(R"(<text x="{}" y="{}" font-size="10" text-anchor="end">100%</text>)",
                     kLabelWidth + kBarArea, height - 4);
  svg += "</svg>";
  return svg;
}

std::string trend_svg(std::string_view title, const std::vector<TrendPoint>& points,
                      long long women_target_bp, long long non_russian_min_bp,
                      std::string_view women_label, std::string_view non_russian_label) {
  constexpr int kLeft = 40;
  constexpr int kTop = 20;
  constexpr int kPlotH = 200;
  const int step = 70;
  const int width = kLeft + step * static_cast<int>(std::max<std::size_t>(points.size(), 1)) + 40;
  const int height = kTop + kPlotH + 70;
  const auto y_of = [&](long long bp) {
    return kTop + kPlotH - static_cast<double>(std::clamp(bp, 0LL, 10000LL)) * kPlotH / 10000.0;
  };
  const auto x_at = [&](std::size_t i) { return kLeft + step / 2 + step * static_cast<int>(i); };
  std::string svg = fmt::format(
      R"(<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" )"
      R"(height="{}" role="img" aria-label="{}"><title>{}</title>)",
      width, height, width, height, core::xml_escape(title), core::xml_escape(title));
  for (int p = 0; p <= 100; p += 25) {
    const double y = y_of(p * 100);
    svg += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="#ddd"/>)"
                       R"(<text x="{}" y="{:.1f}" font-size="10" text-anchor="end">{}%</text>)",
                       kLeft, y, width - 10, y, kLeft - 4, y + 3, p);
  }
  for (const auto& [bp, colour] :
       {std::pair{women_target_bp, "#7a3e9d"}, std::pair{non_russian_min_bp, "#c47f00"}}) {
    svg +=
        fmt::format(R"(<line class="target" x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="{}" )"
                    R"(stroke-dasharray="5 4"/>)",
                    kLeft, y_of(bp), width - 10, y_of(bp), colour);
  }
  for (const auto& [series, colour] : {std::pair{0, "#7a3e9d"}, std::pair{1, "#c47f00"}}) {
    std::string pts;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const auto bp = series == 0 ? points[i].women_bp : points[i].non_russian_bp;
      pts += fmt::format("{}{},{:.1f}", pts.empty() ? "" : " ", x_at(i), y_of(bp));
      svg += fmt::format(R"(<circle cx="{}" cy="{:.1f}" r="3" fill="{}"/>)", x_at(i), y_of(bp),
                         colour);
    }
    if (points.size() > 1) {
      svg += fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>)", pts,
                         colour);
    }
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    svg += fmt::format(R"(<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>)",
                       x_at(i), kTop + kPlotH + 14, core::xml_escape(points[i].quarter));
  }
  svg +=
      fmt::format(R"(<rect x="{}" y="{}" width="10" height="10" fill="#7a3e9d"/>)"
                  R"(<text x="{}" y="{}" font-size="11">{}</text>)"
                  R"(<rect x="{}" y="{}" width="10" height="10" fill="#c47f00"/>)"
                  R"(<text x="{}" y="{}" font-size="11">{}</text>)",
                  kLeft, height - 24, kLeft + 14, height - 15, core::xml_escape(women_label), kLeft,
                  height - 10, kLeft + 14, height - 1, core::xml_escape(non_russian_label));
  svg += "</svg>";
  return svg;
}

}  // namespace veche::http
