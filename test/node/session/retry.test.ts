/** The retry policy: passing failures are tried again at most twice; anything else is thrown at once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TkError } from '../../../src/session/errors.js';
import { retrying } from '../../../src/session/retry.js';

/** A run that fails with each of `errors` in turn, then answers `done`; counts its attempts. */
function failing(...errors: unknown[]) {
  const run = async () => {
    run.attempts++;
    if (run.attempts <= errors.length) throw errors[run.attempts - 1];
    return 'done';
  };
  run.attempts = 0;
  return run;
}

describe('retrying', () => {
  it('tries a passing failure again, up to twice', async () => {
    const run = failing(new TkError('network'), new TkError('unavailable'));
    assert.equal(await retrying(run, { firstDelayMs: 1 }), 'done');
    assert.equal(run.attempts, 3);
  });

  it('calls onRetry before each retry, and never for the attempt that answers or the last failure', async () => {
    let retries = 0;
    const run = failing(new TkError('network'), new TkError('unavailable'));
    await retrying(run, { firstDelayMs: 1, onRetry: () => retries++ });
    assert.equal(retries, 2);
    retries = 0;
    await assert.rejects(retrying(failing(new TkError('network'), new TkError('network'), new TkError('network')), { firstDelayMs: 1, onRetry: () => retries++ }));
    assert.equal(retries, 2);
  });

  it('gives up after the third attempt', async () => {
    const third = new TkError('rate-limited');
    const run = failing(new TkError('network'), new TkError('network'), third);
    await assert.rejects(retrying(run, { firstDelayMs: 1 }), (error) => error === third);
    assert.equal(run.attempts, 3);
  });

  it('throws a lasting failure at once', async () => {
    const run = failing(new TkError('forbidden'));
    await assert.rejects(retrying(run, { firstDelayMs: 1 }), TkError);
    assert.equal(run.attempts, 1);
  });

  it('throws an error that is not a TkError at once', async () => {
    const run = failing(new DOMException('Aborted', 'AbortError'));
    await assert.rejects(retrying(run, { firstDelayMs: 1 }), { name: 'AbortError' });
    assert.equal(run.attempts, 1);
  });

  it('throws at once a retryable error the caller calls final', async () => {
    const own = new TkError('network');
    const run = failing(own);
    await assert.rejects(retrying(run, { firstDelayMs: 1, isFinal: (error) => error === own }), (error) => error === own);
    assert.equal(run.attempts, 1);
  });

  it('stops waiting between attempts when the signal aborts', async () => {
    const controller = new AbortController();
    const run = failing(new TkError('network'));
    const retried = retrying(run, { firstDelayMs: 60_000, signal: controller.signal });
    controller.abort();
    await assert.rejects(retried, { name: 'AbortError' });
    assert.equal(run.attempts, 1);
  });
});
