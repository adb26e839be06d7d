// The organization and its applications (tenants). A default application exists from the
// first start; each application is created with its default workspace.
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Application, Organization } from '../store/types.js';
import { defaultWorkspaceFor } from './workspaces.js';

export const DEFAULT_APPLICATION_NAME = 'default';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

export class ApplicationService {
  constructor(private readonly store: Store) {}

  /** Creates the organization and the default application if this is a new installation. */
  bootstrap(): { organization: Organization; defaultApplication: Application } {
    const organization = this.store.directory.ensureOrganization({
      id: randomUUID(),
      name: 'Wicket',
      contactEmail: null,
      requireMfa: false,
    });
    let defaultApplication = this.store.directory.listApplications().find((a) => a.isDefault);
    if (!defaultApplication) {
      try {
        defaultApplication = this.insert(DEFAULT_APPLICATION_NAME, true);
      } catch (err) {
        // Another process (the CLI beside a starting server) bootstrapped first.
        if (!(err instanceof ConflictError)) throw err;
        defaultApplication = this.store.directory.listApplications().find((a) => a.isDefault)!;
      }
    }
    return { organization, defaultApplication };
  }

  create(name: string): Application {
    const trimmed = name.trim();
    if (!NAME.test(trimmed)) {
      throw new ValidationError(
        'name',
        'syntax',
        'an application name is 1 to 64 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit',
      );
    }
    if (this.store.directory.findApplicationByName(trimmed)) throw new ConflictError(`application "${trimmed}" already exists`);
    return this.insert(trimmed, false);
  }

  list(): Application[] {
    return this.store.directory.listApplications();
  }

  /** By id or by name (case-insensitive); no reference means the default application. */
  resolve(ref?: string): Application {
    if (ref === undefined) {
      const app = this.store.directory.listApplications().find((a) => a.isDefault);
      if (!app) throw new NotFoundError('there is no default application');
      return app;
    }
    const app = this.store.directory.getApplication(ref) ?? this.store.directory.findApplicationByName(ref.trim());
    if (!app) throw new NotFoundError(`application ${ref} not found`);
    return app;
  }

  /** The default application cannot be deleted; one with accounts only when forced. */
  delete(ref: string, opts: { force?: boolean } = {}): { application: Application; accountsDeleted: number } {
    const application = this.resolve(ref);
    if (application.isDefault) throw new ConflictError('the default application cannot be deleted');
    const accounts = this.store.directory.countAccounts(application.id);
    if (accounts > 0 && !opts.force) {
      throw new ConflictError(
        `application "${application.name}" still has ${accounts} account${accounts === 1 ? '' : 's'}; delete ${accounts === 1 ? 'it' : 'them'} first or force the deletion`,
      );
    }
    const { accounts: accountsDeleted } = this.store.directory.deleteApplication(application.id);
    return { application, accountsDeleted };
  }

  private insert(name: string, isDefault: boolean): Application {
    const id = randomUUID();
    return this.store.directory.createApplication({ id, name, isDefault }, defaultWorkspaceFor(id));
  }
}
