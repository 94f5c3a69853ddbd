// Commands that talk to an instance (live plan, apply, export) or serve the sandbox.
import type { CliValues } from '../cli.ts';
import { CliError, type Io } from './plan.ts';

export type LiveCommand = (values: CliValues, io: Io) => Promise<number>;

const notYet: LiveCommand = async () => {
  throw new CliError('this command needs a platform adapter, which is not built yet');
};

export const commands: Record<string, LiveCommand> & { plan: LiveCommand } = {
  plan: notYet,
};
