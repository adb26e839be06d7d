// QR codes for the MFA enrol page, drawn on the server by the qrcode package as SVG and shown
// as a data: image: the page's CSP allows `img-src data:` but no inline styles, and an <img>
// keeps whatever the SVG holds from ever being markup of the page itself.
import QRCode from 'qrcode';
import { html, type Html } from './html.js';

/** An <img> of the QR code of `text` (an otpauth:// URI), with a text alternative. */
export async function qrImage(text: string, alt: string, size = 220): Promise<Html> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const src = `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
  return html`<img class="qr" src="${src}" width="${size}" height="${size}" alt="${alt}">`;
}
