// The Action's log lines. The runner reads a line of a step's output that starts with `::` (after trimming
// whitespace) as a workflow command, and `##[…]` as its older form: a username, a group name, a file name
// from a pull request or a server's message carried into a log line could otherwise forge an annotation,
// mask output or stop command processing. @actions/core escapes the commands it writes (error, warning,
// notice); plain info lines are not, so they go through here: control characters and line breaks inside a
// value are flattened, and a line that would start a command is prefixed so that it cannot.
import * as core from '@actions/core';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Text safe as plain log lines: no control characters, no line that the runner would take as a command. */
export function safeLogText(text: string): string {
  return text
    .replace(CONTROL, '')
    .split(/\r?\n/)
    .map((line) => line.replace(/##\[/g, '#\u200b#[').replace(/^(\s*)::/, '$1\u200b::'))
    .join('\n');
}

export function logInfo(text: string): void {
  core.info(safeLogText(text));
}
