#include "veche/elections/elections.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <optional>

#include "veche/crypto/bytes.hpp"
#include "veche/crypto/group.hpp"
#include "veche/crypto/random.hpp"
#include "veche/record/ballot.hpp"
#include "veche/record/board.hpp"

namespace veche::elections {
namespace {

constexpr std::string_view kNoElection = "There is no such election.";

Result<record::Event> event_of(const store::Row& r) {
  record::Event e;
  e.seq = static_cast<std::uint64_t>(r.int64(0));
  VECHE_ASSIGN_OR_RETURN(e.prev, crypto::from_hex_fixed<32>(r.text(1)));
  e.type = r.text(2);
  e.payload = r.text(3);
  VECHE_ASSIGN_OR_RETURN(e.hash, crypto::from_hex_fixed<32>(r.text(4)));
  return e;
}

Status insert_event(store::Transaction& tx, ElectionId id, const record::Event& e) {
  store::Value tracker = nullptr;
  store::Value short_tracker = nullptr;
  if (e.type == "ballot") {
    const auto t = record::tracker_of(e.payload);
    tracker = crypto::to_hex(t);
    short_tracker = record::short_tracker(t);
  }
  VECHE_TRY(
      tx.exec("INSERT INTO election_events (election, seq, prev, type, payload, hash, tracker, "
              "short_tracker) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              {id, static_cast<std::int64_t>(e.seq), crypto::to_hex(e.prev), e.type, e.payload,
               crypto::to_hex(e.hash), tracker, short_tracker}));
  return ok();
}

Result<std::vector<record::Event>> load_events(store::Transaction& tx, ElectionId id) {
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx.query("SELECT seq, prev, type, payload, hash FROM election_events "
                                  "WHERE election = ? ORDER BY seq",
                                  {id}));
  std::vector<record::Event> events;
  events.reserve(rows.size());
  for (const auto& r : rows) {
    VECHE_ASSIGN_OR_RETURN(auto e, event_of(r));
    events.push_back(std::move(e));
  }
  return events;
}

// Events are numbered 0, 1, ... without gaps (the state machine checks seq on every append), so
// the count is the last seq + 1: one lookup in the primary key, where COUNT(*) would read every
// event of the election on each cast and each page view.
Result<std::int64_t> event_count(store::Transaction& tx, ElectionId id) {
  VECHE_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT COALESCE(MAX(seq) + 1, 0) FROM "
                                             "election_events WHERE election = ?",
                                             {id}));
  return rows.at(0).int64(0);
}

// Tracker search: hex (lowercase) for full trackers, base32 (uppercase) for the short form.
Result<std::string> normalize_prefix(std::string_view prefix) {
  std::string out;
  for (const char c : prefix) {
    if (c == ' ' || c == '-') continue;
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
      return invalid_argument("A tracker holds only letters and digits.");
    }
    out.push_back(c);
  }
  if (out.size() > 64) return invalid_argument("A tracker has at most 64 characters.");
  return out;
}

}  // namespace

const char* phase_name(record::Phase p) {
  switch (p) {
    case record::Phase::kEmpty:
    case record::Phase::kSetup:
      return "setup";
    case record::Phase::kOpen:
      return "open";
    case record::Phase::kClosed:
      return "closed";
    case record::Phase::kDone:
      return "done";
  }
  return "setup";
}

Result<ElectionId> Elections::import_board(std::string_view board_text) {
  VECHE_ASSIGN_OR_RETURN(auto events, record::parse_board(board_text));
  if (events.empty()) return invalid_argument("the board is empty");
  if (record::Board(events).serialize() != board_text) {
    return invalid_argument("the board is not in canonical form (protocol.md §10.1)");
  }
  auto out = record::replay(events, false);
  if (!out.status)
    return invalid_argument("the board does not check: " + out.status.error().message);
  if (!out.state.has_setup()) return invalid_argument("the board has no setup event");
  const auto& setup = out.state.setup();
  ElectionId id = 0;
  VECHE_TRY(store::with_write(
      db_,
      [&](store::Transaction& tx) -> Status {
        VECHE_ASSIGN_OR_RETURN(auto here, tx.query("SELECT id FROM elections WHERE election_id = ?",
                                                   {setup.election_id}));
        if (!here.empty()) {
          // The same election again: only a longer board whose start is the stored board (for
          // instance closed and tallied offline) adds its new events.
          id = here[0].int64(0);
          VECHE_ASSIGN_OR_RETURN(auto stored, load_events(tx, id));
          if (stored.size() >= events.size()) {
            return already_exists(
                "This election is on the site already, with every event of "
                "this board.");
          }
          for (std::size_t i = 0; i < stored.size(); ++i) {
            if (stored[i].hash != events[i].hash) {
              return failed_precondition("This board differs from the site's at event " +
                                         std::to_string(i) +
                                         ": download the record again and start from it.");
            }
          }
          for (std::size_t i = stored.size(); i < events.size(); ++i) {
            VECHE_TRY(insert_event(tx, id, events[i]));
          }
          return ok();
        }
        VECHE_ASSIGN_OR_RETURN(
            id, tx.insert("INSERT INTO elections (election_id, title, imported_at) "
                          "VALUES (?, ?, ?) RETURNING id",
                          {setup.election_id, setup.title, core::to_unix(clock_.now())}));
        for (const auto& e : events) VECHE_TRY(insert_event(tx, id, e));
        return ok();
      },
      store::Durability::kFull));
  return id;
}

std::shared_ptr<Elections::Cached> Elections::cached(ElectionId id) {
  std::lock_guard lock(map_mu_);
  auto& c = cache_[id];
  if (!c) c = std::make_shared<Cached>();
  return c;
}

Status Elections::reload(store::Transaction& tx, ElectionId id, Cached& c) {
  VECHE_ASSIGN_OR_RETURN(auto events, load_events(tx, id));
  if (events.empty()) return not_found(std::string(kNoElection));
  c.valid = false;
  c.state = record::ElectionState();
  c.state.trust_ballot_proofs(true);
  for (const auto& e : events) {
    auto st = c.state.apply(e);
    if (!st) return data_loss("the stored board does not check: " + st.error().message);
  }
  c.valid = true;
  learn_open_params(c);
  return ok();
}

Result<Summary> Elections::get(ElectionId id) {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT election_id, title, imported_at "
                                              "FROM elections WHERE id = ?",
                                              {id}));
  if (rows.empty()) return not_found(std::string(kNoElection));
  VECHE_ASSIGN_OR_RETURN(const auto count, event_count(*tx, id));
  if (count == 0) {  // a site-run election before its setup (lifecycle.hpp)
    Summary s;
    s.id = id;
    s.election_id = rows[0].text(0);
    s.title = rows[0].text(1);
    s.imported_at = rows[0].int64(2);
    s.phase = "draft";
    return s;
  }
  auto c = cached(id);
  std::lock_guard lock(c->mu);
  if (!c->valid || c->state.events() != static_cast<std::uint64_t>(count)) {
    VECHE_TRY(reload(*tx, id, *c));
  }
  const auto& st = c->state;
  Summary s;
  s.id = id;
  s.election_id = rows[0].text(0);
  s.title = rows[0].text(1);
  s.imported_at = rows[0].int64(2);
  s.questions = st.setup().questions;
  for (const auto& t : st.setup().trustees) s.trustees.push_back(t.name);
  s.threshold = st.setup().threshold;
  if (st.phase() == record::Phase::kOpen || st.phase() == record::Phase::kClosed ||
      st.phase() == record::Phase::kDone) {
    s.fingerprint = crypto::to_hex(st.fingerprint());
    s.joint_key = crypto::to_hex(st.joint_key().bytes());
    s.ballots = st.ballot_events();
  }
  s.result = st.published_result();
  s.phase = phase_name(st.phase());
  s.events = st.events();
  if (s.events > 0) s.head = crypto::to_hex(st.head());
  return s;
}

Result<std::vector<Summary>> Elections::list() {
  std::vector<ElectionId> ids;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT id FROM elections ORDER BY id DESC"));
    for (const auto& r : rows) ids.push_back(r.int64(0));
  }
  std::vector<Summary> out;
  for (const auto id : ids) {
    VECHE_ASSIGN_OR_RETURN(auto s, get(id));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::string> Elections::record(ElectionId id) {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto events, load_events(*tx, id));
  if (events.empty()) return not_found(std::string(kNoElection));
  return record::Board(std::move(events)).serialize();
}

struct Elections::OpenParams {
  std::vector<record::Question> questions;
  std::vector<crypto::VerifyKeyBytes> credentials;  // sorted
  crypto::PublicKey key;
  crypto::Digest fingerprint;
};

struct Elections::Pending {
  std::string_view text;
  const boost::json::object* payload = nullptr;
  crypto::Digest tracker{};
  std::string tracker_hex;
  std::optional<record::PreparedBallot> prepared;  // proofs checked ahead, outside any lock
  std::optional<Result<Receipt>> result;           // set by the commit
  bool done = false;                               // GUARDED_BY(Cached::queue_mu)
};

namespace {

// Parses and fully checks a ballot against an open election's parameters (proofs, signature,
// listed credential): what does not depend on the ballots before it.
Result<record::PreparedBallot> prepare_ballot(const boost::json::object& payload,
                                              const crypto::Digest& tracker,
                                              const std::vector<record::Question>& questions,
                                              const std::vector<crypto::VerifyKeyBytes>& creds,
                                              const crypto::PublicKey& key,
                                              const crypto::Digest& fingerprint) {
  auto ballot = record::parse_ballot(payload, questions);
  if (!ballot) return invalid_argument("Bad ballot: " + ballot.error().message);
  if (!std::binary_search(creds.begin(), creds.end(), ballot->credential.bytes())) {
    return invalid_argument("Bad ballot: its credential is not on this election's list.");
  }
  // The ballot's proof equations are checked together, in one multi-scalar multiplication
  // (protocol.md §13); when that fails they are checked one by one to say which is wrong.
  thread_local crypto::StreamRandom rng;
  crypto::BatchVerifier batch(key.point());
  auto verdict =
      record::verify_ballot_batched(*ballot, payload, questions, key, fingerprint, batch, rng);
  if (verdict && !batch.verify()) {
    verdict = record::verify_ballot(*ballot, payload, questions, key, fingerprint);
  }
  if (!verdict) return invalid_argument("Bad ballot: " + verdict.error().message);
  return record::PreparedBallot{std::move(*ballot), verdict, tracker, true};
}

}  // namespace

Result<Receipt> Elections::cast(ElectionId id, std::string_view ballot_json) {
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(ballot_json, ec);
  if (ec || !parsed.is_object()) return invalid_argument("The ballot is not a JSON object.");
  if (boost::json::serialize(parsed) != ballot_json) {
    return invalid_argument("The ballot is not in canonical form (protocol.md §10.2).");
  }
  Pending mine;
  mine.text = ballot_json;
  mine.payload = &parsed.as_object();
  mine.tracker = record::tracker_of(ballot_json);
  mine.tracker_hex = crypto::to_hex(mine.tracker);
  auto c = cached(id);
  // The proofs depend only on parameters fixed once voting is open: they are checked here, on
  // this request's thread, while other ballots are being checked or committed. Before the
  // first commit after a start the parameters are not known yet and the commit checks all.
  const auto open_params = [&c] {
    std::lock_guard lock(c->open_mu);
    return c->open;
  };
  std::shared_ptr<const OpenParams> open = open_params();
  if (!open) {  // the board not read yet since the start: read it now, outside the commit
    std::lock_guard lock(c->mu);
    if (!c->valid) {
      VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
      VECHE_TRY(reload(*tx, id, *c));
    }
    open = open_params();
  }
  if (open) {
    VECHE_ASSIGN_OR_RETURN(auto prepared,
                           prepare_ballot(*mine.payload, mine.tracker, open->questions,
                                          open->credentials, open->key, open->fingerprint));
    mine.prepared = std::move(prepared);
  }
  // Group commit: whoever finds no commit running takes every queued ballot, its own included.
  std::unique_lock queue(c->queue_mu);
  c->queue.push_back(&mine);
  c->queue_cv.wait(queue, [&] { return mine.done || !c->committing; });
  if (mine.done) return std::move(*mine.result);
  c->committing = true;
  std::vector<Pending*> batch;
  batch.swap(c->queue);
  queue.unlock();
  commit_batch(id, *c, batch);
  queue.lock();
  for (auto* p : batch) p->done = true;
  c->committing = false;
  queue.unlock();
  c->queue_cv.notify_all();
  return std::move(*mine.result);
}

void Elections::commit_batch(ElectionId id, Cached& c, const std::vector<Pending*>& batch) {
  std::lock_guard lock(c.mu);
  // One ballot in the write transaction: its outcome goes to p.result; an error returned here
  // (the database failed) rolls back the whole batch.
  const auto append_one = [&](store::Transaction& tx, Pending& p) -> Status {
    auto& state = c.state;
    if (state.phase() != record::Phase::kOpen) {
      p.result = failed_precondition("Voting is not open.");
      return ok();
    }
    if (const auto it = state.trackers().find(p.tracker_hex); it != state.trackers().end()) {
      // The same ballot again (a retry after a lost answer): already recorded, not again.
      p.result = Receipt{p.tracker_hex, record::short_tracker(p.tracker), it->second, true};
      return ok();
    }
    if (!p.prepared) {
      auto key = crypto::PublicKey::make(state.joint_key().point());
      if (!key) return key.error();
      auto prepared = prepare_ballot(*p.payload, p.tracker, state.setup().questions,
                                     state.credentials(), *key, state.fingerprint());
      if (!prepared) {
        p.result = prepared.error();
        return ok();
      }
      p.prepared = std::move(*prepared);
    }
    record::Event e;
    e.seq = state.events();
    e.prev = state.head();
    e.type = "ballot";
    e.payload = std::string(p.text);
    e.hash = record::event_hash(e.seq, e.prev, e.type, e.payload);
    if (auto st = state.apply_ballot(e, *p.prepared); !st) {
      p.result = invalid_argument("Refused: " + st.error().message);
      // A refused event leaves the state unusable: rebuild it from the rows written so far
      // in this transaction, this batch's earlier ballots included.
      return reload(tx, id, c);
    }
    VECHE_TRY(insert_event(tx, id, e));
    p.result = Receipt{p.tracker_hex, record::short_tracker(p.tracker), e.seq, false};
    return ok();
  };
  const Status st = store::with_write(
      db_,
      [&](store::Transaction& tx) -> Status {
        VECHE_ASSIGN_OR_RETURN(const auto count, event_count(tx, id));
        if (count == 0) return not_found(std::string(kNoElection));
        if (!c.valid || c.state.events() != static_cast<std::uint64_t>(count)) {
          VECHE_TRY(reload(tx, id, c));
        }
        // A site-run election stops taking ballots at its announced close (moved only by its
        // extension rule), even before the deadline keeper appends the close event. Read in
        // the transaction that appends, so an extension written meanwhile is seen.
        VECHE_ASSIGN_OR_RETURN(auto close, tx.query("SELECT closes_at + extended_seconds FROM "
                                                    "election_drafts WHERE election = ?",
                                                    {id}));
        if (!close.empty() && core::to_unix(clock_.now()) >= close[0].int64(0)) {
          for (auto* p : batch) p->result = failed_precondition("Voting has closed.");
          return ok();
        }
        c.valid = false;  // until the commit succeeds
        for (auto* p : batch) VECHE_TRY(append_one(tx, *p));
        return ok();
      },
      store::Durability::kFull, 1);
  if (!st) {
    c.valid = false;
    for (auto* p : batch) p->result = st.error();
    return;
  }
  c.valid = true;
  learn_open_params(c);
}

void Elections::learn_open_params(Cached& c) {
  if (c.state.phase() != record::Phase::kOpen) return;
  std::lock_guard open_lock(c.open_mu);
  if (c.open) return;
  auto key = crypto::PublicKey::make(c.state.joint_key().point());
  if (!key) return;  // every ballot is then checked in the commit
  c.open = std::make_shared<const OpenParams>(OpenParams{
      c.state.setup().questions, c.state.credentials(), std::move(*key), c.state.fingerprint()});
}

Status Elections::inspect(ElectionId id,
                          const std::function<void(const record::ElectionState&)>& fn) {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto exists, tx->query("SELECT 1 FROM elections WHERE id = ?", {id}));
  if (exists.empty()) return not_found(std::string(kNoElection));
  VECHE_ASSIGN_OR_RETURN(const auto count, event_count(*tx, id));
  if (count == 0) {
    fn(record::ElectionState());
    return ok();
  }
  auto c = cached(id);
  std::lock_guard lock(c->mu);
  if (!c->valid || c->state.events() != static_cast<std::uint64_t>(count)) {
    VECHE_TRY(reload(*tx, id, *c));
  }
  fn(c->state);
  return ok();
}

Result<std::size_t> Elections::warm_open() {
  std::vector<ElectionId> open;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto rows,
                           tx->query("SELECT election FROM election_events WHERE type = 'open' "
                                     "AND election NOT IN (SELECT election FROM election_events "
                                     "WHERE type = 'close') ORDER BY election",
                                     {}));
    for (const auto& r : rows) open.push_back(r.int64(0));
  }
  // One board that does not replay (kDataLoss, for the operator) does not keep the others cold.
  Status first_error;
  std::size_t read = 0;
  for (const ElectionId id : open) {
    auto st = inspect(id, [](const record::ElectionState&) {});
    if (st) ++read;
    if (!st && first_error) first_error = st;
  }
  if (!first_error) return first_error.error();
  return read;
}

Result<record::Event> Elections::append(ElectionId id, std::string_view type,
                                        const MakePayload& make, const AlsoInTransaction& also) {
  auto c = cached(id);
  std::lock_guard lock(c->mu);
  record::Event out;
  VECHE_TRY(store::with_write(
      db_,
      [&](store::Transaction& tx) -> Status {
        VECHE_ASSIGN_OR_RETURN(const auto count, event_count(tx, id));
        if (count == 0) {
          VECHE_ASSIGN_OR_RETURN(auto exists,
                                 tx.query("SELECT 1 FROM elections WHERE id = ?", {id}));
          if (exists.empty()) return not_found(std::string(kNoElection));
          c->state = record::ElectionState();
          c->state.trust_ballot_proofs(true);
          c->valid = true;
        } else if (!c->valid || c->state.events() != static_cast<std::uint64_t>(count)) {
          VECHE_TRY(reload(tx, id, *c));
        }
        auto& state = c->state;
        VECHE_ASSIGN_OR_RETURN(auto payload, make(state));
        record::Event e;
        e.seq = state.events();
        e.prev = state.head();
        e.type = std::string(type);
        e.payload = boost::json::serialize(payload);
        if (e.payload.size() > record::kMaxLineBytes) {
          return invalid_argument("The event is too large.");
        }
        e.hash = record::event_hash(e.seq, e.prev, e.type, e.payload);
        c->valid = false;  // until the commit succeeds; a refused event leaves it unusable
        state.trust_ballot_proofs(false);
        auto st = state.apply(e);
        state.trust_ballot_proofs(true);
        if (!st) return invalid_argument(st.error().message);
        if (also) VECHE_TRY(also(tx, state));
        VECHE_TRY(insert_event(tx, id, e));
        out = std::move(e);
        return ok();
      },
      store::Durability::kFull));
  c->valid = true;
  return out;
}

Result<std::vector<BoardBallot>> Elections::ballots(ElectionId id, std::string_view prefix,
                                                    std::size_t limit) {
  VECHE_ASSIGN_OR_RETURN(const auto p, normalize_prefix(prefix));
  std::string hex = p;
  std::string base32 = p;
  for (char& ch : hex) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (char& ch : base32) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto exists, tx->query("SELECT 1 FROM elections WHERE id = ?", {id}));
  if (exists.empty()) return not_found(std::string(kNoElection));
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query("SELECT seq, tracker, short_tracker FROM election_events WHERE election = ? "
                "AND tracker IS NOT NULL AND (tracker LIKE ? OR short_tracker LIKE ?) "
                "ORDER BY seq LIMIT ?",
                {id, hex + "%", base32 + "%", static_cast<std::int64_t>(limit)}));
  std::vector<BoardBallot> out;
  for (const auto& r : rows) {
    out.push_back({static_cast<std::uint64_t>(r.int64(0)), r.text(1), r.text(2)});
  }
  return out;
}

}  // namespace veche::elections
