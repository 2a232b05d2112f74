// `veche invitations issue|revoke|count|quota`: a registrar's invitation codes, from the command
// line.
// (`veche registrar` belongs to the election credentials.)
#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands/commands.hpp"
#include "commands/setup.hpp"
#include "veche/core/clock.hpp"
#include "veche/crypto/random.hpp"
#include "veche/registry/accounts.hpp"

namespace veche::app {
namespace {

struct InvitationFlags {
  std::string db;
  std::string org;
  int count = 0;
  int days = 14;
  std::int64_t quota_codes = 0;
  int quota_days = 30;
};

// Runs `fn(accounts)` against the configured database and data key.
template <class Fn>
void with_accounts(const GlobalOptions& global, const InvitationFlags& flags, Fn&& fn) {
  auto context = open_registry(global, flags.db);
  if (!context) throw CLI::RuntimeError(report_error(context.error()));
  registry::Accounts accounts(*(*context)->db, (*context)->clock, (*context)->key);
  if (auto s = fn(accounts); !s) throw CLI::RuntimeError(report_error(s.error()));
}

}  // namespace

void add_invitations_command(CLI::App& app, const GlobalOptions& global) {
  auto* cmd = app.add_subcommand("invitations", "A member organization's invitation codes");
  cmd->require_subcommand(1);
  auto flags = std::make_shared<InvitationFlags>();
  const auto common = [flags](CLI::App* sub) {
    sub->add_option("--db", flags->db,
                    "SQLite file or postgresql:// URL (default: config, then veche.db)");
    sub->add_option("--org", flags->org, "The organization's short name")->required();
  };

  auto* issue = cmd->add_subcommand(
      "issue", "Issue a batch of single-use codes and print them once (they are stored hashed)");
  common(issue);
  issue->add_option("--count", flags->count, "How many codes (1..1000)")->required();
  issue->add_option("--days", flags->days, "Days until the codes expire (default 14)");
  issue->callback([&global, flags] {
    with_accounts(global, *flags, [&](registry::Accounts& a) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto codes, a.issue_codes(flags->org, flags->count,
                                                       std::chrono::days(flags->days), "operator"));
      for (const auto& c : codes) std::printf("%s\n", c.c_str());
      return ok();
    });
  });

  auto* revoke = cmd->add_subcommand("revoke", "Revoke every unused code of the organization");
  common(revoke);
  revoke->callback([&global, flags] {
    with_accounts(global, *flags, [&](registry::Accounts& a) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto n, a.revoke_unused_codes(flags->org, "operator"));
      std::printf("revoked %lld unused codes\n", static_cast<long long>(n));
      return ok();
    });
  });

  auto* count = cmd->add_subcommand(
      "count", "How many of the organization's codes are unused, used, revoked and expired");
  common(count);
  count->callback([&global, flags] {
    with_accounts(global, *flags, [&](registry::Accounts& a) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto c, a.code_counts(flags->org));
      VECHE_ASSIGN_OR_RETURN(auto q, a.code_quota(flags->org));
      VECHE_ASSIGN_OR_RETURN(auto issued, a.codes_issued_in_period(flags->org));
      std::printf("unused %lld\nused %lld\nrevoked %lld\nexpired %lld\n",
                  static_cast<long long>(c.unused), static_cast<long long>(c.used),
                  static_cast<long long>(c.revoked), static_cast<long long>(c.expired));
      std::printf("quota %lld per %d days (%s), %lld issued in this period\n",
                  static_cast<long long>(q.codes), q.period_days,
                  q.organization_specific ? "this organization" : "coalition default",
                  static_cast<long long>(issued));
      return ok();
    });
  });

  auto* quota = cmd->add_subcommand(
      "quota", "Set how many codes an organization (or, without --org, each) may issue per period");
  quota->add_option("--db", flags->db,
                    "SQLite file or postgresql:// URL (default: config, then veche.db)");
  quota->add_option("--org", flags->org, "One organization (default: the coalition's default)");
  quota->add_option("--codes", flags->quota_codes, "Codes per period (0..100000)")->required();
  quota->add_option("--period-days", flags->quota_days, "The period in days (default 30)");
  quota->callback([&global, flags] {
    with_accounts(global, *flags, [&](registry::Accounts& a) -> Status {
      VECHE_TRY(a.set_code_quota("operator", flags->org, flags->quota_codes, flags->quota_days));
      std::printf("%s may issue %lld codes per %d days\n",
                  flags->org.empty() ? "each organization" : flags->org.c_str(),
                  static_cast<long long>(flags->quota_codes), flags->quota_days);
      return ok();
    });
  });
}

}  // namespace veche::app
