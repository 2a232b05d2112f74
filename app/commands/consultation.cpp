// `veche consultation open|close|show|list`: constituent-wide consultations for operators and
// scripts. Constituents answer on the site or through the API.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands/commands.hpp"
#include "commands/setup.hpp"
#include "veche/core/file.hpp"
#include "veche/count/output.hpp"
#include "veche/decisions/consultations.hpp"

namespace veche::app {
namespace {

struct ConsultationFlags {
  std::string db;
  std::int64_t id = 0;
  bool due = false;
  bool json = false;
  std::string title;
  std::string question;
  std::string question_file;
  std::string kind = "single-choice";
  std::string method;
  std::vector<std::string> options;
  std::string closes;
};

void fail(const Error& e) { throw CLI::RuntimeError(report_error(e)); }

template <class Fn>
void with_context(const GlobalOptions& global, const ConsultationFlags& flags, Fn&& fn) {
  auto context = open_registry(global, flags.db);
  if (!context) fail(context.error());
  if (auto s = fn(**context); !s) fail(s.error());
}

void add_db_option(CLI::App* sub, ConsultationFlags& flags) {
  sub->add_option("--db", flags.db,
                  "SQLite file or postgresql:// URL (default: config, then veche.db)");
}

// "2026-12-01T18:00:00Z" or "2026-12-01T18:00Z" (UTC).
Result<core::TimePoint> parse_utc(const std::string& s) {
  const auto bad = invalid_argument("--closes must be a UTC time such as 2026-12-01T18:00:00Z");
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  char tail = 0;
  const int n =
      std::sscanf(s.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%c", &y, &mo, &d, &h, &mi, &sec, &tail);
  if (n != 7 || tail != 'Z') {
    sec = 0;
    if (std::sscanf(s.c_str(), "%4d-%2u-%2uT%2u:%2u%c", &y, &mo, &d, &h, &mi, &tail) != 6 ||
        tail != 'Z') {
      return bad;
    }
  }
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo),
                                        std::chrono::day(d)};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return bad;
  return core::TimePoint(std::chrono::sys_days(ymd)) + std::chrono::hours(h) +
         std::chrono::minutes(mi) + std::chrono::seconds(sec);
}

void print(const decisions::Consultation& c, bool with_report) {
  std::printf("consultation %lld: %s\n", static_cast<long long>(c.id.value()), c.title.c_str());
  std::printf("kind: %s\nmethod: %s\n", std::string(decisions::question_kind_name(c.kind)).c_str(),
              count::method_name(c.method));
  for (std::size_t i = 0; i < c.options.size(); ++i) {
    std::printf("option %zu: %s%s%s\n", i, c.options[i].c_str(), i < c.totals.size() ? "\t" : "",
                i < c.totals.size() ? c.totals[i].c_str() : "");
  }
  std::printf("opened: %s\ncloses: %s\n", core::to_iso8601(c.opened_at).c_str(),
              core::to_iso8601(c.closes_at).c_str());
  if (c.closed()) {
    std::printf("closed: %s\nballots: %lld\n", core::to_iso8601(*c.closed_at).c_str(),
                static_cast<long long>(c.ballots));
    for (int w : c.winners) {
      std::printf("winner: %s\n", c.options[static_cast<std::size_t>(w)].c_str());
    }
    if (with_report) std::printf("%s\n", c.report_json.c_str());
  } else {
    std::printf("result: published after the close\n");
  }
}

}  // namespace

void add_consultation_command(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<ConsultationFlags>();
  auto* cmd = app.add_subcommand("consultation", "Constituent-wide consultations");
  cmd->require_subcommand(1);

  auto* open = cmd->add_subcommand("open", "Open a consultation now (method and close frozen)");
  add_db_option(open, *flags);
  open->add_option("--title", flags->title, "The title")->required();
  open->add_option("--question", flags->question, "The question (Markdown)");
  open->add_option("--question-file", flags->question_file, "Read the question from a file");
  open->add_option("--kind", flags->kind, "single-choice, approval or ranked");
  open->add_option("--method", flags->method,
                   "plurality (single choice), approval, or schulze|irv|ranked-pairs (ranked)");
  open->add_option("--option", flags->options, "An option (repeat: 2 to 30)")->required();
  open->add_option("--closes", flags->closes, "Close time, UTC: 2026-12-01T18:00:00Z")->required();
  open->callback([&global, flags] {
    with_context(global, *flags, [&](RegistryContext& c) -> Status {
      decisions::NewConsultation n;
      n.title = flags->title;
      n.question = flags->question;
      if (!flags->question_file.empty()) {
        VECHE_ASSIGN_OR_RETURN(n.question, core::read_file(flags->question_file));
      }
      const auto kind = decisions::parse_question_kind(flags->kind);
      if (!kind) return invalid_argument("--kind must be single-choice, approval or ranked");
      n.kind = *kind;
      n.method = flags->method;
      n.options = flags->options;
      VECHE_ASSIGN_OR_RETURN(n.closes_at, parse_utc(flags->closes));
      decisions::Consultations service(*c.db, c.clock, c.key);
      VECHE_ASSIGN_OR_RETURN(auto id, service.open(n, "operator"));
      std::printf("consultation: %lld\n", static_cast<long long>(id.value()));
      return ok();
    });
  });

  auto* close = cmd->add_subcommand(
      "close", "Count and close a consultation past its close time (or all, with --due)");
  add_db_option(close, *flags);
  close->add_option("id", flags->id, "The consultation's number");
  close->add_flag("--due", flags->due, "Close every consultation past its close time");
  close->callback([&global, flags] {
    if ((flags->id > 0) == flags->due) {
      fail(invalid_argument("give a consultation number or --due"));
    }
    with_context(global, *flags, [&](RegistryContext& c) -> Status {
      decisions::Consultations service(*c.db, c.clock, c.key);
      if (flags->due) {
        VECHE_ASSIGN_OR_RETURN(const int n, service.close_due("operator"));
        std::printf("closed: %d\n", n);
        return ok();
      }
      VECHE_ASSIGN_OR_RETURN(auto closed,
                             service.close(decisions::ConsultationId(flags->id), "operator"));
      print(closed, false);
      return ok();
    });
  });

  auto* show = cmd->add_subcommand("show", "A consultation; its result once closed");
  add_db_option(show, *flags);
  show->add_option("id", flags->id, "The consultation's number")->required();
  show->add_flag("--report", flags->json, "Also print the full count report (JSON)");
  show->callback([&global, flags] {
    with_context(global, *flags, [&](RegistryContext& c) -> Status {
      decisions::Consultations service(*c.db, c.clock, c.key);
      VECHE_ASSIGN_OR_RETURN(auto got, service.consultation(decisions::ConsultationId(flags->id)));
      print(got, flags->json);
      return ok();
    });
  });

  auto* list = cmd->add_subcommand("list", "Every consultation, newest first");
  add_db_option(list, *flags);
  list->callback([&global, flags] {
    with_context(global, *flags, [&](RegistryContext& c) -> Status {
      decisions::Consultations service(*c.db, c.clock, c.key);
      VECHE_ASSIGN_OR_RETURN(auto all, service.list());
      for (const auto& x : all) {
        std::printf("%lld\t%s\t%s\t%s\n", static_cast<long long>(x.id.value()),
                    x.closed() ? "closed" : "open", core::to_iso8601(x.closes_at).c_str(),
                    x.title.c_str());
      }
      return ok();
    });
  });
}

}  // namespace veche::app
