// Writes a folder's .vscode/launch.json and waits until VS Code's configuration holds every configuration.
import * as path from 'path';
import * as vscode from 'vscode';
import { waitFor } from './waiting';

export async function writeLaunchJson(folder: vscode.WorkspaceFolder, configurations: vscode.DebugConfiguration[]): Promise<string> {
  const file = path.join(folder.uri.fsPath, '.vscode', 'launch.json');
  const names = configurations.map((c) => c.name);
  const inForce = () => {
    const read = vscode.workspace.getConfiguration('launch', folder.uri).get<Array<{ name: string }>>('configurations') ?? [];
    return names.every((n) => read.some((c) => c.name === n));
  };
  // Through VS Code's file service, so the change is usually seen at once (its watcher on 1.90 misses a new .vscode folder).
  await vscode.workspace.fs.writeFile(vscode.Uri.file(file), Buffer.from(JSON.stringify({ version: '0.2.0', configurations }, null, 2)));
  try {
    await waitFor('VS Code to read launch.json', inForce, 5_000);
  } catch {
    // A loaded machine can drop the file event: the configuration service then writes the file and is in force at once.
    await vscode.workspace
      .getConfiguration('launch', folder.uri)
      .update('configurations', configurations, vscode.ConfigurationTarget.WorkspaceFolder);
    await waitFor('VS Code to read launch.json (written through the configuration service)', inForce, 20_000);
  }
  return file;
}
