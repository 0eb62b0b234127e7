-- wrk-queries.lua — replay a list of request paths against a search server
-- and print one machine-readable summary line.
--
-- usage:
--   WRK_PATHS=paths.txt wrk -t2 -c32 -d10s --latency -s bench/wrk-queries.lua http://127.0.0.1:PORT
--
-- WRK_PATHS names a file with one request path per line (e.g. made by
-- bench/paths); blank lines and lines starting with # are ignored.
-- Each wrk thread walks the whole list in order, wrapping round, but starts
-- at its own offset so threads are not all asking for the same query at once.
--
-- At the end one line goes to stdout (after wrk's own report):
--   RESULT requests=<n> rps=<x> p50_ms=<x> p99_ms=<x> non2xx=<n> errors=<n>
-- requests and rps count completed responses over the run; p50/p99 come from
-- wrk's latency histogram; non2xx counts responses whose status is outside
-- 200-299 (counted by each thread in response() and summed here); errors is
-- wrk's socket errors (connect + read + write + timeout).

local threads = {}

-- Main Lua state: called once per thread before it starts. Give each thread
-- a number so init() can pick a starting offset, and remember the thread so
-- done() can read its counters.
function setup(thread)
    thread:set("thread_no", #threads)
    table.insert(threads, thread)
end

local function load_paths()
    local name = os.getenv("WRK_PATHS")
    if name == nil or name == "" then
        error("wrk-queries.lua: set WRK_PATHS to a file of request paths")
    end
    local f = io.open(name, "r")
    if f == nil then
        error("wrk-queries.lua: cannot open " .. name)
    end
    local list = {}
    for line in f:lines() do
        line = line:gsub("^%s+", ""):gsub("%s+$", "")
        if line ~= "" and line:sub(1, 1) ~= "#" then
            if line:sub(1, 1) ~= "/" then line = "/" .. line end
            table.insert(list, line)
        end
    end
    f:close()
    if #list == 0 then
        error("wrk-queries.lua: no request paths in " .. name)
    end
    return list
end

-- Per-thread state (each wrk thread has its own Lua state).
local requests = {}
local pos = 0
non2xx = 0

function init(args)
    local list = load_paths()
    for i, path in ipairs(list) do
        -- Prebuild the raw request text once rather than on every request.
        requests[i] = wrk.format("GET", path)
    end
    -- Spread starting points by the golden ratio: reasonably even for any
    -- number of threads, without needing to know that number here.
    local n = #requests
    local k = tonumber(thread_no) or 0
    pos = math.floor(n * ((k * 0.6180339887) % 1))
end

function request()
    pos = pos % #requests + 1
    return requests[pos]
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
    end
end

function done(summary, latency, requests_)
    local bad = 0
    for _, thread in ipairs(threads) do
        bad = bad + (tonumber(thread:get("non2xx")) or 0)
    end
    local e = summary.errors
    local errors = e.connect + e.read + e.write + e.timeout
    local secs = summary.duration / 1e6
    local rps = 0
    if secs > 0 then rps = summary.requests / secs end
    io.write(string.format(
        "RESULT requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f non2xx=%d errors=%d\n",
        summary.requests, rps,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        bad, errors))
end
