// Elections run by the site itself (docs/elections.md, "Running an election on the site"): an
// organizer's draft (the questions, the dates, the voting-extension rule, the trustees' and
// registrars' names), invitations by which trustees and registrars register their public keys,
// and the administrator's steps of docs/protocol.md §9-§12 (setup, open, close, result) signed
// by a key the site keeps for that election, sealed under the data key (crypto/at_rest.hpp).
// Trustees and registrars append their own signed events; the server checks each one with
// record's state machine and stores it on the board (elections.hpp). The deadline keeper closes
// due elections and applies the extension rule announced in the draft, and only that rule.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/elections/elections.hpp"
#include "veche/record/election.hpp"

namespace veche::elections {

// The voting-extension rule, announced with the draft and never changed after it: when the
// booth was unreachable for more than `outage_minutes` while voting was open (measured by the
// deadline keeper's heartbeat, which it writes every minute), the close moves by the length
// of the outage, counted from the moment the site is back when the outage reached past the
// close; in all at most `max_hours`. `outage_minutes == 0`: the close never moves.
struct ExtensionRule {
  std::uint32_t outage_minutes = 0;
  std::uint32_t max_hours = 0;
};

inline constexpr std::size_t kMaxRoleSlots = 64;

// What an organizer asks for. The protocol's election id is made by the site.
struct Draft {
  std::string title;
  std::vector<record::Question> questions;
  std::vector<std::string> trustees;  // names, in slot order (slot 1 first)
  std::uint32_t threshold = 1;
  std::vector<std::string> registrars;
  core::TimePoint opens_at;
  core::TimePoint closes_at;
  ExtensionRule extension;
};

// kInvalidArgument with a message for people (naming the field) when the draft cannot become
// a valid setup (record::validate) or its dates or rule make no sense.
Status validate(const Draft& d);

enum class Role { kTrustee, kRegistrar };
const char* role_name(Role r);  // "trustee", "registrar"

struct RoleSlot {
  Role role = Role::kTrustee;
  std::uint32_t slot = 0;  // 1-based: trustee i of the setup, registrar r
  std::string name;
  std::string public_key;    // hex Ed25519 key, "" until registered
  std::string invite_token;  // for the organizer only: the secret part of the invite link
};

// A site-run election as its organizer sees it.
struct Run {
  ElectionId id = 0;
  std::int64_t organizer = 0;  // account id
  std::string election_id;     // the protocol's id
  Draft draft;
  std::vector<RoleSlot> roles;  // trustees first, then registrars
  core::TimePoint created_at;
  std::optional<core::TimePoint> opened_at;
  std::int64_t extended_seconds = 0;  // how far the extension rule has moved the close
  std::string administrator;          // hex public key of the site's signing key

  core::TimePoint effective_close() const {
    return draft.closes_at + std::chrono::seconds(extended_seconds);
  }
};

// Who has done what, from the board.
struct TrusteeProgress {
  bool key_registered = false;
  bool enc_key = false;  // trustee_key event
  bool dealt = false;
  std::uint32_t complaints = 0;  // complaints made by this trustee
  bool disqualified = false;
  bool partial = false;
};
struct Progress {
  std::string phase;  // "draft", "setup", "open", "closed", "done"
  std::vector<TrusteeProgress> trustees;
  std::vector<bool> registrar_keys;           // registered
  std::vector<std::int64_t> registrar_creds;  // credentials published (-1: not yet)
  std::uint64_t ballots = 0;
  std::uint64_t partials = 0;
  // What the organizer may do now, each with the reason when not ("" when it may).
  std::string freeze_blocked, open_blocked, close_blocked, publish_blocked;
};

// A trustee's or registrar's event line made by the CLI, or an API body, split.
struct SubmittedEvent {
  std::string type;
  boost::json::object payload;
};
// Accepts a board line ({"seq","prev","type","payload","hash"}: seq, prev and hash are
// ignored, the server chains the event itself) or {"type","payload"}. kInvalidArgument.
Result<SubmittedEvent> parse_submitted(std::string_view text);

// For `veche data-key rotate`: opens every administrator key sealed under `old_key` and seals
// it under `new_key`, in one transaction. kDataLoss, and nothing changes, when one does not open
// (the wrong key). Invite links of slots still waiting for a key change with the data key: the
// manage page shows the new ones. Returns how many keys were resealed.
Result<std::int64_t> reseal_admin_keys(store::Database& db, const crypto::SecretBytes& old_key,
                                       const crypto::SecretBytes& new_key);

class Lifecycle {
 public:
  // `data_key` seals the administrator keys; it must outlive this object. The boards' states
  // are kept by `board` (shared with the pages that cast ballots, so that one cache follows
  // each board), or by an Elections of this object's own.
  Lifecycle(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& data_key)
      : db_(db),
        clock_(clock),
        key_(data_key),
        own_(std::make_unique<Elections>(db, clock)),
        board_(*own_) {}
  Lifecycle(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& data_key,
            Elections& board)
      : db_(db), clock_(clock), key_(data_key), board_(board) {}

  // A new draft by `organizer`: the election appears with phase "draft"; an invitation per
  // role slot. kInvalidArgument (validate()).
  Result<ElectionId> create(std::int64_t organizer, const Draft& d);
  // kNotFound for an election this site does not run (imported ones) or none at all.
  Result<Run> run(ElectionId id) const;
  Result<Progress> progress(ElectionId id) const;
  // The slot an invite token belongs to (kPermissionDenied for an unknown or replaced one).
  Result<RoleSlot> invitee(ElectionId id, std::string_view token) const;
  // A new invite token for a slot whose key is not registered; the old link stops working.
  // kFailedPrecondition once registered or after setup.
  Result<std::string> renew_invite(ElectionId id, Role role, std::uint32_t slot);
  // Registers the public key of the slot the token names. kInvalidArgument for a bad key,
  // kPermissionDenied for a bad token, kAlreadyExists when the slot has a key or the key is
  // already used by another slot, kFailedPrecondition after setup.
  Result<RoleSlot> register_key(ElectionId id, std::string_view token, std::string_view key_hex);

  // The administrator's steps; each appends its signed event durably and returns its seq.
  // kFailedPrecondition saying what is missing when the step is not possible yet.
  Result<std::uint64_t> freeze_setup(ElectionId id);
  Result<std::uint64_t> open(ElectionId id);
  Result<std::uint64_t> close(ElectionId id);  // not before the (extended) close time
  Result<std::uint64_t> publish(ElectionId id);

  // A trustee's or registrar's signed event (trustee_key, trustee_deal, trustee_complaint,
  // credentials, partial_decryption), serialized canonically, checked by the state machine and
  // appended durably; returns (seq, hash hex). kInvalidArgument with the state machine's
  // message, kFailedPrecondition for the wrong phase (or a draft).
  struct Appended {
    std::uint64_t seq = 0;
    std::string hash;
  };
  Result<Appended> append(ElectionId id, const SubmittedEvent& e);

  // The deadline keeper's step: writes the heartbeat, applies each open election's extension
  // rule to an outage the heartbeat shows, and closes every election past its (extended)
  // close. Returns how many elections it closed or extended.
  Result<int> keep_deadlines();
  // The earliest (extended) close of an election this site opened and has not closed, if any:
  // the keeper wakes up then, so that the close is not late by up to its interval.
  Result<std::optional<core::TimePoint>> next_close() const;

 private:
  Result<std::uint64_t> admin_step(ElectionId id, std::string_view step);

  store::Database& db_;
  const core::Clock& clock_;
  const crypto::SecretBytes& key_;
  std::unique_ptr<Elections> own_;
  Elections& board_;  // the boards' states, kept in step (thread-safe)
};

}  // namespace veche::elections
