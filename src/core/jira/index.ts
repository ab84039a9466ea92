// The Jira credential check, the PAT API and the organisation admin API: the public API the extension and the CLI use.
export type { CheckOptions } from './check';
export type { ExtraCa, HttpMethod, OpenTransport, Transport, TransportAnswer, TransportOptions, TransportRequest } from './http';
export { MAX_ANSWER_BYTES, TransportError, USER_AGENT } from './http';
export { DEFAULT_GATEWAY_URL, DEFAULT_TIMEOUT_MS, checkCredential, fetchCloudId } from './check';
export type { CheckAllOptions } from './checkAll';
export { DEFAULT_CONCURRENCY, checkAll } from './checkAll';
export { CLOUD_TOKEN_PAGE } from '../connections/tokenPages';
export { PatApi } from './pat';
export type { ExactRevocation, PatApiOptions, PatAuth, PatError, PatInfo } from './pat';
export { DEFAULT_ADMIN_API_URL, OrgAdminApi, READ_TOKENS_SCOPE, rateLimitWaitMs } from './orgAdmin';
export type { OrgAdminError, OrgAdminFailure, OrgAdminOptions, OrgAdminProgress, OrgAdminResult, OrgToken, OrgTokenUser } from './orgAdmin';
