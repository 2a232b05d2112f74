#include "veche/campaigns/export.hpp"

#include "veche/core/text.hpp"

namespace veche::campaigns {
namespace {

std::string day(core::TimePoint t) { return day_text(t); }

boost::json::array strings(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

}  // namespace

boost::json::object summary_json(const CampaignSummary& c) {
  boost::json::object o{{"id", c.id.value()},
                        {"title", c.title},
                        {"organizations", strings(c.organizations)},
                        {"started_at", core::to_iso8601(c.started_at)},
                        {"outcome", outcome_name(c.outcome)},
                        {"actions", c.actions},
                        {"milestones", c.milestones},
                        {"milestones_reached", c.milestones_reached}};
  o["outcome_at"] = c.outcome_at ? boost::json::value(core::to_iso8601(*c.outcome_at)) : nullptr;
  o["first_action"] = c.first_action ? boost::json::value(day(*c.first_action)) : nullptr;
  o["last_action"] = c.last_action ? boost::json::value(day(*c.last_action)) : nullptr;
  return o;
}

boost::json::object record_json(const TrackRecord& r) {
  boost::json::array list;
  for (const auto& c : r.campaigns) list.push_back(summary_json(c));
  return {{"counts",
           {{"ongoing", r.counts.ongoing},
            {"achieved", r.counts.achieved},
            {"partly", r.counts.partly},
            {"not-achieved", r.counts.not_achieved}}},
          {"actions", r.actions},
          {"campaigns", std::move(list)}};
}

boost::json::object action_json(const Action& a) {
  boost::json::object o{{"id", a.id.value()},
                        {"number", a.root.value()},
                        {"kind", action_kind_name(a.kind)},
                        {"date", day(a.on)},
                        {"title", a.title},
                        {"description", a.description},
                        {"links", strings(a.links)},
                        {"organization", a.organization},
                        {"recorded_by", a.recorded_by},
                        {"recorded_at", core::to_iso8601(a.recorded_at)},
                        {"retracted", a.retracted}};
  if (!a.correction.empty()) o["correction"] = a.correction;
  if (!a.earlier.empty()) {
    boost::json::array earlier;
    for (const auto& e : a.earlier) earlier.push_back(action_json(e));
    o["earlier"] = std::move(earlier);
  }
  return o;
}

boost::json::object petition_json(const PetitionSummary& p) {
  boost::json::object o{{"id", p.id.value()},
                        {"campaign", p.campaign.value()},
                        {"title", p.title},
                        {"text", p.text},
                        {"opened_at", core::to_iso8601(p.opened_at)},
                        {"signatures", p.signatures},
                        {"open", p.open}};
  o["closes_at"] = p.closes_at ? boost::json::value(core::to_iso8601(*p.closes_at)) : nullptr;
  return o;
}

boost::json::object campaign_json(const Campaign& c) {
  boost::json::array actions, milestones, outcomes, petitions, issues;
  for (const auto& a : c.actions) actions.push_back(action_json(a));
  for (const auto& m : c.milestones) {
    boost::json::array updates;
    for (const auto& u : m.updates) {
      updates.push_back({{"status", milestone_status_name(u.status)},
                         {"note", u.note},
                         {"recorded_by", u.recorded_by},
                         {"at", core::to_iso8601(u.at)}});
    }
    boost::json::object mo{{"id", m.id.value()},
                           {"title", m.title},
                           {"status", milestone_status_name(m.status)},
                           {"updates", std::move(updates)}};
    mo["due"] = m.due ? boost::json::value(day(*m.due)) : nullptr;
    milestones.push_back(std::move(mo));
  }
  for (const auto& o : c.outcome_history) {
    outcomes.push_back({{"outcome", outcome_name(o.outcome)},
                        {"evidence", o.evidence},
                        {"links", strings(o.links)},
                        {"recorded_by", o.recorded_by},
                        {"at", core::to_iso8601(o.at)}});
  }
  for (const auto& p : c.petitions) petitions.push_back(petition_json(p));
  for (auto i : c.issues) issues.push_back(i);
  boost::json::object o{{"id", c.id.value()},
                        {"title", c.title},
                        {"goal", c.goal},
                        {"targets", strings(c.targets)},
                        {"organizations", strings(c.organizations)},
                        {"source", {{"kind", source_name(c.source)}, {"id", c.source_id}}},
                        {"issues", std::move(issues)},
                        {"started_by", c.started_by},
                        {"started_at", core::to_iso8601(c.started_at)},
                        {"outcome", outcome_name(c.outcome)},
                        {"actions", std::move(actions)},
                        {"milestones", std::move(milestones)},
                        {"outcome_history", std::move(outcomes)},
                        {"petitions", std::move(petitions)}};
  o["outcome_at"] = c.outcome_at ? boost::json::value(core::to_iso8601(*c.outcome_at)) : nullptr;
  return o;
}

boost::json::object published_json(const PublishedSignatures& p) {
  return {{"petition", p.petition.value()},
          {"title", p.title},
          {"count", p.count},
          {"hashes", strings(p.hashes)},
          {"digest", p.digest},
          {"public_names", strings(p.public_names)}};
}

std::string summaries_csv(const std::vector<CampaignSummary>& list) {
  std::string out = core::csv_record({"id", "title", "organizations", "started", "outcome",
                                      "outcome_date", "actions", "first_action", "last_action",
                                      "milestones", "milestones_reached"});
  for (const auto& c : list) {
    std::string orgs;
    for (const auto& o : c.organizations) orgs += (orgs.empty() ? "" : " ") + o;
    out += core::csv_record(
        {c.id.str(), c.title, orgs, day(c.started_at), std::string(outcome_name(c.outcome)),
         c.outcome_at ? day(*c.outcome_at) : "", std::to_string(c.actions),
         c.first_action ? day(*c.first_action) : "", c.last_action ? day(*c.last_action) : "",
         std::to_string(c.milestones), std::to_string(c.milestones_reached)});
  }
  return out;
}

std::string campaign_csv(const Campaign& c) {
  std::string out =
      core::csv_record({"campaign", "record", "number", "date", "kind", "title", "organization",
                        "recorded_by", "status", "links", "correction"});
  const auto id = c.id.str();
  out += core::csv_record({id, "started", "", day(c.started_at), std::string(source_name(c.source)),
                           c.title, "", c.started_by, "", "", ""});
  for (const auto& a : c.actions) {
    std::string links;
    for (const auto& l : a.links) links += (links.empty() ? "" : " ") + l;
    out += core::csv_record({id, "action", a.root.str(), day(a.on),
                             std::string(action_kind_name(a.kind)), a.title, a.organization,
                             a.recorded_by, a.retracted ? "retracted" : "", links, a.correction});
  }
  for (const auto& m : c.milestones) {
    out += core::csv_record({id, "milestone", m.id.str(), m.due ? day(*m.due) : "", "", m.title, "",
                             "", std::string(milestone_status_name(m.status)), "", ""});
  }
  for (const auto& o : c.outcome_history) {
    std::string links;
    for (const auto& l : o.links) links += (links.empty() ? "" : " ") + l;
    out += core::csv_record({id, "outcome", "", day(o.at), "", o.evidence, "", o.recorded_by,
                             std::string(outcome_name(o.outcome)), links, ""});
  }
  return out;
}

}  // namespace veche::campaigns
