// What a command was invoked with: an argument object (a keybinding, a task, another extension, a test), a
// node of the Connections tree (a menu), or nothing (the palette). Tree nodes carry a brand rather than being
// recognised by class, so this floor needs nothing from the tree.

/** Set on every node of the Connections tree. */
export const TREE_NODE: unique symbol = Symbol.for('jiraTokenGuard.treeNode');

/** A node of the Connections tree, as a command receives it from a menu. */
export interface TreeNodeRef {
  readonly [TREE_NODE]: true;
  /** The connection the node shows or belongs to. */
  readonly connectionId: string;
}

export function isTreeNode(arg: unknown): arg is TreeNodeRef {
  return typeof arg === 'object' && arg !== null && (arg as Partial<TreeNodeRef>)[TREE_NODE] === true;
}

/** True when the command was given its inputs (and so must not prompt). */
export function isArgumentObject(arg: unknown): arg is Record<string, unknown> {
  return typeof arg === 'object' && arg !== null && !isTreeNode(arg) && !Array.isArray(arg);
}

/** The connection id a command was invoked on: `{id}`, a tree node, or nothing (then the command asks). */
export function connectionIdOf(arg: unknown): string | undefined {
  if (isTreeNode(arg)) return arg.connectionId;
  if (isArgumentObject(arg) && typeof arg.id === 'string') return arg.id;
  return undefined;
}
