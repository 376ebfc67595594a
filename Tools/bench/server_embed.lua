-- wrk script: POST /embed with one SST-2 dev sentence per request, cycling through the file in $TEXTS,
-- and a count of answers that are not 200 (wrk counts socket errors itself).
local texts = {}
for line in io.lines(os.getenv("TEXTS")) do
  texts[#texts + 1] = '{"text": "' .. line:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"}'
end
local next_text = 0
request = function()
  next_text = next_text % #texts + 1
  return wrk.format("POST", "/embed", { ["Content-Type"] = "application/json" }, texts[next_text])
end
local failed = 0
response = function(status)
  if status ~= 200 then failed = failed + 1 end
end
done = function(summary, latency)
  io.write(string.format("LUA requests=%d non200=%d p50_ms=%.2f p99_ms=%.2f\n", summary.requests, failed,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
