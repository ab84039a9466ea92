// The reference process: what a gitleaks-style tool does per file with its Atlassian rule (read, decode,
// keyword prefilter, regex, entropy), over the same walk as the floor.
// Usage: node gitleaksReference.js <folder>; prints one "<relative path>:<line>" per match.
import * as fs from 'fs';
import { gitleaksAtlassianMatches } from '../gitleaksRule';
import { walk } from './walk';

const out: string[] = [];
for (const file of walk(process.argv[2])) {
  const text = fs.readFileSync(file.absolute, 'utf8');
  for (const offset of gitleaksAtlassianMatches(text)) out.push(`${file.relative}:${lineOf(text, offset)}`);
}
process.stdout.write(out.map((line) => `${line}\n`).join(''));

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
