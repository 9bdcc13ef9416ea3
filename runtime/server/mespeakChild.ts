// mespeak runs in child processes, never in the server: its emscripten file system corrupts the loaded
// dictionary on about the 80th call and V8 then aborts the whole process (not an exception), and one
// sentence keeps the CPU busy for a few hundred milliseconds, which would stall live test calls.
// A child is kept for a few jobs: loading mespeak (5 MB of JS) and its first sentence cost ~1.5 s of CPU,
// later sentences ~0.3 s — so a list of prompts is spoken about five times faster than with a child per
// prompt. It is replaced well before the corruption, after any failure, and when idle.
import { type ChildProcess, spawn } from 'node:child_process';
import { HttpError } from './http';

/** Sentences one child speaks before it is replaced (mespeak breaks at about the 80th). */
export const JOBS_PER_CHILD = 20;
/** An idle child exits after this long: an idle server holds no engine. */
const IDLE_MS = 10_000;
const TIMEOUT_MS = 30_000;

export interface MespeakJob {
  module: string;
  config: string;
  voiceFile: string;
  voice: string;
  text: string;
}

// The child: mespeak prints chatter with console.*, so only the IPC channel carries the answers.
const CHILD = `
for (const k of ['log', 'info', 'warn', 'error', 'debug']) console[k] = () => {};
let meSpeak = null;
const voices = new Set();
process.on('disconnect', () => process.exit(0));
process.on('message', (job) => {
  try {
    if (!meSpeak) {
      meSpeak = require(job.module);
      meSpeak.loadConfig(require(job.config));
    }
    if (!voices.has(job.voice)) {
      meSpeak.loadVoice(require(job.voiceFile));
      voices.add(job.voice);
    }
    const wav = meSpeak.speak(job.text, { rawdata: 'array', voice: job.voice });
    if (!wav || !wav.length) throw new Error('mespeak produced no audio');
    process.send({ wav: Buffer.from(wav).toString('base64') });
  } catch (e) {
    process.send({ error: String(e instanceof Error ? e.message : e).split('\\n')[0].slice(0, 300) });
  }
});
`;

interface Speaker {
  child: ChildProcess;
  jobs: number;
  idleTimer?: NodeJS.Timeout;
  /** Set while a job runs: the child's exit ends that job. */
  onExit?: (why: string) => void;
}

/** Children waiting for a job (the caller bounds how many run at once). */
const idle: Speaker[] = [];
let started = 0;

/** How many mespeak children this process has started (tests: that children are kept, and replaced). */
export function mespeakChildrenStarted(): number {
  return started;
}

function startSpeaker(): Speaker {
  // ELECTRON_RUN_AS_NODE: inside the desktop app process.execPath is Electron itself.
  const child = spawn(process.execPath, ['-e', CHILD], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    windowsHide: true,
  });
  started++;
  const speaker: Speaker = { child, jobs: 0 };
  const gone = (why: string) => {
    retire(speaker);
    speaker.onExit?.(why);
  };
  child.on('error', (err) => gone(`could not start: ${err.message}`));
  child.on('exit', (code, signal) => gone(`stopped (${signal ?? `exit ${code}`}) before answering`));
  return speaker;
}

function retire(speaker: Speaker): void {
  const i = idle.indexOf(speaker);
  if (i >= 0) idle.splice(i, 1);
  clearTimeout(speaker.idleTimer);
  if (speaker.child.exitCode === null && speaker.child.signalCode === null) speaker.child.kill();
}

/** Back to the idle list, or replaced when it has spoken its share. Idle children never keep the process alive. */
function release(speaker: Speaker): void {
  if (speaker.jobs >= JOBS_PER_CHILD) return retire(speaker);
  speaker.child.unref();
  speaker.child.channel?.unref();
  speaker.idleTimer = setTimeout(() => retire(speaker), IDLE_MS);
  speaker.idleTimer.unref();
  idle.push(speaker);
}

function acquire(): Speaker {
  const speaker = idle.pop() ?? startSpeaker();
  clearTimeout(speaker.idleTimer);
  speaker.child.ref();
  speaker.child.channel?.ref();
  speaker.jobs++;
  return speaker;
}

/**
 * The WAV (22050 Hz mono 16-bit) mespeak speaks for the job; any failure → HttpError(500) naming the
 * language, and the child that failed is not used again.
 */
export function mespeakSpeak(job: MespeakJob, language: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const speaker = acquire();
    const { child } = speaker;
    let settled = false;
    const finish = (err: HttpError | null, wav?: Uint8Array) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('message', onMessage);
      speaker.onExit = undefined;
      if (err) {
        retire(speaker);
        reject(err);
      } else {
        release(speaker);
        resolve(wav!);
      }
    };
    const fail = (why: string) => finish(new HttpError(500, `text-to-speech (mespeak) for ${language} ${why}`));
    const timer = setTimeout(() => fail(`took longer than ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
    const onMessage = (m: { wav?: string; error?: string }) => {
      if (typeof m?.wav === 'string') finish(null, new Uint8Array(Buffer.from(m.wav, 'base64')));
      else fail(`failed: ${m?.error ?? 'no answer'}`);
    };
    speaker.onExit = fail;
    child.on('message', onMessage);
    child.send(job, (err) => {
      if (err) fail(`could not start: ${err.message}`);
    });
  });
}
