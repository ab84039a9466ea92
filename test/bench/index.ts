// `npm run bench`: runs every *.bench.js beside this file. Each exports `run(): Promise<BenchLine[]>`
// and compares against a baseline measured in the same process: ratios, not absolute timings.
import * as fs from 'fs';
import * as path from 'path';

export interface BenchLine {
  name: string;
  /** e.g. "3.4x baseline throughput" */
  value: string;
  target: string;
  met: boolean;
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js') && (!filter || f.includes(filter)))
    .sort();
  const lines: BenchLine[] = [];
  for (const file of files) {
    console.log(`\n== ${file.replace(/\.bench\.js$/, '')}`);
    const mod = (await import(path.join(__dirname, file))) as { run(): Promise<BenchLine[]> };
    lines.push(...(await mod.run()));
  }
  console.log('\n== summary');
  for (const l of lines) console.log(`${l.met ? 'MET ' : 'MISS'}  ${l.name}: ${l.value} (target: ${l.target})`);
  const missed = lines.filter((l) => !l.met).length;
  console.log(`\n${lines.length - missed} targets met, ${missed} missed`);
  process.exitCode = missed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
