-- wrk script of scripts/load.sh: every request carries the API token (from the LOAD_TOKEN
-- environment variable, so that it is not on the command line), every answer that is not a 2xx is
-- counted (wrk itself counts only statuses above 399), and done() prints one machine-readable
-- line, `load-result key=value …`, that load.sh turns into its verdict.

local token = os.getenv("LOAD_TOKEN")
if token == nil or token == "" then
  error("LOAD_TOKEN is not set")
end
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"

-- Per-thread counters: each wrk thread runs its own copy of this script.
non2xx = 0
first_bad_status = 0

-- Defining response() makes wrk hand over headers and body; a plain counter keeps that cheap.
function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad_status == 0 then
      first_bad_status = status
    end
  end
end

-- setup() and done() run in wrk's main environment: collect the threads to read their counters.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local bad, first = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx")
    local f = t:get("first_bad_status")
    if first == 0 and f ~= 0 then
      first = f
    end
  end
  local e = summary.errors
  io.write(string.format(
    "load-result requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f"
      .. " connect=%d read=%d write=%d timeout=%d status_gt399=%d non2xx=%d first_bad_status=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.timeout, e.status, bad, first))
end
