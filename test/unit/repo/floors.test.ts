// The floors of src/ are lint rules (eslint.config.mjs, house/floors and the vscode ban): each deliberate
// violation below, written into a real file of its room, is refused with a message that says which floor.
import * as assert from 'assert';
import * as path from 'path';
import { ESLint } from 'eslint';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

describe('the floors of src/ (lint)', function () {
  this.timeout(120_000);
  const eslint = new ESLint({ cwd: REPO });

  async function problems(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(REPO, file) });
    return result.messages
      .filter((m) => m.ruleId === 'house/floors' || m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
      .map((m) => m.message);
  }

  const cases: Array<[string, string, string, RegExp]> = [
    [
      'core imports nothing outside core',
      'src/core/common/text.ts',
      "import { Log } from '../../common/log';\nexport const x = Log;\n",
      /src\/core\/ may import only src\/core\//,
    ],
    [
      'core never imports vscode',
      'src/core/common/text.ts',
      "import * as vscode from 'vscode';\nexport const x = vscode;\n",
      /must not import vscode/,
    ],
    [
      'core imports no Node module, plain or node:',
      'src/core/common/text.ts',
      "import * as fs from 'fs';\nimport { createHash } from 'node:crypto';\nexport const x = [fs, createHash];\n",
      /src\/core runs in a browser too: no Node modules there/,
    ],
    [
      "core imports no Node module's sub-path",
      'src/core/common/text.ts',
      "import { readFile } from 'fs/promises';\nexport const x = readFile;\n",
      /src\/core runs in a browser too: no Node modules there/,
    ],
    [
      "core uses none of Node's globals",
      'src/core/common/text.ts',
      "export const x = Buffer.from('a').length + (process.env.X ?? '').length;\n",
      /src\/core runs in a browser too, where there is no Buffer/,
    ],
    [
      'the Node adapters import no feature',
      'src/node/regularFile.ts',
      "import { LeakDiagnostics } from '../leaks/leakDiagnostics';\nexport const x = LeakDiagnostics;\n",
      /src\/node\/ may import only src\/core\/, src\/node\/, not a feature folder/,
    ],
    [
      'common imports no feature',
      'src/common/log.ts',
      "import { ConnectionStore } from '../connections/connectionStore';\nexport const x = ConnectionStore;\n",
      /src\/common\/ may import only .* not a feature folder/,
    ],
    [
      'a feature imports no command-line code',
      'src/leaks/leakGuard.ts',
      "import { main } from '../cli/main';\nexport const x = main;\n",
      /a feature folder may import only .* not src\/cli\//,
    ],
    [
      'the command line imports no feature',
      'src/cli/run.ts',
      "import { LeakDiagnostics } from '../leaks/leakDiagnostics';\nexport const x = LeakDiagnostics;\n",
      /src\/cli\/ may import only .* not a feature folder/,
    ],
    [
      'the scan engine imports no feature and no command line',
      'src/scanEngine/walker.ts',
      "import { UsageError } from '../cli/args';\nexport const x = UsageError;\n",
      /src\/scanEngine\/ may import only .* not src\/cli\//,
    ],
    [
      'a package is imported through its index only',
      'src/leaks/leakGuard.ts',
      "import { ByteScanner } from '../core/scanner/byteScan';\nexport const x = ByteScanner;\n",
      /Import src\/core\/scanner through its index.ts, not src\/core\/scanner\/byteScan/,
    ],
    [
      "a dynamic import into a package's inside is refused too",
      'src/rotation/rotationCommands.ts',
      "export const x = () => import('../core/jira/pat');\n",
      /Import src\/core\/jira through its index.ts/,
    ],
  ];
  for (const [rule, file, code, message] of cases) {
    it(`${rule}: a deliberate violation is refused`, async () => {
      const found = await problems(file, code);
      assert.ok(
        found.some((m) => message.test(m)),
        found.join('\n') || 'no problem reported',
      );
    });
  }

  it('an allowed import passes', async () => {
    assert.deepStrictEqual(await problems('src/leaks/leakGuard.ts', "import { Log } from '../common/log';\nexport const x = Log;\n"), []);
    assert.deepStrictEqual(
      await problems('src/leaks/leakGuard.ts', "import { scan } from '../core/scanner';\nexport const x = scan;\n"),
      [],
    );
    assert.deepStrictEqual(
      await problems('src/cli/run.ts', "import { readRegularFile } from '../node/regularFile';\nexport const x = readRegularFile;\n"),
      [],
    );
    // Inside the package, its own files import each other freely.
    assert.deepStrictEqual(await problems('src/core/scanner/byteScan.ts', "import { scan } from './scan';\nexport const x = scan;\n"), []);
  });
});
