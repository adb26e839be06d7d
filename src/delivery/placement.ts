// Where a stored copy goes and with which flags, from the actions that apply to it (PRODUCT.md
// "Rules": mark_as_spam → Junk, assign_to_folder by name or path — a missing folder is skipped —,
// mark_as_read → \Seen, mark_as_starred → \Flagged, archive → Archive, trash → Trash) and the
// spam verdict. The first action that names a folder wins (rules run lower priority first); a
// spam verdict files in Junk unless a rule filed the message somewhere itself. Spam is also
// marked with the $Junk keyword, which mail clients read (Thunderbird, Apple Mail).
import type { AppliedActions, RuleAction } from '../policy/types.js';
import { folderApiId } from '../messages/folder-ref.js';
import type { Folder, SpecialUse } from '../store/types.js';

export interface Placement {
  folder: Folder;
  flags: string[];
  applied: AppliedActions;
}

const bySpecialUse = (folders: readonly Folder[], use: SpecialUse): Folder | undefined =>
  folders.find((f) => f.specialUse === use && !f.noselect);

/** System folders by the names people give their role ("Spam" for Junk…). */
const ROLE_NAMES: Record<string, SpecialUse> = { junk: '\\Junk', spam: '\\Junk', trash: '\\Trash', archive: '\\Archive', sent: '\\Sent', drafts: '\\Drafts' };

/** A folder by its path, exactly, else ignoring case ("inbox", "Clients/acme"), else by role. */
export function folderByName(folders: readonly Folder[], name: string): Folder | undefined {
  const wanted = name.trim().replace(/^\/+|\/+$/g, '');
  if (wanted.toUpperCase() === 'INBOX') return folders.find((f) => f.name === 'INBOX');
  const lower = wanted.toLowerCase();
  return (
    folders.find((f) => f.name === wanted && !f.noselect) ??
    folders.find((f) => f.name.toLowerCase() === lower && !f.noselect) ??
    (ROLE_NAMES[lower] ? bySpecialUse(folders, ROLE_NAMES[lower]) : undefined)
  );
}

/**
 * The placement of one copy: `home` is where it goes without actions (INBOX, or Sent for the
 * sender's own copy), `baseFlags` its flags before them.
 */
export function place(folders: readonly Folder[], home: Folder, baseFlags: readonly string[], actions: readonly RuleAction[], spam: boolean): Placement {
  const flags = new Set(baseFlags);
  const applied: AppliedActions = {};
  let target: Folder | undefined;
  let junk = spam;
  for (const action of actions) {
    switch (action.type) {
      case 'mark_as_read':
        flags.add('\\Seen');
        applied.marked_as_read = true;
        break;
      case 'mark_as_starred':
        flags.add('\\Flagged');
        applied.marked_starred = true;
        break;
      case 'mark_as_spam':
        junk = true;
        applied.marked_as_spam = true;
        break;
      case 'assign_to_folder': {
        const folder = action.value ? folderByName(folders, action.value) : undefined;
        if (folder && !target) target = folder;
        break;
      }
      case 'archive': {
        const folder = bySpecialUse(folders, '\\Archive');
        if (folder && !target) {
          target = folder;
          applied.archived = true;
        }
        break;
      }
      case 'trash': {
        const folder = bySpecialUse(folders, '\\Trash');
        if (folder && !target) {
          target = folder;
          applied.trashed = true;
        }
        break;
      }
      case 'block':
        // Never reaches placement: a block refuses the message before anything is stored.
        break;
    }
  }
  if (junk) {
    flags.add('$Junk');
    const folder = bySpecialUse(folders, '\\Junk');
    if (!target && folder) target = folder;
  }
  const folder = target ?? home;
  if (folder.id !== home.id && !(junk && folder.specialUse === '\\Junk') && !applied.archived && !applied.trashed) {
    applied.folder_ids = [folderApiId(folder.id)];
  }
  return { folder, flags: [...flags], applied };
}
