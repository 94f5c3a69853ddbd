// The Action: inputs → engine → comment, summary, artifacts, outputs.
import * as core from '@actions/core';
import { formatDiagnostic } from './policy/diagnostics.ts';
import { loadPolicyFile } from './policy/load.ts';

export async function run(): Promise<void> {
  try {
    const files = core.getInput('policy', { required: true }).split(/\s+/).filter(Boolean);
    let errors = 0;
    for (const file of files) {
      const { diagnostics } = await loadPolicyFile(file);
      for (const d of diagnostics) {
        const props = { file: d.file, startLine: d.line, startColumn: d.col, title: d.field || 'policy' };
        if (d.severity === 'error') core.error(formatDiagnostic(d), props);
        else core.warning(formatDiagnostic(d), props);
      }
      errors += diagnostics.filter((d) => d.severity === 'error').length;
    }
    if (errors > 0) core.setFailed(`${errors} policy error(s)`);
  } catch (e) {
    core.setFailed(e instanceof Error ? e.message : String(e));
  }
}
