// The one regular-expression engine (compiler/regex): POSIX extended expressions as FindRegEx
// documents them, leftmost-longest, in bounded work.
import { describe, expect, it } from 'vitest';
import { checkRegex, compileRegex, findRegEx, RegexLimitError, RegexSyntaxError } from '../../compiler/regex';

const find = (s: string, p: string) => findRegEx(s, p);

describe('matching', () => {
  it('returns [whole, groups…] of the leftmost match, or null', () => {
    expect(find('call 555-1234 now', '([0-9]+)-([0-9]+)')).toEqual(['555-1234', '555', '1234']);
    expect(find('abc', 'x+')).toBeNull();
    expect(find('Room 42B', '[[:digit:]]+[[:upper:]]')).toEqual(['42B']);
    // a group that takes no part is ""
    expect(find('b', '(a)?b')).toEqual(['b', '']);
  });

  it('picks the longest match at the leftmost start (POSIX), not the first alternative', () => {
    expect(find('ab', 'a|ab')).toEqual(['ab']);
    expect(find('xabcd', '(a|ab)(c|bcd)')).toEqual(['abcd', 'a', 'bcd']);
    expect(find('aaa', 'a*?')).toBeNull(); // refused: lazy repetition is not POSIX
    expect(find('xyz', 'y*')).toEqual(['']); // leftmost first: the empty match at 0
  });

  it('groups are those of the first way (in backtracking order) to the leftmost-longest match', () => {
    expect(find('xyz', '(x|xy)(z|yz)')).toEqual(['xyz', 'x', 'yz']);
    expect(find('abab', '(ab)+')).toEqual(['abab', 'ab']);
    expect(find('abc', '(a|b|c)+')).toEqual(['abc', 'c']);
  });

  it('knows the POSIX classes (ASCII, the POSIX locale) and ranges', () => {
    expect(find('hello', '^[[:alpha:]]+$')).toEqual(['hello']);
    expect(find('héllo', '^[[:alpha:]]+$')).toBeNull();
    expect(find('héllo', '^[[:alpha:]é]+$')).toEqual(['héllo']);
    expect(find(' \t', '^[[:blank:]]+$')).toEqual([' \t']);
    expect(find('Ab9_', '^[[:alnum:]_]+$')).toEqual(['Ab9_']);
    expect(find('#*', '^[[:punct:]]+$')).toEqual(['#*']);
    expect(find('0x1F', '^0x[[:xdigit:]]+$')).toEqual(['0x1F']);
    expect(find('q', '[^[:digit:][:space:]]')).toEqual(['q']);
    expect(find('-', '[a-]')).toEqual(['-']);
    expect(find(']', '[]a]')).toEqual([']']);
    expect(find('b', '[^]a]')).toEqual(['b']);
    expect(find('.', '[[.-.]-/]')).toEqual(['.']);
    expect(find('e', '[[=e=]]')).toEqual(['e']);
  });

  it('takes a backslash inside brackets literally, and escapes specials outside', () => {
    expect(find('a\\b', 'a[\\]b')).toEqual(['a\\b']);
    expect(find('d', '[\\d]')).toEqual(['d']);
    expect(find('x{2}', 'x\\{2}')).toEqual(['x{2}']);
    expect(find('1+1', '^1\\+1$')).toEqual(['1+1']);
    expect(find('a)', 'a)')).toEqual(['a)']); // an unmatched ')' is an ordinary character
  });

  it('counts repetitions {m}, {m,}, {m,n}', () => {
    expect(find('5551234', '^[0-9]{7}$')).toEqual(['5551234']);
    expect(find('555123', '^[0-9]{7}$')).toBeNull();
    expect(find('12345', '^[0-9]{2,}$')).toEqual(['12345']);
    expect(find('1234', '^[0-9]{2,3}')).toEqual(['123']);
    expect(find('aaa', '^(a{0,2})(a*)$')).toEqual(['aaa', 'aa', 'a']);
  });

  it('anchors only at the ends of the text; . and [^…] match a line break', () => {
    expect(find('a\nb', '^b')).toBeNull();
    expect(find('a\nb', 'a.b')).toEqual(['a\nb']);
    expect(find('a\nb', 'a[^x]b')).toEqual(['a\nb']);
    expect(find('ab', 'a^b')).toBeNull();
  });

  it('matches characters, not UTF-16 units', () => {
    expect(find('😀a', '^.a$')).toEqual(['😀a']);
    expect(find('😀', '^[😀-😂]$')).toEqual(['😀']);
    expect(find('Привет', '^П.{4}т$')).toEqual(['Привет']);
  });

  it('answers null for arguments that are not strings, as documented', () => {
    expect(findRegEx(5, '5')).toBeNull();
    expect(findRegEx('5', null)).toBeNull();
    expect(findRegEx('5', '(')).toBeNull();
  });
});

describe('bounded work', () => {
  it('finishes the classic catastrophic patterns at once', () => {
    const keys = '1'.repeat(40);
    expect(find(keys, '^(1+)+2$')).toBeNull();
    expect(find(`${keys}2`, '^(1+)+2$')).toEqual([`${keys}2`, keys]);
    expect(find('a'.repeat(5000), '^(a|a)*(a|aa)*b$')).toBeNull();
    expect(find('a'.repeat(2000), '(a*)*(a*)*(a*)*c')).toBeNull();
  });

  it('stops with RegexLimitError past the step limit', () => {
    const re = compileRegex('(a|b|c|d|e)*z');
    expect(() => re.exec('abcde'.repeat(200), 1000)).toThrow(RegexLimitError);
    expect(re.exec('abcdez', 1000)).toEqual(['abcdez', 'e']);
  });
});

describe('what the engine refuses (FindRegEx answers null), with where', () => {
  const refused: [string, number, RegExp][] = [
    ['', 0, /empty/],
    ['(ab', 0, /never closed/],
    ['[ab', 0, /never closed/],
    ['a|', 2, /empty alternative/],
    ['(|a)', 1, /empty alternative/],
    ['a()', 2, /empty group/],
    ['*a', 0, /nothing before it to repeat/],
    ['^*', 1, /cannot repeat the anchor/],
    ['a+?', 2, /lazy/],
    ['a**', 2, /right after a repetition/],
    ['a{', 1, /repetition count/],
    ['a{,3}', 1, /repetition count/],
    ['a{3,2}', 1, /larger count comes second/],
    ['a{256}', 1, /at most 255/],
    ['(a{200}){200}', 0, /too large/],
    ['\\d+', 0, /write \[\[:digit:\]\]/],
    ['x\\s', 1, /write \[\[:space:\]\]/],
    ['\\bx', 0, /word boundary/],
    ['(a)\\1', 3, /back-references/],
    ['a\\n', 1, /not a POSIX escape/],
    ['a\\q', 1, /undefined in POSIX/],
    ['a\\', 1, /lone backslash/],
    ['(?:a)', 0, /not POSIX/],
    ['[z-a]', 1, /runs backwards/],
    ['[[:word:]]', 1, /unknown character class/],
    ['[[:alpha:]-z]', 1, /a range runs between two characters/],
    ['[a-c-e]', 4, /put a literal '-' first or last/],
    ['[[.ab.]]', 1, /single characters/],
    ['[[:alpha:', 1, /never closed/],
    [`${'('.repeat(101)}a${')'.repeat(101)}`, 100, /nest deeper/],
  ];
  it.each(refused)('%j at %i', (pattern, offset, message) => {
    const check = checkRegex(pattern);
    expect(check.error?.message).toMatch(message);
    expect(check.error?.offset).toBe(offset);
    expect(() => compileRegex(pattern)).toThrow(RegexSyntaxError);
    expect(findRegEx('anything', pattern)).toBeNull();
  });

  it('remarks on valid patterns that probably mean something else', () => {
    expect(checkRegex('[\\d]+').notes.map((n) => n.message)).toEqual([
      "a backslash inside […] is an ordinary character in POSIX ([\\d] is '\\' or 'd'; write [[:digit:]])",
    ]);
    expect(checkRegex('^[:digit:]+$').notes[0]).toEqual({
      message: "[:digit:] is a set of the characters 'digit:'; the class is written [[:digit:]]",
      offset: 1,
    });
    expect(checkRegex('^[[:digit:]]+$')).toEqual({ notes: [] });
  });
});
