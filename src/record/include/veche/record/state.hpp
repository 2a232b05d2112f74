// The replay of a board: applies events in order and checks each one against everything before
// it (docs/protocol.md §7–§14). The verifier is this replay plus reporting; the command line uses
// it to learn the state of an election before acting on it.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "veche/crypto/dkg.hpp"
#include "veche/crypto/elgamal.hpp"
#include "veche/record/ballot.hpp"
#include "veche/record/board.hpp"
#include "veche/record/election.hpp"

namespace veche::record {

enum class Phase { kEmpty, kSetup, kOpen, kClosed, kDone };

// What can be checked about a ballot event without the events before it (§13: on any thread).
struct PreparedBallot {
  Ballot ballot;
  Status verdict;             // verify_ballot()'s outcome: signature, fingerprint, proofs
  crypto::Digest tracker{};   // tracker_of(e.payload)
  bool hash_matches = false;  // e.hash == event_hash(e.seq, e.prev, e.type, e.payload)
};

struct TrusteeDeal {
  std::vector<crypto::Point> commitments;
  std::vector<crypto::EncryptedShare> shares;  // shares[j - 1] is for trustee j
};

struct ResultSummary {
  std::uint64_t counted = 0;
  std::vector<std::vector<std::uint64_t>> counts;
  std::vector<std::vector<std::uint32_t>> seats;
};

// Verifier check numbers (§14).
enum Check : int {
  kCheckRecord = 1,
  kCheckChain = 2,
  kCheckSetup = 3,
  kCheckSignatures = 4,
  kCheckTrusteeKeys = 5,
  kCheckDeals = 6,
  kCheckCredentials = 7,
  kCheckOpening = 8,
  kCheckBallots = 9,
  kCheckClose = 10,
  kCheckLastBallot = 11,
  kCheckAggregate = 12,
  kCheckPartials = 13,
  kCheckResult = 14,
  kCheckSeats = 15,
  kCheckEnd = 16,
};
inline constexpr int kCheckCount = 16;
const char* check_name(int check);

class ElectionState {
 public:
  // Checks and applies the next event. On error the message names the event and what is wrong,
  // failed_check() says which numbered check failed, and the state must not be used further.
  Status apply(const Event& e);
  // For ballots verified ahead (in parallel, see PreparedBallot): apply then only does the
  // checks that depend on other ballots and on the chain.
  Status apply_ballot(const Event& e, const PreparedBallot& prepared);
  // Check 16 at the end of a record: a result was published (or, with `allow_unfinished`, the
  // record simply stops: used by the command line mid-election).
  Status finish() const;

  // For a tool reading its own board, whose ballots were fully verified when appended: skips
  // re-verifying ballot signatures and proofs (every other check still runs). Never for audits.
  void trust_ballot_proofs(bool trust) { trust_ballot_proofs_ = trust; }

  int failed_check() const { return failed_check_; }
  Phase phase() const { return phase_; }
  std::size_t events() const { return next_seq_; }
  const crypto::Digest& head() const { return head_; }

  const Setup& setup() const { return *setup_; }
  bool has_setup() const { return setup_.has_value(); }
  const crypto::Digest& setup_hash() const { return setup_hash_; }
  const std::map<std::uint32_t, crypto::Point>& enc_keys() const { return enc_keys_; }
  const std::map<std::uint32_t, TrusteeDeal>& deals() const { return deals_; }
  const std::set<std::uint32_t>& disqualified() const { return disqualified_; }
  std::set<std::uint32_t> registrars_done() const { return registrars_done_; }
  // Dealers not disqualified (§7.5).
  std::vector<std::uint32_t> qualified() const;
  // Recomputes the joint key (§7.5); kFailedPrecondition with fewer than t qualified.
  Result<crypto::Point> compute_joint_key() const;
  Result<crypto::Digest> compute_fingerprint(const crypto::Point& joint) const;
  const std::vector<crypto::VerifyKeyBytes>& credentials() const { return credentials_; }

  // After `open`:
  const crypto::PublicKey& joint_key() const { return *joint_key_; }
  const crypto::Digest& fingerprint() const { return fingerprint_; }
  const crypto::Point& verification_key(std::uint32_t j) const { return verification_keys_[j - 1]; }
  std::uint64_t ballot_events() const { return ballot_events_; }
  std::uint64_t counted() const { return last_ballot_.size(); }
  // The encrypted tally (§12), recomputed from the last ballot per credential.
  const std::vector<std::vector<crypto::Ciphertext>>& aggregate() const { return aggregate_; }
  // After partial decryptions: trustee -> factor per question and choice.
  const std::map<std::uint32_t, std::vector<std::vector<crypto::Point>>>& partials() const {
    return partials_;
  }
  // Decrypts the tally from the first t partial decryptions (§8, §12).
  Result<ResultSummary> compute_result() const;
  const std::optional<ResultSummary>& published_result() const { return result_; }
  // The tracker -> seq of every ballot event, for voters checking their ballot.
  const std::unordered_map<std::string, std::uint64_t>& trackers() const { return trackers_; }

 private:
  Error fail(int check, const Event& e, const std::string& message);
  Status apply_setup(const Event& e, const boost::json::object& payload);
  Status apply_trustee_key(const Event& e, const boost::json::object& payload);
  Status apply_deal(const Event& e, const boost::json::object& payload);
  Status apply_complaint(const Event& e, const boost::json::object& payload);
  Status apply_credentials(const Event& e, const boost::json::object& payload);
  Status apply_open(const Event& e, const boost::json::object& payload);
  Status apply_ballot_checked(const Event& e, const Ballot& b, const crypto::Digest& tracker);
  Status apply_close(const Event& e, const boost::json::object& payload);
  Status apply_partial(const Event& e, const boost::json::object& payload);
  Status apply_result(const Event& e, const boost::json::object& payload);
  Status check_signed(const Event& e, const boost::json::object& payload,
                      const crypto::VerifyKey& key);
  Result<boost::json::object> begin(const Event& e);
  // begin() without the payload: seq, prev, the hash (already compared when `hash_matches`).
  Status check_link(const Event& e, bool hash_matches);

  int failed_check_ = 0;
  bool trust_ballot_proofs_ = false;
  Phase phase_ = Phase::kEmpty;
  std::uint64_t next_seq_ = 0;
  crypto::Digest head_{};
  std::optional<Setup> setup_;
  crypto::Digest setup_hash_{};
  std::map<std::uint32_t, crypto::Point> enc_keys_;
  std::map<std::uint32_t, TrusteeDeal> deals_;
  std::set<std::pair<std::uint32_t, std::uint32_t>> complaints_;
  std::set<std::uint32_t> disqualified_;
  std::set<std::uint32_t> registrars_done_;
  std::vector<crypto::VerifyKeyBytes> credentials_;  // sorted
  std::optional<crypto::PublicKey> joint_key_;
  crypto::Digest fingerprint_{};
  std::vector<crypto::Point> verification_keys_;
  std::uint64_t ballot_events_ = 0;
  // credential index -> its last ballot's ciphertexts (encoded), for revotes.
  std::unordered_map<std::uint32_t, std::vector<std::array<std::uint8_t, 64>>> last_ballot_;
  // first 16 bytes of each α -> credential index (replay check, §11).
  struct AlphaPrefix {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    bool operator==(const AlphaPrefix&) const = default;
  };
  struct AlphaPrefixHash {
    std::size_t operator()(const AlphaPrefix& a) const {
      return a.lo ^ (a.hi * 0x9E3779B97F4A7C15ULL);
    }
  };
  std::unordered_map<AlphaPrefix, std::uint32_t, AlphaPrefixHash> alpha_owner_;
  std::unordered_map<std::string, std::uint64_t> trackers_;
  std::vector<std::vector<crypto::Ciphertext>> aggregate_;
  std::map<std::uint32_t, std::vector<std::vector<crypto::Point>>> partials_;
  std::optional<ResultSummary> result_;
};

// Replays a whole board. Returns the state or the first error (with failed_check in `check`).
struct ReplayOutcome {
  ElectionState state;
  Status status;
  int check = 0;
};
ReplayOutcome replay(const std::vector<Event>& events, bool require_finished);

}  // namespace veche::record
