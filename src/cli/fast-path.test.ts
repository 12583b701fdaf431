import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchCredentialProcess } from './fast-path.js';

describe('matchCredentialProcess', () => {
  it('takes exactly the credential_process invocation', () => {
    assert.equal(matchCredentialProcess(['export', 'prod', '--format', 'credential-process']), 'prod');
    assert.equal(matchCredentialProcess(['export', 'prod', '-f', 'credential-process']), 'prod');
    assert.equal(matchCredentialProcess(['export', 'prod', '--format=credential-process']), 'prod');
  });
  it('leaves everything else to the parser', () => {
    assert.equal(matchCredentialProcess(['export', 'prod']), undefined);
    assert.equal(matchCredentialProcess(['export', 'prod', '--format', 'json']), undefined);
    assert.equal(matchCredentialProcess(['export', '--help', '--format', 'credential-process']), undefined);
    assert.equal(matchCredentialProcess(['export', 'prod', '--format', 'credential-process', '--debug']), undefined);
    assert.equal(matchCredentialProcess(['exec', 'prod', '--format', 'credential-process']), undefined);
  });
});
