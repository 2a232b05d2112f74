// The tables of the decisions module, for both backends. Frozen things are frozen by the
// database too: a motion's rule, times and electorate, a consultation's question, options,
// method and close time, and anything of a closed motion or consultation; votes, recusals and
// the log are append-only. Accounts are referred to by id without a foreign key, so that
// erasing an account (registry/personal_data.hpp) leaves the public record whole.
#include <array>

#include "veche/decisions/log.hpp"

namespace veche::decisions {
namespace {

constexpr std::string_view kV1Sqlite = R"sql(
CREATE TABLE motions (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('position', 'statement', 'campaign', 'charter-change')),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  proposer_account INTEGER NOT NULL,
  proposer TEXT NOT NULL,
  rule_kind TEXT NOT NULL CHECK (rule_kind IN ('consensus', 'qualified-majority', 'unanimity')),
  majority_num INTEGER NOT NULL, majority_den INTEGER NOT NULL,
  quorum_num INTEGER NOT NULL, quorum_den INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  voting_opens_at INTEGER NOT NULL,
  voting_closes_at INTEGER NOT NULL CHECK (voting_closes_at > voting_opens_at),
  closed_at INTEGER,
  outcome TEXT CHECK (outcome IN ('passed', 'failed', 'no-quorum')),
  outcome_reason TEXT,
  yes_count INTEGER, no_count INTEGER, abstain_count INTEGER, objection_count INTEGER,
  absent_count INTEGER
);
CREATE TRIGGER motions_frozen BEFORE UPDATE ON motions
WHEN OLD.closed_at IS NOT NULL OR NEW.closed_at IS NULL
  OR NEW.title IS NOT OLD.title OR NEW.body IS NOT OLD.body OR NEW.kind IS NOT OLD.kind
  OR NEW.organization_id IS NOT OLD.organization_id OR NEW.rule_kind IS NOT OLD.rule_kind
  OR NEW.majority_num IS NOT OLD.majority_num OR NEW.majority_den IS NOT OLD.majority_den
  OR NEW.quorum_num IS NOT OLD.quorum_num OR NEW.quorum_den IS NOT OLD.quorum_den
  OR NEW.created_at IS NOT OLD.created_at OR NEW.voting_opens_at IS NOT OLD.voting_opens_at
  OR NEW.voting_closes_at IS NOT OLD.voting_closes_at
BEGIN SELECT RAISE(ABORT, 'a motion is frozen: only its closing may be recorded, once'); END;
CREATE TRIGGER motions_no_delete BEFORE DELETE ON motions
BEGIN SELECT RAISE(ABORT, 'motions are never deleted'); END;
CREATE TABLE motion_electorate (
  motion_id INTEGER NOT NULL REFERENCES motions(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  PRIMARY KEY (motion_id, organization_id)
);
CREATE TRIGGER motion_electorate_frozen BEFORE UPDATE ON motion_electorate
BEGIN SELECT RAISE(ABORT, 'the electorate of a motion is frozen'); END;
CREATE TRIGGER motion_electorate_no_delete BEFORE DELETE ON motion_electorate
BEGIN SELECT RAISE(ABORT, 'the electorate of a motion is frozen'); END;
CREATE TABLE motion_issues (
  motion_id INTEGER NOT NULL REFERENCES motions(id),
  issue_id INTEGER NOT NULL,
  PRIMARY KEY (motion_id, issue_id)
);
CREATE TABLE motion_votes (
  id INTEGER PRIMARY KEY,
  motion_id INTEGER NOT NULL REFERENCES motions(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  account_id INTEGER NOT NULL,
  delegate TEXT NOT NULL,
  choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain', 'objection')),
  reason TEXT NOT NULL,
  cast_at INTEGER NOT NULL
);
CREATE INDEX motion_votes_motion ON motion_votes (motion_id, organization_id, id);
CREATE TRIGGER motion_votes_no_update BEFORE UPDATE ON motion_votes
BEGIN SELECT RAISE(ABORT, 'votes are append-only'); END;
CREATE TRIGGER motion_votes_no_delete BEFORE DELETE ON motion_votes
BEGIN SELECT RAISE(ABORT, 'votes are append-only'); END;
CREATE TABLE motion_recusals (
  motion_id INTEGER NOT NULL REFERENCES motions(id),
  account_id INTEGER NOT NULL,
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  delegate TEXT NOT NULL,
  reason TEXT NOT NULL,
  declared_at INTEGER NOT NULL,
  PRIMARY KEY (motion_id, account_id)
);
CREATE TRIGGER motion_recusals_no_update BEFORE UPDATE ON motion_recusals
BEGIN SELECT RAISE(ABORT, 'recusals are append-only'); END;
CREATE TRIGGER motion_recusals_no_delete BEFORE DELETE ON motion_recusals
BEGIN SELECT RAISE(ABORT, 'recusals are append-only'); END;
CREATE TABLE consultations (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  question TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('single-choice', 'approval', 'ranked')),
  method TEXT NOT NULL,
  options TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  closes_at INTEGER NOT NULL CHECK (closes_at > opened_at),
  closed_at INTEGER,
  ballots INTEGER,
  report TEXT
);
CREATE TRIGGER consultations_frozen BEFORE UPDATE ON consultations
WHEN OLD.closed_at IS NOT NULL OR NEW.closed_at IS NULL
  OR NEW.title IS NOT OLD.title OR NEW.question IS NOT OLD.question
  OR NEW.kind IS NOT OLD.kind OR NEW.method IS NOT OLD.method OR NEW.options IS NOT OLD.options
  OR NEW.opened_at IS NOT OLD.opened_at OR NEW.closes_at IS NOT OLD.closes_at
BEGIN SELECT RAISE(ABORT, 'a consultation is frozen: only its closing may be recorded, once'); END;
CREATE TRIGGER consultations_no_delete BEFORE DELETE ON consultations
BEGIN SELECT RAISE(ABORT, 'consultations are never deleted'); END;
CREATE TABLE consultation_ballots (
  consultation_id INTEGER NOT NULL REFERENCES consultations(id),
  voter_key BLOB NOT NULL,
  choices TEXT NOT NULL,
  PRIMARY KEY (consultation_id, voter_key)
);
CREATE TABLE decisions_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX decisions_log_subject ON decisions_log (subject, seq);
CREATE TRIGGER decisions_log_no_update BEFORE UPDATE ON decisions_log
BEGIN SELECT RAISE(ABORT, 'the decisions log is append-only'); END;
CREATE TRIGGER decisions_log_no_delete BEFORE DELETE ON decisions_log
BEGIN SELECT RAISE(ABORT, 'the decisions log is append-only'); END;
)sql";

constexpr std::string_view kV1Postgres = R"sql(
CREATE TABLE motions (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('position', 'statement', 'campaign', 'charter-change')),
  organization_id BIGINT NOT NULL REFERENCES organizations(id),
  proposer_account BIGINT NOT NULL,
  proposer TEXT NOT NULL,
  rule_kind TEXT NOT NULL CHECK (rule_kind IN ('consensus', 'qualified-majority', 'unanimity')),
  majority_num BIGINT NOT NULL, majority_den BIGINT NOT NULL,
  quorum_num BIGINT NOT NULL, quorum_den BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  voting_opens_at BIGINT NOT NULL,
  voting_closes_at BIGINT NOT NULL CHECK (voting_closes_at > voting_opens_at),
  closed_at BIGINT,
  outcome TEXT CHECK (outcome IN ('passed', 'failed', 'no-quorum')),
  outcome_reason TEXT,
  yes_count BIGINT, no_count BIGINT, abstain_count BIGINT, objection_count BIGINT,
  absent_count BIGINT
);
CREATE FUNCTION veche_motions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'motions are never deleted'; END IF;
  IF OLD.closed_at IS NOT NULL OR NEW.closed_at IS NULL
     OR NEW.title IS DISTINCT FROM OLD.title OR NEW.body IS DISTINCT FROM OLD.body
     OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.organization_id IS DISTINCT FROM OLD.organization_id
     OR NEW.rule_kind IS DISTINCT FROM OLD.rule_kind
     OR NEW.majority_num IS DISTINCT FROM OLD.majority_num
     OR NEW.majority_den IS DISTINCT FROM OLD.majority_den
     OR NEW.quorum_num IS DISTINCT FROM OLD.quorum_num
     OR NEW.quorum_den IS DISTINCT FROM OLD.quorum_den
     OR NEW.created_at IS DISTINCT FROM OLD.created_at
     OR NEW.voting_opens_at IS DISTINCT FROM OLD.voting_opens_at
     OR NEW.voting_closes_at IS DISTINCT FROM OLD.voting_closes_at THEN
    RAISE EXCEPTION 'a motion is frozen: only its closing may be recorded, once';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER motions_frozen BEFORE UPDATE OR DELETE ON motions
  FOR EACH ROW EXECUTE FUNCTION veche_motions_frozen();
CREATE FUNCTION veche_decisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;
CREATE TABLE motion_electorate (
  motion_id BIGINT NOT NULL REFERENCES motions(id),
  organization_id BIGINT NOT NULL REFERENCES organizations(id),
  PRIMARY KEY (motion_id, organization_id)
);
CREATE TRIGGER motion_electorate_frozen BEFORE UPDATE OR DELETE ON motion_electorate
  FOR EACH ROW EXECUTE FUNCTION veche_decisions_append_only();
CREATE TABLE motion_issues (
  motion_id BIGINT NOT NULL REFERENCES motions(id),
  issue_id BIGINT NOT NULL,
  PRIMARY KEY (motion_id, issue_id)
);
CREATE TABLE motion_votes (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  motion_id BIGINT NOT NULL REFERENCES motions(id),
  organization_id BIGINT NOT NULL REFERENCES organizations(id),
  account_id BIGINT NOT NULL,
  delegate TEXT NOT NULL,
  choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain', 'objection')),
  reason TEXT NOT NULL,
  cast_at BIGINT NOT NULL
);
CREATE INDEX motion_votes_motion ON motion_votes (motion_id, organization_id, id);
CREATE TRIGGER motion_votes_append_only BEFORE UPDATE OR DELETE ON motion_votes
  FOR EACH ROW EXECUTE FUNCTION veche_decisions_append_only();
CREATE TABLE motion_recusals (
  motion_id BIGINT NOT NULL REFERENCES motions(id),
  account_id BIGINT NOT NULL,
  organization_id BIGINT NOT NULL REFERENCES organizations(id),
  delegate TEXT NOT NULL,
  reason TEXT NOT NULL,
  declared_at BIGINT NOT NULL,
  PRIMARY KEY (motion_id, account_id)
);
CREATE TRIGGER motion_recusals_append_only BEFORE UPDATE OR DELETE ON motion_recusals
  FOR EACH ROW EXECUTE FUNCTION veche_decisions_append_only();
CREATE TABLE consultations (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  title TEXT NOT NULL,
  question TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('single-choice', 'approval', 'ranked')),
  method TEXT NOT NULL,
  options TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  closes_at BIGINT NOT NULL CHECK (closes_at > opened_at),
  closed_at BIGINT,
  ballots BIGINT,
  report TEXT
);
CREATE FUNCTION veche_consultations_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'consultations are never deleted'; END IF;
  IF OLD.closed_at IS NOT NULL OR NEW.closed_at IS NULL
     OR NEW.title IS DISTINCT FROM OLD.title OR NEW.question IS DISTINCT FROM OLD.question
     OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.method IS DISTINCT FROM OLD.method
     OR NEW.options IS DISTINCT FROM OLD.options
     OR NEW.opened_at IS DISTINCT FROM OLD.opened_at
     OR NEW.closes_at IS DISTINCT FROM OLD.closes_at THEN
    RAISE EXCEPTION 'a consultation is frozen: only its closing may be recorded, once';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER consultations_frozen BEFORE UPDATE OR DELETE ON consultations
  FOR EACH ROW EXECUTE FUNCTION veche_consultations_frozen();
CREATE TABLE consultation_ballots (
  consultation_id BIGINT NOT NULL REFERENCES consultations(id),
  voter_key BYTEA NOT NULL,
  choices TEXT NOT NULL,
  PRIMARY KEY (consultation_id, voter_key)
);
CREATE TABLE decisions_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX decisions_log_subject ON decisions_log (subject, seq);
CREATE TRIGGER decisions_log_append_only BEFORE UPDATE OR DELETE ON decisions_log
  FOR EACH ROW EXECUTE FUNCTION veche_decisions_append_only();
)sql";

constexpr std::array kMigrations = {
    store::Migration{"decisions", 1,
                     "motions, votes, recusals, consultations, ballots, the decisions log",
                     kV1Sqlite, kV1Postgres},
};

}  // namespace

std::span<const store::Migration> migrations() { return kMigrations; }

}  // namespace veche::decisions
