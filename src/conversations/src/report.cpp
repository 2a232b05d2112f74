// The report of a conversation: the votes are read in one read transaction, analysed with no
// transaction open (it may take seconds on a large conversation), and the result is written
// with the routing weights in one write transaction.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "internal.hpp"
#include "veche/consensus/analysis.hpp"
#include "veche/consensus/report_format.hpp"
#include "veche/conversations/report_worker.hpp"

namespace veche::conversations {

namespace {

// Previous labels as "participant:label;..." (participant numbers, not accounts).
std::string encode_labels(const std::unordered_map<std::string, int>& labels) {
  std::vector<std::pair<std::string, int>> sorted(labels.begin(), labels.end());
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& [p, l] : sorted) {
    if (!out.empty()) out.push_back(';');
    out += fmt::format("{}:{}", p, l);
  }
  return out;
}

std::unordered_map<std::string, int> decode_labels(std::string_view text) {
  std::unordered_map<std::string, int> out;
  while (!text.empty()) {
    const auto end = text.find(';');
    const auto item = text.substr(0, end);
    const auto colon = item.find(':');
    if (colon != std::string_view::npos) {
      int label = 0;
      const auto tail = item.substr(colon + 1);
      auto [ptr, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), label);
      if (ec == std::errc() && ptr == tail.data() + tail.size()) {
        out.emplace(std::string(item.substr(0, colon)), label);
      }
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

// Per statement: the mean over groups of 4 p (1 - p), p the smoothed share of agrees among the
// group's agrees and disagrees. 1 when every group is split or has not voted, near 0 when every
// group has made up its mind: routing then sends votes where they still tell something.
std::vector<double> uncertainty(const consensus::VoteMatrix& m, const consensus::Report& r) {
  std::vector<double> out(m.statement_count(), 1.0);
  const auto groups = r.groups.size();
  if (groups == 0) return out;
  std::vector<double> agree(groups), seen(groups);
  for (std::size_t s = 0; s < m.statement_count(); ++s) {
    std::fill(agree.begin(), agree.end(), 0.0);
    std::fill(seen.begin(), seen.end(), 0.0);
    for (auto* c = m.column_begin(s); c != m.column_end(s); ++c) {
      const int g = r.assignment[c->index];
      if (g < 0 || c->vote == consensus::Vote::kPass) continue;
      seen[static_cast<std::size_t>(g)] += 1;
      if (c->vote == consensus::Vote::kAgree) agree[static_cast<std::size_t>(g)] += 1;
    }
    double sum = 0;
    for (std::size_t g = 0; g < groups; ++g) {
      const double p = (agree[g] + 1) / (seen[g] + 2);
      sum += 4 * p * (1 - p);
    }
    out[s] = sum / static_cast<double>(groups);
  }
  return out;
}

}  // namespace

Result<std::optional<StoredReport>> Conversations::report(ConversationId id) const {
  using Out = std::optional<StoredReport>;
  VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
  VECHE_TRY(tx->query_one("SELECT 1 FROM conversations WHERE id = ?", {id.value()},
                          "conversation " + id.str()));
  VECHE_ASSIGN_OR_RETURN(auto rows,
                         tx->query("SELECT computed_at, votes, report_json, report_csv, map_svg, "
                                   "problem FROM conversation_reports WHERE conversation_id = ?",
                                   {id.value()}));
  if (rows.empty()) return Out();
  StoredReport r;
  r.computed_at = core::from_unix(rows[0].int64(0));
  r.votes = rows[0].int64(1);
  r.json = rows[0].text(2);
  r.csv = rows[0].text(3);
  r.svg = rows[0].text(4);
  r.problem = rows[0].text(5);
  return Out(std::move(r));
}

Result<StoredReport> Conversations::recompute(ConversationId id) {
  consensus::VoteMatrixBuilder builder;
  std::unordered_map<std::string, std::string> texts;
  consensus::AnalysisOptions options;
  options.threads = 1;  // a background job: leave the other core to the requests
  std::int64_t version = 0;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto row, tx->query_one("SELECT version FROM conversations WHERE id = ?",
                                                   {id.value()}, "conversation " + id.str()));
    version = row.int64(0);
    VECHE_ASSIGN_OR_RETURN(auto statements,
                           tx->query("SELECT id, text FROM conversation_statements WHERE "
                                     "conversation_id = ? AND state = 'accepted'",
                                     {id.value()}));
    for (const auto& s : statements) texts.emplace(std::to_string(s.int64(0)), s.text(1));
    VECHE_ASSIGN_OR_RETURN(
        auto votes, tx->query("SELECT v.participant, v.statement_id, v.vote, v.at FROM "
                              "conversation_votes v JOIN conversation_statements s ON s.id = "
                              "v.statement_id WHERE v.conversation_id = ? AND s.state = "
                              "'accepted'",
                              {id.value()}));
    for (const auto& v : votes) {
      builder.add(builder.participant(std::to_string(v.int64(0))),
                  builder.statement(std::to_string(v.int64(1))),
                  static_cast<consensus::Vote>(v.int64(2)), v.int64(3));
    }
    VECHE_ASSIGN_OR_RETURN(auto previous, tx->query("SELECT group_labels FROM "
                                                    "conversation_reports WHERE "
                                                    "conversation_id = ?",
                                                    {id.value()}));
    if (!previous.empty()) options.previous_groups = decode_labels(previous[0].text(0));
  }
  VECHE_ASSIGN_OR_RETURN(auto matrix, builder.build());
  StoredReport out;
  out.computed_at = clock_.now();
  out.votes = static_cast<std::int64_t>(matrix.vote_count());
  std::vector<double> weights(matrix.statement_count(), 1.0);
  std::string labels;
  auto analysis = consensus::analyse(matrix, options);
  if (analysis) {
    std::vector<std::string> by_index(matrix.statement_count());
    for (std::size_t s = 0; s < matrix.statement_count(); ++s) {
      if (auto it = texts.find(matrix.statement_id(s)); it != texts.end()) by_index[s] = it->second;
    }
    out.json = consensus::format_json(matrix, *analysis, by_index);
    out.csv = consensus::format_csv(matrix, *analysis, by_index);
    out.svg = consensus::format_svg(*analysis);
    weights = uncertainty(matrix, *analysis);
    labels = encode_labels(consensus::group_labels(matrix, *analysis));
  } else if (analysis.error().code == ErrorCode::kFailedPrecondition ||
             analysis.error().code == ErrorCode::kInvalidArgument) {
    out.problem = analysis.error().message;
  } else {
    return analysis.error();
  }
  VECHE_TRY(store::with_write(db_, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec(
        "INSERT INTO conversation_reports (conversation_id, computed_at, version, votes, "
        "report_json, report_csv, map_svg, problem, group_labels) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?, ?) ON CONFLICT (conversation_id) DO UPDATE SET computed_at = excluded.computed_at, "
        "version = excluded.version, votes = excluded.votes, report_json = "
        "excluded.report_json, report_csv = excluded.report_csv, map_svg = excluded.map_svg, "
        "problem = excluded.problem, group_labels = excluded.group_labels",
        {id.value(), core::to_unix(out.computed_at), version, out.votes, out.json, out.csv, out.svg,
         out.problem, labels}));
    for (std::size_t s = 0; s < matrix.statement_count(); ++s) {
      std::int64_t sid = 0;
      const auto& text = matrix.statement_id(s);
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), sid);
      if (ec != std::errc() || end != text.data() + text.size()) continue;
      VECHE_TRY(
          tx.exec("UPDATE conversation_statements SET weight = ? WHERE id = ?", {weights[s], sid}));
    }
    return ok();
  }));
  return out;
}

Result<int> Conversations::recompute_due(std::chrono::seconds min_interval) {
  const auto due_before = core::to_unix(clock_.now() - min_interval);
  std::vector<ConversationId> due;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(
        auto rows,
        tx->query("SELECT c.id FROM conversations c LEFT JOIN conversation_reports r ON "
                  "r.conversation_id = c.id WHERE (r.conversation_id IS NULL AND c.version > 0) "
                  "OR (c.version > r.version AND r.computed_at <= ?) ORDER BY c.id",
                  {due_before}));
    for (const auto& r : rows) due.emplace_back(r.int64(0));
  }
  int done = 0;
  for (auto id : due) {
    VECHE_TRY(recompute(id));
    ++done;
  }
  return done;
}

ReportWorker::ReportWorker(store::Database& db, const core::Clock& clock,
                           const crypto::SecretBytes& key, WorkerOptions options)
    : service_(db, clock, key), options_(options), thread_([this] { run(); }) {}

ReportWorker::~ReportWorker() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ReportWorker::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    auto done = service_.recompute_due(options_.min_interval);
    if (!done) {
      spdlog::warn("conversation reports: {}", done.error().message);
    } else if (*done > 0) {
      spdlog::debug("conversation reports: recomputed {}", *done);
    }
    lock.lock();
    wake_.wait_for(lock, options_.poll, [this] { return stop_; });
  }
}

}  // namespace veche::conversations
