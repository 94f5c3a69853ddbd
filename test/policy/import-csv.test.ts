// Import CSVs as people make them and as attackers make them: BOM, `;` delimiters, CRLF, quoted cells, an edited
// inventory.csv; and formula cells, huge cells, UTF-16 and Latin-1 bytes, 100k rows. Every problem names
// file:line:column and the field; nothing throws, nothing is read as garbage.
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/policy/diagnostics.ts';
import { MAX_DIAGNOSTICS, parseImportCsv } from '../../src/policy/import-csv.ts';
import { MAX_CELL, readCsv } from '../../src/policy/csv-reader.ts';
import { plan } from '../../src/planner/index.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy } from '../../src/policy/resolved.ts';
import { planCsv } from '../../src/report/csv.ts';
import type { Snapshot } from '../../src/model.ts';

const F = 'users.csv';
const read = (text: string) => {
  const r = parseImportCsv(text, F);
  return { ...r, lines: r.diagnostics.map(formatDiagnostic) };
};
/** Bytes as `readFile(file, 'utf8')` hands them over. */
const asRead = (bytes: Buffer) => bytes.toString('utf8');

describe('import CSV: what spreadsheets write', () => {
  it('reads a BOM, ";" delimiters, CRLF, quoted cells holding ";" and doubled quotes', () => {
    const r = read(
      '\uFEFFusername;email;display_name;state;groups\r\n' +
        'alice;alice@example.com;"O""Brien; Alice";active;"developers; qa"\r\n' +
        'bob;;Bob;absent;\r\n',
    );
    expect(r.lines).toEqual([]);
    expect(r.users.map((u) => [u.name, u.email, u.displayName, u.state, u.groups])).toEqual([
      ['alice', 'alice@example.com', 'O"Brien; Alice', 'active', ['developers', 'qa']],
      ['bob', null, 'Bob', 'absent', []],
    ]);
    // The columns the cells start at on their line (the BOM is not a column): groups inside the quoted cell.
    expect(r.users[0]!.cells).toEqual({ username: 1, email: 7, groups: [51, 63] });
  });

  it('takes "," as the delimiter when the header has more commas than semicolons, and columns in any order', () => {
    const r = read('groups,username\n"a;b",carol\n');
    expect(r.users.map((u) => [u.name, u.groups])).toEqual([['carol', ['a', 'b']]]);
    expect(readCsv('a;b,c;d\n', F).delimiter).toBe(';');
    expect(readCsv('a,b;c,d\n', F).delimiter).toBe(',');
  });

  it('skips empty lines and rows of empty cells (a spreadsheet’s trailing ";;;;")', () => {
    const r = read('username;groups;;\n\nalice;qa;;\n;;;\n\r\nbob;;;\n');
    expect(r.lines).toEqual([]);
    expect(r.users.map((u) => [u.name, u.ref.type === 'import' ? u.ref.line : 0])).toEqual([
      ['alice', 3],
      ['bob', 6],
    ]);
  });

  it('reads an edited inventory.csv: its facts are ignored, active stands for state, one warning for groups of deactivated rows', () => {
    const header =
      'id,username,display_name,email,active,last_active,days_inactive,never_logged_in,created,directory,read_only,groups,licensed_access';
    const r = read(
      `${header}\n` +
        '1,alice,Alice,alice@example.com,true,2026-01-01T00:00:00Z,3,false,,Internal,false,dev;qa,dev\n' +
        "2,'=evil,'-2+3,,false,,,true,,Internal,false,dev,\n" +
        '3,bob,Bob,,false,,,,,Internal,false,,\n',
    );
    expect(r.users.map((u) => [u.name, u.displayName, u.state, u.groups])).toEqual([
      ['alice', 'Alice', 'active', ['dev', 'qa']],
      // Cells aup neutralised are read back as they were.
      ['=evil', '-2+3', 'inactive', []],
      ['bob', 'Bob', 'inactive', []],
    ]);
    expect(r.lines).toEqual([
      `${F}:3:46: warning: groups: 1 row with active false list groups (first on line 3): groups are managed for active users only, so those cells add no one to a group, and a group the policy manages as exact does not keep such a user`,
    ]);
    expect(r.summary).toEqual({
      rows: 3,
      states: { active: 1, inactive: 2, absent: 0 },
      groups: ['dev', 'qa'],
    });
  });
});

describe('import CSV: every problem at file:line:column with the field', () => {
  it('names an unknown or doubled column, with the closest known name', () => {
    expect(read('usernme,email\nalice,a@example.com\n').lines).toEqual([
      `${F}:1:1: usernme: unknown column (did you mean "username"?) (expected username,email,display_name,state,groups)`,
      `${F}:1:1: the header must name the column username (and may name email,display_name,state,groups); got "usernme,email"`,
    ]);
    expect(read('username,email,Email\nalice,,\n').lines).toEqual([
      `${F}:1:16: email: column email is named twice (first in column 2)`,
    ]);
    expect(read('username\temail\nalice\ta@example.com\n').lines.at(-1)).toContain(
      '(tab-separated files are not read: save as CSV)',
    );
    expect(read('').lines).toEqual([
      `${F}:1:1: the file has no header line (expected username,email,display_name,state,groups)`,
    ]);
  });

  it('names a row with more or fewer cells than the header, an empty username, a bad email or state', () => {
    const r = read(
      'username,email,state\n' +
        'alice,alice@example.com,active,extra\n' +
        'bob,bob@example.com\n' +
        ',x@example.com,active\n' +
        'carol,carol@,active\n' +
        'dave,,gone\n' +
        'erin,erin@example.com,INACTIVE\n',
    );
    expect(r.lines).toEqual([
      `${F}:2:32: the row has 4 cells, the header 3 columns (a cell holding "," must be quoted)`,
      `${F}:3:5: the row has 2 cells, the header 3 columns (a cell holding "," must be quoted)`,
      `${F}:4:1: username: expected a username, got an empty cell`,
      `${F}:5:7: email: expected an email address, got "carol@"`,
      `${F}:6:7: state: expected one of active | inactive | absent, got "gone"`,
    ]);
    expect(r.users.map((u) => [u.name, u.state])).toEqual([
      ['carol', 'active'],
      ['erin', 'inactive'],
    ]);
  });

  it('names a user listed twice (case-insensitively) with the first line, and warns of an email used twice', () => {
    const r = read(
      'username,email\nalice,shared@example.com\nbob,SHARED@example.com\nAlice,other@example.com\nalice,shared@example.com\n',
    );
    expect(r.lines).toEqual([
      `${F}:3:5: warning: email: SHARED@example.com is also the email of the row on line 2`,
      `${F}:4:1: username: "Alice" is already listed on line 2`,
      `${F}:5:1: username: "alice" is already listed on line 2`,
    ]);
  });

  it('refuses groups for a user whose state is not active (as users[] does)', () => {
    expect(read('username,state,groups\nbob,inactive,qa\n').lines).toEqual([
      `${F}:2:14: groups: groups are only managed for users with state active, got state inactive`,
    ]);
  });

  it('names quoting mistakes where they are', () => {
    expect(read('username,display_name\nalice,"Alice\n').lines).toEqual([
      `${F}:2:7: a quoted cell is never closed (a " is missing)`,
    ]);
    expect(read('username,display_name\nalice,"Al"ice\n').lines).toEqual([
      `${F}:2:11: text after a closing quote: quote the whole cell and double the quotes in it ("")`,
    ]);
    expect(read('username,display_name\nalice,O"Brien\n').lines).toEqual([
      `${F}:2:8: a quote inside an unquoted cell: quote the whole cell and double the quote ("O""Brien")`,
    ]);
    // A line break inside a quoted cell is read (the next row's line is counted on), but no name may hold one.
    const r = read('username,display_name\nalice,"Ali\r\nce"\nbob,Bob\n');
    expect(r.lines).toEqual([
      `${F}:2:7: display_name: cells must not contain line breaks or control characters`,
    ]);
    expect(r.users.map((u) => [u.name, u.ref.type === 'import' ? u.ref.line : 0])).toEqual([
      ['alice', 2],
      ['bob', 4],
    ]);
  });
});

describe('import CSV: hostile files', () => {
  it('reads formula cells as text and warns; every CSV written neutralises them', () => {
    const r = read(
      'username,email,display_name,groups\n=cmd,x@example.com,"=HYPERLINK(""http://evil"")",+g\n',
    );
    expect(r.lines).toEqual([
      `${F}:2:1: warning: username: starts with "=", which a spreadsheet runs as a formula: it is read as text, and every CSV aup writes neutralises it`,
      `${F}:2:20: warning: display_name: starts with "=", which a spreadsheet runs as a formula: it is read as text, and every CSV aup writes neutralises it`,
      `${F}:2:50: warning: groups: starts with "+", which a spreadsheet runs as a formula: it is read as text, and every CSV aup writes neutralises it`,
    ]);
    // Planned (the user to create, into group +g), plan.csv neutralises every such cell.
    const policy = parsePolicyText('version: 1\ninstance: { platform: jira-dc }\n', 'p.yml').policy!;
    const snapshot: Snapshot = {
      formatVersion: 2,
      platform: 'jira-dc',
      instance: 'https://jira.example.com',
      takenAt: '2026-11-25T00:00:00Z',
      users: [],
      groups: [{ name: '+g', readOnly: false }],
    };
    const p = plan(
      snapshot,
      { path: 'p.yml', sha256: 'x', policy, declared: [...declaredFromPolicy(policy), ...r.users] },
      { now: new Date('2026-11-25T00:00:00Z') },
    );
    const csv = planCsv(p);
    expect(csv).toContain("'=cmd");
    expect(csv).toContain("'+g");
    expect(csv.split('\n').flatMap((l) => l.split(','))).not.toContainEqual(expect.stringMatching(/^[=+@]/));
  });

  it('refuses a huge cell without keeping it, and goes on with the next rows', () => {
    const huge = 'x'.repeat(10_000_000);
    const r = read(`username,display_name\nalice,${huge}\nbob,"${huge}"\ncarol,Carol\n`);
    expect(r.lines).toEqual([
      `${F}:2:7: a cell longer than ${MAX_CELL} characters (the longest name or email accepted)`,
      `${F}:3:5: a cell longer than ${MAX_CELL} characters (the longest name or email accepted)`,
    ]);
    expect(r.users.map((u) => u.name)).toEqual(['alice', 'bob', 'carol']);
    expect(Math.max(...r.users.map((u) => (u.displayName ?? '').length))).toBeLessThanOrEqual(64);
  });

  it('refuses UTF-16 (with or without a byte order mark) and Latin-1 bytes with a clear message where they are', () => {
    const text = 'username,display_name\nalice,Zoë\n';
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const utf16be = Buffer.from(utf16le.toString('utf16le'), 'utf16le').swap16();
    const noBom = Buffer.from(text, 'utf16le');
    for (const bytes of [utf16le, utf16be, noBom])
      expect(read(asRead(bytes)).lines).toEqual([
        `${F}:1:1: the file is UTF-16 (it has NUL bytes or a UTF-16 byte order mark), not UTF-8; save it as "CSV UTF-8" (comma or semicolon delimited)`,
      ]);
    const latin1 = asRead(Buffer.from(text, 'latin1'));
    expect(read(latin1).lines).toEqual([
      `${F}:2:9: a byte that is not UTF-8 (the file looks Latin-1 or Windows-1252 encoded, as older spreadsheets save it); save it as "CSV UTF-8" (comma or semicolon delimited)`,
    ]);
    expect(read(latin1).users).toEqual([]);
    // The same file in UTF-8 reads.
    expect(read(asRead(Buffer.from(text, 'utf8'))).users[0]!.displayName).toBe('Zoë');
  });

  it('reads 100,000 rows, and finds the one duplicate at the end', () => {
    const lines = ['username,email,groups'];
    for (let i = 0; i < 100_000; i++) lines.push(`user${i},user${i}@example.com,g${i % 7}`);
    const r = read(`${lines.join('\n')}\nuser5,x@example.com,g1\n`);
    expect(r.lines).toEqual([`${F}:100002:1: username: "user5" is already listed on line 7`]);
    expect(r.users).toHaveLength(100_000);
    expect(r.users.at(-1)!.ref).toEqual({ type: 'import', file: F, line: 100_001, name: 'user99999' });
    expect(r.summary.groups).toHaveLength(7);
  });

  it(`shows the first ${MAX_DIAGNOSTICS} problems of a file full of them and counts the rest`, () => {
    const lines = ['username,email'];
    for (let i = 0; i < 10_000; i++) lines.push(`user${i},not-an-email`);
    const r = read(lines.join('\n'));
    expect(r.lines).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(r.lines.at(-1)).toBe(
      `${F}:${MAX_DIAGNOSTICS + 2}:1: … and 9,900 more problems (9,900 errors) not shown: fix these first`,
    );
  });
});
