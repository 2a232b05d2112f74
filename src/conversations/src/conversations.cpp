#include "veche/conversations/conversations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

#include "internal.hpp"
#include "veche/core/text.hpp"
#include "veche/crypto/password.hpp"

namespace veche::conversations {

namespace {

using registry::AccountId;
constexpr int kMaxListLimit = 1000;

Result<bool> has_role(store::Transaction& tx, AccountId account,
                      std::initializer_list<std::string_view> roles) {
  for (auto role : roles) {
    VECHE_ASSIGN_OR_RETURN(
        auto rows, tx.query("SELECT 1 FROM account_roles WHERE account_id = ? AND role = ? LIMIT 1",
                            {account.value(), std::string(role)}));
    if (!rows.empty()) return true;
  }
  return false;
}

// `actor` invalid: the operator at the command line.
Status require_moderator(store::Transaction& tx, AccountId actor) {
  if (!actor.valid()) return ok();
  VECHE_ASSIGN_OR_RETURN(bool yes, has_role(tx, actor, {"moderator", "operator"}));
  if (!yes) return permission_denied("only moderators and operators may do this");
  return ok();
}

Result<Audience> audience_from(std::string_view s) {
  auto a = parse_audience(s);
  if (!a) return data_loss("unknown audience in the database");
  return *a;
}

Result<StatementState> state_from(std::string_view s) {
  if (s == "pending") return StatementState::kPending;
  if (s == "accepted") return StatementState::kAccepted;
  if (s == "rejected") return StatementState::kRejected;
  return data_loss("unknown statement state in the database");
}

constexpr std::string_view kConversationColumns =
    "c.id, c.question, c.description, c.audience, c.created_at, c.closes_at, c.participants, "
    "(SELECT COUNT(*) FROM conversation_statements s WHERE s.conversation_id = c.id AND "
    "s.state = 'accepted'), "
    "(SELECT COUNT(*) FROM conversation_statements s WHERE s.conversation_id = c.id AND "
    "s.state = 'pending'), c.votes";

Result<Conversation> conversation_from(const store::Row& row, core::TimePoint now) {
  Conversation c;
  c.id = ConversationId(row.int64(0));
  c.question = row.text(1);
  c.description = row.text(2);
  VECHE_ASSIGN_OR_RETURN(c.audience, audience_from(row.text(3)));
  c.created_at = core::from_unix(row.int64(4));
  c.closes_at = core::from_unix(row.int64(5));
  c.open = now < c.closes_at;
  c.participants = row.int64(6);
  c.statements = row.int64(7);
  c.pending = row.int64(8);
  c.votes = row.int64(9);
  return c;
}

constexpr std::string_view kStatementColumns =
    "id, conversation_id, text, seed, state, reason, created_at, agree, disagree, pass";

Result<Statement> statement_from(const store::Row& row) {
  Statement s;
  s.id = StatementId(row.int64(0));
  s.conversation = ConversationId(row.int64(1));
  s.text = row.text(2);
  s.seed = row.int64(3) != 0;
  VECHE_ASSIGN_OR_RETURN(s.state, state_from(row.text(4)));
  s.reason = row.text(5);
  s.created_at = core::from_unix(row.int64(6));
  s.agree = row.int64(7);
  s.disagree = row.int64(8);
  s.pass = row.int64(9);
  return s;
}

Result<Conversation> conversation_in(store::Transaction& tx, ConversationId id,
                                     core::TimePoint now) {
  VECHE_ASSIGN_OR_RETURN(auto row,
                         tx.query_one(fmt::format("SELECT {} FROM conversations c WHERE c.id = ?",
                                                  kConversationColumns),
                                      {id.value()}, "conversation " + id.str()));
  return conversation_from(row, now);
}

Status require_audience(store::Transaction& tx, AccountId account, Audience audience) {
  VECHE_ASSIGN_OR_RETURN(bool yes, detail::in_audience(tx, account, audience));
  if (!yes) {
    switch (audience) {
      case Audience::kConstituents:
        return permission_denied("only constituents take part in this conversation");
      case Audience::kDelegates:
        return permission_denied("only delegates take part in this conversation");
      case Audience::kBoth:
        break;
    }
    return permission_denied("only constituents and delegates take part in this conversation");
  }
  return ok();
}

Status require_open(const Conversation& c) {
  if (!c.open) return failed_precondition("the conversation is closed");
  return ok();
}

}  // namespace

namespace detail {

Result<bool> in_audience(store::Transaction& tx, AccountId account, Audience audience) {
  if (!account.valid()) return false;
  switch (audience) {
    case Audience::kConstituents:
      return has_role(tx, account, {"constituent"});
    case Audience::kDelegates:
      return has_role(tx, account, {"delegate"});
    case Audience::kBoth:
      break;
  }
  return has_role(tx, account, {"constituent", "delegate"});
}

store::Blob voter_key(const crypto::SecretBytes& key, ConversationId conversation,
                      AccountId account) {
  return participant_key(key, fmt::format("{}/{}", conversation.value(), account.value()));
}

store::Blob participant_key(const crypto::SecretBytes& key, std::string_view who) {
  auto digest = crypto::keyed_hash(key, "conversation-participant", who);
  store::Blob b(digest.size());
  std::transform(digest.begin(), digest.end(), b.begin(),
                 [](auto c) { return static_cast<std::byte>(c); });
  return b;
}

Result<std::optional<std::int64_t>> find_participant(store::Transaction& tx,
                                                     ConversationId conversation,
                                                     const store::Blob& key) {
  VECHE_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT number FROM conversation_participants "
                                             "WHERE conversation_id = ? AND voter_key = ?",
                                             {conversation.value(), key}));
  if (rows.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(rows[0].int64(0));
}

Result<std::int64_t> participant_number(store::Transaction& tx, ConversationId conversation,
                                        const store::Blob& key) {
  VECHE_ASSIGN_OR_RETURN(auto found, find_participant(tx, conversation, key));
  if (found) return *found;
  VECHE_TRY(tx.exec("UPDATE conversations SET participants = participants + 1 WHERE id = ?",
                    {conversation.value()}));
  VECHE_ASSIGN_OR_RETURN(auto row,
                         tx.query_one("SELECT participants FROM conversations WHERE id = ?",
                                      {conversation.value()}, "conversation"));
  const std::int64_t number = row.int64(0);
  VECHE_TRY(
      tx.exec("INSERT INTO conversation_participants (conversation_id, number, voter_key) "
              "VALUES (?, ?, ?)",
              {conversation.value(), number, key}));
  return number;
}

Status record_vote(store::Transaction& tx, ConversationId conversation, StatementId statement,
                   std::int64_t participant, consensus::Vote vote, core::TimePoint at) {
  static constexpr std::string_view kColumn[] = {"disagree", "pass", "agree"};
  const int v = static_cast<int>(vote);
  VECHE_ASSIGN_OR_RETURN(auto before, tx.query("SELECT vote FROM conversation_votes WHERE "
                                               "statement_id = ? AND participant = ?",
                                               {statement.value(), participant}));
  if (!before.empty()) {
    const auto old = before[0].int64(0);
    if (old == v) return ok();
    VECHE_TRY(
        tx.exec("UPDATE conversation_votes SET vote = ?, at = ? WHERE statement_id = ? AND "
                "participant = ?",
                {std::int64_t{v}, core::to_unix(at), statement.value(), participant}));
    VECHE_TRY(tx.exec(fmt::format("UPDATE conversation_statements SET {0} = {0} - 1 WHERE id = ?",
                                  kColumn[old + 1]),
                      {statement.value()}));
  } else {
    VECHE_TRY(
        tx.exec("INSERT INTO conversation_votes (conversation_id, statement_id, "
                "participant, vote, at) VALUES (?, ?, ?, ?, ?)",
                {conversation.value(), statement.value(), participant, std::int64_t{v},
                 core::to_unix(at)}));
    VECHE_TRY(
        tx.exec("UPDATE conversations SET votes = votes + 1 WHERE id = ?", {conversation.value()}));
  }
  VECHE_TRY(tx.exec(
      fmt::format("UPDATE conversation_statements SET {0} = {0} + 1 WHERE id = ?", kColumn[v + 1]),
      {statement.value()}));
  VECHE_TRY(tx.exec("UPDATE conversations SET version = version + 1 WHERE id = ?",
                    {conversation.value()}));
  // Only enqueued here: the report worker applies it to the live report (report.cpp).
  VECHE_TRY(
      tx.exec("INSERT INTO conversation_vote_queue (conversation_id, statement_id, "
              "participant, vote) VALUES (?, ?, ?, ?)",
              {conversation.value(), statement.value(), participant, std::int64_t{v}}));
  return ok();
}

}  // namespace detail

std::string_view audience_name(Audience audience) {
  switch (audience) {
    case Audience::kConstituents:
      return "constituents";
    case Audience::kDelegates:
      return "delegates";
    case Audience::kBoth:
      break;
  }
  return "both";
}

Result<Audience> parse_audience(std::string_view name) {
  if (name == "constituents") return Audience::kConstituents;
  if (name == "delegates") return Audience::kDelegates;
  if (name == "both") return Audience::kBoth;
  return invalid_argument("the audience must be constituents, delegates or both");
}

std::string_view state_name(StatementState state) {
  switch (state) {
    case StatementState::kPending:
      return "pending";
    case StatementState::kRejected:
      return "rejected";
    case StatementState::kAccepted:
      break;
  }
  return "accepted";
}

std::string_view vote_name(consensus::Vote vote) {
  switch (vote) {
    case consensus::Vote::kAgree:
      return "agree";
    case consensus::Vote::kDisagree:
      return "disagree";
    case consensus::Vote::kPass:
      break;
  }
  return "pass";
}

Result<consensus::Vote> parse_vote(std::string_view name) {
  if (name == "agree") return consensus::Vote::kAgree;
  if (name == "disagree") return consensus::Vote::kDisagree;
  if (name == "pass") return consensus::Vote::kPass;
  return invalid_argument("the vote must be agree, disagree or pass");
}

Result<std::string> check_statement(std::string_view text) {
  std::string s(core::trim(text));
  VECHE_TRY(core::check_text("statement", s, kMaxStatementChars));
  if (s.empty()) return invalid_argument("the statement is empty");
  return s;
}

Result<NewConversation> check_conversation(NewConversation c, core::TimePoint now) {
  c.question = std::string(core::trim(c.question));
  VECHE_TRY(core::check_text("question", c.question, kMaxQuestionChars));
  if (c.question.empty()) return invalid_argument("question is required");
  if (c.description.size() > kMaxDescriptionBytes) {
    return invalid_argument(
        fmt::format("description is longer than {} bytes", kMaxDescriptionBytes));
  }
  VECHE_TRY(core::check_text("description", c.description, kMaxDescriptionBytes, true));
  if (c.closes_at <= now) return invalid_argument("the close date must be in the future");
  std::vector<std::string> seeds;
  for (const auto& s : c.seeds) {
    if (core::trim(s).empty()) continue;
    VECHE_ASSIGN_OR_RETURN(auto checked, check_statement(s));
    if (std::find(seeds.begin(), seeds.end(), checked) == seeds.end()) {
      seeds.push_back(std::move(checked));
    }
  }
  if (seeds.size() > kMaxSeedStatements) {
    return invalid_argument(fmt::format("at most {} seed statements", kMaxSeedStatements));
  }
  c.seeds = std::move(seeds);
  return c;
}

Conversations::Conversations(store::Database& db, const core::Clock& clock,
                             const crypto::SecretBytes& key)
    : db_(db), clock_(clock), key_(key) {}

Result<ConversationId> Conversations::open(AccountId actor, NewConversation conversation) {
  const auto now = clock_.now();
  VECHE_ASSIGN_OR_RETURN(auto c, check_conversation(std::move(conversation), now));
  ConversationId id;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    if (actor.valid()) {
      VECHE_ASSIGN_OR_RETURN(bool may, has_role(tx, actor, {"delegate", "moderator", "operator"}));
      if (!may) return permission_denied("only delegates and moderators open conversations");
    }
    store::Value opener = nullptr;
    if (actor.valid()) opener = actor.value();
    VECHE_ASSIGN_OR_RETURN(
        auto raw,
        tx.insert("INSERT INTO conversations (question, description, audience, opened_by, "
                  "created_at, closes_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                  {c.question, c.description, std::string(audience_name(c.audience)), opener,
                   core::to_unix(now), core::to_unix(c.closes_at)}));
    id = ConversationId(raw);
    for (const auto& s : c.seeds) {
      VECHE_TRY(
          tx.exec("INSERT INTO conversation_statements (conversation_id, text, seed, state, "
                  "created_at) VALUES (?, ?, 1, 'accepted', ?)",
                  {raw, s, core::to_unix(now)}));
    }
    return ok();
  }));
  return id;
}

Result<Conversation> Conversations::conversation(ConversationId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  return conversation_in(*tx, id, clock_.now());
}

Result<std::vector<Conversation>> Conversations::list(int limit) const {
  if (limit < 1 || limit > kMaxListLimit) {
    return invalid_argument(fmt::format("limit must be between 1 and {}", kMaxListLimit));
  }
  const auto now = clock_.now();
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query(fmt::format("SELECT {} FROM conversations c ORDER BY CASE WHEN c.closes_at > ? "
                            "THEN 0 ELSE 1 END, c.created_at DESC, c.id DESC LIMIT ?",
                            kConversationColumns),
                {core::to_unix(now), std::int64_t{limit}}));
  std::vector<Conversation> out;
  for (const auto& r : rows) {
    VECHE_ASSIGN_OR_RETURN(auto c, conversation_from(r, now));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Statement>> Conversations::statements(ConversationId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_TRY(conversation_in(*tx, id, clock_.now()));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query(fmt::format("SELECT {} FROM conversation_statements WHERE "
                                       "conversation_id = ? AND state = 'accepted' ORDER BY id",
                                       kStatementColumns),
                           {id.value()}));
  std::vector<Statement> out;
  for (const auto& r : rows) {
    VECHE_ASSIGN_OR_RETURN(auto s, statement_from(r));
    out.push_back(std::move(s));
  }
  return out;
}

Result<Statement> Conversations::statement(StatementId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(
      auto row, tx->query_one(fmt::format("SELECT {} FROM conversation_statements WHERE id = ?",
                                          kStatementColumns),
                              {id.value()}, "statement " + id.str()));
  return statement_from(row);
}

Result<bool> Conversations::in_audience(AccountId account, ConversationId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto c, conversation_in(*tx, id, clock_.now()));
  return detail::in_audience(*tx, account, c.audience);
}

Result<StatementId> Conversations::submit(AccountId account, ConversationId id,
                                          std::string_view text) {
  VECHE_ASSIGN_OR_RETURN(auto checked, check_statement(text));
  const auto now = clock_.now();
  StatementId out;
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto c, conversation_in(tx, id, now));
    VECHE_TRY(require_open(c));
    VECHE_TRY(require_audience(tx, account, c.audience));
    VECHE_ASSIGN_OR_RETURN(
        auto number, detail::participant_number(tx, id, detail::voter_key(key_, id, account)));
    VECHE_ASSIGN_OR_RETURN(
        auto counts,
        tx.query_one("SELECT COUNT(*), COALESCE(SUM(CASE WHEN author = ? THEN 1 ELSE 0 END), 0) "
                     "FROM conversation_statements WHERE conversation_id = ?",
                     {number, id.value()}, "statements"));
    if (counts.int64(0) >= kMaxStatements) {
      return resource_exhausted("this conversation has as many statements as it can take");
    }
    if (counts.int64(1) >= kMaxSubmissionsPerParticipant) {
      return resource_exhausted(
          "you have added as many statements to this conversation as one participant may");
    }
    auto raw = tx.insert(
        "INSERT INTO conversation_statements (conversation_id, text, author, state, created_at) "
        "VALUES (?, ?, ?, 'pending', ?) RETURNING id",
        {id.value(), checked, number, core::to_unix(now)});
    if (!raw && raw.error().code == ErrorCode::kAlreadyExists) {
      return already_exists("this conversation has this statement already");
    }
    if (!raw) return raw.error();
    out = StatementId(*raw);
    return ok();
  }));
  return out;
}

Result<std::vector<Statement>> Conversations::pending(AccountId moderator,
                                                      ConversationId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_TRY(require_moderator(*tx, moderator));
  VECHE_TRY(conversation_in(*tx, id, clock_.now()));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query(fmt::format("SELECT {} FROM conversation_statements WHERE "
                                       "conversation_id = ? AND state = 'pending' ORDER BY id",
                                       kStatementColumns),
                           {id.value()}));
  std::vector<Statement> out;
  for (const auto& r : rows) {
    VECHE_ASSIGN_OR_RETURN(auto s, statement_from(r));
    out.push_back(std::move(s));
  }
  return out;
}

Status Conversations::moderate(AccountId moderator, StatementId statement, bool accept,
                               std::string_view reason) {
  std::string why(core::trim(reason));
  if (!accept) {
    VECHE_TRY(core::check_text("reason", why, kMaxReasonChars, /*multiline=*/true));
    if (why.empty()) return invalid_argument("a rejection needs a public reason");
  } else {
    why.clear();
  }
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(require_moderator(tx, moderator));
    VECHE_ASSIGN_OR_RETURN(
        auto row, tx.query_one("SELECT conversation_id, state FROM conversation_statements "
                               "WHERE id = ?",
                               {statement.value()}, "statement " + statement.str()));
    if (row.text(1) != "pending") return failed_precondition("this statement was decided already");
    store::Value by = nullptr;
    if (moderator.valid()) by = moderator.value();
    VECHE_TRY(
        tx.exec("UPDATE conversation_statements SET state = ?, reason = ?, moderated_by = ?, "
                "moderated_at = ? WHERE id = ?",
                {std::string(accept ? "accepted" : "rejected"), why, by, core::to_unix(now),
                 statement.value()}));
    if (accept) {
      VECHE_TRY(
          tx.exec("UPDATE conversations SET version = version + 1 WHERE id = ?", {row.int64(0)}));
    }
    return ok();
  });
}

Status Conversations::vote(AccountId account, ConversationId id, StatementId statement,
                           consensus::Vote vote) {
  const auto now = clock_.now();
  return store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_ASSIGN_OR_RETURN(auto c, conversation_in(tx, id, now));
    VECHE_TRY(require_open(c));
    VECHE_TRY(require_audience(tx, account, c.audience));
    VECHE_ASSIGN_OR_RETURN(
        auto row, tx.query_one("SELECT state FROM conversation_statements WHERE id = ? AND "
                               "conversation_id = ?",
                               {statement.value(), id.value()}, "statement " + statement.str()));
    if (row.text(0) != "accepted") {
      return failed_precondition("this statement is not open for votes");
    }
    VECHE_ASSIGN_OR_RETURN(
        auto number, detail::participant_number(tx, id, detail::voter_key(key_, id, account)));
    return detail::record_vote(tx, id, statement, number, vote, now);
  });
}

Result<std::optional<consensus::Vote>> Conversations::vote_of(AccountId account,
                                                              StatementId statement) const {
  using Out = std::optional<consensus::Vote>;
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto row, tx->query_one("SELECT conversation_id FROM "
                                                 "conversation_statements WHERE id = ?",
                                                 {statement.value()}, "statement"));
  const ConversationId id(row.int64(0));
  VECHE_ASSIGN_OR_RETURN(auto number,
                         detail::find_participant(*tx, id, detail::voter_key(key_, id, account)));
  if (!number) return Out();
  VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT vote FROM conversation_votes WHERE "
                                              "statement_id = ? AND participant = ?",
                                              {statement.value(), *number}));
  if (rows.empty()) return Out();
  return Out(static_cast<consensus::Vote>(rows[0].int64(0)));
}

Result<std::int64_t> Conversations::voted(AccountId account, ConversationId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_ASSIGN_OR_RETURN(auto number,
                         detail::find_participant(*tx, id, detail::voter_key(key_, id, account)));
  if (!number) return std::int64_t{0};
  VECHE_ASSIGN_OR_RETURN(auto row, tx->query_one("SELECT COUNT(*) FROM conversation_votes WHERE "
                                                 "conversation_id = ? AND participant = ?",
                                                 {id.value(), *number}, "votes"));
  return row.int64(0);
}

Result<std::optional<Statement>> Conversations::next_statement(AccountId account,
                                                               ConversationId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_TRY(conversation_in(*tx, id, clock_.now()));
  VECHE_ASSIGN_OR_RETURN(auto number,
                         detail::find_participant(*tx, id, detail::voter_key(key_, id, account)));
  // A participant not seen yet has voted on nothing: number 0 matches no vote.
  VECHE_ASSIGN_OR_RETURN(
      auto rows,
      tx->query(fmt::format("SELECT {}, weight FROM conversation_statements s WHERE "
                            "conversation_id = ? AND state = 'accepted' AND NOT EXISTS (SELECT 1 "
                            "FROM conversation_votes v WHERE v.statement_id = s.id AND "
                            "v.participant = ?) ORDER BY id",
                            kStatementColumns),
                {id.value(), number.value_or(0)}));
  std::optional<Statement> best;
  double best_priority = -1;
  for (const auto& r : rows) {
    VECHE_ASSIGN_OR_RETURN(auto s, statement_from(r));
    const double priority = detail::routing_priority(r.real(10), s.votes());
    if (priority > best_priority) {
      best_priority = priority;
      best = std::move(s);
    }
  }
  return best;
}

Result<std::string> Conversations::export_votes(ConversationId id) const {
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_TRY(conversation_in(*tx, id, clock_.now()));
  VECHE_ASSIGN_OR_RETURN(
      auto rows, tx->query("SELECT v.at, v.statement_id, v.participant, v.vote FROM "
                           "conversation_votes v JOIN conversation_statements s ON s.id = "
                           "v.statement_id WHERE v.conversation_id = ? AND s.state = 'accepted' "
                           "ORDER BY v.statement_id, v.participant",
                           {id.value()}));
  std::string out = "timestamp,comment-id,voter-id,vote\n";
  for (const auto& r : rows) {
    out += fmt::format("{},{},{},{}\n", r.int64(0), r.int64(1), r.int64(2), r.int64(3));
  }
  return out;
}

Result<std::string> Conversations::export_statements(ConversationId id) const {
  VECHE_ASSIGN_OR_RETURN(auto list, statements(id));
  std::string out = "comment-id,comment-body\n";
  for (const auto& s : list) out += fmt::format("{},{}\n", s.id.value(), core::csv_field(s.text));
  return out;
}

}  // namespace veche::conversations
