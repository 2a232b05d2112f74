// The operator's conversation commands: `veche conversation list|show|open|votes|statements|
// report` (docs/consensus.md). `votes` and `statements` write the Pol.is votes.csv and
// comments.csv that `veche consensus analyse` reads, so a report can be rechecked offline.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "commands/commands.hpp"
#include "commands/setup.hpp"
#include "veche/conversations/conversations.hpp"

namespace veche::app {
namespace {

namespace conv = conversations;

struct ConversationFlags {
  std::string db;
  std::int64_t number = 0;
  std::string question;
  std::string description;
  std::string audience = "both";
  std::vector<std::string> seeds;
  int days = 14;
};

void fail(const Error& e) { throw CLI::RuntimeError(report_error(e)); }

template <class Fn>
void with_service(const GlobalOptions& global, const ConversationFlags& flags, Fn&& fn) {
  auto context = open_registry(global, flags.db);
  if (!context) fail(context.error());
  conv::Conversations service(*(*context)->db, (*context)->clock, (*context)->key);
  if (auto s = fn(service); !s) fail(s.error());
}

void add_db_option(CLI::App* sub, ConversationFlags& flags) {
  sub->add_option("--db", flags.db,
                  "SQLite file or postgresql:// URL (default: config, then veche.db)");
}

void add_number(CLI::App* sub, ConversationFlags& flags) {
  sub->add_option("conversation", flags.number, "Conversation number")->required();
}

}  // namespace

void add_conversation_command(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("conversation", "Consensus conversations (docs/consensus.md)");
  cmd->require_subcommand(1);
  auto flags = std::make_shared<ConversationFlags>();

  auto* list = cmd->add_subcommand("list", "List the conversations, open ones first");
  add_db_option(list, *flags);
  list->callback([&global, flags] {
    with_service(global, *flags, [&](conv::Conversations& s) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto all, s.list(1000));
      if (all.empty()) std::printf("no conversations\n");
      for (const auto& c : all) {
        std::printf(
            "%lld\t%s\tcloses %s\t%lld statements\t%lld pending\t%lld participants\t"
            "%lld votes\t%s\n",
            static_cast<long long>(c.id.value()), c.open ? "open" : "closed",
            core::to_iso8601(c.closes_at).c_str(), static_cast<long long>(c.statements),
            static_cast<long long>(c.pending), static_cast<long long>(c.participants),
            static_cast<long long>(c.votes), c.question.c_str());
      }
      return ok();
    });
  });

  auto* show = cmd->add_subcommand("show", "Show a conversation, its statements and counts");
  add_db_option(show, *flags);
  add_number(show, *flags);
  show->callback([&global, flags] {
    with_service(global, *flags, [&](conv::Conversations& s) -> Status {
      const conv::ConversationId id(flags->number);
      VECHE_ASSIGN_OR_RETURN(auto c, s.conversation(id));
      VECHE_ASSIGN_OR_RETURN(auto statements, s.statements(id));
      VECHE_ASSIGN_OR_RETURN(auto report, s.report(id));
      std::printf("%s\naudience %s, %s, closes %s\n%lld participants, %lld votes, %lld pending\n",
                  c.question.c_str(), std::string(conv::audience_name(c.audience)).c_str(),
                  c.open ? "open" : "closed", core::to_iso8601(c.closes_at).c_str(),
                  static_cast<long long>(c.participants), static_cast<long long>(c.votes),
                  static_cast<long long>(c.pending));
      std::printf("statement\tagree\tdisagree\tpass\ttext\n");
      for (const auto& st : statements) {
        std::printf("%lld\t%lld\t%lld\t%lld\t%s\n", static_cast<long long>(st.id.value()),
                    static_cast<long long>(st.agree), static_cast<long long>(st.disagree),
                    static_cast<long long>(st.pass), st.text.c_str());
      }
      if (report) {
        std::printf("report computed %s from %lld votes%s%s\n",
                    core::to_iso8601(report->computed_at).c_str(),
                    static_cast<long long>(report->votes), report->problem.empty() ? "" : ": ",
                    report->problem.c_str());
      } else {
        std::printf("no report yet\n");
      }
      return ok();
    });
  });

  auto* open = cmd->add_subcommand("open", "Open a conversation as the operator");
  add_db_option(open, *flags);
  open->add_option("question", flags->question, "The question")->required();
  open->add_option("--description", flags->description, "Description (Markdown)");
  open->add_option("--audience", flags->audience, "constituents, delegates or both");
  open->add_option("--seed", flags->seeds, "A seed statement (repeat for more)");
  open->add_option("--days", flags->days, "Days until it closes")->check(CLI::Range(1, 366));
  open->callback([&global, flags] {
    auto context = open_registry(global, flags->db);
    if (!context) fail(context.error());
    conv::Conversations s(*(*context)->db, (*context)->clock, (*context)->key);
    auto audience = conv::parse_audience(flags->audience);
    if (!audience) fail(audience.error());
    conv::NewConversation c;
    c.question = flags->question;
    c.description = flags->description;
    c.audience = *audience;
    c.seeds = flags->seeds;
    c.closes_at = (*context)->clock.now() + std::chrono::days(flags->days);
    auto id = s.open(registry::AccountId{}, c);
    if (!id) fail(id.error());
    std::printf("conversation %lld is open\n", static_cast<long long>(id->value()));
  });

  auto* votes = cmd->add_subcommand(
      "votes", "Write the votes as CSV for `veche consensus analyse` (participants as numbers)");
  add_db_option(votes, *flags);
  add_number(votes, *flags);
  votes->callback([&global, flags] {
    with_service(global, *flags, [&](conv::Conversations& s) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto csv, s.export_votes(conv::ConversationId(flags->number)));
      std::cout << csv;
      return ok();
    });
  });

  auto* statements =
      cmd->add_subcommand("statements", "Write the accepted statements as comments.csv");
  add_db_option(statements, *flags);
  add_number(statements, *flags);
  statements->callback([&global, flags] {
    with_service(global, *flags, [&](conv::Conversations& s) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto csv, s.export_statements(conv::ConversationId(flags->number)));
      std::cout << csv;
      return ok();
    });
  });

  auto* report = cmd->add_subcommand("report", "Recompute the report now and print it as JSON");
  add_db_option(report, *flags);
  add_number(report, *flags);
  report->callback([&global, flags] {
    with_service(global, *flags, [&](conv::Conversations& s) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto r, s.recompute(conv::ConversationId(flags->number)));
      if (!r.problem.empty()) return failed_precondition(r.problem);
      std::cout << r.json;
      return ok();
    });
  });
}

Status load_conversations_demo(store::Database& db, const core::Clock& clock,
                               const std::string& data_key_file, const std::string& db_location) {
  VECHE_ASSIGN_OR_RETURN(auto key_file, registry::data_key_file_for(data_key_file, db_location));
  VECHE_ASSIGN_OR_RETURN(auto key, registry::load_or_create_data_key(key_file));
  auto loaded = conv::load_demo(db, clock, key);
  if (!loaded && loaded.error().code == ErrorCode::kAlreadyExists) return ok();
  return loaded;
}

}  // namespace veche::app
