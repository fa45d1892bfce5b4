-- wrk script: GET with an optional aiport token; prints one parseable RESULT line at the end.
-- Env: TOKEN adds "Coder-Session-Token: <token>".
local token = os.getenv("TOKEN")
wrk.method = "GET"
if token and token ~= "" then wrk.headers["Coder-Session-Token"] = token end

function done(summary, latency, requests)
  local s = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f mean_ms=%.3f requests=%d non2xx=%d sock_err=%d\n",
    summary.requests / s, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.mean / 1000,
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
end
