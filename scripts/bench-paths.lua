-- wrk script of scripts/bench-peer.sh: each request asks for a path picked at random from the
-- file named by BENCH_PATHS (one path a line: history pages, or run_detail of many runs), with
-- the API token of BENCH_TOKEN when set. Other answers than 2xx are counted by wrk itself
-- ("Non-2xx or 3xx responses"), which the script checks.

local token = os.getenv("BENCH_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then
    table.insert(paths, line)
  end
end
if #paths == 0 then
  error("BENCH_PATHS names no paths")
end

-- Each wrk thread runs its own copy of this script: seed each differently.
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

function request()
  return wrk.format(nil, paths[math.random(#paths)])
end
