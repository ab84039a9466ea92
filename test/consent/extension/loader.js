// The consent driver's entry point: the suite is the repository's compiled out/test/consent/index.js, named
// by the runner (scripts/test-host/consent.js), so the package holds nothing but this file and its manifest.
// The suite gets this extension's own vscode module: VS Code ties debugger registrations to the extension.
exports.activate = (context) => {
  const suite = process.env.JTG_CONSENT_SUITE;
  if (suite) require(suite).run(context, require('vscode'));
};
exports.deactivate = () => {};
