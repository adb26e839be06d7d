// Between HTML forms and the JSON bodies the services validate. The governance services take
// the API's body (`{"limits": {"limit_storage_total": …}}`) and name the JSON path of whatever
// is wrong (`limits.limit_storage_total`, `match.conditions[1].value`, `items[3]`); these
// helpers build such bodies from form fields and send each error back to the field it names,
// with the line it came from when the field is a textarea of one entry a line. The services
// stay the only judges: a value the form cannot read as a number is passed on as text, so the
// message the member sees is the service's own.
import { ValidationError, WicketError } from '../../errors.js';
import { type FieldErrors, formErrors } from '../forms.js';

/** The non-empty lines of a textarea, trimmed, each with its 1-based line number. */
export interface Lines {
  values: string[];
  lineOf: number[];
}

export function lines(text: string | null): Lines {
  const out: Lines = { values: [], lineOf: [] };
  (text ?? '').split(/\r?\n/).forEach((line, i) => {
    const value = line.trim();
    if (value === '') return;
    out.values.push(value);
    out.lineOf.push(i + 1);
  });
  return out;
}

/** A number field: empty → undefined; a decimal number → the number; anything else → the text, for the service to refuse. */
export function numberOrText(raw: string | null): number | string | undefined {
  const text = (raw ?? '').trim();
  if (text === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/** How a service field (a JSON path, or its prefix) is shown: the form field, and its lines when it is a textarea of entries. */
export interface FieldTarget {
  name: string;
  lines?: number[];
}

/**
 * A service error as form errors. A ValidationError goes to the first target whose path is
 * the error's field or a prefix of it (`match.conditions` takes `match.conditions[1].value`);
 * an index into a textarea's entries becomes "Line N:". An error for no field of the form, and
 * every other WicketError (a conflict, a missing object), goes to the form as a whole.
 */
export function errorsFor(err: unknown, targets: Record<string, FieldTarget | string>): FieldErrors {
  if (err instanceof ValidationError) {
    for (const [path, target] of Object.entries(targets)) {
      const rest = err.field === path ? '' : err.field.startsWith(`${path}[`) || err.field.startsWith(`${path}.`) ? err.field.slice(path.length) : null;
      if (rest === null) continue;
      const { name, lines: lineOf } = typeof target === 'string' ? { name: target, lines: undefined } : target;
      const index = /^\[(\d+)\]/.exec(rest);
      const line = index && lineOf ? lineOf[Number(index[1])] : undefined;
      return { [name]: line !== undefined ? `Line ${line}: ${err.message}` : err.message };
    }
    return { _form: err.message };
  }
  return formErrors(err);
}

/** The status of a form answered again with the service's message: 409 for a conflict, else 400. */
export const statusOf = (err: unknown): number => (err instanceof WicketError && err.kind === 'conflict' ? 409 : 400);
