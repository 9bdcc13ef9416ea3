// One table of language names for both speech engines: names and codes resolve, each engine renames
// only its exceptions, and unknown or prototype names are unknown.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { languageCode, languageCodes, voiceFor } from '../../runtime/server/languages';
import { espeakNgVoice } from '../../runtime/server/espeakNg';

describe('language codes', () => {
  it('folder names and ISO codes give one code; every code names itself', () => {
    expect(languageCode('Russian')).toBe('ru');
    expect(languageCode('ru')).toBe('ru');
    expect(languageCode('brazilian')).toBe('pt-br');
    for (const code of languageCodes()) expect(languageCode(code)).toBe(code);
  });

  it('unknown names, prototype keys and arbitrary text are unknown, never a crash', () => {
    for (const bad of ['klingon', 'toString', '__proto__', 'constructor', '']) expect(languageCode(bad)).toBeNull();
    fc.assert(
      fc.property(fc.string(), (s) => {
        const code = languageCode(s);
        expect(code === null || languageCodes().includes(code)).toBe(true);
      }),
    );
  });

  it('an engine renames only its exceptions', () => {
    expect(voiceFor('english', { en: 'en/en' })).toBe('en/en');
    expect(voiceFor('german', { en: 'en/en' })).toBe('de');
    expect(voiceFor('klingon', {})).toBeNull();
    expect(espeakNgVoice('chinese')).toBe('cmn');
    expect(espeakNgVoice('norwegian')).toBe('nb');
    expect(espeakNgVoice('brazilian')).toBe('pt-br');
    expect(espeakNgVoice('Russian')).toBe('ru');
  });
});
