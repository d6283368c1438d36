/**
 * The base of the kit's form controls (both pickers and the working hours): form association,
 * `name`, `required`, `disabled` with a disabled `<fieldset>` around it, the validity API native
 * controls have (read from `ElementInternals`), and the value the browser restores. Each control
 * says what it submits, what is wrong with it and how to take a restored value back.
 */
import type { PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { TkElement } from './tk-element.js';

/** Why the value is not valid, as `ElementInternals.setValidity` takes it. */
export interface TkValidityProblem {
  flags: ValidityStateFlags;
  message: string;
}

/** @internal */
export abstract class TkFormElement extends TkElement {
  static formAssociated = true;

  /** The form field name the value is submitted under (`name` attribute). */
  @property() name = '';

  /** Whether the form needs a value (`required` attribute). */
  @property({ type: Boolean, reflect: true }) required = false;

  /** Disables the element (`disabled` attribute); a disabled `<fieldset>` around it does too. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Set by a disabled ancestor fieldset (formDisabledCallback). */
  protected formDisabled = false;

  protected get isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }

  /** What the form submits: several entries, one string, or nothing. */
  protected abstract formValue(): FormData | string | null;

  /** What is wrong with the value, or null when it is valid (asked only while enabled). */
  protected abstract validityProblem(): TkValidityProblem | null;

  /**
   * Where the browser shows its message and puts the focus when a submit is blocked. Without one
   * the host is not focusable, and the browser blocks the submit silently.
   */
  protected abstract validityAnchor(): HTMLElement;

  /** Takes back a value the browser kept for this control (as `formValue()` gave it), as if set from code. */
  protected abstract restoreFormValue(state: FormData | string): void;

  /** The form value and validity follow each render, so they always match what is shown. */
  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.internals.setFormValue(this.formValue());
    const problem = this.isDisabled ? null : this.validityProblem();
    if (problem) this.internals.setValidity(problem.flags, problem.message, this.validityAnchor());
    else this.internals.setValidity({});
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
    this.requestUpdate();
  }

  /** The browser puts back the value of a page restored from its history (bfcache) or autofilled. */
  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (typeof state === 'string' || state instanceof FormData) this.restoreFormValue(state);
  }

  /** Whether the value is valid (`required` satisfied, no problem). */
  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  /** Like `checkValidity()`, and shows the browser's message when it is not. */
  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  /** The element's validity, as for native form controls. */
  get validity(): ValidityState {
    return this.internals.validity;
  }

  /** The message for the current validity (from the string table), or `''`. */
  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  /** The form the element belongs to, if any. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }
}
