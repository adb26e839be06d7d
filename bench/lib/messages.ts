// The seed mail: deterministic messages of realistic shape (a text part, sometimes HTML and an
// attachment), with varied senders and subjects so SEARCH has something to find.

const WORDS = ['quote', 'invoice', 'meeting', 'report', 'shipment', 'order', 'update', 'question', 'contract', 'offer'];

export function seedMessage(i: number, opts: { to?: string; size?: number } = {}): Buffer {
  const to = opts.to ?? 'user0@bench.example.com';
  const word = WORDS[i % WORDS.length]!;
  const day = 1 + (i % 28);
  const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(Math.max(1, Math.floor((opts.size ?? 2000) / 58)));
  const headers = [
    `From: Sender ${i % 97} <sender${i % 97}@example.net>`,
    `To: ${to}`,
    `Subject: ${word} number ${i}`,
    `Date: ${new Date(Date.UTC(2026, 0, day, 12, i % 60)).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <seed-${i}@example.net>`,
    'MIME-Version: 1.0',
  ];
  if (i % 5 === 0) {
    const boundary = `b${i}`;
    return Buffer.from(
      [
        ...headers,
        `Content-Type: multipart/mixed; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        filler,
        `--${boundary}`,
        'Content-Type: application/octet-stream; name="data.bin"',
        'Content-Disposition: attachment; filename="data.bin"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.alloc(600, i % 256).toString('base64').replace(/.{76}/g, '$&\r\n'),
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
  }
  return Buffer.from([...headers, 'Content-Type: text/plain; charset=utf-8', '', filler, ''].join('\r\n'));
}
