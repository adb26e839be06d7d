// Accessible form pieces: every input has a label, its hint and its error are tied to it with
// aria-describedby, and an error sets aria-invalid. The server's message goes next to the field.
import { ValidationError, WicketError } from '../errors.js';
import type { WebRequest } from './context.js';
import { attr, html, type Html } from './html.js';

export type FieldErrors = Record<string, string>;

export const csrfField = (w: WebRequest): Html => html`<input type="hidden" name="_csrf" value="${w.csrf}">`;

export interface FieldOptions {
  type?: string;
  value?: string | null | undefined;
  hint?: string | Html;
  error?: string | undefined;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  inputmode?: string;
  extra?: Html;
}

export function field(label: string, name: string, options: FieldOptions = {}): Html {
  const id = `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const described = [options.hint ? `${id}-hint` : '', options.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const type = options.type ?? 'text';
  const common = html` id="${id}" name="${name}"${attr('required', options.required === true)}${
    described ? html` aria-describedby="${described}"` : ''
  }${options.error ? html` aria-invalid="true"` : ''}${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}${
    options.placeholder ? html` placeholder="${options.placeholder}"` : ''
  }${options.inputmode ? html` inputmode="${options.inputmode}"` : ''}${options.extra ?? ''}`;
  const input =
    type === 'textarea'
      ? html`<textarea${common} rows="8">${options.value ?? ''}</textarea>`
      : html`<input type="${type}"${common}${type === 'password' ? '' : html` value="${options.value ?? ''}"`}>`;
  return html`<div class="field${options.error ? ' has-error' : ''}">
<label for="${id}">${label}</label>
${input}
${options.hint ? html`<p class="hint" id="${id}-hint">${options.hint}</p>` : ''}
${options.error ? html`<p class="field-error" id="${id}-error">${options.error}</p>` : ''}
</div>`;
}

export function select(label: string, name: string, choices: { value: string; label: string }[], selected: string | null | undefined, error?: string): Html {
  const id = `f-${name}`;
  return html`<div class="field${error ? ' has-error' : ''}">
<label for="${id}">${label}</label>
<select id="${id}" name="${name}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
${choices.map((c) => html`<option value="${c.value}"${attr('selected', c.value === selected)}>${c.label}</option>`)}
</select>
${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ''}
</div>`;
}

export function checkbox(label: string, name: string, checked: boolean, hint?: string): Html {
  const id = `f-${name}`;
  return html`<div class="field checkbox"><input type="checkbox" id="${id}" name="${name}" value="on"${attr('checked', checked)}> <label for="${id}">${label}</label>${
    hint ? html`<p class="hint">${hint}</p>` : ''
  }</div>`;
}

/** A one-button form that posts to `action` (delete, retry, revoke …); `confirm` asks first. */
export function actionButton(
  w: WebRequest,
  action: string,
  label: string,
  options: { confirm?: string; danger?: boolean; fields?: Record<string, string>; /** For screen readers, when the label repeats per row ("Remove alice@…"). */ ariaLabel?: string } = {},
): Html {
  return html`<form method="post" action="${action}" class="inline"${options.confirm ? html` data-confirm="${options.confirm}"` : ''}>${csrfField(w)}${Object.entries(
    options.fields ?? {},
  ).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<button type="submit"${options.danger ? html` class="danger"` : ''}${options.ariaLabel ? html` aria-label="${options.ariaLabel}"` : ''}>${label}</button></form>`;
}

/**
 * Turns a service error into field errors for the form: a ValidationError goes next to its
 * field (through `fieldFor`, which maps the service's field names to the form's), anything
 * else of the service's own kinds to the form as a whole (key `_form`). Other errors rethrow.
 */
export function formErrors(err: unknown, fieldFor: (field: string) => string = (f) => f): FieldErrors {
  if (err instanceof ValidationError) return { [fieldFor(err.field)]: err.message };
  if (err instanceof WicketError) return { _form: err.message };
  throw err;
}

export const formError = (errors: FieldErrors): Html =>
  errors._form ? html`<p class="form-error" role="alert">${errors._form}</p>` : Object.keys(errors).length ? html`<p class="form-error" role="alert">Please correct the fields marked below.</p>` : html``;
