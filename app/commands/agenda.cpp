// The operator's agenda commands: `veche agenda threshold|list|merge|hide|reports|rounds ...`,
// and `veche outbox list|ack` for a mailer or webhook script (docs/agenda.md).
#include "veche/agenda/agenda.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "commands/commands.hpp"
#include "commands/setup.hpp"
#include "veche/agenda/outbox.hpp"

namespace veche::app {
namespace {

struct AgendaFlags {
  std::string db;
  std::int64_t number = 0;
  std::int64_t other = 0;
  std::string text;
  std::string method = "schulze";
  std::string tag;
  std::string country;
  bool newest = false;
  bool all = false;
  int limit = 100;
  int days = 7;
  int hours_from_now = 0;
  bool json = false;
};

void fail(const Error& e) { throw CLI::RuntimeError(report_error(e)); }

template <class Fn>
void with_agenda(const GlobalOptions& global, const AgendaFlags& flags, Fn&& fn) {
  auto context = open_registry(global, flags.db);
  if (!context) fail(context.error());
  agenda::Agenda service(*(*context)->db, (*context)->clock, (*context)->key);
  if (auto s = fn(service, **context); !s) fail(s.error());
}

void add_db_option(CLI::App* sub, AgendaFlags& flags) {
  sub->add_option("--db", flags.db,
                  "SQLite file or postgresql:// URL (default: config, then veche.db)");
}

std::string ranking_text(const agenda::Round& r) {
  std::string out;
  int place = 1;
  for (const auto& level : r.ranking) {
    for (auto id : level) {
      std::string title;
      for (const auto& e : r.issues) {
        if (e.issue == id) title = e.title;
      }
      out += "  " + std::to_string(place) + ". #" + id.str() + " " + title + "\n";
    }
    place += static_cast<int>(level.size());
  }
  return out;
}

void add_rounds(CLI::App* agenda_cmd, const GlobalOptions& global,
                std::shared_ptr<AgendaFlags> flags) {
  auto* rounds = agenda_cmd->add_subcommand("rounds", "Priority rounds");
  rounds->require_subcommand(1);

  auto* list = rounds->add_subcommand("list", "List the rounds, newest first");
  add_db_option(list, *flags);
  list->callback([&global, flags] {
    with_agenda(global, *flags, [&](agenda::Agenda& a, RegistryContext&) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto all, a.rounds());
      if (all.empty()) std::printf("no rounds\n");
      for (const auto& r : all) {
        std::printf("%lld\t%s\t%s\t%s .. %s\t%zu issues\t%s\n",
                    static_cast<long long>(r.id.value()),
                    std::string(agenda::phase_name(r.phase)).c_str(),
                    std::string(agenda::method_name(r.method)).c_str(),
                    core::to_iso8601(r.opens_at).c_str(), core::to_iso8601(r.closes_at).c_str(),
                    r.issues.size(), r.title.c_str());
      }
      return ok();
    });
  });

  auto* open = rounds->add_subcommand(
      "open", "Open a round over the admitted issues (ballots from --in hours, for --days)");
  add_db_option(open, *flags);
  open->add_option("title", flags->text, "Title of the round")->required();
  open->add_option("--method", flags->method, "schulze, approval or irv");
  open->add_option("--days", flags->days, "How many days ballots are accepted")
      ->check(CLI::Range(1, 366));
  open->add_option("--in", flags->hours_from_now, "Hours from now until it opens")
      ->check(CLI::Range(0, 24 * 366));
  open->callback([&global, flags] {
    with_agenda(global, *flags, [&](agenda::Agenda& a, RegistryContext& c) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto method, agenda::parse_method(flags->method));
      auto opens = c.clock.now() + std::chrono::hours(flags->hours_from_now);
      VECHE_ASSIGN_OR_RETURN(auto id,
                             a.create_round(registry::AccountId{}, flags->text, method, opens,
                                            opens + std::chrono::days(flags->days)));
      std::printf("round %lld opens %s\n", static_cast<long long>(id.value()),
                  core::to_iso8601(opens).c_str());
      return ok();
    });
  });

  auto* close = rounds->add_subcommand("close", "Close a round now and count it");
  add_db_option(close, *flags);
  close->add_option("round", flags->number, "Round number")->required();
  close->callback([&global, flags] {
    with_agenda(global, *flags, [&](agenda::Agenda& a, RegistryContext&) -> Status {
      agenda::RoundId id(flags->number);
      VECHE_TRY(a.close_round(registry::AccountId{}, id));
      VECHE_ASSIGN_OR_RETURN(auto r, a.count_round(id));
      std::printf("round %lld closed and counted: %lld ballots\n%s",
                  static_cast<long long>(id.value()), static_cast<long long>(r.ballots),
                  ranking_text(r).c_str());
      return ok();
    });
  });

  auto* count = rounds->add_subcommand("count", "Count a closed round (or every due round)");
  add_db_option(count, *flags);
  count->add_option("round", flags->number, "Round number (default: every closed round)");
  count->callback([&global, flags] {
    with_agenda(global, *flags, [&](agenda::Agenda& a, RegistryContext&) -> Status {
      if (flags->number == 0) {
        VECHE_ASSIGN_OR_RETURN(int n, a.count_due_rounds());
        std::printf("%d rounds counted\n", n);
        return ok();
      }
      VECHE_ASSIGN_OR_RETURN(auto r, a.count_round(agenda::RoundId(flags->number)));
      std::printf("%s%s", ranking_text(r).c_str(), r.report_text.c_str());
      return ok();
    });
  });
}

void add_agenda(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("agenda", "The constituents' agenda: issues, rounds, mandate");
  cmd->require_subcommand(1);
  auto flags = std::make_shared<AgendaFlags>();

  auto* threshold = cmd->add_subcommand("threshold", "Show or set the admission threshold");
  add_db_option(threshold, *flags);
  threshold->add_option("supports", flags->number, "Supports needed to be admitted");
  threshold->callback([&global, flags] {
    with_agenda(global, *flags, [&](agenda::Agenda& a, RegistryContext&) -> Status {
      if (flags->number != 0) VECHE_TRY(a.set_threshold(flags->number));
      VECHE_ASSIGN_OR_RETURN(auto n, a.threshold());
      std::printf("admission threshold: %lld supports\n", static_cast<long long>(n));
      return ok();
    });
  });

  auto* list = cmd->add_subcommand("list", "List issues (most supported first)");
  add_db_option(list, *flags);
  list->add_option("--tag", flags->tag, "Only issues with this tag");
  list->add_option("--country", flags->country, "Only issues affecting this country (DE, ...)");
  list->add_flag("--newest", flags->newest, "Newest first");
  list->add_flag("--all", flags->all, "Include merged issues");
  list->add_option("--limit", flags->limit, "At most this many")->check(CLI::Range(1, 1000));
  list->callback([&global, flags] {
    with_agenda(global, *flags, [&](agenda::Agenda& a, RegistryContext&) -> Status {
      agenda::IssueFilter f;
      f.tag = flags->tag;
      f.country = flags->country;
      f.sort = flags->newest ? agenda::SortOrder::kNewest : agenda::SortOrder::kSupports;
      f.include_merged = flags->all;
      f.limit = flags->limit;
      VECHE_ASSIGN_OR_RETURN(auto issues, a.list(f));
      for (const auto& i : issues) {
        std::printf("%lld\t%s%s\t%lld\t%s\n", static_cast<long long>(i.id.value()),
                    std::string(agenda::state_name(i.state)).c_str(),
                    i.hidden_reason ? ",hidden" : "", static_cast<long long>(i.supports),
                    i.title.c_str());
      }
      return ok();
    });
  });

  auto* merge = cmd->add_subcommand("merge", "Merge a duplicate issue into another");
  add_db_option(merge, *flags);
  merge->add_option("duplicate", flags->number, "The duplicate issue's number")->required();
  merge->add_option("surviving", flags->other, "The issue it is merged into")->required();
  merge->callback([&global, flags] {
    with_agenda(global, *flags, [&](agenda::Agenda& a, RegistryContext&) -> Status {
      VECHE_TRY(a.merge(registry::AccountId{}, agenda::IssueId(flags->number),
                        agenda::IssueId(flags->other)));
      VECHE_ASSIGN_OR_RETURN(auto kept, a.issue(agenda::IssueId(flags->other)));
      std::printf("issue %lld merged into %lld, which now has %lld supports\n",
                  static_cast<long long>(flags->number), static_cast<long long>(flags->other),
                  static_cast<long long>(kept.supports));
      return ok();
    });
  });

  auto* hide = cmd->add_subcommand("hide", "Hide an issue with a public reason");
  add_db_option(hide, *flags);
  hide->add_option("issue", flags->number, "Issue number")->required();
  hide->add_option("--reason", flags->text, "The public reason")->required();
  hide->callback([&global, flags] {
    with_agenda(global, *flags, [&](agenda::Agenda& a, RegistryContext&) -> Status {
      return a.hide(registry::AccountId{}, agenda::IssueId(flags->number), flags->text);
    });
  });

  auto* reports = cmd->add_subcommand("reports", "Reports not yet dealt with");
  add_db_option(reports, *flags);
  reports->callback([&global, flags] {
    with_agenda(global, *flags, [&](agenda::Agenda& a, RegistryContext&) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto open, a.open_reports());
      if (open.empty()) std::printf("no open reports\n");
      for (const auto& r : open) {
        std::printf("issue %lld\t%s\t%s\n", static_cast<long long>(r.issue.value()),
                    core::to_iso8601(r.created_at).c_str(), r.reason.c_str());
      }
      return ok();
    });
  });

  add_rounds(cmd, global, flags);
}

void add_outbox(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("outbox", "Notifications waiting for a mailer or webhook");
  cmd->require_subcommand(1);
  auto flags = std::make_shared<AgendaFlags>();

  auto* list = cmd->add_subcommand(
      "list", "Undelivered entries, oldest first: id, time, topic, JSON payload (tab-separated)");
  add_db_option(list, *flags);
  list->add_option("--limit", flags->limit, "At most this many")
      ->check(CLI::Range(1, agenda::kMaxPendingLimit));
  list->add_flag("--all", flags->all, "Also delivered entries, newest first");
  list->callback([&global, flags] {
    with_agenda(global, *flags, [&](agenda::Agenda&, RegistryContext& c) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto entries, flags->all ? agenda::recent(*c.db, flags->limit)
                                                      : agenda::pending(*c.db, flags->limit));
      for (const auto& e : entries) {
        std::printf(
            "%lld\t%s\t%s\t%s%s\n", static_cast<long long>(e.id),
            core::to_iso8601(e.created_at).c_str(), e.topic.c_str(), e.payload.c_str(),
            e.delivered_at ? ("\tdelivered " + core::to_iso8601(*e.delivered_at)).c_str() : "");
      }
      return ok();
    });
  });

  auto* ack = cmd->add_subcommand("ack", "Mark entries delivered");
  add_db_option(ack, *flags);
  auto ids = std::make_shared<std::vector<std::int64_t>>();
  ack->add_option("ids", *ids, "Entry ids")->required();
  ack->callback([&global, flags, ids] {
    with_agenda(global, *flags, [&](agenda::Agenda&, RegistryContext& c) -> Status {
      for (auto id : *ids) VECHE_TRY(agenda::mark_delivered(*c.db, id, c.clock.now()));
      return ok();
    });
  });
}

}  // namespace

Status load_agenda_demo(store::Database& db, const core::Clock& clock,
                        const std::string& data_key_file, const std::string& db_location) {
  VECHE_ASSIGN_OR_RETURN(auto key_file, registry::data_key_file_for(data_key_file, db_location));
  VECHE_ASSIGN_OR_RETURN(auto key, registry::load_or_create_data_key(key_file));
  auto loaded = agenda::load_demo(db, clock, key);
  if (!loaded && loaded.error().code == ErrorCode::kAlreadyExists) return ok();
  return loaded;
}

void add_agenda_command(CLI::App& app, const GlobalOptions& global) {
  add_agenda(app, global);
  add_outbox(app, global);
}

}  // namespace veche::app
