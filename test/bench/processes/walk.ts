// The plain recursive walk the two baseline processes share: every regular file, no links, sorted nowhere.
import * as fs from 'fs';
import * as path from 'path';

export function* walk(dir: string, relative = ''): Generator<{ absolute: string; relative: string }> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const absolute = path.join(dir, entry.name);
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walk(absolute, rel);
    else if (entry.isFile()) yield { absolute, relative: rel };
  }
}
