// The transport by name: the PWD protocol (default) or WebAdmin's HTTP /CLI/ form.
import type { CliConnection, ConnectOptions } from './connection';
import { connectHttp } from './httpCli';
import { connectPwd } from './pwd';

export function connectCli(via: 'pwd' | 'http', options: ConnectOptions): Promise<CliConnection> {
  return via === 'http' ? connectHttp(options) : connectPwd(options);
}
