import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { expect, fixture } from '@open-wc/testing';
import { testEnv } from './helpers/env.js';

@customElement('tk-smoke-element')
class TkSmokeElement extends LitElement {
  @property() label = 'Connect';

  override render() {
    return html`<button type="button" part="button">${this.label}</button>`;
  }
}

describe('test infrastructure', () => {
  it('runs a Lit element with decorators, and it is accessible', async () => {
    const el = await fixture<TkSmokeElement>(html`<tk-smoke-element label="Connect Google"></tk-smoke-element>`);
    expect(el).to.be.instanceOf(TkSmokeElement);
    const button = el.shadowRoot!.querySelector('button')!;
    expect(button.textContent).to.equal('Connect Google');
    await expect(el).to.be.accessible();
  });

  it('sets the page language to English', () => {
    expect(document.documentElement.lang).to.equal('en');
  });

  it('gets the emulator from testEnv()', async () => {
    const env = await testEnv();
    expect(env.emulatorUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
    expect(env.emulatorOrigin).to.equal(new URL(env.emulatorUrl).origin);
    expect(env.appKey).to.be.a('string').with.length.greaterThan(0);
  });

  it('reaches the emulator same-origin through the dev server', async () => {
    const env = await testEnv();
    const response = await fetch('/_emulator');
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { data: { app: string } };
    expect(body.data.app).to.equal(env.app);
  });
});
