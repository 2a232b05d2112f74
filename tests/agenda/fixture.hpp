// An agenda database for tests: the registry's and the agenda's migrations applied, on SQLite
// always and on PostgreSQL when VECHE_TEST_POSTGRES_URL is set (tests/support/backend_fixture.hpp).
#pragma once

#include "../support/backend_fixture.hpp"
#include "veche/agenda/outbox.hpp"

namespace veche::agenda {

class AgendaDatabaseTest : public test_support::BackendTest {
 protected:
  AgendaDatabaseTest() : BackendTest("agenda", {migrations()}) {}
};

using test_support::backend_name;

}  // namespace veche::agenda
