// The public JSON and CSV forms of campaigns and track records, shared by the JSON API, the
// page exports and `veche campaign export` (pure formatting: no database).
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "veche/campaigns/campaigns.hpp"

namespace veche::campaigns {

boost::json::object summary_json(const CampaignSummary& c);
boost::json::object record_json(const TrackRecord& r);
boost::json::object action_json(const Action& a);
boost::json::object petition_json(const PetitionSummary& p);
boost::json::object campaign_json(const Campaign& c);
// The published list of a petition, in the form recount() (petition.hpp) reads.
boost::json::object published_json(const PublishedSignatures& p);

// One CSV row: every cell quoted; a leading =, +, - or @ is prefixed with ' so spreadsheets do
// not run it.
std::string csv_line(const std::vector<std::string>& cells);
// A track record, one campaign a row.
std::string summaries_csv(const std::vector<CampaignSummary>& list);
// A campaign's record, one row for its start, each action, milestone and outcome.
std::string campaign_csv(const Campaign& c);

}  // namespace veche::campaigns
