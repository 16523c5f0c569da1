// The page's language: Korean by default, English one click away. `?lang=en` (or `ko`) chooses it and
// the choice is remembered in localStorage. Numbers, dates and durations go through Intl.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './en.ts';
import { ko, type Messages } from './ko.ts';

export type Lang = 'ko' | 'en';
const MESSAGES: Record<Lang, Messages> = { ko, en };
const STORAGE_KEY = 'interview-practice.lang';

export function initialLang(): Lang {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'ko' || asked === 'en') {
    localStorage.setItem(STORAGE_KEY, asked);
    return asked;
  }
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ko';
}

export function rememberLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  // An address that chose the other language would undo the choice on reload.
  const url = new URL(location.href);
  if (url.searchParams.has('lang')) {
    url.searchParams.set('lang', lang);
    history.replaceState(history.state, '', url);
  }
}

export interface I18n {
  lang: Lang;
  t: Messages;
  /** A number with at most `digits` decimals. */
  number(value: number, digits?: number): string;
  percent(ratio: number): string;
  date(iso: string): string;
  /** m:ss (or h:mm:ss) for a time in the video. */
  clock(seconds: number): string;
  /** "3분", "45초", "3 min" for limits and durations. */
  duration(seconds: number): string;
  setLang(lang: Lang): void;
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  const locale = lang === 'ko' ? 'ko-KR' : 'en-GB';
  const numbers = new Map<number, Intl.NumberFormat>();
  const numberFormat = (digits: number) => {
    let format = numbers.get(digits);
    if (!format) numbers.set(digits, (format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits })));
    return format;
  };
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const minutes = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'minute',
    unitDisplay: lang === 'ko' ? 'narrow' : 'short',
  });
  const seconds = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'second',
    unitDisplay: lang === 'ko' ? 'narrow' : 'short',
  });
  return {
    lang,
    t: MESSAGES[lang],
    number: (value, digits = 1) => numberFormat(digits).format(value),
    percent: (ratio) => percent.format(ratio),
    date: (iso) => date.format(new Date(iso)),
    clock(total) {
      const whole = Math.max(0, Math.floor(total));
      const h = Math.floor(whole / 3600);
      const m = Math.floor((whole % 3600) / 60);
      const s = String(whole % 60).padStart(2, '0');
      return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
    },
    duration: (total) => (total % 60 === 0 ? minutes.format(total / 60) : seconds.format(total)),
    setLang,
  };
}

export const I18nContext = createContext<I18n>(makeI18n('ko', () => {}));
export const useI18n = () => useContext(I18nContext);
