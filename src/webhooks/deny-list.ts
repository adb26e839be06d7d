// WICKET_WEBHOOK_DENY: CIDR ranges a webhook may not point into (e.g. 10.0.0.0/8,
// 169.254.0.0/16, ::1/128 to keep webhooks off an internal network). Empty by default so a
// receiver on this machine works. Checked on the address the name resolves to — when the
// webhook is created and again on every connection, so a name that later resolves inside a
// denied range (DNS rebinding) is refused too.
import { BlockList, isIP } from 'node:net';

export interface CidrRange {
  /** As written in the configuration, normalised ("10.0.0.0/8"). */
  text: string;
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** Parses a comma-separated list; throws an Error whose message names the bad entry. */
export function parseCidrList(value: string): CidrRange[] {
  const ranges: CidrRange[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const slash = entry.indexOf('/');
    const address = slash === -1 ? entry : entry.slice(0, slash);
    const version = isIP(address);
    if (version === 0) throw new Error(`"${entry}" is not a CIDR range such as 10.0.0.0/8 or fd00::/8`);
    const max = version === 4 ? 32 : 128;
    const prefixText = slash === -1 ? String(max) : entry.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
      throw new Error(`"${entry}": the prefix length must be a number from 0 to ${max}`);
    }
    const prefix = Number(prefixText);
    ranges.push({ text: `${address}/${prefix}`, address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' });
  }
  return ranges;
}

export class DenyList {
  private readonly blocks: { range: CidrRange; list: BlockList }[];

  constructor(readonly ranges: readonly CidrRange[]) {
    this.blocks = ranges.map((range) => {
      const list = new BlockList();
      list.addSubnet(range.address, range.prefix, range.family);
      return { range, list };
    });
  }

  get empty(): boolean {
    return this.blocks.length === 0;
  }

  /** The range that denies the address, or null (BlockList matches IPv4-mapped IPv6 against IPv4 ranges too). */
  match(address: string): CidrRange | null {
    const version = isIP(address);
    if (version === 0) return null;
    const family = version === 4 ? 'ipv4' : 'ipv6';
    return this.blocks.find(({ list }) => list.check(address, family))?.range ?? null;
  }
}
