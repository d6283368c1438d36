/**
 * What a developer sees when the companion refuses `POST <endpoint>/session`: the companion's
 * code and message on the TkError and on `tk-session-change`, "no companion at <endpoint>" when
 * nothing (or no such companion route) answers there, "not signed in to your app" when the host's
 * `authenticate` found nobody, and one console.warn per misconfiguration naming the fix. The
 * missing companion is a real 404 from the test server; the refusals are the companion's own
 * bodies (test/node/companion checks it sends them).
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../src/tk-session.js';
import '../../../src/tk-google-connect.js';
import type { TkSessionElement } from '../../../src/components/session/session-provider.js';
import type { TkSessionChangeEvent } from '../../../src/events/session-change.js';
import { TkSession } from '../../../src/session/session-service.js';
import { waitForState } from '../helpers/dom.js';

/** Records console.warn while `run` runs. */
async function warnings(run: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void seen.push(args.map(String).join(' '));
  try {
    await run();
  } finally {
    console.warn = original;
  }
  return seen;
}

/** Answers `POST …/session` under `prefix` with `status` and `body` (the companion's JSON error), all else as usual. */
function companionAnswers(prefix: string, status: number, body: unknown): () => void {
  const original = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) =>
    String(input).startsWith(`${location.origin}${prefix}`)
      ? new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
      : original(input, init);
  return () => (window.fetch = original);
}

describe('companion refusals a developer can act on', () => {
  it('no companion at the endpoint (a real 404): says so, does not retry, warns once with the fix, users read "unavailable"', async () => {
    const session = new TkSession({ endpoint: '/no-companion-mounted-here' });
    const warned = await warnings(async () => {
      await session.refresh();
      await session.refresh();
    });
    expect(session.status).to.equal('error');
    const error = session.error!;
    expect(error.code).to.equal('unavailable');
    expect(error.retryable).to.equal(false);
    expect(error.message).to.equal(`No companion at ${location.origin}/no-companion-mounted-here: POST ${location.origin}/no-companion-mounted-here/session answered 404`);
    expect(warned).to.have.length(1);
    expect(warned[0]).to.contain('No companion at').and.contain('<tk-session endpoint>').and.contain('basePath');
  });

  it('tk-session-change carries the code and the message; the connect button shows no "calendar no longer exists"', async () => {
    const el = await fixture<TkSessionElement>(html`<tk-session><tk-google-connect></tk-google-connect></tk-session>`);
    const fired = oneEvent(el, 'tk-session-change');
    await warnings(async () => {
      el.setAttribute('endpoint', '/also-no-companion');
      await fired;
    });
    const { detail } = (await fired) as TkSessionChangeEvent;
    expect(detail).to.deep.equal({
      status: 'error',
      code: 'unavailable',
      message: `No companion at ${location.origin}/also-no-companion: POST ${location.origin}/also-no-companion/session answered 404`,
    });
    const connect = el.querySelector('tk-google-connect')!;
    // the English error texts are a lazy chunk: the error state shows once they are there
    await waitForState(connect, 'error');
    expect(connect.shadowRoot!.textContent).to.contain('The calendar service is unavailable right now.');
    expect(connect.shadowRoot!.textContent).to.not.contain('no longer exists');
  });

  it('a companion route that does not exist there reads as no companion at the endpoint', async () => {
    const restore = companionAnswers('/mounted-elsewhere/', 404, { error: { code: 'not-found', message: 'No companion route at /mounted-elsewhere/session' } });
    try {
      const session = new TkSession({ endpoint: '/mounted-elsewhere' });
      await warnings(() => session.refresh());
      expect(session.error!.message).to.match(/^No companion at .*\/mounted-elsewhere: .* answered 404 \(No companion route at \/mounted-elsewhere\/session\)$/);
      expect(session.error!.companionCode).to.equal('not-found');
    } finally {
      restore();
    }
  });

  it('authenticate() found no user: "not signed in to your app", with the companion code, and a warning that names the cookie', async () => {
    const restore = companionAnswers('/signed-out-host/', 401, { error: { code: 'unauthenticated', message: 'Sign in to the host app first' } });
    try {
      const el = document.createElement('tk-session');
      el.setAttribute('endpoint', '/signed-out-host');
      const fired = oneEvent(el, 'tk-session-change');
      const warned = await warnings(async () => {
        document.body.append(el);
        await fired;
      });
      el.remove();
      const { detail } = (await fired) as TkSessionChangeEvent;
      expect(detail.code).to.equal('unauthorized');
      expect(detail.companionCode).to.equal('unauthenticated');
      expect(detail.message).to.equal(
        `Not signed in to your app: the companion's authenticate() found no user for POST ${location.origin}/signed-out-host/session: Sign in to the host app first`,
      );
      expect(warned).to.have.length(1);
      expect(warned[0]).to.contain('login cookie').and.contain('auth middleware');
    } finally {
      restore();
    }
  });

  it('a page origin the companion does not allow: the warning names allowedOrigins and this origin', async () => {
    const restore = companionAnswers('/strict-companion/', 403, { error: { code: 'origin-not-allowed', message: `The origin ${location.origin} is not allowed` } });
    try {
      const session = new TkSession({ endpoint: '/strict-companion' });
      const warned = await warnings(() => session.refresh());
      expect(session.error!.code).to.equal('origin-mismatch');
      expect(session.error!.companionCode).to.equal('origin-not-allowed');
      expect(session.error!.message).to.contain(`The origin ${location.origin} is not allowed`);
      expect(warned).to.deep.equal([
        `tk-session: the companion at ${location.origin}/strict-companion does not allow this page's origin: The origin ${location.origin} is not allowed. Add ${location.origin} to its allowedOrigins.`,
      ]);
    } finally {
      restore();
    }
  });
});
