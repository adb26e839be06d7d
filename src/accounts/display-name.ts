// Display names: the default From phrase of everything an account sends. 1–256 characters
// (Unicode code points), no CR, LF or other control characters (C0, DEL, C1), since a name
// with a line break could inject header fields into every message the account sends.
import { ValidationError } from '../errors.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

export function checkDisplayName(name: string): ValidationError | null {
  const length = [...name].length;
  if (length === 0) return new ValidationError('name', 'length', 'the display name must be 1 to 256 characters (it is empty)');
  if (length > 256) {
    return new ValidationError('name', 'length', `the display name must be 1 to 256 characters (it has ${length})`);
  }
  if (/[\r\n]/.test(name)) return new ValidationError('name', 'line_break', 'the display name must not contain a line break (CR or LF)');
  if (CONTROL.test(name)) return new ValidationError('name', 'control', 'the display name must not contain control characters');
  return null;
}
