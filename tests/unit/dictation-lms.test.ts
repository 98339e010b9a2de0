/**
 * The app's dictation LM choices (src-main/backend/dictation-lms.ts): which are offered and
 * installed, the error for choosing a missing one, and the fallback with its notice for a saved
 * choice whose package has since gone. The file test is injected; the real file is the
 * integration test's (app-dictation-lm.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { checkDictationLm, DictationLmMissingError, dictationLmOptions, dictationLmPath } from '../../src-main/backend/dictation-lms.ts';
import { POCKETSPHINX_EN_US_LM } from '../../src-main/decode/sphinx-trie-lm-reader.ts';
import { GENERAL_LM_PATH } from '../../src-main/model/package-paths.ts';
import { DICTATION_LMS } from '../../src-shared/ipc/app-contract.ts';
import { checkSettingsPatch, settingsFromStored } from '../../src-shared/ipc/settings-contract.ts';

const installed = (path: string) => path === POCKETSPHINX_EN_US_LM || path === GENERAL_LM_PATH;
const missing = () => false;

describe('dictation LM choices', () => {
  it('offers every LM of the settings contract, in its order, saying which are installed', () => {
    expect(dictationLmOptions(installed).map((o) => o.name)).toEqual([...DICTATION_LMS]);
    expect(dictationLmOptions(installed).every((o) => o.available)).toBe(true);
    const without = dictationLmOptions(missing);
    expect(without.map((o) => o.available)).toEqual([true, false, false]);
    expect(without[1].detail).toMatch(/^Not installed \(reinstall Hark\): /);
    expect(without[2].detail).toMatch(/^Not installed \(apt-get install pocketsphinx-en-us\): /);
  });

  it('refuses a missing LM with what to install, and the built-in one never', () => {
    expect(() => checkDictationLm('brown', missing)).not.toThrow();
    expect(() => checkDictationLm('general', installed)).not.toThrow();
    expect(() => checkDictationLm('general', missing)).toThrow(/reinstall Hark, which ships it, or keep the built-in Brown language model/);
    expect(() => checkDictationLm('pocketsphinx-en-us', installed)).not.toThrow();
    expect(() => checkDictationLm('pocketsphinx-en-us', missing)).toThrow(DictationLmMissingError);
    expect(() => checkDictationLm('pocketsphinx-en-us', missing)).toThrow(/apt-get install pocketsphinx-en-us/);
  });

  it('falls back to the built-in LM with a notice when the saved one is gone', () => {
    expect(dictationLmPath('brown', missing)).toEqual({});
    expect(dictationLmPath('general', installed)).toEqual({ path: GENERAL_LM_PATH });
    expect(dictationLmPath('pocketsphinx-en-us', installed)).toEqual({ path: POCKETSPHINX_EN_US_LM });
    const gone = dictationLmPath('pocketsphinx-en-us', missing);
    expect(gone.path).toBeUndefined();
    expect(gone.notice).toMatch(/built-in Brown language model.*not installed \(apt-get install pocketsphinx-en-us\)/);
  });

  it('is a validated setting: a name, not a path; a damaged value falls back to brown and is named', () => {
    expect(checkSettingsPatch({ dictationLm: 'pocketsphinx-en-us' }, 'settings:set', 'patch')).toEqual({ dictationLm: 'pocketsphinx-en-us' });
    expect(() => checkSettingsPatch({ dictationLm: POCKETSPHINX_EN_US_LM }, 'settings:set', 'patch')).toThrow(/patch\.dictationLm/);
    expect(() => checkSettingsPatch({ dictationLm: 3 }, 'settings:set', 'patch')).toThrow(/patch\.dictationLm/);
    const stored = settingsFromStored({ dictationLm: 'gpt', mode: 'commands' });
    expect(stored.settings.dictationLm).toBe('brown');
    expect(stored.settings.mode).toBe('commands');
    expect(stored.problems).toHaveLength(1);
    expect(stored.problems[0]).toMatch(/dictationLm/);
  });
});
