/**
 * The base of the kit's form controls (both pickers and the working hours): form association,
 * `disabled` with a disabled `<fieldset>` around it, and the validity API native controls have,
 * read from `ElementInternals`. Each control sets its own value and validity.
 */
import { property } from 'lit/decorators.js';
import { TkElement } from './tk-element.js';

/** @internal */
export class TkFormElement extends TkElement {
  static formAssociated = true;

  /** Disables the element (`disabled` attribute); a disabled `<fieldset>` around it does too. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Set by a disabled ancestor fieldset (formDisabledCallback). */
  protected formDisabled = false;

  protected get isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
    this.requestUpdate();
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
