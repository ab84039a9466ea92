// The leak scanner: text in, findings out. Plain TypeScript with no `vscode` import, shared by the
// editor integration and the command-line tool. Rules: ./rules/, one file each; formats: docs/token-formats.md.
export type { RuleId, Finding, KnownToken, ScanOptions } from './types';
export { scan } from './scan';
export { RULES } from './rules';
export { parseIgnoreFile, formatIgnoreEntry } from './ignores';
export { isProbablyBinary } from './binary';
export { envReference, ignoreComment } from './languages';
export type { EnvReference, CommentSyntax } from './languages';
// The byte scan of files (folder scans, the command line): its memory is its own and cleared after each use.
export { scanFileBytes, scanBytes, scanText, readInPlace, ByteScanner, REGION_MARGIN } from './byteScan';
export type { LocatedFinding, ByteScanOptions } from './byteScan';
export { decodeText, detectEncoding, isUtf16Text } from './textDecoding';
