// CommuniGate language folder names (and the ISO codes people type instead) → one language code each.
// The speech engines name their voices after these codes, with a few exceptions they list themselves
// (tts.ts for mespeak, espeakNg.ts for espeak-ng): a language is added here once, for both.
const CODES: Record<string, string> = {
  english: 'en',
  en: 'en',
  'en-us': 'en-us',
  american: 'en-us',
  german: 'de',
  de: 'de',
  french: 'fr',
  fr: 'fr',
  spanish: 'es',
  es: 'es',
  italian: 'it',
  it: 'it',
  dutch: 'nl',
  nl: 'nl',
  polish: 'pl',
  pl: 'pl',
  portuguese: 'pt',
  pt: 'pt',
  brazilian: 'pt-br',
  'pt-br': 'pt-br',
  swedish: 'sv',
  sv: 'sv',
  finnish: 'fi',
  fi: 'fi',
  czech: 'cs',
  cs: 'cs',
  slovak: 'sk',
  sk: 'sk',
  hungarian: 'hu',
  hu: 'hu',
  romanian: 'ro',
  ro: 'ro',
  turkish: 'tr',
  tr: 'tr',
  greek: 'el',
  el: 'el',
  latvian: 'lv',
  lv: 'lv',
  catalan: 'ca',
  ca: 'ca',
  esperanto: 'eo',
  eo: 'eo',
  latin: 'la',
  la: 'la',
  chinese: 'zh',
  zh: 'zh',
  cantonese: 'yue',
  yue: 'yue',
  kannada: 'kn',
  kn: 'kn',
  russian: 'ru',
  ru: 'ru',
  ukrainian: 'uk',
  uk: 'uk',
  japanese: 'ja',
  ja: 'ja',
  korean: 'ko',
  ko: 'ko',
  arabic: 'ar',
  ar: 'ar',
  hebrew: 'he',
  he: 'he',
  norwegian: 'no',
  no: 'no',
  danish: 'da',
  da: 'da',
  bulgarian: 'bg',
  bg: 'bg',
  croatian: 'hr',
  hr: 'hr',
  serbian: 'sr',
  sr: 'sr',
};

/** @example languageCode('Russian') // 'ru'; languageCode('brazilian') // 'pt-br'; languageCode('klingon') // null */
export function languageCode(language: string): string | null {
  const key = language.toLowerCase();
  return Object.hasOwn(CODES, key) ? CODES[key]! : null;
}

/** Every language code known (each once; each is also a name languageCode accepts). */
export function languageCodes(): string[] {
  return [...new Set(Object.values(CODES))];
}

/** An engine's voice for a language: its own name where it differs from the code, else the code. */
export function voiceFor(language: string, renamed: Readonly<Record<string, string>>): string | null {
  const code = languageCode(language);
  if (code === null) return null;
  return Object.hasOwn(renamed, code) ? renamed[code]! : code;
}
