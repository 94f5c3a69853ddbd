import { describe, expect, it } from 'vitest';
import { extractAtlassianMessage, failedLoginReason } from '../../src/http/errors.ts';
import {
  backoffDelay,
  isRetryableNetworkError,
  mayRepeat,
  ownerOf,
  parseRetryAfter,
} from '../../src/http/retry.ts';

describe('retry policy', () => {
  it('gives each status code one owner', () => {
    expect(ownerOf(204, undefined)).toBe('ok');
    expect(ownerOf(401, undefined)).toBe('auth');
    expect(ownerOf(429, undefined)).toBe('throttle');
    expect(ownerOf(503, '5')).toBe('throttle');
    expect(ownerOf(503, undefined)).toBe('retry');
    expect([500, 502, 504].map((s) => ownerOf(s, '5'))).toEqual(['retry', 'retry', 'retry']);
    expect([301, 400, 403, 404, 409, 501].map((s) => ownerOf(s, undefined))).toEqual(Array(6).fill('fail'));
  });

  it('repeats idempotent methods and read-only POSTs only', () => {
    expect(['GET', 'PUT', 'DELETE'].map((m) => mayRepeat(m, false))).toEqual([true, true, true]);
    expect(mayRepeat('POST', false)).toBe(false);
    expect(mayRepeat('POST', true)).toBe(true);
    expect(isRetryableNetworkError('ECONNRESET', false)).toBe(false);
    expect(isRetryableNetworkError('ECONNREFUSED', false)).toBe(true); // nothing was sent
    expect(isRetryableNetworkError('UND_ERR_HEADERS_TIMEOUT', true)).toBe(true);
    expect(isRetryableNetworkError('ENOTFOUND', true)).toBe(false);
  });

  it('parses Retry-After as seconds or HTTP-date', () => {
    const now = Date.UTC(2025, 5, 1, 8, 0, 0);
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(new Date(now + 7000).toUTCString(), now)).toBe(7000);
    expect(parseRetryAfter(new Date(now - 7000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('draws full-jitter backoff under an exponential, capped ceiling', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, 500, 30_000, () => 0.999))).toEqual([
      499, 999, 1998, 3996,
    ]);
    expect(backoffDelay(10, 500, 30_000, () => 0.5)).toBe(15_000);
    expect(backoffDelay(3, 500, 30_000, () => 0)).toBe(0);
  });
});

describe('Atlassian error bodies', () => {
  it.each([
    [{ errorMessages: ['No user'], errors: {} }, 'No user'],
    [{ errorMessages: [], errors: { name: 'taken' } }, 'name: taken'],
    [
      { errors: [{ context: 'user', message: 'read-only directory', exceptionName: 'X' }] },
      'user: read-only directory',
    ],
    [{ statusCode: 403, message: 'Not permitted' }, 'Not permitted'],
    [{ reason: 'USER_NOT_FOUND', message: 'User <x> does not exist' }, 'User <x> does not exist'],
    [{ errors: [{ title: 'Forbidden', detail: 'scoped key' }] }, 'Forbidden: scoped key'],
    ['Service down for maintenance', 'Service down for maintenance'],
    ['<!DOCTYPE html><html>…', undefined],
    [{}, undefined],
    [undefined, undefined],
  ])('%j → %s', (body, message) => {
    expect(extractAtlassianMessage(body)).toBe(message);
  });

  it('recognises failed logins in X-Seraph-LoginReason', () => {
    expect(failedLoginReason('OK')).toBeUndefined();
    expect(failedLoginReason(undefined)).toBeUndefined();
    expect(failedLoginReason('AUTHENTICATED_FAILED')).toBe('AUTHENTICATED_FAILED');
    expect(failedLoginReason(['OK', 'AUTHENTICATION_DENIED'])).toBe('AUTHENTICATION_DENIED');
  });
});
