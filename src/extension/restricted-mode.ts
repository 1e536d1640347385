import * as vscode from 'vscode';

/**
 * Tells the user, once per window and only when it matters, that Restricted Mode left out some of the workspace's
 * settings (see RESTRICTED_SETTINGS), and which.
 */
export class RestrictedModeNotice {
  private shown = new Set<string>();

  notice(ignored: readonly string[]): void {
    const fresh = [...new Set(ignored)].filter((k) => !this.shown.has(k));
    if (fresh.length === 0) return;
    for (const k of fresh) this.shown.add(k);
    void vscode.window
      .showInformationMessage(
        `Restricted Mode: Neural Style ignores this workspace's ${list(fresh)} and uses your user settings for ` +
          `${fresh.length === 1 ? 'it' : 'them'}. Trust the workspace to use its settings.`,
        'Manage Workspace Trust',
      )
      .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  }
}

function list(keys: readonly string[]): string {
  return keys.length === 1 ? keys[0] : `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}`;
}
