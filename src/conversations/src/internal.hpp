// What the service, the report and the demo share (private to src/conversations).
#pragma once

#include <optional>
#include <string_view>

#include "veche/conversations/conversations.hpp"

namespace veche::conversations::detail {

Result<bool> in_audience(store::Transaction& tx, registry::AccountId account, Audience audience);

// The participant key of an account in a conversation, and of any other pseudonymous voter
// (the demo's): BLAKE2b keyed with the data key.
store::Blob voter_key(const crypto::SecretBytes& key, ConversationId conversation,
                      registry::AccountId account);
store::Blob participant_key(const crypto::SecretBytes& key, std::string_view who);

Result<std::optional<std::int64_t>> find_participant(store::Transaction& tx,
                                                     ConversationId conversation,
                                                     const store::Blob& key);
// The participant's number, made on first use.
Result<std::int64_t> participant_number(store::Transaction& tx, ConversationId conversation,
                                        const store::Blob& key);
// Records or changes a vote and keeps the statement's counts and the conversation's version.
Status record_vote(store::Transaction& tx, ConversationId conversation, StatementId statement,
                   std::int64_t participant, consensus::Vote vote, core::TimePoint at);

// How much the next vote on a statement tells: its uncertainty weight from the last report
// (1 when unknown) over its votes so far plus one.
inline double routing_priority(double weight, std::int64_t votes) {
  return weight / static_cast<double>(votes + 1);
}

}  // namespace veche::conversations::detail
