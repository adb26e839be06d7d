// Every IMAP command, by name (UID variants are commands of their own).
import type { CommandDef } from '../command.js';
import { append } from './append.js';
import { authenticate } from './authenticate.js';
import { capability } from './capability.js';
import { check } from './check.js';
import { close } from './close.js';
import { compress } from './compress.js';
import { copy, uidCopy } from './copy.js';
import { create } from './create.js';
import { deleteMailbox } from './delete.js';
import { enable } from './enable.js';
import { expunge } from './expunge.js';
import { fetch, uidFetch } from './fetch.js';
import { getquota } from './getquota.js';
import { getquotaroot } from './getquotaroot.js';
import { id } from './id.js';
import { idle } from './idle.js';
import { list } from './list.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { lsub } from './lsub.js';
import { move, uidMove } from './move.js';
import { namespace } from './namespace.js';
import { noop } from './noop.js';
import { rename } from './rename.js';
import { search, uidSearch } from './search.js';
import { examine, select } from './select.js';
import { setquota } from './setquota.js';
import { starttls } from './starttls.js';
import { status } from './status.js';
import { storeFlags, uidStore } from './store.js';
import { subscribe } from './subscribe.js';
import { uidExpunge } from './uid-expunge.js';
import { unselect } from './unselect.js';
import { unsubscribe } from './unsubscribe.js';

const ALL: CommandDef[] = [
  capability,
  noop,
  logout,
  starttls,
  login,
  authenticate,
  select,
  examine,
  create,
  deleteMailbox,
  rename,
  subscribe,
  unsubscribe,
  list,
  lsub,
  status,
  append,
  check,
  close,
  expunge,
  search,
  uidSearch,
  fetch,
  uidFetch,
  storeFlags,
  uidStore,
  copy,
  uidCopy,
  id,
  idle,
  enable,
  namespace,
  unselect,
  uidExpunge,
  move,
  uidMove,
  compress,
  getquota,
  getquotaroot,
  setquota,
];

export const COMMANDS: ReadonlyMap<string, CommandDef> = new Map(ALL.map((c) => [c.name, c]));
