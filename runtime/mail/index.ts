// E-mail for the runtime: SendEMail (CG/PL) and call.sendEmail (JS module) end in Mailer.send.
export { createMailer } from './mailer';
export type { Mailer, MailerOptions, SendMeta } from './mailer';
export { Outbox, isOutboxId } from './outbox';
export type { OutboxEntry, OutboxListener, OutboxStatus } from './outbox';
export { describeRelay, parseRelay } from './relay';
export type { RelayConfig, RelayParse } from './relay';
export { checkEmail, isValidAddress } from './compose';
export type { CheckResult } from './compose';
