// Domains: registration (with a DKIM key pair and an ownership token), the records to
// publish, their verification, and deletion. Domains belong to the organization: every
// application may create accounts on them.
import { randomBytes, randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { PublicPorts } from '../config.js';
import type { Store } from '../store/store.js';
import type { Domain, RecordCheck } from '../store/types.js';
import { generateDkimKey } from './dkim.js';
import { type DnsRecord, dnsRecords } from './dns-records.js';
import { type DnsLookup, verifyRecords } from './dns-verify.js';
import { normalizeDomain } from './hostname.js';

export type DomainStatus = 'verified' | 'unverified' | 'pending';

export interface RecordWithStatus extends DnsRecord {
  status: RecordCheck['status'] | 'pending';
  reason: string | null;
  checkedAt: number | null;
}

export interface DomainDetails {
  domain: Domain;
  /** verified: every required record checks out; pending: never verified. */
  status: DomainStatus;
  records: RecordWithStatus[];
  /** Accounts on the domain, across all applications. */
  accountCount: number;
}

export class DomainService {
  constructor(
    private readonly store: Store,
    private readonly settings: { hostname: string; publicPorts: PublicPorts },
    private readonly lookup: DnsLookup,
  ) {}

  async add(input: string): Promise<DomainDetails> {
    const parsed = normalizeDomain(input);
    if (!parsed.ok) throw new ValidationError('domain', 'syntax', parsed.reason);
    if (this.store.directory.findDomainByName(parsed.domain)) {
      throw new ConflictError(`domain ${parsed.domain} is already registered`);
    }
    const key = await generateDkimKey();
    const domain = this.store.directory.createDomain({
      id: randomUUID(),
      name: parsed.domain,
      dkimSelector: key.selector,
      dkimPublicKey: key.publicKey,
      dkimPrivateKeyPem: key.privateKeyPem,
      ownershipToken: randomBytes(16).toString('hex'),
    });
    return this.details(domain);
  }

  list(): DomainDetails[] {
    return this.store.directory.listDomains().map((d) => this.details(d));
  }

  /** By id or by name (case-insensitive). */
  find(ref: string): Domain {
    const byId = this.store.directory.getDomain(ref);
    if (byId) return byId;
    const parsed = normalizeDomain(ref);
    const byName = parsed.ok ? this.store.directory.findDomainByName(parsed.domain) : undefined;
    if (!byName) throw new NotFoundError(`domain ${ref} is not registered`);
    return byName;
  }

  get(ref: string): DomainDetails {
    return this.details(this.find(ref));
  }

  /** Looks every record up in DNS and stores the outcome per record. */
  async verify(ref: string): Promise<DomainDetails> {
    const domain = this.find(ref);
    const checks = await verifyRecords(dnsRecords(domain, this.settings.hostname, this.settings.publicPorts), this.lookup, {
      ownershipToken: domain.ownershipToken,
      hostname: this.settings.hostname,
    });
    this.store.directory.saveRecordChecks(domain.id, checks);
    return this.get(domain.id);
  }

  /** Refused while accounts use the domain, unless forced (which deletes them and their mail). */
  delete(ref: string, opts: { force?: boolean } = {}): { domain: Domain; accountsDeleted: number } {
    const domain = this.find(ref);
    const accounts = this.accountCount(domain);
    if (accounts > 0 && !opts.force) {
      throw new ConflictError(
        `domain ${domain.name} still has ${accounts} account${accounts === 1 ? '' : 's'}; delete ${accounts === 1 ? 'it' : 'them'} first or force the deletion`,
      );
    }
    const { accounts: accountsDeleted } = this.store.directory.deleteDomain(domain.id);
    return { domain, accountsDeleted };
  }

  accountCount(domain: Domain): number {
    return this.store.directory.countAccountsOnDomain(domain.id);
  }

  private details(domain: Domain): DomainDetails {
    const checks = new Map(this.store.directory.recordChecks(domain.id).map((c) => [c.record, c]));
    const records: RecordWithStatus[] = dnsRecords(domain, this.settings.hostname, this.settings.publicPorts).map((r) => {
      const check = checks.get(r.key);
      return { ...r, status: check?.status ?? 'pending', reason: check?.reason ?? null, checkedAt: check?.checkedAt ?? null };
    });
    const required = records.filter((r) => r.required);
    const status: DomainStatus = required.every((r) => r.status === 'verified')
      ? 'verified'
      : required.every((r) => r.status === 'pending')
        ? 'pending'
        : 'unverified';
    return { domain, status, records, accountCount: this.accountCount(domain) };
  }
}
