// PlayFile and ReadInput as CommuniGate runs them, for every channel: what skips a prompt, what
// the trace says, when ReadInput waits and what it returns. A channel supplies only how it finds a
// prompt, how sound takes time (a virtual clock, RTP packets) and how it waits.
import type { Input } from './api';
import { MISSING_PROMPT_MS } from './environment';
import type { CallInput } from './input';
import type { CutReason, TraceSink } from './trace';

export interface StepContext {
  input: CallInput;
  trace: TraceSink;
  /** The channel's clock, in ms (for how long a prompt played before it was cut). */
  now(): number;
  /** The call's current language (named in the trace when a prompt is missing). */
  language(): string;
}

/** A prompt found for PlayFile: `path` null when there is no recording (silence instead). */
export interface FoundPrompt {
  language: string;
  path: string | null;
  /** Why there is no recording. */
  problem?: string;
}

/**
 * PlayFile: skipped when input is waiting (before and after the look-up, which is real I/O), else
 * played by `sound` until it ends or the caller cuts it.
 * @param sound plays the prompt; it returns what cut it (null: it played to the end)
 */
export async function playFileStep<P extends FoundPrompt>(
  ctx: StepContext,
  name: string,
  find: () => Promise<P>,
  sound: (prompt: P, cutsPrompt: (reason: CutReason) => boolean) => Promise<CutReason | null>,
): Promise<void> {
  const before = ctx.input.interruption();
  if (before) {
    ctx.trace.add({ kind: 'prompt-skipped', name, reason: before });
    return;
  }
  const prompt = await find();
  const meanwhile = ctx.input.interruption();
  if (meanwhile) {
    ctx.trace.add({ kind: 'prompt-skipped', name, reason: meanwhile });
    return;
  }
  if (prompt.path === null) {
    ctx.trace.add({
      kind: 'prompt-missing',
      name,
      language: ctx.language(),
      reason: `${prompt.problem ?? 'no file'}; ${MISSING_PROMPT_MS / 1000} s of silence instead`,
    });
  }
  ctx.trace.add({ kind: 'prompt-started', name, language: prompt.language, path: prompt.path });
  const started = ctx.now();
  const cut = await sound(prompt, ctx.input.cutsPrompt);
  if (cut) ctx.trace.add({ kind: 'prompt-cut', name, reason: cut, afterMs: ctx.now() - started });
  else ctx.trace.add({ kind: 'prompt-finished', name });
}

/**
 * ReadInput(seconds): a buffered key or event at once; else waits (anything arriving ends the wait)
 * and returns it, or null after the time-out. `wait(ms)` waits on the channel's clock.
 */
export async function readInputStep(
  ctx: StepContext,
  seconds: number,
  wait: (ms: number) => Promise<unknown>,
): Promise<Input> {
  const ready = ctx.input.take();
  if (ready !== undefined) return ready;
  if (!(seconds > 0)) return null;
  ctx.trace.add({ kind: 'waiting', timeout: seconds });
  await wait(seconds * 1000);
  const arrived = ctx.input.take();
  if (arrived !== undefined) return arrived;
  ctx.trace.add({ kind: 'input-timeout', timeout: seconds });
  return null;
}
