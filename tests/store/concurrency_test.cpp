#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "store_fixture.hpp"
#include "veche/store/database.hpp"

namespace veche::store::testing {
namespace {

Status insert_people(Transaction& tx, int from, int to) {
  for (int i = from; i < to; ++i) {
    auto r = tx.exec("INSERT INTO people (name, age) VALUES (?, ?)",
                     {Value{"person " + std::to_string(i)}, Value{std::int64_t{i}}});
    if (!r) return std::move(r).error();
  }
  return ok();
}

TEST_P(DurableStoreTest, ReadersSeeTheLastCommitWhileAWriterWrites) {
  ASSERT_OK(create_people());
  ASSERT_OK(with_write(db(), [](Transaction& tx) { return insert_people(tx, 0, 10); }));

  std::promise<void> written;
  std::promise<void> readers_done;
  std::thread writer([&] {
    auto tx = db().begin(Access::kWrite);
    if (!tx) {
      ADD_FAILURE() << tx.error().message;
      written.set_value();
      return;
    }
    Status s = insert_people(**tx, 10, 110);
    EXPECT_TRUE(s.has_value()) << s.error().message;
    written.set_value();
    readers_done.get_future().wait();
    Status c = (*tx)->commit();
    EXPECT_TRUE(c.has_value()) << c.error().message;
  });

  written.get_future().wait();
  // The writer holds its transaction open: readers neither wait for it nor see its rows.
  std::vector<std::thread> readers;
  std::atomic<int> saw_ten{0};
  for (int i = 0; i < 4; ++i) {
    readers.emplace_back([&] {
      auto n = count("people");
      if (n && *n == 10) ++saw_ten;
    });
  }
  for (auto& t : readers) t.join();
  readers_done.set_value();
  writer.join();
  EXPECT_EQ(saw_ten.load(), 4);
  ASSERT_OK_AND_ASSIGN(std::int64_t after, count("people"));
  EXPECT_EQ(after, 110);
}

TEST_P(DurableStoreTest, ConcurrentReadersNeverSeeAHalfCommittedBatch) {
  ASSERT_OK(create_people());
  constexpr int kBatches = 40;
  constexpr int kBatch = 5;
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (int b = 0; b < kBatches; ++b) {
      Status s = with_write(
          db(), [&](Transaction& tx) { return insert_people(tx, b * kBatch, (b + 1) * kBatch); });
      EXPECT_TRUE(s.has_value()) << s.error().message;
    }
    writing = false;
  });
  std::vector<std::thread> readers;
  std::atomic<int> torn{0};
  std::atomic<int> errors{0};
  std::atomic<int> reads{0};
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      std::int64_t last = 0;
      // Keeps reading while the writer writes, and at least 20 times.
      for (int i = 0; writing || i < 20; ++i) {
        auto tx = db().begin(Access::kRead);
        if (!tx) {
          ++errors;
          continue;
        }
        auto first = (*tx)->query_one("SELECT COUNT(*) FROM people", {}, "count");
        auto second = (*tx)->query_one("SELECT COUNT(*) FROM people", {}, "count");
        if (!first || !second) {
          ++errors;
          continue;
        }
        const std::int64_t n = first->int64(0);
        // One transaction reads one snapshot, whole batches only, never going back.
        if (n % kBatch != 0 || second->int64(0) != n || n < last) ++torn;
        last = n;
        ++reads;
      }
    });
  }
  writer.join();
  for (auto& t : readers) t.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GE(reads.load(), 60);
  ASSERT_OK_AND_ASSIGN(std::int64_t n, count("people"));
  EXPECT_EQ(n, kBatches * kBatch);
}

TEST_P(DurableStoreTest, AConcurrentWriterIsAConflictThatWithWriteRetries) {
  ASSERT_OK(create_people());
  ASSERT_OK(with_write(db(), [](Transaction& tx) { return insert_people(tx, 0, 1); }));
  OpenOptions impatient;
  impatient.busy_timeout = std::chrono::milliseconds(0);
  ASSERT_OK_AND_ASSIGN(auto other, open_db(impatient));

  if (backend() == Backend::kSqlite) {
    // Another handle (another process, as far as SQLite knows) holds the write lock.
    ASSERT_OK_AND_ASSIGN(auto holder, db().begin(Access::kWrite));
    ASSERT_OK(holder->exec("UPDATE people SET age = age + 1"));
    EXPECT_ERROR_CODE(other->begin(Access::kWrite), ErrorCode::kConflict);
    ASSERT_OK(holder->commit());
  } else {
    // Two serializable transactions update the same row: the later one must retry.
    ASSERT_OK_AND_ASSIGN(auto first, db().begin(Access::kWrite));
    ASSERT_OK_AND_ASSIGN(auto second, other->begin(Access::kWrite));
    ASSERT_OK(first->query("SELECT age FROM people"));
    ASSERT_OK(second->query("SELECT age FROM people"));
    ASSERT_OK(first->exec("UPDATE people SET age = age + 1"));
    ASSERT_OK(first->commit());
    EXPECT_ERROR_CODE(second->exec("UPDATE people SET age = age + 1"), ErrorCode::kConflict);
  }
  // Retried in a fresh transaction, the update applies on top of the first.
  ASSERT_OK(with_write(*other, [](Transaction& tx) -> Status {
    auto r = tx.exec("UPDATE people SET age = age + 1");
    return r ? ok() : Status(std::move(r).error());
  }));
  ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kRead));
  ASSERT_OK_AND_ASSIGN(Row row, tx->query_one("SELECT age FROM people", {}, "person"));
  EXPECT_EQ(row.int64(0), 2);
}

TEST_P(DurableStoreTest, ManyThreadsWritingThroughWithWriteLoseNothing) {
  ASSERT_OK(
      create("CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL);"
             "INSERT INTO counter (id, n) VALUES (1, 0)",
             "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);"
             "INSERT INTO counter (id, n) VALUES (1, 0)"));
  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        // Read-modify-write: lost updates would show in the total.
        Status s = with_write(
            db(),
            [](Transaction& tx) -> Status {
              auto row = tx.query_one("SELECT n FROM counter WHERE id = 1", {}, "counter");
              if (!row) return std::move(row).error();
              auto r = tx.exec("UPDATE counter SET n = ? WHERE id = 1", {Value{row->int64(0) + 1}});
              return r ? ok() : Status(std::move(r).error());
            },
            Durability::kNormal, 1000);
        if (!s) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kRead));
  ASSERT_OK_AND_ASSIGN(Row row, tx->query_one("SELECT n FROM counter", {}, "counter"));
  EXPECT_EQ(row.int64(0), kThreads * kIncrements);
}

// Ends the server process behind `pid` and waits until it is gone.
Status terminate_backend(Database& admin, std::int64_t pid) {
  VECHE_TRY(with_write(admin, [&](Transaction& tx) -> Status {
    auto r = tx.query("SELECT pg_terminate_backend(CAST(? AS INTEGER))", {Value{pid}});
    return r ? ok() : Status(std::move(r).error());
  }));
  for (int i = 0; i < 100000; ++i) {
    auto tx = admin.begin(Access::kRead);
    if (!tx) return std::move(tx).error();
    auto rows = (*tx)->query("SELECT 1 FROM pg_stat_activity WHERE pid = ?", {Value{pid}});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return ok();
  }
  return internal_error("the terminated backend stayed");
}

TEST_P(DurableStoreTest, ALostPostgresConnectionIsUnavailableAndReplaced) {
  if (backend() != Backend::kPostgres) GTEST_SKIP() << "PostgreSQL connections only";
  ASSERT_OK_AND_ASSIGN(auto admin, open_db());
  OpenOptions one;
  one.read_connections = 1;
  ASSERT_OK_AND_ASSIGN(auto handle, open_db(one));
  {
    ASSERT_OK_AND_ASSIGN(auto tx, handle->begin(Access::kRead));
    ASSERT_OK_AND_ASSIGN(Row pid, tx->query_one("SELECT pg_backend_pid()", {}, "pid"));
    ASSERT_OK(terminate_backend(*admin, pid.int64(0)));
    EXPECT_ERROR_CODE(tx->query("SELECT 1"), ErrorCode::kUnavailable);
  }
  // The idle connection is killed too: begin() notices and reconnects.
  {
    ASSERT_OK_AND_ASSIGN(auto tx, handle->begin(Access::kRead));
    ASSERT_OK_AND_ASSIGN(Row pid, tx->query_one("SELECT pg_backend_pid()", {}, "pid"));
    ASSERT_OK(tx->commit());
    ASSERT_OK(terminate_backend(*admin, pid.int64(0)));
  }
  ASSERT_OK_AND_ASSIGN(auto tx, handle->begin(Access::kRead));
  ASSERT_OK_AND_ASSIGN(Row one_row, tx->query_one("SELECT 1", {}, "one"));
  EXPECT_EQ(one_row.int64(0), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, DurableStoreTest,
                         ::testing::Values(Kind::kSqliteFile, Kind::kPostgres), kind_name);

}  // namespace
}  // namespace veche::store::testing
