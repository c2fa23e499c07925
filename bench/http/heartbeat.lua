-- wrk script: POST /v1/heartbeat with a different body on every request.
-- Environment (run.sh sets these; the same values go to dnsd and to nginx):
--   HB_MODE       renew: cycle through HB_INSTANCES instances (renewals after the first pass)
--                 new:   a new instance id on every request (registrations only)
--   HB_INSTANCES  how many distinct instances "renew" cycles through (default 1000)
--   HB_SERVICES   how many services the instances are spread over (default 100)
-- At the end one machine-readable line: WRKRESULT key=value ...

local mode = os.getenv("HB_MODE") or "renew"
local instances = tonumber(os.getenv("HB_INSTANCES") or "1000")
local services = tonumber(os.getenv("HB_SERVICES") or "100")

-- setup() runs in the main Lua state, once per wrk thread: give each thread its own number
-- so that threads do not send the same "new" ids.
local threads = {}
local next_thread = 0
function setup(thread)
   thread:set("thread_no", next_thread)
   next_thread = next_thread + 1
   table.insert(threads, thread)
end

local counter = 0
local headers = { ["Content-Type"] = "application/json" }

function request()
   counter = counter + 1
   local key, id
   if mode == "new" then
      key = counter
      id = string.format("n%d-%d", thread_no, counter)
   else
      -- Threads interleave over the same instances: each starts at a different offset.
      key = (counter + thread_no * 7919) % instances
      id = string.format("i%d", key)
   end
   local service = key % services
   local body = string.format(
      '{"service":"bench%d","address":"10.%d.%d.%d","port":%d,"id":"%s","ttl":60}',
      service, key % 200, math.floor(key / 200) % 250, (thread_no or 0) + 1,
      8000 + key % 1000, id)
   return wrk.format("POST", "/v1/heartbeat", headers, body)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "WRKRESULT requests=%d duration_us=%d rps=%.1f lat_avg_us=%.1f lat_p99_us=%d " ..
      "lat_max_us=%d non2xx=%d connect_err=%d read_err=%d write_err=%d timeout_err=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency.mean, latency:percentile(99), latency.max, e.status, e.connect, e.read,
      e.write, e.timeout))
end
