// Reading an input file (audit, inventory, refusals, activity CSV): a file that cannot be read is a PolicyError
// naming it and what it was read as, like every other problem of an input file.
import { readFile } from 'node:fs/promises';
import { fileError, PolicyError } from './policy/diagnostics.ts';

export async function readInputText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new PolicyError([fileError(file, `reading ${what}: ${(e as Error).message}`)]);
  }
}
