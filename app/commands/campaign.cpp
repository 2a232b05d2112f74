// `veche campaign list|show|export|verify` and `veche campaign petition publish|recount`
// (docs/campaigns.md). Recounting reads only a published list: no database needed.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "commands/commands.hpp"
#include "commands/setup.hpp"
#include "veche/campaigns/campaigns.hpp"
#include "veche/campaigns/export.hpp"
#include "veche/campaigns/log.hpp"
#include "veche/campaigns/petition.hpp"
#include "veche/core/file.hpp"
#include "veche/crypto/random.hpp"

namespace veche::app {
namespace {

struct CampaignFlags {
  std::string db;
  std::int64_t id = 0;
  std::string org;
  std::string outcome;
  std::string format = "json";
  std::string file;
  std::string receipt;
  bool json = false;
};

void fail(const Error& e) { throw CLI::RuntimeError(report_error(e)); }

template <class Fn>
void with_campaigns(const GlobalOptions& global, const CampaignFlags& flags, Fn&& fn) {
  auto context = open_registry(global, flags.db);
  if (!context) fail(context.error());
  crypto::SystemRandom rng;
  campaigns::Campaigns service(*(*context)->db, (*context)->clock, (*context)->key, rng);
  if (auto s = fn(service, **context); !s) fail(s.error());
}

void add_db_option(CLI::App* sub, CampaignFlags& flags) {
  sub->add_option("--db", flags.db,
                  "SQLite file or postgresql:// URL (default: config, then veche.db)");
}

void print_json(const boost::json::value& v) { std::cout << boost::json::serialize(v) << "\n"; }

}  // namespace

Status load_campaigns_demo(store::Database& db, const core::Clock& clock,
                           const std::string& data_key_file, const std::string& db_location) {
  VECHE_ASSIGN_OR_RETURN(auto key_file, registry::data_key_file_for(data_key_file, db_location));
  VECHE_ASSIGN_OR_RETURN(auto key, registry::load_or_create_data_key(key_file));
  auto loaded = campaigns::load_demo(db, clock, key);
  if (!loaded && loaded.error().code == ErrorCode::kAlreadyExists) return ok();
  return loaded;
}

void add_campaign_command(CLI::App& app, const GlobalOptions& global) {
  auto flags = std::make_shared<CampaignFlags>();
  auto* cmd = app.add_subcommand("campaign", "Campaigns, track records and petition recounts");
  cmd->require_subcommand(1);

  auto* list = cmd->add_subcommand("list", "List campaigns, newest first");
  add_db_option(list, *flags);
  list->add_option("--org", flags->org, "Only those run by this organization (slug)");
  list->add_option("--outcome", flags->outcome, "ongoing, achieved, partly or not-achieved");
  list->add_flag("--json", flags->json, "Print JSON");
  list->callback([&global, flags] {
    with_campaigns(global, *flags, [&](campaigns::Campaigns& s, RegistryContext&) -> Status {
      campaigns::CampaignFilter filter;
      filter.organization = flags->org;
      filter.limit = 5000;
      if (!flags->outcome.empty()) {
        filter.outcome = campaigns::parse_outcome(flags->outcome);
        if (!filter.outcome) return invalid_argument("unknown outcome " + flags->outcome);
      }
      VECHE_ASSIGN_OR_RETURN(auto all, s.list(filter));
      if (flags->json) {
        boost::json::array out;
        for (const auto& c : all) out.push_back(campaigns::summary_json(c));
        print_json(out);
        return ok();
      }
      if (all.empty()) std::printf("no campaigns\n");
      for (const auto& c : all) {
        std::string orgs;
        for (const auto& o : c.organizations) orgs += (orgs.empty() ? "" : ",") + o;
        std::printf("%lld\t%s\t%s\t%lld actions\t%s\t%s\n", static_cast<long long>(c.id.value()),
                    campaigns::day_text(c.started_at).c_str(),
                    std::string(campaigns::outcome_name(c.outcome)).c_str(),
                    static_cast<long long>(c.actions), orgs.c_str(), c.title.c_str());
      }
      return ok();
    });
  });

  auto* show = cmd->add_subcommand("show", "Print a campaign's full record as JSON");
  add_db_option(show, *flags);
  show->add_option("id", flags->id, "Campaign number")->required();
  show->callback([&global, flags] {
    with_campaigns(global, *flags, [&](campaigns::Campaigns& s, RegistryContext&) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto c, s.campaign(campaigns::CampaignId(flags->id)));
      print_json(campaigns::campaign_json(c));
      return ok();
    });
  });

  auto* exp = cmd->add_subcommand(
      "export",
      "Export a campaign (--id) or an organization's track record (--org) as CSV or JSON");
  add_db_option(exp, *flags);
  exp->add_option("--id", flags->id, "Campaign number");
  exp->add_option("--org", flags->org, "Organization slug");
  exp->add_option("--format", flags->format, "csv or json")->check(CLI::IsMember({"csv", "json"}));
  exp->callback([&global, flags] {
    with_campaigns(global, *flags, [&](campaigns::Campaigns& s, RegistryContext&) -> Status {
      const bool csv = flags->format == "csv";
      if (flags->id > 0) {
        VECHE_ASSIGN_OR_RETURN(auto c, s.campaign(campaigns::CampaignId(flags->id)));
        if (csv) {
          std::cout << campaigns::campaign_csv(c);
        } else {
          print_json(campaigns::campaign_json(c));
        }
        return ok();
      }
      if (flags->org.empty()) return invalid_argument("give --id or --org");
      VECHE_ASSIGN_OR_RETURN(auto r, s.organization_record(flags->org));
      if (csv) {
        std::cout << campaigns::summaries_csv(r.campaigns);
      } else {
        auto o = campaigns::record_json(r);
        o["organization"] = flags->org;
        print_json(o);
      }
      return ok();
    });
  });

  auto* verify = cmd->add_subcommand("verify", "Recompute the campaigns log's hash chain");
  add_db_option(verify, *flags);
  verify->callback([&global, flags] {
    with_campaigns(global, *flags, [&](campaigns::Campaigns&, RegistryContext& c) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto report, campaigns::verify_log(*c.db));
      if (report.first_broken) {
        return data_loss("the campaigns log is broken at entry " +
                         std::to_string(*report.first_broken) + ": " + report.problem);
      }
      std::printf("campaigns log: %lld entries, chain intact\n",
                  static_cast<long long>(report.entries));
      return ok();
    });
  });

  auto* petition = cmd->add_subcommand("petition", "Petitions: publish and recount");
  petition->require_subcommand(1);
  auto* publish = petition->add_subcommand("publish", "Print a petition's published list (JSON)");
  add_db_option(publish, *flags);
  publish->add_option("id", flags->id, "Petition number")->required();
  publish->callback([&global, flags] {
    with_campaigns(global, *flags, [&](campaigns::Campaigns& s, RegistryContext&) -> Status {
      VECHE_ASSIGN_OR_RETURN(auto p, s.published_signatures(campaigns::PetitionId(flags->id)));
      print_json(campaigns::published_json(p));
      return ok();
    });
  });
  auto* recount = petition->add_subcommand(
      "recount", "Recount a published list (a file, or - for standard input); no database");
  recount->add_option("file", flags->file, "The JSON of /api/v1/petitions/{id}/signatures")
      ->required();
  recount->add_option("--receipt", flags->receipt, "Also look for the hash of this receipt");
  recount->callback([flags] {
    if (auto s = crypto::initialize(); !s) fail(s.error());
    const auto text = core::read_file(flags->file == "-" ? "/dev/stdin" : flags->file);
    if (!text) fail(text.error());
    auto r = campaigns::recount(*text, flags->receipt);
    if (!r) fail(r.error());
    std::printf("declared %lld, counted %lld distinct hashes, digest %s\n",
                static_cast<long long>(r->declared), static_cast<long long>(r->counted),
                r->digest_matches ? "matches" : "does NOT match");
    if (r->receipt_found) {
      std::printf("receipt: %s\n", *r->receipt_found ? "found in the list" : "NOT in the list");
    }
    for (const auto& p : r->problems) std::printf("problem: %s\n", p.c_str());
    if (!r->ok()) fail(data_loss("the published list does not recount"));
    if (r->receipt_found && !*r->receipt_found) fail(not_found("the receipt is not in the list"));
  });
}

}  // namespace veche::app
