// The I/O floor of a folder scan: walk the tree and read every file as bytes, nothing else.
// Usage: node rawRead.js <folder>; prints "<files> <bytes>".
import * as fs from 'fs';
import { walk } from './walk';

let files = 0;
let bytes = 0;
for (const file of walk(process.argv[2])) {
  bytes += fs.readFileSync(file.absolute).length;
  files++;
}
process.stdout.write(`${files} ${bytes}\n`);
