// A small authoritative DNS server on 127.0.0.1 (UDP, port 0) for verify tests: answers from
// a record table, NXDOMAIN for unknown names, NOERROR/empty for a known name of another type;
// `silent` names are never answered, to exercise timeouts.
import { type Socket, createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';
import { onTestFinished } from 'vitest';

export type FakeRecord =
  | { type: 'MX'; name: string; exchange: string; preference?: number }
  | { type: 'TXT'; name: string; data: string | string[] }
  | { type: 'SRV'; name: string; target: string; port: number; priority?: number; weight?: number }
  | { type: 'CNAME'; name: string; data: string };

export interface FakeDns {
  server: string;
  records: FakeRecord[];
  silent: Set<string>;
}

export async function startFakeDns(records: FakeRecord[] = []): Promise<FakeDns> {
  const socket: Socket = createSocket('udp4');
  const state: FakeDns = { server: '', records, silent: new Set() };
  socket.on('message', (msg, rinfo) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    if (state.silent.has(name)) return;
    const known = state.records.filter((r) => r.name.toLowerCase() === name);
    const matching = known.filter((r) => r.type === question.type);
    const answers = matching.map((r): dnsPacket.Answer => {
      switch (r.type) {
        case 'MX':
          return { type: 'MX', name: r.name, ttl: 60, data: { exchange: r.exchange, preference: r.preference ?? 10 } };
        case 'TXT':
          return { type: 'TXT', name: r.name, ttl: 60, data: Array.isArray(r.data) ? r.data : [r.data] };
        case 'SRV':
          return { type: 'SRV', name: r.name, ttl: 60, data: { target: r.target, port: r.port, priority: r.priority ?? 0, weight: r.weight ?? 1 } };
        case 'CNAME':
          return { type: 'CNAME', name: r.name, ttl: 60, data: r.data };
      }
    });
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (known.length === 0 ? 3 : 0), // rcode 3 = NXDOMAIN
      questions: [question],
      answers,
    });
    socket.send(response, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  state.server = `127.0.0.1:${(socket.address() as AddressInfo).port}`;
  onTestFinished(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return state;
}
