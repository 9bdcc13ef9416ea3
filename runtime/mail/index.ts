// E-mail for the runtime: SendEMail (CG/PL) and call.sendEmail (JS module) end in Mailer.send, which
// files the message in the outbox; the outbox delivers it (retrying temporary trouble) and keeps it.
export { createMailer } from './mailer';
export type { Mailer, MailerOptions, SendMeta } from './mailer';
export { Outbox, isOutboxId, describeFsError } from './outbox';
export type { OutboxAttempt, OutboxEntry, OutboxListener, OutboxStatus } from './outbox';
export { DEFAULT_RETRY, isTemporary } from './delivery';
export type { RetryPolicy } from './delivery';
export { describeRelay, parseRelay } from './relay';
export type { RelayConfig, RelayParse } from './relay';
export { checkEmail, isValidAddress } from './compose';
export type { CheckResult } from './compose';
