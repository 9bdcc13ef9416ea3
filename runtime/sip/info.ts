// DTMF carried by SIP INFO: application/dtmf-relay ("Signal=5\r\nDuration=160") and application/dtmf
// (the key alone). Some phones send the RFC 4733 event number (10 = *, 11 = #) instead of the key.

const EVENT_KEYS = '0123456789*#ABCD';

/** The key an INFO body carries, or null when the content type is not DTMF or the body has no key. */
export function dtmfFromInfo(contentType: string | undefined, body: string | undefined): string | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = body ?? '';
  let value: string | undefined;
  if (type === 'application/dtmf-relay') {
    const line = text.split(/\r?\n/).find((l) => /^\s*signal\s*=/i.test(l));
    value = line?.slice(line.indexOf('=') + 1);
  } else if (type === 'application/dtmf') {
    value = text;
  } else {
    return null;
  }
  return keyOf((value ?? '').trim());
}

function keyOf(value: string): string | null {
  const upper = value.toUpperCase();
  if (/^[0-9*#A-D]$/.test(upper)) return upper;
  if (/^1[0-5]$/.test(value)) return EVENT_KEYS[Number(value)] ?? null;
  return null;
}
