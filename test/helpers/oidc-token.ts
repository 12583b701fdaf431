// Web identity tokens for tests: well-formed RS256 JWTs signed by a key made
// for the test run and thrown away. moto accepts any AssumeRoleWithWebIdentity
// token without checking its signature; a real-looking one keeps the test
// honest about what rolehop reads and sends.
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';

let key: KeyObject | undefined;

/** A JWT from a fake issuer for `subject`; each call gives a different token (`jti`). */
export function oidcToken(subject = 'repo:example/app:ref:refs/heads/main'): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = enc({ alg: 'RS256', typ: 'JWT', kid: 'test' });
  const body = enc({ iss: 'https://token.actions.example.test', aud: 'sts.amazonaws.com', sub: subject, iat: now, exp: now + 3600, jti: randomUUID() });
  const signature = sign('sha256', Buffer.from(`${head}.${body}`), key).toString('base64url');
  return `${head}.${body}.${signature}`;
}

/** Writes a fresh token to `path` (as the issuer's rotation does) and returns it. */
export function writeOidcToken(path: string, subject?: string): string {
  const token = oidcToken(subject);
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return token;
}
