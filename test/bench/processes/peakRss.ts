// Preloaded with `node -r` into a measured process: writes its peak resident set size (KB) to the file
// named by JTG_BENCH_RSS_FILE when it exits. The process itself is not changed.
import * as fs from 'fs';

const target = process.env.JTG_BENCH_RSS_FILE;
if (target) process.on('exit', () => fs.writeFileSync(target, String(process.resourceUsage().maxRSS)));
