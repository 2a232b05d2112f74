-- wrk script: each request supports one issue as one constituent, with the constituent's
-- bearer token. Pairs (constituent, issue) never repeat within a run: thread t of T takes
-- constituents t, t+T, t+2T, ... and moves to the next issue after a full pass.
local tokens = {}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  ISSUES = tonumber(args[1]) or 2000
  T = tonumber(args[2]) or 2
  for line in io.lines(args[3]) do tokens[#tokens + 1] = line end
  -- Milliseconds each connection waits between its requests: with C connections the offered
  -- load is about C * 1000 / PAUSE requests per second (0: as fast as the server answers).
  PAUSE = tonumber(args[4]) or 0
  -- Where in the sequence of (constituent, issue) pairs to start: a second run on the same
  -- database starts far from the first so that its supports are new ones.
  counter = id + (tonumber(args[5]) or 0)
end

function delay()
  return PAUSE
end

function request()
  local n = #tokens
  local account = (counter % n) + 1
  local issue = (math.floor(counter / n) * 37 + account * 13) % ISSUES + 1
  counter = counter + T
  return wrk.format("POST", "/api/v1/agenda/issues/" .. issue .. "/support",
                    {["Authorization"] = "Bearer " .. tokens[account],
                     ["Accept"] = "application/json"}, "")
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx or socket errors: %d\n",
                         summary.errors.status + summary.errors.connect + summary.errors.read +
                         summary.errors.write + summary.errors.timeout))
end
