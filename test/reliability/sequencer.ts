// The order of the reliability suite's files: vitest's own, except that the secrets sweep runs
// last — it searches every log line the other files wrote for every secret they used.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SWEEP_FILE = 'secrets-sweep.test.ts';

export class SweepLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isSweep = (f: TestSpecification) => f.moduleId.endsWith(`/${SWEEP_FILE}`);
    return [...sorted.filter((f) => !isSweep(f)), ...sorted.filter(isSweep)];
  }
}
