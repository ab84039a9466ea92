// The Jira credential check: the public API the extension and the CLI use.
export type { CheckOptions } from './check';
export { DEFAULT_GATEWAY_URL, DEFAULT_TIMEOUT_MS, checkCredential, fetchCloudId } from './check';
export type { CheckAllOptions } from './checkAll';
export { DEFAULT_CONCURRENCY, checkAll } from './checkAll';
export { CLOUD_TOKEN_PAGE } from '../connections/tokenPages';
export { PatApi } from './pat';
export type { PatAuth, PatError, PatInfo } from './pat';
