// `veche election admin-key|create|open|close|tally|publish|record`: the administrator's side of
// an offline election over a board folder (docs/protocol.md §10). Every write is checked by the
// same replay the verifier runs, then appended and fsync'd.
#include "veche/record/election.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "commands/commands.hpp"
#include "commands/election_board.hpp"
#include "commands/setup.hpp"
#include "veche/elections/elections.hpp"
#include "veche/record/trustee.hpp"
#include "veche/record/verify.hpp"

namespace veche::app {
namespace {

namespace json = boost::json;
using namespace elections;

struct ElectionOptions {
  std::string board;
  std::string admin_key;
  std::string spec;
  std::string out;
  std::string db;
};

// Rebuilds the spec in the canonical key order of the setup event, with defaults for optional
// question fields, and adds the administrator's key (docs/protocol.md §10.3).
Result<json::object> setup_from_spec(const json::value& spec, const crypto::VerifyKey& admin) {
  const auto* o = spec.if_object();
  if (o == nullptr) return invalid_argument("the spec must be a JSON object");
  auto need = [&](const json::object& from, std::string_view k) -> Result<json::value> {
    const auto* v = from.if_contains(k);
    if (v == nullptr) return invalid_argument("the spec needs \"" + std::string(k) + "\"");
    return *v;
  };
  auto opt = [](const json::object& from, std::string_view k, json::value def) {
    const auto* v = from.if_contains(k);
    return v == nullptr ? def : *v;
  };
  json::object out;
  VECHE_ASSIGN_OR_RETURN(out["election_id"], need(*o, "election_id"));
  VECHE_ASSIGN_OR_RETURN(out["title"], need(*o, "title"));
  VECHE_ASSIGN_OR_RETURN(json::value qs, need(*o, "questions"));
  if (!qs.is_array()) return invalid_argument("\"questions\" must be an array");
  json::array questions;
  for (const auto& q : qs.as_array()) {
    if (!q.is_object()) return invalid_argument("each question must be an object");
    const auto& qo = q.as_object();
    json::object c;
    VECHE_ASSIGN_OR_RETURN(c["id"], need(qo, "id"));
    VECHE_ASSIGN_OR_RETURN(c["kind"], need(qo, "kind"));
    VECHE_ASSIGN_OR_RETURN(c["choices"], need(qo, "choices"));
    c["min"] = opt(qo, "min", 0);
    c["max"] = opt(qo, "max", 1);
    c["blank"] = opt(qo, "blank", false);
    c["seats"] = opt(qo, "seats", 0);
    c["method"] = opt(qo, "method", "none");
    c["threshold_permille"] = opt(qo, "threshold_permille", 0);
    questions.push_back(std::move(c));
  }
  out["questions"] = std::move(questions);
  for (const char* list : {"trustees", "threshold", "registrars"}) {
    VECHE_ASSIGN_OR_RETURN(out[list], need(*o, list));
  }
  out["administrator"] = crypto::to_hex(admin.bytes());
  return out;
}

void run_admin_key(const ElectionOptions& o) {
  init_crypto();
  print_public_key(must(create_role_key(o.out, "veche-admin-key", false)));
}

void run_create(const ElectionOptions& o) {
  init_crypto();
  const RoleKey admin = must(read_role_key(o.admin_key, "veche-admin-key"));
  const std::string spec_text = must(read_file(o.spec));
  json::error_code ec;
  const json::value spec = json::parse(spec_text, ec);
  if (ec) fail(invalid_argument(o.spec + " is not JSON: " + ec.message()));
  json::object payload = must(setup_from_spec(spec, admin.sign.verify_key()));
  record::sign_payload(payload, "setup", admin.sign);
  must(record::parse_setup(payload));
  auto board = must(BoardFolder::open(o.board, /*create=*/true));
  record::ElectionState state;
  const auto e = must(board.append(state, "setup", payload));
  std::printf("election created: %s\nsetup hash: %s\n", board.path().c_str(),
              crypto::to_hex(state.setup_hash()).c_str());
  (void)e;
}

void run_open(const ElectionOptions& o) {
  init_crypto();
  const RoleKey admin = must(read_role_key(o.admin_key, "veche-admin-key"));
  auto board = must(BoardFolder::open(o.board, false));
  auto state = must(board.load());
  const auto payload = must(record::make_open(state, admin.sign));
  must(board.append(state, "open", payload));
  std::printf("election open\njoint key: %s\nfingerprint: %s\n",
              crypto::to_hex(state.joint_key().point().to_bytes()).c_str(),
              crypto::to_hex(state.fingerprint()).c_str());
}

void run_close(const ElectionOptions& o) {
  init_crypto();
  const RoleKey admin = must(read_role_key(o.admin_key, "veche-admin-key"));
  auto board = must(BoardFolder::open(o.board, false));
  auto state = must(board.load());
  if (state.phase() != record::Phase::kOpen) fail(failed_precondition("the election is not open"));
  must(board.append(state, "close", record::make_close(state, admin.sign)));
  std::printf("election closed: %llu ballots, %llu counted (last per credential)\n",
              static_cast<unsigned long long>(state.ballot_events()),
              static_cast<unsigned long long>(state.counted()));
}

void print_result(const record::ElectionState& state, const record::ResultSummary& r) {
  std::printf("counted ballots: %llu\n", static_cast<unsigned long long>(r.counted));
  for (std::size_t q = 0; q < r.counts.size(); ++q) {
    const auto& question = state.setup().questions[q];
    std::printf("%s (%s)\n", question.id.c_str(), record::to_string(question.kind));
    for (std::size_t c = 0; c < r.counts[q].size(); ++c) {
      std::printf("  %-30s %8llu", question.choices[c].c_str(),
                  static_cast<unsigned long long>(r.counts[q][c]));
      if (!r.seats[q].empty()) std::printf("  %u seats", r.seats[q][c]);
      std::printf("\n");
    }
  }
}

void run_tally(const ElectionOptions& o) {
  init_crypto();
  auto board = must(BoardFolder::open(o.board, false));
  const auto state = must(board.load());
  if (state.phase() < record::Phase::kClosed)
    fail(failed_precondition("the election is not closed"));
  std::printf(
      "encrypted tally recomputed from %llu ballots; partial decryptions: %zu of %u needed\n",
      static_cast<unsigned long long>(state.counted()), state.partials().size(),
      state.setup().threshold);
  print_result(state, must(state.compute_result()));
}

void run_publish(const ElectionOptions& o) {
  init_crypto();
  const RoleKey admin = must(read_role_key(o.admin_key, "veche-admin-key"));
  auto board = must(BoardFolder::open(o.board, false));
  auto state = must(board.load());
  const auto payload = must(record::make_result(state, admin.sign));
  must(board.append(state, "result", payload));
  print_result(state, *state.published_result());
  std::printf("result published; export the record with `veche election record`\n");
}

void run_record(const ElectionOptions& o, const GlobalOptions& g) {
  init_crypto();
  const std::string text = must(read_file(board_file(o.board)));
  record::VerifyOptions options;
  if (!g.quiet) {
    options.progress = [](std::uint64_t done, std::uint64_t total) {
      std::fprintf(stderr, "\rverifying ballots %llu/%llu", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
      if (done == total) std::fputc('\n', stderr);
    };
  }
  const auto report = record::verify_record(text, options);
  if (!report.valid) {
    fail(data_loss("the board does not verify (check " + std::to_string(report.failed_check) +
                   "): " + report.error));
  }
  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  out << text;
  out.flush();
  if (!out) fail(unavailable("cannot write " + o.out));
  std::printf("record written to %s (%zu bytes); anyone can check it with veche-verify\n",
              o.out.c_str(), text.size());
}

// Puts a board folder's election on the site (docs/elections.md): every event is checked first.
void run_import(const ElectionOptions& o, const GlobalOptions& global) {
  init_crypto();
  const std::string text = must(read_file(board_file(o.board)));
  auto context = must(open_registry(global, o.db));
  ::veche::elections::Elections service(*context->db, context->clock);
  const auto id = must(service.import_board(text));
  std::printf("election imported: /elections/%lld\n", static_cast<long long>(id));
}

}  // namespace

void add_election_command(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("election", "Run a verifiable election over a board folder");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<ElectionOptions>();

  auto* key = cmd->add_subcommand("admin-key", "Create the administrator's signing key file");
  key->add_option("--out", opts->out, "Key file to create (0600)")->required();
  key->callback([opts] { run_admin_key(*opts); });

  auto* create = cmd->add_subcommand("create", "Create the board with the election's setup");
  create->add_option("--board", opts->board, "Board folder (created)")->required();
  create->add_option("--spec", opts->spec, "Election spec (JSON)")->required();
  create->add_option("--admin-key", opts->admin_key, "Administrator key file")->required();
  create->callback([opts] { run_create(*opts); });

  auto* open = cmd->add_subcommand("open", "Open voting once trustees and registrars are done");
  open->add_option("--board", opts->board, "Board folder")->required();
  open->add_option("--admin-key", opts->admin_key, "Administrator key file")->required();
  open->callback([opts] { run_open(*opts); });

  auto* close = cmd->add_subcommand("close", "Close voting");
  close->add_option("--board", opts->board, "Board folder")->required();
  close->add_option("--admin-key", opts->admin_key, "Administrator key file")->required();
  close->callback([opts] { run_close(*opts); });

  auto* tally = cmd->add_subcommand("tally", "Decrypt the tally from the partial decryptions");
  tally->add_option("--board", opts->board, "Board folder")->required();
  tally->callback([opts] { run_tally(*opts); });

  auto* publish = cmd->add_subcommand("publish", "Publish the signed result on the board");
  publish->add_option("--board", opts->board, "Board folder")->required();
  publish->add_option("--admin-key", opts->admin_key, "Administrator key file")->required();
  publish->callback([opts] { run_publish(*opts); });

  auto* rec = cmd->add_subcommand("record", "Verify the board and export the election record");
  rec->add_option("--board", opts->board, "Board folder")->required();
  rec->add_option("--out", opts->out, "Record file to write")->required();
  rec->callback([opts, &global] { run_record(*opts, global); });

  auto* import = cmd->add_subcommand("import", "Put a board folder's election on the site");
  import->add_option("--board", opts->board, "Board folder")->required();
  import->add_option("--db", opts->db,
                     "SQLite file or postgresql:// URL (default: config, then veche.db)");
  import->callback([opts, &global] { run_import(*opts, global);
});
}  // namespace veche::app

}  // namespace veche::app
