// app{p1,p2}#account in a request-URI: the application, the account, and the task's start parameters.
import { describe, expect, it } from 'vitest';
import { loadProgram } from '../../runtime/host';
import { pbxOf, routeCall } from '../../runtime/sip/routing';

describe('start parameters in the request-URI', () => {
  it('callback{russian,101}#ivanov runs callback for ivanov with ["russian", "101"]', async () => {
    const { program } = await loadProgram('samples/callback/flow.json');
    const pbx = pbxOf([program!]);
    const now = new Date('2026-11-30T12:00:00+03:00');
    expect(routeCall('callback%7Brussian,101%7D#ivanov', [program!], pbx, now)).toMatchObject({
      ok: true,
      account: 'ivanov',
      startParameter: ['russian', '101'],
    });
    const plain = routeCall('callback#ivanov', [program!], pbx, now);
    expect(plain.ok && 'startParameter' in plain).toBe(false);
    expect(routeCall('nothing{a}#ivanov', [program!], pbx, now)).toMatchObject({ ok: false, status: 404 });
  });
});
