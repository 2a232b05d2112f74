// The report of a conversation: the votes are read in one read transaction, analysed with no
// transaction open (it may take seconds on a large conversation), and the result is written
// with the routing weights in one write transaction.
// Live reports: the worker applies the queued votes to a LiveAnalysis per conversation and
// stores the report after each batch; the full analysis starts that LiveAnalysis.
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
  return detail::recompute(db_, clock_, id, nullptr);
}

namespace detail {

namespace {

// The report as stored from a (full or live) analysis of `votes`.
void format(const consensus::VoteMatrix& votes, const consensus::Report& report,
            const std::vector<std::string>& texts, StoredReport& out) {
  out.json = consensus::format_json(votes, report, texts);
  out.csv = consensus::format_csv(votes, report, texts);
  out.svg = consensus::format_svg(report);
}

struct Queued {
  std::int64_t seq = 0, conversation = 0, statement = 0, participant = 0;
  consensus::Vote vote = consensus::Vote::kPass;
};

std::vector<Queued> queued(const std::vector<store::Row>& rows) {
  std::vector<Queued> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back(
        {r.int64(0), r.int64(1), r.int64(2), r.int64(3), static_cast<consensus::Vote>(r.int64(4))});
  }
  return out;
}

// Applies one queued vote; false when the analysis cannot take it (marked stale then).
void apply(LiveReport& live, const Queued& q) {
  if (q.seq <= live.cursor) return;
  live.cursor = q.seq;
  auto applied =
      live.analysis->add_vote(std::to_string(q.participant), std::to_string(q.statement), q.vote);
  if (applied && *applied) {
    ++live.updates;
  } else {
    live.stale = true;
  }
}

}  // namespace

Result<StoredReport> recompute(store::Database& db, const core::Clock& clock, ConversationId id,
                               LiveReport* live) {
  consensus::VoteMatrixBuilder builder;
  std::unordered_map<std::string, std::string> texts;
  consensus::AnalysisOptions options;
  options.threads = 1;  // a background job: leave the other core to the requests
  std::int64_t version = 0;
  std::int64_t cursor = 0;  // the queued votes up to here are in the votes read
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto row, tx->query_one("SELECT version FROM conversations WHERE id = ?",
                                                   {id.value()}, "conversation " + id.str()));
    version = row.int64(0);
    VECHE_ASSIGN_OR_RETURN(auto last, tx->query_one("SELECT COALESCE(MAX(seq), 0) FROM "
                                                    "conversation_vote_queue WHERE "
                                                    "conversation_id = ?",
                                                    {id.value()}, "queue"));
    cursor = last.int64(0);
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
  VECHE_ASSIGN_OR_RETURN(auto built, builder.build());
  StoredReport out;
  out.computed_at = clock.now();
  out.votes = static_cast<std::int64_t>(built.vote_count());
  std::vector<double> weights(built.statement_count(), 1.0);
  std::string labels;
  // With `live`, the LiveAnalysis keeps the matrix; `matrix` points at whichever holds it.
  std::optional<consensus::LiveAnalysis> started;
  Result<consensus::Report> analysis = consensus::Report{};
  if (live != nullptr) {
    auto s = consensus::LiveAnalysis::start(std::move(built), options);
    if (s) {
      started.emplace(std::move(*s));
    } else {
      analysis = s.error();
    }
  } else {
    analysis = consensus::analyse(built, options);
  }
  const consensus::VoteMatrix& matrix = started ? started->votes() : built;
  const consensus::Report* report = started ? &started->report() : analysis ? &*analysis : nullptr;
  std::vector<std::string> by_index(matrix.statement_count());
  if (report != nullptr) {
    for (std::size_t s = 0; s < matrix.statement_count(); ++s) {
      if (auto it = texts.find(matrix.statement_id(s)); it != texts.end()) by_index[s] = it->second;
    }
    format(matrix, *report, by_index, out);
    weights = uncertainty(matrix, *report);
    labels = encode_labels(consensus::group_labels(matrix, *report));
  } else if (analysis.error().code == ErrorCode::kFailedPrecondition ||
             analysis.error().code == ErrorCode::kInvalidArgument) {
    out.problem = analysis.error().message;
  } else {
    return analysis.error();
  }
  VECHE_TRY(store::with_write(db, [&](store::Transaction& tx) -> Status {
    VECHE_TRY(tx.exec(
        "INSERT INTO conversation_reports (conversation_id, computed_at, version, votes, "
        "report_json, report_csv, map_svg, problem, group_labels, analysed_at) VALUES (?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id) DO UPDATE SET computed_at = "
        "excluded.computed_at, version = excluded.version, votes = excluded.votes, report_json "
        "= excluded.report_json, report_csv = excluded.report_csv, map_svg = excluded.map_svg, "
        "problem = excluded.problem, group_labels = excluded.group_labels, analysed_at = "
        "excluded.analysed_at",
        {id.value(), core::to_unix(out.computed_at), version, out.votes, out.json, out.csv, out.svg,
         out.problem, labels, core::to_unix(out.computed_at)}));
    for (std::size_t s = 0; s < matrix.statement_count(); ++s) {
      std::int64_t sid = 0;
      const auto& text = matrix.statement_id(s);
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), sid);
      if (ec != std::errc() || end != text.data() + text.size()) continue;
      VECHE_TRY(
          tx.exec("UPDATE conversation_statements SET weight = ? WHERE id = ?", {weights[s], sid}));
    }
    // The queued votes the analysis read are done with.
    VECHE_TRY(tx.exec("DELETE FROM conversation_vote_queue WHERE conversation_id = ? AND seq <= ?",
                      {id.value(), cursor}));
    return ok();
  }));
  if (live != nullptr) {
    live->analysis = std::move(started);
    live->texts = std::move(by_index);
    live->cursor = cursor;
    live->updates = 0;
    live->base_votes = out.votes;
    live->base_report_votes =
        live->analysis ? static_cast<std::int64_t>(live->analysis->report().votes) : 0;
    live->stale = !live->analysis.has_value();
    live->analysed_at = out.computed_at;
    live->used = std::chrono::steady_clock::now();
    if (live->analysis) {
      // Votes queued while the analysis ran: applied now, stored with the next live update.
      VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
      VECHE_ASSIGN_OR_RETURN(auto rows, tx->query("SELECT seq, conversation_id, statement_id, "
                                                  "participant, vote FROM "
                                                  "conversation_vote_queue WHERE "
                                                  "conversation_id = ? AND seq > ? ORDER BY seq",
                                                  {id.value(), cursor}));
      for (const auto& q : queued(rows)) apply(*live, q);
    }
  }
  return out;
}

Result<std::size_t> apply_queued(store::Database& db, const core::Clock& clock, LiveReports& live,
                                 std::int64_t& cursor) {
  std::vector<Queued> rows;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto found, tx->query("SELECT seq, conversation_id, statement_id, "
                                                 "participant, vote FROM "
                                                 "conversation_vote_queue WHERE seq > ? ORDER "
                                                 "BY seq LIMIT 100000",
                                                 {cursor}));
    rows = queued(found);
  }
  std::size_t applied = 0;
  std::vector<std::int64_t> touched;
  for (const auto& q : rows) {
    cursor = q.seq;
    const auto it = live.find(q.conversation);
    if (it == live.end() || !it->second.analysis || q.seq <= it->second.cursor) continue;
    const auto before = it->second.updates;
    apply(it->second, q);
    if (it->second.updates == before) continue;
    ++applied;
    if (std::find(touched.begin(), touched.end(), q.conversation) == touched.end()) {
      touched.push_back(q.conversation);
    }
  }
  for (const auto conversation : touched) {
    auto& l = live.at(conversation);
    l.used = std::chrono::steady_clock::now();
    StoredReport out;
    format(l.analysis->votes(), l.analysis->report(), l.texts, out);
    // version and analysed_at stay: the conversation is still due for a full analysis.
    const auto votes =
        l.base_votes + static_cast<std::int64_t>(l.analysis->report().votes) - l.base_report_votes;
    VECHE_TRY(store::with_write(db, [&](store::Transaction& tx) -> Status {
      VECHE_TRY(
          tx.exec("UPDATE conversation_reports SET computed_at = ?, votes = ?, report_json = ?, "
                  "report_csv = ?, map_svg = ?, problem = '' WHERE conversation_id = ?",
                  {core::to_unix(clock.now()), votes, out.json, out.csv, out.svg, conversation}));
      return ok();
    }));
  }
  return applied;
}

}  // namespace detail

Result<int> Conversations::recompute_due(std::chrono::seconds min_interval) {
  const auto due_before = core::to_unix(clock_.now() - min_interval);
  std::vector<ConversationId> due;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(
        auto rows,
        tx->query("SELECT c.id FROM conversations c LEFT JOIN conversation_reports r ON "
                  "r.conversation_id = c.id WHERE (r.conversation_id IS NULL AND c.version > 0) "
                  "OR (c.version > r.version AND r.analysed_at <= ?) ORDER BY c.id",
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

struct ReportWorker::Live {
  detail::LiveReports reports;
  std::int64_t cursor = 0;  // the last queued vote seen
};

ReportWorker::ReportWorker(store::Database& db, const core::Clock& clock,
                           const crypto::SecretBytes& key, WorkerOptions options)
    : db_(db),
      clock_(clock),
      service_(db, clock, key),
      options_(options),
      live_(std::make_unique<Live>()),
      thread_([this] { run(); }) {}

ReportWorker::~ReportWorker() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Status ReportWorker::tick() {
  auto& reports = live_->reports;
  VECHE_ASSIGN_OR_RETURN(auto applied, detail::apply_queued(db_, clock_, reports, live_->cursor));
  if (applied > 0) spdlog::debug("conversation reports: {} votes applied live", applied);

  // Full recomputes: conversations changed since their last full analysis that have no usable
  // live analysis, or whose live analysis has taken many votes or is old.
  const auto now = clock_.now();
  std::vector<ConversationId> due;
  {
    VECHE_ASSIGN_OR_RETURN(auto tx, db_.begin(store::Access::kRead));
    VECHE_ASSIGN_OR_RETURN(auto rows,
                           tx->query("SELECT c.id, r.analysed_at FROM conversations c LEFT JOIN "
                                     "conversation_reports r ON r.conversation_id = c.id WHERE "
                                     "(r.conversation_id IS NULL AND c.version > 0) OR c.version > "
                                     "r.version ORDER BY c.id",
                                     {}));
    for (const auto& r : rows) {
      const auto analysed = r.opt_int64(1);
      if (analysed && core::from_unix(*analysed) > now - options_.min_interval) continue;
      const auto it = reports.find(r.int64(0));
      const bool live = it != reports.end() && it->second.analysis && !it->second.stale;
      if (live && it->second.updates < options_.full_after_votes &&
          it->second.analysed_at > now - options_.full_interval) {
        continue;
      }
      due.emplace_back(r.int64(0));
    }
  }
  for (const auto id : due) {
    auto& entry = reports[id.value()];
    auto done = detail::recompute(db_, clock_, id, &entry);
    if (!done) {
      reports.erase(id.value());
      return done.error();
    }
  }

  // Memory: live analyses idle too long, then the least recently used beyond max_live.
  const auto steady = std::chrono::steady_clock::now();
  std::erase_if(reports, [&](const auto& e) {
    return !e.second.analysis || steady - e.second.used > options_.idle;
  });
  while (reports.size() > options_.max_live) {
    auto oldest = std::min_element(
        reports.begin(), reports.end(),
        [](const auto& a, const auto& b) { return a.second.used < b.second.used; });
    reports.erase(oldest);
  }
  return ok();
}

void ReportWorker::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    if (auto done = tick(); !done) spdlog::warn("conversation reports: {}", done.error().message);
    lock.lock();
    wake_.wait_for(lock, options_.poll, [this] { return stop_; });
  }
}

}  // namespace veche::conversations
