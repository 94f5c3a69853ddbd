import { describe, expect, it } from 'vitest';
import { escapeMarkdown, neutraliseCsvCell, stripControl } from '../../src/report/escape.ts';

describe('escapeMarkdown', () => {
  it('leaves ordinary names alone', () => {
    expect(escapeMarkdown('Jane Doe')).toBe('Jane Doe');
    expect(escapeMarkdown('jane.doe-smith')).toBe('jane.doe-smith');
  });

  it('turns HTML into inert entities', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(escapeMarkdown('a & b')).toBe('a &amp; b');
    expect(escapeMarkdown('<!-- aup:x -->')).not.toContain('<!--');
  });

  it('breaks @mentions and issue references with a zero-width space', () => {
    expect(escapeMarkdown('@octocat')).toBe('@&#8203;octocat');
    expect(escapeMarkdown('jane@example.com')).toBe('jane@&#8203;example.com');
    expect(escapeMarkdown('fixes #12')).toBe('fixes #&#8203;12');
  });

  it('escapes links, images, emphasis, code, strikethrough and math', () => {
    expect(escapeMarkdown('[click](http://evil)')).toBe('\\[click\\]\\(http:&#8203;//evil\\)');
    expect(escapeMarkdown('![x](y)')).toBe('\\!\\[x\\]\\(y\\)');
    expect(escapeMarkdown('*a* _b_ `c` ~~d~~ $e$')).toBe('\\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~ \\$e\\$');
    expect(escapeMarkdown('see www.evil.com')).toBe('see www&#8203;.evil.com');
  });

  it('keeps a value inside its table cell and on one line', () => {
    expect(escapeMarkdown('| pipe')).toBe('\\| pipe');
    expect(escapeMarkdown('a\\|b')).toBe('a\\\\\\|b');
    expect(escapeMarkdown('line1\nline2\r\n# heading')).toBe('line1 line2 #&#8203; heading');
  });

  it('does not let a value start a list, heading or quote', () => {
    expect(escapeMarkdown('-2+3')).toBe('\\-2+3');
    expect(escapeMarkdown('+ item')).toBe('\\+ item');
    expect(escapeMarkdown('1. first')).toBe('1\\. first');
    expect(escapeMarkdown('> quote')).toBe('&gt; quote');
    expect(escapeMarkdown('# title')).toBe('#&#8203; title');
  });
});

describe('stripControl', () => {
  it('removes escape sequences, bidi overrides and line breaks', () => {
    expect(stripControl('evil\u001b[31mred\u001b[0m')).toBe('evil[31mred[0m');
    expect(stripControl('a\nb\rc\td')).toBe('a b c d');
    expect(stripControl('abc\u202edcba')).toBe('abcdcba');
    expect(stripControl('x\u009b2Jy\u0008z')).toBe('x2Jyz');
  });
});

describe('neutraliseCsvCell', () => {
  it('prefixes formula starters with a quote (OWASP)', () => {
    expect(neutraliseCsvCell('=HYPERLINK("http://evil","x")')).toBe('\'=HYPERLINK("http://evil","x")');
    expect(neutraliseCsvCell('-2+3')).toBe("'-2+3");
    expect(neutraliseCsvCell('+1')).toBe("'+1");
    expect(neutraliseCsvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseCsvCell('\tx')).toBe("'\tx");
    expect(neutraliseCsvCell('\rx')).toBe("'\rx");
  });

  it('leaves other values and empties alone', () => {
    expect(neutraliseCsvCell('jane')).toBe('jane');
    expect(neutraliseCsvCell('a=b')).toBe('a=b');
    expect(neutraliseCsvCell(12)).toBe('12');
    expect(neutraliseCsvCell(false)).toBe('false');
    expect(neutraliseCsvCell(null)).toBe('');
    expect(neutraliseCsvCell(undefined)).toBe('');
  });
});
