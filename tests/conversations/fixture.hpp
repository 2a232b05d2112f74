// A conversations database for tests: the registry's and the conversations' migrations applied,
// on SQLite always and on PostgreSQL when VECHE_TEST_POSTGRES_URL is set
// (tests/support/backend_fixture.hpp).
#pragma once

#include "../support/backend_fixture.hpp"
#include "veche/conversations/conversations.hpp"

namespace veche::conversations {

class ConversationsDatabaseTest : public test_support::BackendTest {
 protected:
  ConversationsDatabaseTest() : BackendTest("conv", {migrations()}) {}
};

using test_support::backend_name;

}  // namespace veche::conversations
