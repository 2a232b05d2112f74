-- wrk script for bench/elections_web/cast_load.mjs: posts the ballots of a file (one canonical
-- ballot per line), each once, for wrk's duration. Thread t of T sends ballots t, t+T, ...;
-- the file must hold more ballots than the run can send ("exhausted" says when it did not).
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  T = tonumber(args[2])
  bodies = {}
  local k = 0
  for line in io.lines(args[1]) do
    -- Requests are formatted here, once, so the load generator spends its share of the two
    -- cores on sending, not on copying ballots.
    if k % T == id then
      bodies[#bodies + 1] = wrk.format("POST", "/api/v1/elections/1/ballots",
                                       {["Content-Type"] = "application/json"}, line)
    end
    k = k + 1
  end
  sent, accepted, exhausted = 0, 0, 0
end

function request()
  sent = sent + 1
  if sent > #bodies then exhausted = 1 end
  return bodies[sent] or bodies[#bodies]
end

function response(status, headers, body)
  if status == 201 then accepted = accepted + 1 end
end

function done(summary, latency, requests)
  local total, exhausted = 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("accepted")
    exhausted = exhausted + t:get("exhausted")
  end
  io.write(string.format("accepted %d\nexhausted %d\n", total, exhausted))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s %.1f ms\n", tostring(p), latency:percentile(p) / 1000))
  end
  io.write(string.format("seconds %.3f\n", summary.duration / 1e6))
end
