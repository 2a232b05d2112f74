// Campaigns and the coalition's track record: a delegate starts a campaign from a passed motion
// or an admitted agenda issue; the member organizations that run it (one or several, equals)
// record actions, milestones and finally the outcome with evidence; constituents sign its
// petitions.
//
// Who may record: a delegate of an organization that runs the campaign (checked against the
// roles in the database, in the write transaction). Another organization joins as an equal by
// a delegate of its own.
//
// Append-only with corrections: actions, milestone updates, outcomes and signatures are never
// changed nor deleted (the tables refuse it). A correction of an action is a new version of it
// (or its retraction) with an explanation; the page shows the latest version and keeps the
// earlier ones. Every change is also appended, in the same transaction, to the public campaigns
// log (log.hpp), hash chained like the decisions log.
//
// Privacy: signatures are stored with a keyed hash of (petition, account) to keep one per
// account, never the account; the published list holds only signature hashes (petition.hpp)
// and the public names people chose to give. Thread-safe: every call is its own transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/id.hpp"
#include "veche/core/random.hpp"
#include "veche/core/result.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/store/database.hpp"

namespace veche::campaigns {

struct CampaignTag {};
using CampaignId = core::Id<CampaignTag>;
struct ActionTag {};
using ActionId = core::Id<ActionTag>;
struct MilestoneTag {};
using MilestoneId = core::Id<MilestoneTag>;
struct PetitionTag {};
using PetitionId = core::Id<PetitionTag>;

// The tables of this module, for store::migrate(); apply registry's, agenda's and decisions'
// migrations first.
std::span<const store::Migration> migrations();

inline constexpr std::size_t kMaxTitleChars = 200;
inline constexpr std::size_t kMaxTextChars = 10'000;
inline constexpr std::size_t kMaxTargets = 10;
inline constexpr std::size_t kMaxLinks = 10;
inline constexpr std::size_t kMaxLinkChars = 500;
inline constexpr std::size_t kMaxPublicNameChars = 80;

enum class Source { kMotion, kIssue };
std::string_view source_name(Source s);  // "motion", "issue"

enum class ActionKind { kLetter, kMeeting, kHearing, kLegalCase, kPetition, kPublication };
// "letter", "meeting", "hearing", "legal-case", "petition", "publication".
std::string_view action_kind_name(ActionKind k);
std::optional<ActionKind> parse_action_kind(std::string_view name);
std::span<const ActionKind> action_kinds();

enum class MilestoneStatus { kPlanned, kInProgress, kReached, kMissed, kDropped };
// "planned", "in-progress", "reached", "missed", "dropped".
std::string_view milestone_status_name(MilestoneStatus s);
std::optional<MilestoneStatus> parse_milestone_status(std::string_view name);
std::span<const MilestoneStatus> milestone_statuses();

enum class Outcome { kOngoing, kAchieved, kPartly, kNotAchieved };
// "ongoing", "achieved", "partly", "not-achieved".
std::string_view outcome_name(Outcome o);
std::optional<Outcome> parse_outcome(std::string_view name);
std::span<const Outcome> outcomes();

// A calendar day as "YYYY-MM-DD" (UTC midnight); kInvalidArgument naming `field` otherwise.
Result<core::TimePoint> parse_day(std::string_view field, std::string_view text);
std::string day_text(core::TimePoint t);  // "YYYY-MM-DD"

struct NewCampaign {
  std::string title;                       // 1..200 characters, one line
  std::string goal;                        // Markdown, 1..10,000 characters
  std::vector<std::string> targets;        // target institutions, 1..10 of 1..200 characters
  std::vector<std::string> organizations;  // slugs, 1..20; the starter is a delegate of each
  Source source = Source::kIssue;
  std::int64_t source_id = 0;  // a passed motion, or an admitted agenda issue
};

struct NewAction {
  ActionKind kind = ActionKind::kLetter;
  core::TimePoint on;              // the day it happened (not more than a year ahead)
  std::string title;               // 1..200 characters
  std::string description;         // Markdown, up to 10,000 characters
  std::vector<std::string> links;  // documents and links: http(s) URLs, at most 10
  std::string organization;        // slug of the running organization recording it
};

struct Action {
  ActionId id;    // the id of this version
  ActionId root;  // the first version (the action's number)
  ActionKind kind = ActionKind::kLetter;
  core::TimePoint on;
  std::string title;
  std::string description;
  std::vector<std::string> links;
  std::string organization;
  std::string recorded_by;  // the delegate's handle
  core::TimePoint recorded_at;
  bool retracted = false;
  std::string correction;       // the explanation when this version corrects an earlier one
  std::vector<Action> earlier;  // the versions it replaced, newest first (only in campaign())
};

struct MilestoneUpdate {
  MilestoneStatus status = MilestoneStatus::kPlanned;
  std::string note;
  std::string recorded_by;
  core::TimePoint at;
};

struct Milestone {
  MilestoneId id;
  std::string title;
  std::optional<core::TimePoint> due;
  MilestoneStatus status = MilestoneStatus::kPlanned;  // the latest update's
  std::vector<MilestoneUpdate> updates;                // oldest first
};

struct OutcomeRecord {
  Outcome outcome = Outcome::kOngoing;
  std::string evidence;  // Markdown
  std::vector<std::string> links;
  std::string recorded_by;
  core::TimePoint at;
};

struct PetitionSummary {
  PetitionId id;
  CampaignId campaign;
  std::string campaign_title;
  std::string title;
  std::string text;  // Markdown
  core::TimePoint opened_at;
  std::optional<core::TimePoint> closes_at;
  std::int64_t signatures = 0;
  bool open = true;  // closes_at is in the future or not set
};

struct Campaign {
  CampaignId id;
  std::string title;
  std::string goal;
  std::vector<std::string> targets;
  std::vector<std::string> organizations;  // slugs, in the order they joined
  Source source = Source::kIssue;
  std::int64_t source_id = 0;
  std::vector<std::int64_t> issues;  // the agenda issues it answers
  std::string started_by;
  core::TimePoint started_at;
  Outcome outcome = Outcome::kOngoing;
  std::optional<core::TimePoint> outcome_at;
  std::vector<Action> actions;  // current versions, by day then number
  std::vector<Milestone> milestones;
  std::vector<OutcomeRecord> outcome_history;  // oldest first
  std::vector<PetitionSummary> petitions;
};

// One line of a track record (no actions, only their count and dates).
struct CampaignSummary {
  CampaignId id;
  std::string title;
  std::vector<std::string> organizations;
  core::TimePoint started_at;
  Outcome outcome = Outcome::kOngoing;
  std::optional<core::TimePoint> outcome_at;
  std::int64_t actions = 0;  // current, not retracted
  std::optional<core::TimePoint> first_action;
  std::optional<core::TimePoint> last_action;
  std::int64_t milestones_reached = 0;
  std::int64_t milestones = 0;
};

struct OutcomeCounts {
  std::int64_t ongoing = 0, achieved = 0, partly = 0, not_achieved = 0;
};

struct TrackRecord {
  std::vector<CampaignSummary> campaigns;  // newest first
  OutcomeCounts counts;
  std::int64_t actions = 0;
};

// The receipt given to a signer once, and the public hash it makes (petition.hpp).
struct SignatureReceipt {
  std::string receipt;         // 52 characters of base32; shown once, never stored
  std::string signature_hash;  // hex; in the published list
  std::int64_t count = 0;      // the petition's signatures with this one
};

// The published list of a petition (petition.hpp has the format and the recount).
struct PublishedSignatures {
  PetitionId petition;
  std::string title;
  std::int64_t count = 0;
  std::vector<std::string> hashes;        // sorted, hex
  std::vector<std::string> public_names;  // sorted
  std::string digest;                     // list_digest(petition, hashes)
};

struct CampaignFilter {
  std::optional<Outcome> outcome;
  std::string organization;  // slug, "" for any
  int limit = 500;           // 1..5000
};

class Campaigns {
 public:
  // `db`, `clock`, `key` (the data key) and `rng` must outlive the service.
  Campaigns(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key,
            core::Random& rng)
      : db_(db), clock_(clock), key_(key), rng_(rng) {}

  // Starts a campaign. kPermissionDenied unless `delegate` is a delegate of every listed
  // organization; kInvalidArgument for bad fields; kFailedPrecondition when the motion has not
  // passed or the issue is not admitted; kNotFound for an unknown source or organization.
  Result<CampaignId> start(registry::AccountId delegate, const NewCampaign& c);
  // The organization `slug` joins a campaign as an equal. kPermissionDenied unless a delegate
  // of it; kAlreadyExists when it runs it already.
  Status join(registry::AccountId delegate, CampaignId id, std::string_view slug);

  // The writes below: kPermissionDenied unless `delegate` is a delegate of `organization` and
  // the organization runs the campaign; kNotFound for an unknown campaign (or action,
  // milestone); kInvalidArgument for bad fields.
  Result<ActionId> record_action(registry::AccountId delegate, CampaignId id, const NewAction& a);
  // A new version of action `root` (a.fields) or its retraction, with an explanation
  // (1..2,000 characters).
  Result<ActionId> correct_action(registry::AccountId delegate, CampaignId id, ActionId root,
                                  const NewAction& a, bool retract, std::string_view explanation);
  Result<MilestoneId> add_milestone(registry::AccountId delegate, CampaignId id,
                                    std::string_view organization, std::string_view title,
                                    std::optional<core::TimePoint> due);
  Status update_milestone(registry::AccountId delegate, CampaignId id, MilestoneId m,
                          std::string_view organization, MilestoneStatus status,
                          std::string_view note);
  Status record_outcome(registry::AccountId delegate, CampaignId id, std::string_view organization,
                        Outcome outcome, std::string_view evidence,
                        const std::vector<std::string>& links);
  // Opens a petition of the campaign (and records a "petition" action dated today).
  Result<PetitionId> open_petition(registry::AccountId delegate, CampaignId id,
                                   std::string_view organization, std::string_view title,
                                   std::string_view text, std::optional<core::TimePoint> closes);

  // Signs a petition: one signature per account. kPermissionDenied unless a constituent;
  // kAlreadyExists when this account signed already; kFailedPrecondition once closed;
  // kInvalidArgument for a public name that is too long or not one line.
  Result<SignatureReceipt> sign(registry::AccountId account, PetitionId id,
                                std::string_view public_name);
  Result<bool> has_signed(registry::AccountId account, PetitionId id) const;
  Result<PetitionSummary> petition(PetitionId id) const;
  Result<PublishedSignatures> published_signatures(PetitionId id) const;

  Result<Campaign> campaign(CampaignId id) const;
  Result<std::vector<CampaignSummary>> list(const CampaignFilter& filter) const;
  // The track record of an organization: the campaigns it runs or ran. kNotFound for an
  // unknown organization.
  Result<TrackRecord> organization_record(std::string_view slug) const;
  // The campaigns that answer an agenda issue (started from it, or from a motion linked to it).
  Result<TrackRecord> issue_record(std::int64_t issue) const;
  // The organizations `account` is a delegate of (slugs), for forms.
  Result<std::vector<std::string>> delegate_of(registry::AccountId account) const;

 private:
  store::Database& db_;
  const core::Clock& clock_;
  const crypto::SecretBytes& key_;
  core::Random& rng_;
};

// A fictional demo: campaigns from the demo agenda and decisions, with actions, milestones,
// a petition with signatures and outcomes. kAlreadyExists (no change) when there are campaigns.
Status load_demo(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key);

}  // namespace veche::campaigns
