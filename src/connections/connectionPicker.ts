// Which connection a command is about, and which kind a new one is: the one picker every feature asks
// (connections, checks, leaks, hygiene, rotation, MCP), so they all resolve `{ id }`, tree nodes and the
// empty store alike.
import * as vscode from 'vscode';
import { type Connection, CONNECTION_KINDS, type ConnectionKind, connectionUser } from '../core/connections/connection';
import { KIND_LABELS } from '../core/connections/kindLabels';
import { type ConnectionStore } from './connectionStore';
import { connectionIdOf } from '../common/commandArgs';
import { UserFacingError } from '../common/userFacingError';
import { Commands } from '../common/constants';
import { type Ui } from '../common/ui';
import type { MultiStepInput } from '../common/multiStepInput';

/** The connection a command was invoked on, or one the user picks; undefined when there is none or they cancel. */
export type PickConnection = (arg: unknown, placeHolder: string) => Promise<Connection | undefined>;

export class ConnectionPicker {
  constructor(
    private readonly store: Pick<ConnectionStore, 'get' | 'list'>,
    private readonly ui: Ui,
  ) {}

  /** The connection with this id; an error in plain words when there is none. */
  require(id: string): Connection {
    const connection = this.store.get(id);
    if (!connection) throw new UserFacingError(id ? `No connection has the id "${id}".` : 'Say which connection: { id }.');
    return connection;
  }

  /** A `{ id }` or tree node names it; otherwise the only connection, or the one the user picks. */
  readonly pick: PickConnection = async (arg, placeHolder) => {
    const id = connectionIdOf(arg);
    if (id) return this.require(id);
    const connections = this.store.list();
    if (connections.length === 0) {
      void this.ui.showInformationMessage('There are no Jira connections yet.', {}, 'Add Jira Connection').then((choice) => {
        if (choice) void vscode.commands.executeCommand(Commands.addConnection);
      });
      return undefined;
    }
    if (connections.length === 1) return connections[0];
    const picked = await this.ui.showQuickPick(
      connections.map((c) => ({ label: c.label, description: `${connectionUser(c) ?? ''} · ${c.baseUrl}`, connection: c })),
      { placeHolder },
    );
    return picked?.connection;
  };
}

/**
 * Asks which kind of Jira and token, as a step of a guided flow: the `suggested` kind comes first, the
 * `current` one (the previous answer, when the user went back) is highlighted.
 */
export async function pickKind(
  input: MultiStepInput,
  suggested: ConnectionKind | undefined,
  current?: ConnectionKind,
): Promise<ConnectionKind> {
  const items: Array<vscode.QuickPickItem & { connectionKind: ConnectionKind }> = CONNECTION_KINDS.map((kind) => {
    const { label, choice } = KIND_LABELS[kind];
    return { connectionKind: kind, label: choice.label, description: choice.description, detail: choice.detail ?? label };
  });
  items.sort((a, b) => Number(b.connectionKind === suggested) - Number(a.connectionKind === suggested));
  if (suggested) items[0].description = `${items[0].description} — suggested for this URL`;
  const picked = await input.showQuickPick(items, {
    title: 'Add Jira Connection: kind of token',
    placeHolder: 'Which kind of Jira and token?',
    ignoreFocusOut: true,
    activeItem: items.find((item) => item.connectionKind === current),
  });
  return picked.connectionKind;
}
