// The dashboard's defence-in-depth pass over a message's HTML (the CSP sandbox is the real
// guard): active content removed, and done in one pass over the input whatever its shape — a
// message is written by whoever sends it, and the server has one thread.
import { describe, expect, it } from 'vitest';
import { stripActiveContent } from '../../src/web/message-html.js';

describe('stripActiveContent', () => {
  it('removes script-like elements with their content, handlers and script URLs; keeps the rest', () => {
    expect(stripActiveContent('<p>a</p><script>alert(1)</script><p>b</p>')).toBe('<p>a</p><p>b</p>');
    expect(stripActiveContent('<p>a</p><SCRIPT type="x">alert(1)</script ><p>b</p>')).toBe('<p>a</p><p>b</p>');
    expect(stripActiveContent('<iframe src="x">inner</iframe>ok')).toBe('ok');
    expect(stripActiveContent('<meta http-equiv="refresh" content="0;url=x"><base href="x">ok')).toBe('ok');
    expect(stripActiveContent('<img src="x" onerror="alert(2)">')).toBe('<img src="x" >');
    expect(stripActiveContent('<a href="javascript:alert(3)">c</a>')).toBe('<a href="#">c</a>');
    expect(stripActiveContent('<a href="jav&#x61;script:x">c</a>')).toBe('<a href="#">c</a>');
    expect(stripActiveContent('<a href="https://example.com/">c</a>')).toBe('<a href="https://example.com/">c</a>');
    // Removing one tag does not join the halves of another into a live one.
    expect(stripActiveContent('<scr<script>x</script>ipt>alert(1)</script>')).not.toMatch(/<script/i);
  });

  it('an element never closed runs to the end of the document, as a browser reads it', () => {
    expect(stripActiveContent('<p>kept</p><script>alert(1)<p>gone</p>')).toBe('<p>kept</p>');
  });

  it('text after the last ">" is text: a tag cut off by the end of the input is escaped', () => {
    expect(stripActiveContent('<p>ok</p><img src=x onerror=alert(1)')).toBe('<p>ok</p>&lt;img src=x onerror=alert(1)');
    expect(stripActiveContent('a < b')).toBe('a &lt; b');
  });

  it('finishes on inputs that make backtracking patterns read to the end from every "<" (1.8 MB each)', () => {
    // Each took minutes with the former lazy `<script\b[\s\S]*?</script>` and `<…[^>]*>` patterns.
    // (Compared whole, not with toBe: a failure would print megabytes.)
    const same = (input: string, expected: string) => expect(stripActiveContent(input) === expected).toBe(true);
    same('<script x'.repeat(200_000), '&lt;script x'.repeat(200_000)); // no '>' at all: text
    same(`<script x${'<script x'.repeat(200_000)}>after`, 'after'); // never closed: to its end (the text after the last '>' stays text)
    same(`<p>${'<meta x'.repeat(200_000)}`, `<p>${'&lt;meta x'.repeat(200_000)}`);
    same(`${'<a x'.repeat(200_000)}>`, `${'<a x'.repeat(200_000)}>`);
    same('<iframe>'.repeat(200_000), '');
  });
});
