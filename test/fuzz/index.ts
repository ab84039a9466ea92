// `npm run fuzz -- --seconds N [--seed S]`: the differential fuzzer (differential.ts) for N seconds (60 by
// default) from seed S (random by default). Prints the seed, the documents and findings, and on a divergence
// the minimised document (tokens redacted); exits non-zero then. `--seed S --documents 1` replays one.
import { fuzz } from './differential';

function argument(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : Number(process.argv[i + 1]);
}

async function main(): Promise<void> {
  const seconds = argument('seconds') ?? 60;
  const seed = argument('seed') ?? Math.floor(Math.random() * 0x100000000);
  const most = argument('documents') ?? Infinity;
  const deadline = Date.now() + seconds * 1000;
  console.log(`fuzz: seed ${seed}, ${seconds} s`);
  const run = await fuzz(seed, (documents) => documents >= most || Date.now() >= deadline);
  console.log(
    `fuzz: seed ${seed}: ${run.documents} documents (seeds ${seed} to ${(seed + run.documents - 1) >>> 0}), ${run.findings} findings`,
  );
  if (run.failure) {
    console.log(`divergence:\n${run.failure}`);
    process.exitCode = 1;
  } else console.log('fuzz: no divergence');
}

void main();
