// Preloaded with `node -r` into every measured process: writes what the process used (peak resident set
// in KB, user and system CPU time in microseconds) as JSON to the file named by JTG_BENCH_USAGE_FILE when
// it exits. The process itself is not changed; all three measured processes carry the same preload.
import * as fs from 'fs';

const target = process.env.JTG_BENCH_USAGE_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(target, JSON.stringify({ maxRssKb: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime }));
  });
}
