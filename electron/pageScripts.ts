// Small scripts run in the page's own world, where the designer put `window.ivrStudio = { runAction, ctx }`
// (designer/main.tsx). The preload and main.ts cannot reach that object directly (context isolation),
// so they run these through executeJavaScript. They only call into the designer; the work is its.

const ACTION_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * `window.ivrStudio.runAction(name, arg)`, or null for a name that is not an action name (the name is
 * pasted into code, so anything but a plain identifier is refused; the arg goes in as JSON).
 */
export function runActionScript(name: string, arg?: unknown): string | null {
  if (!ACTION_NAME.test(name)) return null;
  let argJson: string;
  try {
    argJson = arg === undefined ? 'undefined' : JSON.stringify(arg);
  } catch {
    return null;
  }
  if (argJson === undefined) return null;
  return `(async () => {
  const studio = window.ivrStudio;
  if (!studio) return false;
  await studio.runAction(${JSON.stringify(name)}, ${argJson});
  return true;
})()`;
}

/** → `{ name, path, dirty }` of the open flow, or null before the designer is up. */
export const DOCUMENT_STATE_SCRIPT = `(() => {
  const flow = window.ivrStudio && window.ivrStudio.ctx && window.ivrStudio.ctx.flow;
  if (!flow) return null;
  const s = flow.getState();
  return { name: String(s.doc && s.doc.name || 'flow'), path: s.path ?? null, dirty: s.doc !== s.savedDoc };
})()`;

/** → true while the focus is in a text field (Edit ▸ Copy then copies text, not nodes). */
export const EDITING_TEXT_SCRIPT = `(() => {
  const el = document.activeElement;
  if (!el) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  return tag === 'TEXTAREA' || (tag === 'INPUT' && !['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset'].includes(el.type));
})()`;
