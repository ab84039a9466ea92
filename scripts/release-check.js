#!/usr/bin/env node
// The release workflow's gate: the tag names package.json's version, and package.json names this
// repository (not a placeholder, not the repository it was forked from). Prints `version=X` for
// $GITHUB_OUTPUT. The CHANGELOG has a section for the version. `--notes X` prints the CHANGELOG section of version X instead.
'use strict';
const fs = require('fs');
const path = require('path');

const PLACEHOLDERS = /your-org|example|owner\/|<|>|placeholder/i;

/** What is wrong with releasing `manifest` as `tag` from `repository` (owner/name); [] when nothing. */
function releaseProblems(manifest, tag, repository, changelog) {
  const problems = [];
  const version = String(manifest.version ?? '');
  if (!/^\d+\.\d+\.\d+$/.test(version) || version === '0.0.0')
    problems.push(`package.json's version "${version}" is not a release version`);
  if (tag !== `v${version}`) problems.push(`the tag "${tag}" does not name package.json's version (v${version})`);
  const url = String(manifest.repository?.url ?? manifest.repository ?? '');
  const expected = `https://github.com/${repository}`;
  if (PLACEHOLDERS.test(url)) problems.push(`package.json's repository "${url}" is a placeholder`);
  else if (url.replace(/\.git$/, '').toLowerCase() !== expected.toLowerCase())
    problems.push(`package.json's repository "${url}" is not this repository (${expected}): set it before releasing`);
  if (!manifest.publisher || PLACEHOLDERS.test(manifest.publisher)) problems.push('package.json has no real publisher');
  // The release's notes are its CHANGELOG section: a release without one would say nothing to its users.
  if (changelog !== undefined && !changelog.split('\n').some((line) => line.startsWith(`## [${version}] - `)))
    problems.push(`CHANGELOG.md has no "## [${version}] - <date>" section`);
  return problems;
}

/** The CHANGELOG's section for `version` (Keep a Changelog: "## [X] - date"). */
function releaseNotes(changelog, version) {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
  if (start < 0) return `Jira Token Guard ${version}.`;
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

function main(argv) {
  const repo = path.resolve(__dirname, '..');
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const option = (name) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const notes = option('--notes');
  if (notes !== undefined) {
    process.stdout.write(releaseNotes(fs.readFileSync(path.join(repo, 'CHANGELOG.md'), 'utf8'), notes) + '\n');
    return 0;
  }
  const changelog = fs.readFileSync(path.join(repo, 'CHANGELOG.md'), 'utf8');
  const problems = releaseProblems(manifest, option('--tag') ?? '', option('--repository') ?? '', changelog);
  if (problems.length) {
    for (const problem of problems) process.stderr.write(`release-check: ${problem}\n`);
    return 1;
  }
  process.stdout.write(`version=${manifest.version}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
module.exports = { releaseProblems, releaseNotes };
