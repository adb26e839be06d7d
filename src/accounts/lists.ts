// Lists: typed sets of addresses, domains or TLDs that rules name with `in_list` (PRODUCT.md
// "Rules"). Items are lower-cased, validated against the list's type and deduplicated
// (src/policy/validate.ts), at most 1,000 per request; adding one already there or removing
// one that is not is no error. A list's type never changes, and a list a rule still names
// cannot be deleted.
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { parseListInput, parseListItems } from '../policy/validate.js';
import type { List, ListItem } from '../policy/types.js';
import type { Store } from '../store/store.js';

/** The list ids a condition value names (`in_list` takes one id or an array of them). */
export const listIdsOf = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

export class ListService {
  constructor(private readonly store: Store) {}

  create(applicationId: string, input: unknown): List {
    const parsed = parseListInput(input, 'create');
    return this.store.governance.createList({
      id: randomUUID(),
      applicationId,
      name: parsed.name!,
      description: parsed.description ?? null,
      type: parsed.type!,
    });
  }

  list(applicationId: string): List[] {
    return this.store.governance.listLists(applicationId);
  }

  get(applicationId: string, id: string): List {
    const list = this.store.governance.getList(applicationId, id);
    if (!list) throw new NotFoundError(`list ${id} not found in this application`);
    return list;
  }

  update(applicationId: string, id: string, input: unknown): List {
    const current = this.get(applicationId, id);
    const parsed = parseListInput(input, 'update');
    if (parsed.type !== undefined && parsed.type !== current.type) {
      throw new ValidationError('type', 'immutable', `a list's type cannot change (this list holds ${current.type} items); create a new list`);
    }
    return this.store.governance.updateList({
      id,
      applicationId,
      name: parsed.name ?? current.name,
      description: parsed.description !== undefined ? parsed.description : current.description,
    });
  }

  /** The rules that name the list in an `in_list` condition. */
  rulesUsing(applicationId: string, id: string) {
    return this.store.governance
      .listRules(applicationId)
      .filter((r) => r.match.conditions.some((c) => c.operator === 'in_list' && listIdsOf(c.value).includes(id)));
  }

  delete(applicationId: string, id: string): List {
    const list = this.get(applicationId, id);
    const users = this.rulesUsing(applicationId, id);
    if (users.length > 0) {
      throw new ConflictError(`list ${id} is used by rule ${users.map((r) => `"${r.name}"`).join(', ')}; change those rules first`);
    }
    this.store.governance.deleteList(applicationId, id);
    return list;
  }

  addItems(applicationId: string, id: string, input: unknown): { list: List; added: number } {
    const list = this.get(applicationId, id);
    const values = parseListItems(input, list.type);
    const added = this.store.governance.addListItems(id, values);
    return { list: this.get(applicationId, id), added };
  }

  removeItems(applicationId: string, id: string, input: unknown): { list: List; removed: number } {
    const list = this.get(applicationId, id);
    const values = parseListItems(input, list.type);
    const removed = this.store.governance.removeListItems(id, values);
    return { list: this.get(applicationId, id), removed };
  }

  items(applicationId: string, id: string, after: string | null, limit: number): ListItem[] {
    this.get(applicationId, id);
    return this.store.governance.listItems(id, after, limit);
  }
}
