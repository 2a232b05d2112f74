// The operators' decision commands: `veche motion list|show|close` and the decisions log,
// `veche decisions verify|correct`. Motions are proposed and voted on the site or through the
// API (by delegates); closing here is for operators and scripts (`close --due` from cron).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands/commands.hpp"
#include "commands/setup.hpp"
#include "veche/decisions/demo.hpp"
#include "veche/decisions/log.hpp"
#include "veche/decisions/motions.hpp"
#include "veche/registry/accounts.hpp"

namespace veche::app {
namespace {

struct MotionFlags {
  std::string db;
  std::int64_t id = 0;
  bool due = false;
  std::string text;
};

void fail(const Error& e) { throw CLI::RuntimeError(report_error(e)); }

template <class Fn>
void with_context(const GlobalOptions& global, const MotionFlags& flags, Fn&& fn) {
  auto context = open_registry(global, flags.db);
  if (!context) fail(context.error());
  if (auto s = fn(**context); !s) fail(s.error());
}

void add_db_option(CLI::App* sub, MotionFlags& flags) {
  sub->add_option("--db", flags.db,
                  "SQLite file or postgresql:// URL (default: config, then veche.db)");
}

void print_motion(const decisions::Motion& m, core::TimePoint now) {
  std::printf("motion %lld: %s\n", static_cast<long long>(m.id.value()), m.title.c_str());
  std::printf("kind: %s\n", std::string(decisions::motion_kind_name(m.kind)).c_str());
  std::printf("proposed by: %s (%s) at %s\n", m.proposer.c_str(), m.organization.c_str(),
              core::to_iso8601(m.created_at).c_str());
  std::printf("rule: %s\n", decisions::describe_rule(m.rule).c_str());
  std::printf("voting: %s .. %s\n", core::to_iso8601(m.voting_opens_at).c_str(),
              core::to_iso8601(m.voting_closes_at).c_str());
  std::printf("state: %s\n", std::string(decisions::motion_state_name(m.state(now))).c_str());
  std::printf("electorate: %zu organizations\n", m.electorate.size());
  for (const auto& v : m.votes) {
    std::printf("vote: %s %s by %s at %s%s%s%s\n", v.organization.c_str(),
                std::string(decisions::vote_choice_name(v.choice)).c_str(), v.delegate.c_str(),
                core::to_iso8601(v.cast_at).c_str(), v.counts ? "" : " (does not count)",
                v.reason.empty() ? "" : ": ", v.reason.c_str());
  }
  for (const auto& r : m.recusals) {
    std::printf("recused: %s (%s): %s\n", r.delegate.c_str(), r.organization.c_str(),
                r.reason.c_str());
  }
  if (m.decision) {
    std::printf("outcome: %s (%s)\n",
                std::string(decisions::outcome_name(m.decision->outcome)).c_str(),
                m.decision->reason.c_str());
  }
}

}  // namespace

Status load_decisions_demo(store::Database& db, const core::Clock& clock,
                           const std::string& data_key_file, const std::string& db_location) {
  VECHE_ASSIGN_OR_RETURN(auto key_file, registry::data_key_file_for(data_key_file, db_location));
  VECHE_ASSIGN_OR_RETURN(auto key, registry::load_or_create_data_key(key_file));
  auto loaded = decisions::load_demo(db, clock, key);
  if (!loaded && loaded.error().code == ErrorCode::kAlreadyExists) return ok();
  return loaded;
}

void add_motion_command(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<MotionFlags>();
  auto* cmd = app.add_subcommand("motion", "Coalition motions: list, show, close");
  cmd->require_subcommand(1);

  auto* list = cmd->add_subcommand("list", "Every motion, newest first");
  add_db_option(list, *flags);
  list->callback([&global, flags] {
    with_context(global, *flags, [&](RegistryContext& c) -> Status {
      decisions::Motions motions(*c.db, c.clock);
      VECHE_ASSIGN_OR_RETURN(auto all, motions.list());
      for (const auto& s : all) {
        std::printf("%lld\t%s\t%s\t%s\t%s\t%s\n", static_cast<long long>(s.id.value()),
                    s.closed ? std::string(decisions::outcome_name(*s.outcome)).c_str() : "open",
                    std::string(decisions::motion_kind_name(s.kind)).c_str(),
                    s.organization.c_str(), core::to_iso8601(s.voting_closes_at).c_str(),
                    s.title.c_str());
      }
      return ok();
    });
  });

  auto* show = cmd->add_subcommand("show", "A motion with its rule, votes and outcome");
  add_db_option(show, *flags);
  show->add_option("id", flags->id, "The motion's number")->required();
  show->callback([&global, flags] {
    with_context(global, *flags, [&](RegistryContext& c) -> Status {
      decisions::Motions motions(*c.db, c.clock);
      VECHE_ASSIGN_OR_RETURN(auto m, motions.motion(decisions::MotionId(flags->id)));
      print_motion(m, c.clock.now());
      return ok();
    });
  });

  auto* close = cmd->add_subcommand(
      "close", "Count and close a motion whose voting window has ended (or all, with --due)");
  add_db_option(close, *flags);
  close->add_option("id", flags->id, "The motion's number");
  close->add_flag("--due", flags->due, "Close every motion whose voting window has ended");
  close->callback([&global, flags] {
    if ((flags->id > 0) == flags->due) fail(invalid_argument("give a motion number or --due"));
    with_context(global, *flags, [&](RegistryContext& c) -> Status {
      decisions::Motions motions(*c.db, c.clock);
      if (flags->due) {
        VECHE_ASSIGN_OR_RETURN(const int n, motions.close_due("operator"));
        std::printf("closed: %d\n", n);
        return ok();
      }
      VECHE_ASSIGN_OR_RETURN(auto d, motions.close(decisions::MotionId(flags->id), "operator"));
      std::printf("outcome: %s (%s)\n", std::string(decisions::outcome_name(d.outcome)).c_str(),
                  d.reason.c_str());
      return ok();
    });
  });

  auto* log = app.add_subcommand("decisions", "The public decisions log: verify, correct");
  log->require_subcommand(1);
  auto* verify = log->add_subcommand("verify", "Recompute the hash chain of the decisions log");
  add_db_option(verify, *flags);
  verify->callback([&global, flags] {
    with_context(global, *flags, [&](RegistryContext& c) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto report, decisions::verify_log(*c.db));
      if (report.first_broken) {
        return data_loss("the decisions log is broken at entry " +
                         std::to_string(*report.first_broken) + ": " + report.problem);
      }
      std::printf("entries: %lld\nchain: intact\n", static_cast<long long>(report.entries));
      return ok();
    });
  });
  auto* correct =
      log->add_subcommand("correct", "Append a correction of an entry (entries are never edited)");
  add_db_option(correct, *flags);
  correct->add_option("seq", flags->id, "The number of the entry to correct")->required();
  correct->add_option("explanation", flags->text, "What was wrong and what is right")->required();
  correct->callback([&global, flags] {
    with_context(global, *flags, [&](RegistryContext& c) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto seq, decisions::append_correction(*c.db, c.clock, flags->id,
                                                                    flags->text, "operator"));
      std::printf("correction: entry %lld\n", static_cast<long long>(seq));
      return ok();
    });
  });
}

}  // namespace veche::app
