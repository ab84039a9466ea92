// Core's Jira client (core/jira) over Node's transport: what the extension's features, the command line and
// the unit tests use. The same names and shapes as core's, with `transport` optional (Node's by default);
// a browser entry uses core/jira directly with its own transport.
import {
  type CheckAllOptions,
  type CheckOptions,
  OrgAdminApi as CoreOrgAdminApi,
  type OrgAdminOptions,
  PatApi as CorePatApi,
  type PatApiOptions,
  checkAll as coreCheckAll,
  checkCredential as coreCheckCredential,
  fetchCloudId as coreFetchCloudId,
} from '../core/jira';
import type { CheckResult, Credential } from '../core/connections/connection';
import { openNodeTransport } from './httpTransport';

export * from '../core/jira';
export { openNodeTransport } from './httpTransport';

/** Options of core's Jira client with the transport optional: Node's unless given. */
export type OnNode<T extends { transport: unknown }> = Omit<T, 'transport'> & Partial<Pick<T, 'transport'>>;

export function checkCredential(connection: Credential, token: string, options: OnNode<CheckOptions> = {}): Promise<CheckResult> {
  return coreCheckCredential(connection, token, { ...options, transport: options.transport ?? openNodeTransport });
}

export function fetchCloudId(siteUrl: string, options: OnNode<CheckOptions> = {}): Promise<string | undefined> {
  return coreFetchCloudId(siteUrl, { ...options, transport: options.transport ?? openNodeTransport });
}

export function checkAll(
  items: Array<{ connection: Credential & { id: string }; token: string }>,
  options: OnNode<CheckAllOptions> = {},
): Promise<Map<string, CheckResult>> {
  return coreCheckAll(items, { ...options, transport: options.transport ?? openNodeTransport });
}

export class PatApi extends CorePatApi {
  constructor(baseUrl: string, options: OnNode<PatApiOptions> = {}) {
    super(baseUrl, { ...options, transport: options.transport ?? openNodeTransport });
  }
}

export class OrgAdminApi extends CoreOrgAdminApi {
  constructor(options: OnNode<OrgAdminOptions> = {}) {
    super({ ...options, transport: options.transport ?? openNodeTransport });
  }
}
