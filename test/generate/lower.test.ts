import { describe, expect, it } from 'vitest';
import type { Stmt } from '../../compiler/cgpl';
import { lowerFlow } from '../../compiler/generate';
import { cgplOf, flowOf } from './helpers';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

describe('lowerFlow per node type', () => {
  it('start alone does not answer (the call is answered lazily); an unconnected output ends without a stop', () => {
    expect(lines(cgplOf(flowOf([], [])))).toEqual(['entry Main is', 'end;']);
  });

  it('the call is answered just before the first node that needs media, once per path', () => {
    const text = cgplOf(
      flowOf(
        [
          { id: 'h', type: 'businessHours', data: { schedule: [{ days: ['Mon'], from: '09:00', to: '18:00' }] } },
          { id: 'r', type: 'transfer', data: { target: 'night', mode: 'redirect' } },
          { id: 'p', type: 'play', data: { prompts: ['Hello'] } },
          { id: 'q', type: 'play', data: { prompts: ['Again'] } },
        ],
        [
          ['start', 'next', 'h'],
          ['h', 'closed', 'r'],
          ['h', 'open', 'p'],
          ['p', 'next', 'q'],
        ],
      ),
    );
    // closed: redirected without an answer; open: answered before Hello only
    expect(text).toMatch(
      /then\s+if AcceptCall\(\) != null then stop; end if;\s+PlayFile\("Hello"\);\s+PlayFile\("Again"\);/,
    );
    expect(text.match(/AcceptCall/g)).toHaveLength(1);
    expect(text).toMatch(/else\s+RedirectCall\("night"\);/);
  });

  it('play plays each prompt; not interruptible switches DTMF interruption off around them', () => {
    const text = cgplOf(
      flowOf(
        [
          { id: 'a', type: 'play', data: { prompts: ['Hello', 'World'] } },
          { id: 'b', type: 'play', data: { prompts: ['Rules'], interruptible: false } },
        ],
        [
          ['start', 'next', 'a'],
          ['a', 'next', 'b'],
        ],
      ),
    );
    expect(lines(text).slice(2, -1)).toEqual([
      'PlayFile("Hello");',
      'PlayFile("World");',
      'Void(SetInterruptOnDTMF(false));',
      'PlayFile("Rules");',
      'Void(SetInterruptOnDTMF(true));',
    ]);
  });

  it('collectDigits: limits, separate timeouts, no clear key, replayed clear prompt', () => {
    const text = cgplOf(
      flowOf(
        [
          {
            id: 'c',
            type: 'collectDigits',
            data: {
              prompts: ['Enter'],
              endKey: '',
              clearKey: '',
              maxDigits: 4,
              firstDigitTimeout: 10,
              interDigitTimeout: 3,
              variable: 'pin',
            },
          },
          { id: 'ok', type: 'play', data: { prompts: ['Thanks'] } },
        ],
        [
          ['start', 'next', 'c'],
          ['c', 'done', 'ok'],
        ],
      ),
    );
    expect(text).toContain('pin = "";');
    expect(text).toContain('input = ReadInput(pin == "" ? 10 : 3);');
    expect(text).toContain('exitif not IsString(input);');
    expect(text).toContain('pin = pin + input;');
    expect(text).toContain('exitif Length(pin) >= 4;');
    expect(text).not.toContain('"*"');
    expect(text).toContain('if pin == "" then stop; end if;');
    const withClear = cgplOf(
      flowOf([{ id: 'c', type: 'collectDigits', data: { prompts: ['A', 'B'] } }], [['start', 'next', 'c']]),
    );
    expect(withClear).toMatch(
      /if input == "\*" then\s+digits = "";\s+PlayFile\("B"\);\s+else\s+digits = digits \+ input;/,
    );
  });

  it('menu: retry loop, disconnect stops, wrong digits clear the buffer, choice branches', () => {
    const text = cgplOf(
      flowOf(
        [
          {
            id: 'm',
            type: 'menu',
            data: {
              prompts: ['Menu'],
              options: [{ digit: '1' }, { digit: '#' }],
              timeout: 7,
              retries: 2,
              invalidPrompts: ['Bad'],
              noInputPrompts: ['Silence'],
              replayAnnouncement: false,
            },
          },
          { id: 'one', type: 'play', data: { prompts: ['One'] } },
          { id: 'late', type: 'play', data: { prompts: ['Late'] } },
        ],
        [
          ['start', 'next', 'm'],
          ['m', '1', 'one'],
          ['m', 'timeout', 'late'],
        ],
      ),
    );
    const l = lines(text);
    expect(l.indexOf('PlayFile("Menu");')).toBeLessThan(l.indexOf('loop')); // no replay: before the loop
    expect(l).toContain('choice = ReadInput(7);');
    expect(l).toContain('if IsDisconnectEvent(choice) then stop; end if;');
    expect(l).toContain('exitif choice == "1" or choice == "#";');
    expect(l).toContain('ClearDTMF();');
    expect(l).toContain('exitif tries >= 2;');
    expect(text).toMatch(
      /if choice == "1" then\s+PlayFile\("One"\);\s+elif choice == "timeout" then\s+PlayFile\("Late"\);\s+end if;/,
    );
  });

  it('sendEmail: templates become joins; to "" is MyEmail(); a recording is attached as a part', () => {
    const text = cgplOf(
      flowOf(
        [
          { id: 'r', type: 'recordVoicemail', data: { prompts: ['Beep'], maxSeconds: 30, variable: 'rec' } },
          {
            id: 'm',
            type: 'sendEmail',
            data: {
              from: '{{account}}',
              subject: 'From {{caller}} at {{domain}}',
              body: 'Hi {{who}}',
              attachRecording: 'rec',
            },
          },
        ],
        [
          ['start', 'next', 'r'],
          ['r', 'recorded', 'm'],
        ],
      ),
    );
    expect(text).toContain('rec = Record(30);');
    expect(text).toContain('if rec == null then stop; end if;');
    expect(text).toContain('part.("Content-Type") = "audio/wav";');
    expect(text).toContain('part.body = rec;');
    expect(text).toContain('content[1] = part;');
    expect(text).toContain(
      'SendEMail(MyEmail(), "From " + RemoteURI() + " at " + MyDomain(), MyEmail(), null, content) != null',
    );
    expect(lines(text)[1]).toBe('who = "";'); // never set: starts empty so joining it is safe
  });

  it('businessHours: time zone, day list, hours in seconds, holidays', () => {
    const text = cgplOf(
      flowOf(
        [
          {
            id: 'bh',
            type: 'businessHours',
            data: {
              timeZone: 'Europe/Moscow',
              schedule: [{ days: ['Mon', 'Fri'], from: '09:00', to: '18:30' }],
              holidays: ['2025-05-09'],
            },
          },
          { id: 'open', type: 'play', data: { prompts: ['Open'] } },
        ],
        [
          ['start', 'next', 'bh'],
          ['bh', 'open', 'open'],
        ],
      ),
    );
    expect(text).toContain('SetTimeZone("Europe/Moscow");');
    expect(text).toContain('now = LocalTime();');
    expect(text).toContain('FindSubstring("Mon Fri", WeekDay(now)) >= 0');
    expect(text).toContain('TimeOfDay(now) >= 32400');
    expect(text).toContain('TimeOfDay(now) < 66600');
    expect(text).toMatch(/if not \(Year\(now\) == 2025 and MonthNum\(now\) == 5 and MonthDay\(now\) == 9\) and \(/);
  });

  it('transfer redirect: a fixed target redirects; a template target takes failed when empty', () => {
    const fixed = cgplOf(
      flowOf(
        [
          { id: 't', type: 'transfer', data: { target: 'ivanov', mode: 'redirect' } },
          { id: 'p', type: 'play', data: { prompts: ['X'] } },
        ],
        [
          ['start', 'next', 'p'],
          ['p', 'next', 't'],
        ],
      ),
    );
    expect(lines(fixed).slice(-2)).toEqual(['RedirectCall("ivanov");', 'end;']);
    const tmpl = cgplOf(
      flowOf(
        [
          { id: 't', type: 'transfer', data: { target: '{{ext}}', mode: 'redirect' } },
          { id: 'sorry', type: 'play', data: { prompts: ['Sorry'] } },
        ],
        [
          ['start', 'next', 't'],
          ['t', 'failed', 'sorry'],
        ],
      ),
    );
    expect(tmpl).toMatch(
      /target = ext;\s+if target == "" then\s+if AcceptCall\(\) != null then stop; end if;\s+PlayFile\("Sorry"\);\s+else\s+RedirectCall\(target\);\s+end if;/,
    );
  });

  it('transfer connect: a helper task rings the target; busy, no answer and failure take their outputs', () => {
    const text = cgplOf(
      flowOf(
        [
          { id: 't', type: 'transfer', data: { target: 'ivanov', ringSeconds: 15 } },
          { id: 'b', type: 'play', data: { prompts: ['Busy'] } },
          { id: 'n', type: 'play', data: { prompts: ['NoAnswer'] } },
        ],
        [
          ['start', 'next', 't'],
          ['t', 'busy', 'b'],
          ['t', 'noAnswer', 'n'],
        ],
      ),
    );
    expect(text).toContain('dial.to = "ivanov";');
    expect(text).toContain('dial.ring = 15;');
    expect(text).toContain('dialError = StartBridge(spawn Connect(dial));');
    expect(text).toMatch(/if dialError == null then\s+loop\s+input = ReadInput\(3600\);/);
    expect(text).toMatch(/elif FindSubstring\(dialError, "busy"\) >= 0 then\s+if AcceptCall/);
    expect(text).toMatch(/elif dialError == "no answer" then\s+if AcceptCall/);
    expect(text).toContain('entry Connect is');
    expect(text).toContain('StartBridgedCall(request.to, bridge)');
  });

  it('transfer blind: TransferCall once answered; a failure takes failed', () => {
    const text = cgplOf(
      flowOf(
        [
          { id: 't', type: 'transfer', data: { target: 'ivanov', mode: 'blind' } },
          { id: 'f', type: 'play', data: { prompts: ['Sorry'] } },
        ],
        [
          ['start', 'next', 't'],
          ['t', 'failed', 'f'],
        ],
      ),
    );
    expect(text).toMatch(
      /if AcceptCall\(\) != null then stop; end if;\s+if TransferCall\("ivanov"\) == null then stop; end if;\s+PlayFile\("Sorry"\);/,
    );
    expect(text).not.toContain('entry Connect');
  });

  it('condition: equals, matches, empty', () => {
    const cond = (operator: string, value: string) =>
      cgplOf(
        flowOf(
          [
            { id: 'c', type: 'condition', data: { variable: 'x', operator, value } },
            { id: 'y', type: 'play', data: { prompts: ['Yes'] } },
          ],
          [
            ['start', 'next', 'c'],
            ['c', 'true', 'y'],
          ],
          { variables: [{ name: 'x', initial: '1' }] },
        ),
      );
    expect(cond('equals', 'v{{x}}')).toContain('if x == "v" + x then');
    expect(cond('matches', '^[0-9]+$')).toContain('if FindRegEx(x, "^[0-9]+$") != null then');
    expect(cond('empty', '')).toContain('if Length(x) == 0 then');
    expect(lines(cond('empty', ''))[1]).toBe('x = "1";');
  });

  it('setVariable and hangup', () => {
    const text = cgplOf(
      flowOf(
        [
          { id: 's', type: 'setVariable', data: { variable: 'greeting', value: 'Hello, {{caller}}!' } },
          { id: 'h', type: 'hangup' },
          { id: 'p', type: 'play', data: { prompts: ['After'] } },
          { id: 'c', type: 'condition', data: { variable: 'greeting', operator: 'empty' } },
        ],
        [
          ['start', 'next', 's'],
          ['s', 'next', 'c'],
          ['c', 'true', 'h'],
          ['c', 'false', 'p'],
        ],
      ),
    );
    expect(text).toContain('greeting = "Hello, " + RemoteURI() + "!";');
    expect(text).toMatch(
      /if Length\(greeting\) == 0 then\s+stop;\s+end if;\s+if AcceptCall\(\) != null then stop; end if;\s+PlayFile\("After"\);/,
    );
  });

  it('every statement carries the node it came from', () => {
    const program = lowerFlow(flowOf([{ id: 'p', type: 'play', data: { prompts: ['A'] } }], [['start', 'next', 'p']]));
    const body = (program.decls[0] as { body: Stmt[] }).body;
    expect(body.map((s) => s.nodeId)).toEqual(['p', 'p']);
  });

  it('names: flow variables win over helper names; invalid names are made valid; case folds', () => {
    const text = cgplOf(
      flowOf(
        [
          { id: 'c', type: 'collectDigits', data: { variable: 'input' } },
          { id: 's', type: 'setVariable', data: { variable: 'my var', value: '{{INPUT}}' } },
          { id: 'e', type: 'setVariable', data: { variable: 'end', value: 'x' } },
        ],
        [
          ['start', 'next', 'c'],
          ['c', 'done', 's'],
          ['s', 'next', 'e'],
        ],
      ),
    );
    expect(text).toContain('input2 = ReadInput(20);');
    expect(text).toContain('my_var = input;');
    expect(text).toContain('end_ = "x";');
  });
});

describe('lowerFlow control flow', () => {
  const noGoto = (text: string) => expect(text).not.toMatch(/\bgoto\b|\bbreak\b/);

  it('a menu option looping back to the menu becomes a dispatch loop', () => {
    const text = cgplOf(
      flowOf(
        [
          { id: 'menu1', type: 'menu', data: { prompts: ['Menu'], options: [{ digit: '1' }, { digit: '9' }] } },
          { id: 'info', type: 'play', data: { prompts: ['Info'] } },
          { id: 'bye', type: 'hangup' },
        ],
        [
          ['start', 'next', 'menu1'],
          ['menu1', '1', 'info'],
          ['info', 'next', 'menu1'],
          ['menu1', '9', 'bye'],
        ],
      ),
    );
    noGoto(text);
    expect(text).toMatch(/next = "menu1";\s+loop\s+if next == "menu1" then/);
    expect(text).toMatch(/PlayFile\("Info"\);\s+next = "menu1";/);
    expect(text).toMatch(/elif choice == "9" then\s+stop;/);
  });

  it('two branches joining share one copy of the joined node', () => {
    const text = cgplOf(
      flowOf(
        [
          { id: 'c', type: 'condition', data: { variable: 'x', operator: 'empty' } },
          { id: 'a', type: 'play', data: { prompts: ['A'] } },
          { id: 'b', type: 'play', data: { prompts: ['B'] } },
          { id: 'j', type: 'play', data: { prompts: ['Joined'] } },
        ],
        [
          ['start', 'next', 'c'],
          ['c', 'true', 'a'],
          ['c', 'false', 'b'],
          ['a', 'next', 'j'],
          ['b', 'next', 'j'],
        ],
      ),
    );
    noGoto(text);
    expect(text.match(/Joined/g)).toHaveLength(1);
    // Only c's branches lead to j: j follows the if, no dispatch case needed.
    expect(text).toMatch(/PlayFile\("B"\);\s+end if;\s+PlayFile\("Joined"\);/);
    expect(text).not.toMatch(/next/);
  });

  it('a loop back to an earlier play, and hang-ups copied instead of joined', () => {
    const text = cgplOf(
      flowOf(
        [
          { id: 'p', type: 'play', data: { prompts: ['Again'] } },
          { id: 'c', type: 'collectDigits', data: {} },
          { id: 'h', type: 'hangup' },
          { id: 'cond', type: 'condition', data: { variable: 'digits', operator: 'equals', value: '0' } },
        ],
        [
          ['start', 'next', 'p'],
          ['p', 'next', 'c'],
          ['c', 'done', 'cond'],
          ['c', 'empty', 'h'],
          ['cond', 'true', 'p'],
          ['cond', 'false', 'h'],
        ],
      ),
    );
    noGoto(text);
    // p is reached unanswered (from start) and answered (looping back): it answers only when needed
    expect(text).toMatch(
      /next = "p";\s+loop\s+if next == "p" then\s+if not answered then\s+if AcceptCall\(\) != null then stop; end if;\s+answered = true;\s+end if;\s+PlayFile\("Again"\);/,
    );
    expect(text).not.toContain('next = "h"');
  });

  it('going back to start goes on after it (the call is answered once)', () => {
    const text = cgplOf(
      flowOf(
        [
          { id: 'p', type: 'play', data: { prompts: ['Loop'] } },
          { id: 'c', type: 'collectDigits' },
        ],
        [
          ['start', 'next', 'p'],
          ['p', 'next', 'c'],
          ['c', 'done', 'start'],
        ],
      ),
    );
    expect(text.match(/AcceptCall/g)).toHaveLength(1);
    expect(text).toMatch(/digits == "" then stop; end if;\s+next = "p";/);
  });

  it('deep branching is cut into dispatch cases instead of nesting without end', () => {
    const n = 60;
    const nodes = Array.from({ length: n }, (_, i) => ({
      id: `c${i}`,
      type: 'condition',
      data: { variable: 'x', operator: 'empty' },
    }));
    const plays = Array.from({ length: n }, (_, i) => ({ id: `p${i}`, type: 'play', data: { prompts: [`P${i}`] } }));
    const wires: [string, string, string][] = [['start', 'next', 'c0']];
    for (let i = 0; i < n; i++) {
      wires.push([`c${i}`, 'false', `p${i}`]);
      if (i + 1 < n) wires.push([`c${i}`, 'true', `c${i + 1}`]);
    }
    const text = cgplOf(flowOf([...nodes, ...plays], wires));
    const depth = Math.max(...text.split('\n').map((l) => l.match(/^ */)![0].length / 2));
    expect(depth).toBeLessThan(20);
    for (let i = 0; i < n; i++) expect(text).toContain(`PlayFile("P${i}");`);
  });
});
