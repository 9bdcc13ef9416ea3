// app{p1,p2}#account in a request-URI: the application, the account, and the task's start parameters.
import { describe, expect, it } from 'vitest';
import { loadProgram } from '../../runtime/host';
import { pbxOf, routeCall } from '../../runtime/sip/routing';
import { parseSipUri } from '../../runtime/sip/message/uri';

/** The user part as the parser hands it to routing: escapes decoded once. */
const target = (uri: string) => ({ user: parseSipUri(uri)!.user ?? '' });

describe('start parameters in the request-URI', () => {
  it('callback{russian,101}#ivanov runs callback for ivanov with ["russian", "101"]', async () => {
    const { program } = await loadProgram('samples/callback/flow.json');
    const pbx = pbxOf([program!]);
    const now = new Date('2026-11-30T12:00:00+03:00');
    expect(routeCall(target('sip:callback%7Brussian,101%7D%23ivanov@company.com'), [program!], pbx, now)).toMatchObject(
      {
        ok: true,
        account: 'ivanov',
        startParameter: ['russian', '101'],
      },
    );
    const plain = routeCall(target('sip:callback%23ivanov@company.com'), [program!], pbx, now);
    expect(plain.ok && 'startParameter' in plain).toBe(false);
    expect(routeCall(target('sip:nothing%7Ba%7D%23ivanov@company.com'), [program!], pbx, now)).toMatchObject({
      ok: false,
      status: 404,
    });
  });
});
