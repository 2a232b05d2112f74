// The thread that keeps conversation reports fresh, off the request path (a vote request only
// enqueues). It wakes every `poll`, applies the votes queued since to the conversation's
// consensus::LiveAnalysis and stores the updated report (docs/consensus.md, "Live reports").
// A full recompute, the source of truth, runs when a conversation has no live analysis yet,
// when one could not take a vote (a new statement), after `full_after_votes` live updates or
// `full_interval`; each conversation at most once per `min_interval`. Live analyses are
// dropped after `idle` without votes and beyond `max_live` (least recently used first).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "veche/conversations/conversations.hpp"

namespace veche::conversations {

struct WorkerOptions {
  std::chrono::milliseconds poll{100};
  std::chrono::seconds min_interval{5};
  std::chrono::seconds full_interval{60};
  std::size_t full_after_votes = 1000;
  std::size_t max_live = 8;
  std::chrono::seconds idle{1800};
};

class ReportWorker {
 public:
  // `db`, `clock` and `key` must outlive the worker. Starts the thread.
  ReportWorker(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key,
               WorkerOptions options = {});
  // Stops and joins the thread (a recompute under way finishes first).
  ~ReportWorker();
  ReportWorker(const ReportWorker&) = delete;
  ReportWorker& operator=(const ReportWorker&) = delete;

 private:
  struct Live;
  void run();
  Status tick();

  store::Database& db_;
  const core::Clock& clock_;
  Conversations service_;
  const WorkerOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;           // GUARDED_BY(mu_)
  std::unique_ptr<Live> live_;  // the worker thread's only
  std::thread thread_;
};

}  // namespace veche::conversations
