import { describe, expect, it } from 'vitest';
import { signPayload, signRequest, verifyRequest, verifySignature } from './signature.js';

const SECRET = 'unit-test-secret-0123456789';
const BODY = '{"eventId":"e1","amount":100}';

describe('signature', () => {
  it('signs `${timestamp}.${body}` with HMAC-SHA256 as 64 hex characters', () => {
    const sig = signPayload(SECRET, BODY, 1_700_000_000_000);
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    expect(signPayload(SECRET, BODY, '1700000000000')).toBe(sig);
  });

  it('verifies its own signature and rejects a changed body, timestamp, secret or signature', () => {
    const now = 1_700_000_000_000;
    const sig = signPayload(SECRET, BODY, now);
    expect(verifySignature(SECRET, BODY, now, sig, { now })).toBe(true);
    expect(verifySignature(SECRET, BODY.replace('100', '101'), now, sig, { now })).toBe(false);
    expect(verifySignature(SECRET, BODY, now + 1, sig, { now })).toBe(false);
    expect(verifySignature(`${SECRET}x`, BODY, now, sig, { now })).toBe(false);
    expect(
      verifySignature(
        SECRET,
        BODY,
        now,
        sig.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
        { now },
      ),
    ).toBe(false);
    expect(verifySignature(SECRET, BODY, now, sig.toUpperCase(), { now })).toBe(true);
  });

  it('rejects timestamps outside the tolerance and malformed input without throwing', () => {
    const ts = 1_700_000_000_000;
    const sig = signPayload(SECRET, BODY, ts);
    expect(verifySignature(SECRET, BODY, ts, sig, { now: ts + 60_001, toleranceMs: 60_000 })).toBe(false);
    expect(verifySignature(SECRET, BODY, ts, sig, { now: ts - 60_001, toleranceMs: 60_000 })).toBe(false);
    expect(verifySignature(SECRET, BODY, ts, sig, { now: ts + 59_999, toleranceMs: 60_000 })).toBe(true);
    expect(verifySignature(SECRET, BODY, 'soon', sig, { now: ts })).toBe(false);
    expect(verifySignature(SECRET, BODY, ts, 'short', { now: ts })).toBe(false);
    expect(verifySignature(SECRET, BODY, ts, '', { now: ts })).toBe(false);
  });

  it('binds a request signature to its method and path as well as its body', () => {
    const now = Date.now();
    const h = signRequest(SECRET, { method: 'POST', path: '/finance/transfers', body: BODY }, now);
    const req = { method: 'POST', path: '/finance/transfers', body: BODY, nonce: h['x-finance-nonce'] };
    const ts = h['x-finance-timestamp'];
    const sig = h['x-finance-signature'];
    expect(verifyRequest(SECRET, req, ts, sig, { now })).toBe(true);
    expect(verifyRequest(SECRET, { ...req, path: '/finance/refunds' }, ts, sig, { now })).toBe(false);
    expect(verifyRequest(SECRET, { ...req, method: 'PUT' }, ts, sig, { now })).toBe(false);
    expect(verifyRequest(SECRET, req, undefined, sig, { now })).toBe(false);
    expect(verifyRequest(SECRET, { ...req, nonce: 'another' }, ts, sig, { now })).toBe(false);
    expect(verifyRequest(SECRET, { ...req, nonce: undefined }, ts, sig, { now })).toBe(false);
  });
});
