// IPC channel names and the shell's own menu commands, shared by main and preload.

export const CHANNELS = {
  chooseFlowToOpen: 'ivr:choose-flow-to-open',
  chooseSavePath: 'ivr:choose-save-path',
  documentChanged: 'ivr:document-changed',
  recentFiles: 'ivr:recent-files',
  /** main → page: run a designer action (name, arg). */
  runAction: 'ivr:run-action',
} as const;

/**
 * Menu commands the main process handles itself (native dialogs, SIP runtime, the About box);
 * every other name sent by the menu is a designer action (designer/actions).
 */
export const DESKTOP_COMMANDS = {
  open: 'desktop.open',
  openRecent: 'desktop.openRecent',
  clearRecent: 'desktop.clearRecent',
  save: 'desktop.save',
  saveAs: 'desktop.saveAs',
  startSip: 'desktop.startSip',
  stopSip: 'desktop.stopSip',
  about: 'desktop.about',
} as const;

export type DesktopCommand = (typeof DESKTOP_COMMANDS)[keyof typeof DESKTOP_COMMANDS];

export function isDesktopCommand(name: string): name is DesktopCommand {
  return (Object.values(DESKTOP_COMMANDS) as string[]).includes(name);
}
