#include "veche/consensus/report_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <tuple>

#include "veche/core/text.hpp"

namespace veche::consensus {

namespace {

std::string percent(double p) { return fmt::format("{:.0f}%", 100.0 * p); }

double share(std::uint32_t part, std::uint32_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / whole;
}

std::string counts_text(const Counts& c) {
  return fmt::format("agree {} disagree {} pass {}", c.agree, c.disagree, c.pass);
}

std::string quoted(const std::vector<std::string>& texts, std::uint32_t s) {
  if (s >= texts.size() || texts[s].empty()) return {};
  std::string t = texts[s];
  std::replace(t.begin(), t.end(), '\n', ' ');
  std::replace(t.begin(), t.end(), '\r', ' ');
  return " \"" + t + "\"";
}

std::string name_of(const Report& r, int group_index) {
  return group_name(r.groups[static_cast<std::size_t>(group_index)].label);
}

boost::json::object counts_json(const Counts& c) {
  return {{"agree", c.agree}, {"disagree", c.disagree}, {"pass", c.pass}, {"seen", c.seen()}};
}

// Okabe-Ito colours (distinguishable with colour blindness), then a few more.
constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                    "#D55E00", "#56B4E9", "#F0E442", "#000000",
                                    "#882255", "#44AA99", "#999933", "#AA4499"};

}  // namespace

std::vector<std::string> statement_texts(const VoteMatrix& votes,
                                         const std::vector<StatementText>& texts) {
  std::vector<std::string> out(votes.statement_count());
  for (const auto& t : texts) {
    const auto s = votes.find_statement(t.id);
    if (s >= 0) out[static_cast<std::size_t>(s)] = t.text;
  }
  return out;
}

std::string format_text(const VoteMatrix& votes, const Report& r,
                        const std::vector<std::string>& texts) {
  std::string out;
  auto sid = [&](std::uint32_t s) { return "#" + votes.statement_id(s); };
  out += fmt::format("{} participants ({} grouped), {} statements, {} votes\n", r.participants,
                     r.clustered, r.statements, r.votes);
  std::string shares;
  for (double v : r.explained_variance) shares += " " + percent(v);
  out += fmt::format(
      "{} opinion groups, clustered in {} dimensions (variance explained by each:{}),"
      " silhouette {:.2f}\n",
      r.groups.size(), r.dimensions, shares, r.silhouette);
  for (const auto& g : r.groups) {
    out += fmt::format("\nGroup {}: {} participants\n", group_name(g.label), g.size);
    if (g.representatives.empty()) out += "  (no statement sets this group apart)\n";
    for (const auto& rep : g.representatives) {
      const auto& in = rep.in_group;
      const auto& o = rep.others;
      const auto hits_in = rep.agree ? in.agree : in.disagree;
      const auto hits_out = rep.agree ? o.agree : o.disagree;
      out += fmt::format(
          "  {} {:<6} {} of the group ({}/{}) vs {} of others ({}/{}); ratio {:.2f}, z {:.1f} / "
          "{:.1f}{}{}\n",
          rep.agree ? "agree   " : "disagree", sid(rep.statement),
          percent(share(hits_in, in.seen())), hits_in, in.seen(),
          percent(share(hits_out, o.seen())), hits_out, o.seen(), rep.ratio, rep.z_probability,
          rep.z_ratio, rep.significant ? " (significant at 90%)" : " (not significant)",
          quoted(texts, rep.statement));
    }
  }
  out += "\nConsensus (every group leans the same way; score = product over groups)\n";
  if (r.consensus.empty()) out += "  (none)\n";
  for (const auto& c : r.consensus) {
    std::string per;
    for (std::size_t g = 0; g < c.group_probability.size(); ++g) {
      per +=
          fmt::format(" {} {}", name_of(r, static_cast<int>(g)), percent(c.group_probability[g]));
    }
    out += fmt::format("  {} {:<6} score {:.3f};{}; {}; confidence {}{}\n",
                       c.agree ? "agree   " : "disagree", sid(c.statement), c.score, per,
                       counts_text(c.counts), percent(c.confidence), quoted(texts, c.statement));
  }
  out += "\nBridging (agreed across the opinion axis: Community Notes intercept)\n";
  if (r.bridging.empty()) out += "  (none)\n";
  for (const auto& b : r.bridging) {
    out +=
        fmt::format("  {:<6} intercept {:+.3f} ± {:.3f}, factor {:.2f}{}; {}{}\n", sid(b.statement),
                    b.intercept, b.standard_error, b.factor, b.bridges ? ", bridges" : "",
                    counts_text(b.counts), quoted(texts, b.statement));
  }
  out += "\nDivisive (widest gap in agreement between two groups)\n";
  if (r.divisive.empty()) out += "  (none)\n";
  for (const auto& d : r.divisive) {
    out += fmt::format(
        "  {:<6} gap {}: group {} agrees most, group {} least; z {:.1f}, "
        "confidence {}; {}{}\n",
        sid(d.statement), percent(d.score), name_of(r, d.agreeing_group),
        name_of(r, d.disagreeing_group), d.z, percent(d.confidence), counts_text(d.counts),
        quoted(texts, d.statement));
  }
  return out;
}

std::string format_json(const VoteMatrix& votes, const Report& r,
                        const std::vector<std::string>& texts) {
  namespace json = boost::json;
  auto text_of = [&](std::uint32_t s) -> json::value {
    if (s < texts.size() && !texts[s].empty()) return json::value(texts[s]);
    return nullptr;
  };
  json::object root;
  root["participants"] = r.participants;
  root["grouped"] = r.clustered;
  root["statements"] = r.statements;
  root["votes"] = r.votes;
  root["dimensions"] = r.dimensions;
  root["silhouette"] = r.silhouette;
  json::array var;
  for (double v : r.explained_variance) var.push_back(v);
  root["explained_variance"] = std::move(var);
  json::array groups;
  for (const auto& g : r.groups) {
    json::array reps;
    for (const auto& rep : g.representatives) {
      reps.push_back(json::object{{"statement", votes.statement_id(rep.statement)},
                                  {"text", text_of(rep.statement)},
                                  {"direction", rep.agree ? "agree" : "disagree"},
                                  {"group", counts_json(rep.in_group)},
                                  {"others", counts_json(rep.others)},
                                  {"probability", rep.probability},
                                  {"ratio", rep.ratio},
                                  {"z_probability", rep.z_probability},
                                  {"z_ratio", rep.z_ratio},
                                  {"metric", rep.metric},
                                  {"significant", rep.significant}});
    }
    groups.push_back(json::object{
        {"group", group_name(g.label)}, {"size", g.size}, {"representative", std::move(reps)}});
  }
  root["groups"] = std::move(groups);
  json::array consensus;
  for (const auto& c : r.consensus) {
    json::object per;
    for (std::size_t g = 0; g < c.group_probability.size(); ++g) {
      per[name_of(r, static_cast<int>(g))] = c.group_probability[g];
    }
    consensus.push_back(json::object{{"statement", votes.statement_id(c.statement)},
                                     {"text", text_of(c.statement)},
                                     {"direction", c.agree ? "agree" : "disagree"},
                                     {"score", c.score},
                                     {"group_probability", std::move(per)},
                                     {"confidence", c.confidence},
                                     {"counts", counts_json(c.counts)}});
  }
  root["consensus"] = std::move(consensus);
  json::array bridging;
  for (const auto& b : r.bridging) {
    bridging.push_back(json::object{{"statement", votes.statement_id(b.statement)},
                                    {"text", text_of(b.statement)},
                                    {"intercept", b.intercept},
                                    {"standard_error", b.standard_error},
                                    {"factor", b.factor},
                                    {"bridges", b.bridges},
                                    {"counts", counts_json(b.counts)}});
  }
  root["bridging"] = std::move(bridging);
  json::array divisive;
  for (const auto& d : r.divisive) {
    divisive.push_back(json::object{{"statement", votes.statement_id(d.statement)},
                                    {"text", text_of(d.statement)},
                                    {"score", d.score},
                                    {"agreeing_group", name_of(r, d.agreeing_group)},
                                    {"disagreeing_group", name_of(r, d.disagreeing_group)},
                                    {"z", d.z},
                                    {"confidence", d.confidence},
                                    {"counts", counts_json(d.counts)}});
  }
  root["divisive"] = std::move(divisive);
  return json::serialize(root) + "\n";
}

std::string format_csv(const VoteMatrix& votes, const Report& r,
                       const std::vector<std::string>& texts) {
  std::string out =
      "kind,group,statement,direction,agree,disagree,pass,seen,score,confidence,text\n";
  auto text = [&](std::uint32_t s) { return s < texts.size() ? core::csv_field(texts[s]) : ""; };
  auto row = [&](std::string_view kind, std::string_view group, std::uint32_t s,
                 std::string_view dir, const Counts& c, double score, double confidence) {
    out += fmt::format("{},{},{},{},{},{},{},{},{:.6g},{:.6g},{}\n", kind, group,
                       core::csv_field(votes.statement_id(s)), dir, c.agree, c.disagree, c.pass,
                       c.seen(), score, confidence, text(s));
  };
  for (const auto& g : r.groups) {
    out += fmt::format("group,{},,,,,,{},,,\n", group_name(g.label), g.size);
  }
  for (const auto& g : r.groups) {
    for (const auto& rep : g.representatives) {
      row("representative", group_name(g.label), rep.statement, rep.agree ? "agree" : "disagree",
          rep.in_group, rep.metric, rep.significant ? 0.9 : 0.0);
    }
  }
  for (const auto& c : r.consensus) {
    row("consensus", "", c.statement, c.agree ? "agree" : "disagree", c.counts, c.score,
        c.confidence);
  }
  for (const auto& b : r.bridging) {
    row("bridging", "", b.statement, b.bridges ? "bridges" : "", b.counts, b.intercept,
        b.standard_error);
  }
  for (const auto& d : r.divisive) {
    row("divisive", name_of(r, d.agreeing_group) + ">" + name_of(r, d.disagreeing_group),
        d.statement, "", d.counts, d.score, d.confidence);
  }
  return out;
}

std::string format_svg(const Report& r) {
  constexpr double kWidth = 640, kHeight = 480, kPad = 24, kLegend = 140;
  // Scale by a high quantile, not the extreme, so one outlier does not squash the map.
  std::vector<float> extent;
  for (std::size_t p = 0; p < r.map.size(); ++p) {
    if (r.assignment[p] < 0) continue;
    extent.push_back(std::abs(r.map[p][0]));
    extent.push_back(std::abs(r.map[p][1]));
  }
  double scale = 1;
  if (!extent.empty()) {
    const auto q =
        extent.begin() + static_cast<std::ptrdiff_t>(0.99 * static_cast<double>(extent.size() - 1));
    std::nth_element(extent.begin(), q, extent.end());
    scale = *q > 0 ? static_cast<double>(*q) : 1.0;
  }
  const double plot_w = kWidth - kLegend - 2 * kPad, plot_h = kHeight - 2 * kPad;
  const double half = std::min(plot_w, plot_h) / 2;
  const double cx = kPad + plot_w / 2, cy = kPad + plot_h / 2;
  // Points are written sorted by group and position, never in participant order, and rounded,
  // so nobody can be found on the map from an export of the votes.
  std::vector<std::tuple<int, double, double>> points;
  for (std::size_t p = 0; p < r.map.size(); ++p) {
    const int g = r.assignment[p];
    if (g < 0) continue;
    const double x = std::clamp(static_cast<double>(r.map[p][0]) / scale, -1.05, 1.05);
    const double y = std::clamp(static_cast<double>(r.map[p][1]) / scale, -1.05, 1.05);
    points.emplace_back(g, std::round((cx + x * half) * 10) / 10,
                        std::round((cy - y * half) * 10) / 10);
  }
  std::sort(points.begin(), points.end());
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" "
      "height=\"{}\" role=\"img\" aria-labelledby=\"map-title\">\n"
      "<title id=\"map-title\">Opinion map: {} participants in {} groups</title>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#dddddd\"/>\n"
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#dddddd\"/>\n",
      kWidth, kHeight, kWidth, kHeight, r.clustered, r.groups.size(), cx - half, cy, cx + half, cy,
      cx, cy - half, cx, cy + half);
  int current = -1;
  for (const auto& [g, x, y] : points) {
    if (g != current) {
      if (current >= 0) out += "</g>\n";
      current = g;
      out += fmt::format("<g fill=\"{}\" fill-opacity=\"0.6\">\n",
                         kPalette[static_cast<std::size_t>(g) % std::size(kPalette)]);
    }
    out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"2.5\"/>\n", x, y);
  }
  if (current >= 0) out += "</g>\n";
  const double lx = kWidth - kLegend;
  out += fmt::format(
      "<g font-family=\"sans-serif\" font-size=\"13\">\n<text x=\"{}\" y=\"{}\">"
      "Opinion groups</text>\n",
      lx, kPad + 4);
  for (std::size_t g = 0; g < r.groups.size(); ++g) {
    const double y = kPad + 24 + 22 * static_cast<double>(g);
    out += fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\">{} ({})</text>\n",
        lx + 6, y - 4, kPalette[g % std::size(kPalette)], lx + 18, y,
        core::xml_escape(group_name(r.groups[g].label)), r.groups[g].size);
  }
  out += "</g>\n</svg>\n";
  return out;
}

}  // namespace veche::consensus
