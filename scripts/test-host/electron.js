// Runs the integration suite in desktop VS Code through @vscode/test-electron (downloads VS Code;
// needs Microsoft's update server and, on Linux, a display).
const path = require('path');

async function runTestsInElectron(options) {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new Error('no display (DISPLAY is unset); run under `xvfb-run -a` to use the desktop host');
  }
  const { runTests, downloadAndUnzipVSCode } = require('@vscode/test-electron');
  const vscodeExecutablePath = await withTimeout(
    downloadAndUnzipVSCode({ version: process.env.VSCODE_TEST_VERSION || 'stable' }),
    120_000,
    'VS Code download',
  );
  const userDataDir = path.join(path.resolve(__dirname, '..', '..'), '.vscode-test', 'electron-user-data');
  return runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: options.extensionDevelopmentPath,
    extensionTestsPath: options.extensionTestsPath,
    extensionTestsEnv: options.env,
    // A file after the folder opens in that window as it starts.
    launchArgs: [
      options.workspacePath,
      ...(options.openFile ? [options.openFile] : []),
      '--disable-extensions',
      '--disable-workspace-trust',
      `--user-data-dir=${userDataDir}`,
    ],
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]);
}

module.exports = { runTestsInElectron };
