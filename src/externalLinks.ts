// Opens web pages (sites, token pages, login pages) in the user's browser. Tests switch it to
// recording, so no browser or "open external website?" dialog appears in the test host.
import * as vscode from 'vscode';

export class ExternalLinks {
  private recorder: string[] | undefined;

  async open(url: string): Promise<boolean> {
    if (this.recorder) {
      this.recorder.push(url);
      return true;
    }
    try {
      return await vscode.env.openExternal(vscode.Uri.parse(url));
    } catch {
      const choice = await vscode.window.showWarningMessage(`Could not open ${url} in the browser.`, 'Copy URL');
      if (choice) await vscode.env.clipboard.writeText(url);
      return false;
    }
  }

  /** Records the URLs instead of opening them until the returned function is called. */
  record(): { urls: string[]; stop(): void } {
    const urls: string[] = [];
    this.recorder = urls;
    return { urls, stop: () => { this.recorder = undefined; } };
  }
}
