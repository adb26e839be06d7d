#!/usr/bin/env node
// The `wicket` command. Sources are TypeScript; tsx compiles them on load (and caches the
// result), so `npx wicket …` works right after `npm ci` with no separate build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
