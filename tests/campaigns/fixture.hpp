// A campaigns database for tests: the registry, agenda, decisions and campaigns migrations
// applied, on SQLite always and on PostgreSQL when VECHE_TEST_POSTGRES_URL is set
// (tests/support/backend_fixture.hpp).
#pragma once

#include "../support/backend_fixture.hpp"
#include "veche/agenda/outbox.hpp"
#include "veche/campaigns/campaigns.hpp"
#include "veche/decisions/log.hpp"

namespace veche::campaigns {

class CampaignsDatabaseTest : public test_support::BackendTest {
 protected:
  CampaignsDatabaseTest()
      : BackendTest("campaigns", {agenda::migrations(), decisions::migrations(), migrations()}) {}
};

using test_support::backend_name;

}  // namespace veche::campaigns
