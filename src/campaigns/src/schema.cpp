// The tables of the campaigns module, for both backends. The record is append-only: actions,
// milestone updates, outcomes, signatures and the log are never changed nor deleted (triggers);
// the only updates are the cached columns a reader needs fast (a campaign's outcome and action
// count, a milestone's latest status, a petition's count, an action marked superseded by its
// correction). Accounts are referred to by handle, never by id, so erasing an account
// (registry/personal_data.hpp) leaves the public record whole; signatures hold no account.
#include <array>

#include "veche/campaigns/campaigns.hpp"

namespace veche::campaigns {
namespace {

constexpr std::string_view kV1Sqlite = R"sql(
CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  goal TEXT NOT NULL,
  targets TEXT NOT NULL,
  source_kind TEXT NOT NULL CHECK (source_kind IN ('motion', 'issue')),
  source_id INTEGER NOT NULL,
  started_by TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  outcome TEXT NOT NULL DEFAULT 'ongoing'
    CHECK (outcome IN ('ongoing', 'achieved', 'partly', 'not-achieved')),
  outcome_at INTEGER,
  actions INTEGER NOT NULL DEFAULT 0,
  first_action INTEGER,
  last_action INTEGER
);
CREATE TABLE campaign_organizations (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, organization_id)
);
CREATE INDEX campaign_organizations_org ON campaign_organizations (organization_id, campaign_id);
CREATE TABLE campaign_issues (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  issue_id INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, issue_id)
);
CREATE INDEX campaign_issues_issue ON campaign_issues (issue_id, campaign_id);
CREATE TABLE campaign_actions (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  root_id INTEGER REFERENCES campaign_actions(id),
  kind TEXT NOT NULL CHECK (kind IN ('letter', 'meeting', 'hearing', 'legal-case', 'petition',
                                     'publication')),
  happened_on INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  links TEXT NOT NULL,
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  retracted INTEGER NOT NULL DEFAULT 0,
  correction TEXT NOT NULL DEFAULT '',
  superseded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX campaign_actions_campaign ON campaign_actions (campaign_id, superseded, happened_on);
CREATE INDEX campaign_actions_root ON campaign_actions (root_id, id);
CREATE TABLE campaign_milestones (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  title TEXT NOT NULL,
  due_on INTEGER,
  status TEXT NOT NULL DEFAULT 'planned'
);
CREATE INDEX campaign_milestones_campaign ON campaign_milestones (campaign_id, id);
CREATE TABLE campaign_milestone_updates (
  id INTEGER PRIMARY KEY,
  milestone_id INTEGER NOT NULL REFERENCES campaign_milestones(id),
  status TEXT NOT NULL CHECK (status IN ('planned', 'in-progress', 'reached', 'missed',
                                         'dropped')),
  note TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX campaign_milestone_updates_m ON campaign_milestone_updates (milestone_id, id);
CREATE TABLE campaign_outcomes (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  outcome TEXT NOT NULL CHECK (outcome IN ('ongoing', 'achieved', 'partly', 'not-achieved')),
  evidence TEXT NOT NULL,
  links TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX campaign_outcomes_campaign ON campaign_outcomes (campaign_id, id);
CREATE TABLE campaign_petitions (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  closes_at INTEGER,
  signatures INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX campaign_petitions_campaign ON campaign_petitions (campaign_id, id);
CREATE TABLE campaign_signatures (
  petition_id INTEGER NOT NULL REFERENCES campaign_petitions(id),
  signer_key BLOB NOT NULL,
  signature_hash TEXT NOT NULL,
  public_name TEXT,
  PRIMARY KEY (petition_id, signer_key),
  UNIQUE (petition_id, signature_hash)
);
CREATE TABLE campaigns_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX campaigns_log_subject ON campaigns_log (subject, seq);
CREATE TRIGGER campaign_organizations_no_update BEFORE UPDATE ON campaign_organizations
BEGIN SELECT RAISE(ABORT, 'campaign_organizations is append-only'); END;
CREATE TRIGGER campaign_organizations_no_delete BEFORE DELETE ON campaign_organizations
BEGIN SELECT RAISE(ABORT, 'campaign_organizations is append-only'); END;
CREATE TRIGGER campaign_issues_no_update BEFORE UPDATE ON campaign_issues
BEGIN SELECT RAISE(ABORT, 'campaign_issues is append-only'); END;
CREATE TRIGGER campaign_issues_no_delete BEFORE DELETE ON campaign_issues
BEGIN SELECT RAISE(ABORT, 'campaign_issues is append-only'); END;
CREATE TRIGGER campaign_milestone_updates_no_update BEFORE UPDATE ON campaign_milestone_updates
BEGIN SELECT RAISE(ABORT, 'campaign_milestone_updates is append-only'); END;
CREATE TRIGGER campaign_milestone_updates_no_delete BEFORE DELETE ON campaign_milestone_updates
BEGIN SELECT RAISE(ABORT, 'campaign_milestone_updates is append-only'); END;
CREATE TRIGGER campaign_outcomes_no_update BEFORE UPDATE ON campaign_outcomes
BEGIN SELECT RAISE(ABORT, 'campaign_outcomes is append-only'); END;
CREATE TRIGGER campaign_outcomes_no_delete BEFORE DELETE ON campaign_outcomes
BEGIN SELECT RAISE(ABORT, 'campaign_outcomes is append-only'); END;
CREATE TRIGGER campaign_signatures_no_update BEFORE UPDATE ON campaign_signatures
BEGIN SELECT RAISE(ABORT, 'campaign_signatures is append-only'); END;
CREATE TRIGGER campaign_signatures_no_delete BEFORE DELETE ON campaign_signatures
BEGIN SELECT RAISE(ABORT, 'campaign_signatures is append-only'); END;
CREATE TRIGGER campaigns_log_no_update BEFORE UPDATE ON campaigns_log
BEGIN SELECT RAISE(ABORT, 'campaigns_log is append-only'); END;
CREATE TRIGGER campaigns_log_no_delete BEFORE DELETE ON campaigns_log
BEGIN SELECT RAISE(ABORT, 'campaigns_log is append-only'); END;
CREATE TRIGGER campaign_actions_frozen BEFORE UPDATE ON campaign_actions
WHEN OLD.superseded <> 0 OR NEW.superseded <> 1 OR NEW.title IS NOT OLD.title
  OR NEW.description IS NOT OLD.description OR NEW.links IS NOT OLD.links
  OR NEW.kind IS NOT OLD.kind OR NEW.happened_on IS NOT OLD.happened_on
  OR NEW.retracted IS NOT OLD.retracted OR NEW.root_id IS NOT OLD.root_id
BEGIN SELECT RAISE(ABORT, 'an action is never edited: record a correction'); END;
CREATE TRIGGER campaigns_no_delete BEFORE DELETE ON campaigns
BEGIN SELECT RAISE(ABORT, 'campaigns are never deleted'); END;
CREATE TRIGGER campaign_actions_no_delete BEFORE DELETE ON campaign_actions
BEGIN SELECT RAISE(ABORT, 'campaign_actions are never deleted'); END;
CREATE TRIGGER campaign_milestones_no_delete BEFORE DELETE ON campaign_milestones
BEGIN SELECT RAISE(ABORT, 'campaign_milestones are never deleted'); END;
CREATE TRIGGER campaign_petitions_no_delete BEFORE DELETE ON campaign_petitions
BEGIN SELECT RAISE(ABORT, 'campaign_petitions are never deleted'); END;
CREATE TRIGGER campaigns_frozen BEFORE UPDATE ON campaigns
WHEN NEW.title IS NOT OLD.title OR NEW.goal IS NOT OLD.goal OR NEW.targets IS NOT OLD.targets
  OR NEW.source_kind IS NOT OLD.source_kind OR NEW.source_id IS NOT OLD.source_id
  OR NEW.started_by IS NOT OLD.started_by OR NEW.started_at IS NOT OLD.started_at
BEGIN SELECT RAISE(ABORT, 'a campaign is frozen: record actions, milestones and outcomes'); END;
)sql";

constexpr std::string_view kV1Postgres = R"sql(
CREATE TABLE campaigns (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  title TEXT NOT NULL,
  goal TEXT NOT NULL,
  targets TEXT NOT NULL,
  source_kind TEXT NOT NULL CHECK (source_kind IN ('motion', 'issue')),
  source_id BIGINT NOT NULL,
  started_by TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  outcome TEXT NOT NULL DEFAULT 'ongoing'
    CHECK (outcome IN ('ongoing', 'achieved', 'partly', 'not-achieved')),
  outcome_at BIGINT,
  actions BIGINT NOT NULL DEFAULT 0,
  first_action BIGINT,
  last_action BIGINT
);
CREATE TABLE campaign_organizations (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  organization_id BIGINT NOT NULL REFERENCES organizations(id),
  joined_at BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, organization_id)
);
CREATE INDEX campaign_organizations_org ON campaign_organizations (organization_id, campaign_id);
CREATE TABLE campaign_issues (
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  issue_id BIGINT NOT NULL,
  PRIMARY KEY (campaign_id, issue_id)
);
CREATE INDEX campaign_issues_issue ON campaign_issues (issue_id, campaign_id);
CREATE TABLE campaign_actions (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  root_id BIGINT REFERENCES campaign_actions(id),
  kind TEXT NOT NULL CHECK (kind IN ('letter', 'meeting', 'hearing', 'legal-case', 'petition',
                                     'publication')),
  happened_on BIGINT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  links TEXT NOT NULL,
  organization_id BIGINT NOT NULL REFERENCES organizations(id),
  recorded_by TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  retracted BIGINT NOT NULL DEFAULT 0,
  correction TEXT NOT NULL DEFAULT '',
  superseded BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX campaign_actions_campaign ON campaign_actions (campaign_id, superseded, happened_on);
CREATE INDEX campaign_actions_root ON campaign_actions (root_id, id);
CREATE TABLE campaign_milestones (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  title TEXT NOT NULL,
  due_on BIGINT,
  status TEXT NOT NULL DEFAULT 'planned'
);
CREATE INDEX campaign_milestones_campaign ON campaign_milestones (campaign_id, id);
CREATE TABLE campaign_milestone_updates (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  milestone_id BIGINT NOT NULL REFERENCES campaign_milestones(id),
  status TEXT NOT NULL CHECK (status IN ('planned', 'in-progress', 'reached', 'missed',
                                         'dropped')),
  note TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX campaign_milestone_updates_m ON campaign_milestone_updates (milestone_id, id);
CREATE TABLE campaign_outcomes (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  outcome TEXT NOT NULL CHECK (outcome IN ('ongoing', 'achieved', 'partly', 'not-achieved')),
  evidence TEXT NOT NULL,
  links TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX campaign_outcomes_campaign ON campaign_outcomes (campaign_id, id);
CREATE TABLE campaign_petitions (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  closes_at BIGINT,
  signatures BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX campaign_petitions_campaign ON campaign_petitions (campaign_id, id);
CREATE TABLE campaign_signatures (
  petition_id BIGINT NOT NULL REFERENCES campaign_petitions(id),
  signer_key BYTEA NOT NULL,
  signature_hash TEXT NOT NULL,
  public_name TEXT,
  PRIMARY KEY (petition_id, signer_key),
  UNIQUE (petition_id, signature_hash)
);
CREATE TABLE campaigns_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX campaigns_log_subject ON campaigns_log (subject, seq);
CREATE FUNCTION veche_campaigns_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER campaign_organizations_append_only BEFORE UPDATE OR DELETE ON campaign_organizations
  FOR EACH ROW EXECUTE FUNCTION veche_campaigns_append_only();
CREATE TRIGGER campaign_issues_append_only BEFORE UPDATE OR DELETE ON campaign_issues
  FOR EACH ROW EXECUTE FUNCTION veche_campaigns_append_only();
CREATE TRIGGER campaign_milestone_updates_append_only BEFORE UPDATE OR DELETE ON campaign_milestone_updates
  FOR EACH ROW EXECUTE FUNCTION veche_campaigns_append_only();
CREATE TRIGGER campaign_outcomes_append_only BEFORE UPDATE OR DELETE ON campaign_outcomes
  FOR EACH ROW EXECUTE FUNCTION veche_campaigns_append_only();
CREATE TRIGGER campaign_signatures_append_only BEFORE UPDATE OR DELETE ON campaign_signatures
  FOR EACH ROW EXECUTE FUNCTION veche_campaigns_append_only();
CREATE TRIGGER campaigns_log_append_only BEFORE UPDATE OR DELETE ON campaigns_log
  FOR EACH ROW EXECUTE FUNCTION veche_campaigns_append_only();
CREATE TRIGGER campaigns_no_delete BEFORE DELETE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION veche_campaigns_append_only();
CREATE TRIGGER campaign_actions_no_delete BEFORE DELETE ON campaign_actions
  FOR EACH ROW EXECUTE FUNCTION veche_campaigns_append_only();
CREATE TRIGGER campaign_milestones_no_delete BEFORE DELETE ON campaign_milestones
  FOR EACH ROW EXECUTE FUNCTION veche_campaigns_append_only();
CREATE TRIGGER campaign_petitions_no_delete BEFORE DELETE ON campaign_petitions
  FOR EACH ROW EXECUTE FUNCTION veche_campaigns_append_only();
CREATE FUNCTION veche_campaign_actions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.superseded <> 0 OR NEW.superseded <> 1 OR NEW.title IS DISTINCT FROM OLD.title
     OR NEW.description IS DISTINCT FROM OLD.description OR NEW.links IS DISTINCT FROM OLD.links
     OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.happened_on IS DISTINCT FROM OLD.happened_on
     OR NEW.retracted IS DISTINCT FROM OLD.retracted OR NEW.root_id IS DISTINCT FROM OLD.root_id THEN
    RAISE EXCEPTION 'an action is never edited: record a correction';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER campaign_actions_frozen BEFORE UPDATE ON campaign_actions
  FOR EACH ROW EXECUTE FUNCTION veche_campaign_actions_frozen();
CREATE FUNCTION veche_campaigns_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.title IS DISTINCT FROM OLD.title OR NEW.goal IS DISTINCT FROM OLD.goal
     OR NEW.targets IS DISTINCT FROM OLD.targets OR NEW.source_kind IS DISTINCT FROM OLD.source_kind
     OR NEW.source_id IS DISTINCT FROM OLD.source_id OR NEW.started_by IS DISTINCT FROM OLD.started_by
     OR NEW.started_at IS DISTINCT FROM OLD.started_at THEN
    RAISE EXCEPTION 'a campaign is frozen: record actions, milestones and outcomes';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER campaigns_frozen BEFORE UPDATE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION veche_campaigns_frozen();
)sql";

constexpr std::array kMigrations = {
    store::Migration{"campaigns", 1,
                     "campaigns, actions, milestones, outcomes, petitions, the campaigns log",
                     kV1Sqlite, kV1Postgres},
};

}  // namespace

std::span<const store::Migration> migrations() { return kMigrations; }

}  // namespace veche::campaigns
