-- wrk script for scripts/bench_web.sh: each thread (one connection) owns one case and saves its
-- key question P2.1.1 over and over, alternating Y and N, always based on the version the last
-- response returned. CASES_FILE lists "slug case-ref version" lines; COOKIE and CSRF come from the
-- API sign-in.

local cases = {}
for line in io.lines(os.getenv("CASES_FILE")) do
  local slug, ref, version = line:match("^(%S+) (%S+) (%d+)$")
  table.insert(cases, { slug = slug, ref = ref, version = version })
end

local threads = {}
local next_case = 1

function setup(thread)
  local case = cases[next_case]
  next_case = next_case % #cases + 1
  thread:set("slug", case.slug)
  thread:set("ref", case.ref)
  thread:set("start_version", case.version)
  table.insert(threads, thread)
end

-- Globals, so that done() can read them with thread:get.
version, saves, conflicts, failures, answer, path, headers = nil, 0, 0, 0, nil, nil, nil

function init(args)
  version = tonumber(start_version)
  saves, conflicts, failures = 0, 0, 0
  answer = "N"
  path = "/api/v1/inspections/" .. slug .. "/cases/sentence-management/" .. ref .. "/answers/P2.1.1"
  headers = {
    ["Content-Type"] = "application/json",
    ["Cookie"] = os.getenv("COOKIE"),
    ["X-CSRF-Token"] = os.getenv("CSRF"),
  }
end

function request()
  answer = (answer == "Y") and "N" or "Y"
  local body = string.format('{"answer":"%s","version":%d}', answer, version)
  return wrk.format("PUT", path, headers, body)
end

function response(status, _, body)
  if status == 200 then
    saves = saves + 1
    version = tonumber(body:match('"version":(%d+)')) or version
  elseif status == 409 then
    conflicts = conflicts + 1
  else
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local s, c, f = 0, 0, 0
  for _, thread in ipairs(threads) do
    s = s + thread:get("saves")
    c = c + thread:get("conflicts")
    f = f + thread:get("failures")
  end
  io.write(string.format("saves committed: %d, conflicts: %d, other failures: %d\n", s, c, f))
end
