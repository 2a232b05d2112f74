// SVG timelines of the campaigns pages (server-rendered, no JavaScript, no external assets).
// Private to src/http.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"

namespace veche::http {

// One campaign's public timeline: its start, each action (a dot by kind), each milestone with
// a due date (a diamond), and the outcome when recorded.
struct TimelineEvent {
  core::TimePoint at;
  std::string kind;  // "started", "action", "milestone", "outcome"
  std::string label;
};
// `rows` names the three rows (start and outcome, actions, milestones) in the reader's language.
std::string campaign_timeline_svg(std::string_view title, const std::vector<TimelineEvent>& events,
                                  core::TimePoint now, const std::vector<std::string>& rows);

// A track record: one bar per campaign from its start to its outcome (or today while ongoing),
// coloured by outcome ("achieved", "partly", "not-achieved", "ongoing").
struct RecordBar {
  std::string label;
  core::TimePoint from;
  core::TimePoint to;
  std::string outcome;
  std::string outcome_label;  // in the reader's language
};
std::string record_timeline_svg(std::string_view title, const std::vector<RecordBar>& bars);

}  // namespace veche::http
