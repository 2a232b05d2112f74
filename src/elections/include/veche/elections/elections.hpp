// Elections on the site (docs/elections.md): each election's bulletin board kept in the database
// as append-only events, the same bytes as the lines of board.jsonl (docs/protocol.md §10), each
// checked by record's state machine before it is stored. Ballots are cast without an account:
// the credential's signature is the only authorization (§11).
#pragma once

#include <boost/json/object.hpp>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/record/state.hpp"
#include "veche/store/database.hpp"

namespace veche::elections {

std::span<const store::Migration> migrations();

using ElectionId = std::int64_t;

// What the public pages show of an election: never partial results.
struct Summary {
  ElectionId id = 0;
  std::string election_id;  // the protocol's election identifier (setup)
  std::string title;
  std::vector<record::Question> questions;
  std::vector<std::string> trustees;
  std::uint32_t threshold = 0;
  std::string fingerprint;    // hex, once voting has opened
  std::string joint_key;      // hex, once voting has opened (what the booth encrypts to)
  std::string phase;          // "draft" (site-run, before setup), "setup", "open", "closed", "done"
  std::uint64_t ballots = 0;  // ballot events on the board (revotes included)
  std::uint64_t events = 0;
  std::string head;  // hex hash of the last event: what veche-verify prints as the record head
  std::int64_t imported_at = 0;
  // The published result (the `result` event, checked by the replay): only once it exists.
  std::optional<record::ResultSummary> result;
};

struct Receipt {
  std::string tracker;        // hex
  std::string short_tracker;  // for people
  std::uint64_t seq = 0;
  bool already_cast = false;  // this very ballot was on the board already (a retry)
};

struct BoardBallot {
  std::uint64_t seq = 0;
  std::string tracker;  // hex
  std::string short_tracker;
};

const char* phase_name(record::Phase p);

class Elections {
 public:
  Elections(store::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Puts a board (the text of board.jsonl) on the site after checking every event, ballot
  // proofs included; kInvalidArgument naming the first bad event. The same election again
  // adds the events beyond the stored ones when the stored board is the start of this one
  // (closed and tallied offline), kFailedPrecondition when they differ, kAlreadyExists when it
  // brings nothing new.
  Result<ElectionId> import_board(std::string_view board_text);
  // Newest first.
  Result<std::vector<Summary>> list();
  Result<Summary> get(ElectionId id);
  // The record: byte-identical to board.jsonl.
  Result<std::string> record(ElectionId id);
  // Checks a ballot payload (canonical JSON, §11) exactly like `veche vote --ballot-file` and
  // appends it with full durability before returning. kInvalidArgument says what is wrong,
  // kFailedPrecondition when voting is not open, kNotFound for no such election. The same
  // ballot sent again (same bytes, same tracker) is not appended twice: its first receipt is
  // returned with already_cast set.
  Result<Receipt> cast(ElectionId id, std::string_view ballot_json);
  // Runs `fn` on the election's current state (replayed once, then kept in step with the
  // board), under the election's lock; an election without events (a draft) gives an empty
  // state. kNotFound for no such election.
  Status inspect(ElectionId id, const std::function<void(const record::ElectionState&)>& fn);
  // Appends a non-ballot event durably after checking it fully against the current state:
  // `make` builds the payload from that state (or fails: its error is returned), `also` runs in
  // the same transaction with the state after the event. kInvalidArgument with the state
  // machine's message when the event is refused.
  using MakePayload = std::function<Result<boost::json::object>(const record::ElectionState&)>;
  using AlsoInTransaction =
      std::function<Status(store::Transaction&, const record::ElectionState&)>;
  Result<record::Event> append(ElectionId id, std::string_view type, const MakePayload& make,
                               const AlsoInTransaction& also = {});
  // Ballots on the board, in order; those whose tracker (hex, or the short form without
  // spaces/dashes) starts with `prefix` when it is not empty. At most `limit`.
  Result<std::vector<BoardBallot>> ballots(ElectionId id, std::string_view prefix,
                                           std::size_t limit);
  // Replays the board of every election open for voting into this service's cache, so that
  // the first ballot after a restart does not wait for it. Returns how many were read; the
  // first error after trying them all.
  Result<std::size_t> warm_open();

 private:
  struct OpenParams;  // what a ballot is checked against, fixed once voting is open
  struct Pending;     // a ballot waiting for the group commit
  struct Cached {
    std::mutex mu;  // one writer per election; guards state and valid
    record::ElectionState state;
    bool valid = false;
    std::mutex open_mu;  // guards open: read without waiting for a commit
    std::shared_ptr<const OpenParams> open;
    // Group commit: ballots checked on their own threads queue here, and one of their threads
    // appends every queued ballot in one write transaction (one fsync for all of them).
    std::mutex queue_mu;
    std::condition_variable queue_cv;
    std::vector<Pending*> queue;  // GUARDED_BY(queue_mu)
    bool committing = false;      // GUARDED_BY(queue_mu)
  };
  std::shared_ptr<Cached> cached(ElectionId id);
  // Rebuilds `c.state` from the stored events (ballot proofs trusted: checked on append).
  Status reload(store::Transaction& tx, ElectionId id, Cached& c);
  // Appends the ballots of `batch` in one durable transaction, each with its own outcome.
  void commit_batch(ElectionId id, Cached& c, const std::vector<Pending*>& batch);
  // Once voting is open: what ballots are checked against, for checks outside the lock.
  static void learn_open_params(Cached& c);

  store::Database& db_;
  const core::Clock& clock_;
  std::mutex map_mu_;
  std::unordered_map<ElectionId, std::shared_ptr<Cached>> cache_;  // GUARDED_BY(map_mu_)
};

}  // namespace veche::elections
