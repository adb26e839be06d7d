// mailsplit ships no type declarations; this covers the part Wicket uses.
declare module 'mailsplit' {
  export class Headers {
    /** A raw header block, or already parsed lines. */
    constructor(headers: Buffer | string | { key: string; line: string }[]);
    hasHeader(key: string): boolean;
    /** Raw header lines (with their names), folded lines joined by CRLF. */
    get(key: string): string[];
    getFirst(key: string): string;
    getList(): { key: string; line: string }[];
    add(key: string, value: string, index?: number): void;
    addFormatted(key: string, line: string, index?: number): void;
    remove(key: string): void;
    update(key: string, value: string): void;
    /** The header block with its terminating empty line. */
    build(lineEnd?: string): Buffer;
  }
}
