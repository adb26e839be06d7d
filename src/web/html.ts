// HTML built from tagged templates that escape every interpolated value: markup only enters a
// page as an `Html` value (another template, or `raw` for a constant), so a message subject, a
// sender or a form value can never become markup (OWASP XSS prevention rule 1).

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return '';
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  return escapeHtml(String(part));
}

/** `html\`<p>${name}</p>\`` — every value escaped unless it is Html already. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i += 1) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted constant markup (never user data). */
export const raw = (text: string): Html => new Html(text);

/** `selected`/`checked` style boolean attributes. */
export const attr = (name: string, on: boolean): Html => new Html(on ? ` ${name}` : '');
