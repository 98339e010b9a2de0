/**
 * Desktop voice commands for the synthetic training text: fixed phrases and templates
 * whose {slots} are filled from word lists, all lower-case spoken form.
 */
import type { Rng } from './rng.ts';
import { spellCardinal } from './text-numbers.ts';

const SLOTS: Record<string, readonly string[]> = {
  app: ['the browser', 'the terminal', 'the calendar', 'the music player', 'the settings', 'the file manager',
    'the editor', 'the calculator', 'mail', 'the email', 'the camera', 'the notes', 'the downloads folder',
    'the documents folder', 'spotify', 'firefox', 'chrome', 'slack', 'zoom', 'the clock', 'the weather', 'photos'],
  thing: ['window', 'tab', 'file', 'document', 'folder', 'message', 'page', 'menu', 'dialog', 'sidebar', 'panel'],
  dir: ['up', 'down', 'left', 'right'],
  device: ['microphone', 'camera', 'speakers', 'sound', 'notifications', 'wifi', 'bluetooth', 'lights'],
  media: ['music', 'video', 'song', 'track', 'playlist', 'podcast', 'movie', 'recording'],
  small: ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'twelve', 'fifteen', 'twenty'],
  polite: ['', '', '', 'please ', 'can you ', 'could you ', 'hey computer ', 'computer '],
  tail: ['', '', '', '', ' please', ' now', ' for me', ' again'],
  person: ['mom', 'dad', 'john', 'sarah', 'the team', 'my boss', 'alex', 'maria', 'david', 'emma'],
};

/** Templates; {name} is replaced by a random entry of SLOTS[name]. */
export const COMMAND_TEMPLATES: readonly string[] = [
  'next slide', 'previous slide', 'first slide', 'last slide', 'go to slide {small}', 'start the presentation',
  'end the presentation', 'mute the {device}', 'unmute the {device}', 'turn on the {device}', 'turn off the {device}',
  'open {app}', 'close {app}', 'launch {app}', 'switch to {app}', 'show {app}', 'minimize {app}',
  'scroll {dir}', 'scroll {dir} a bit', 'page {dir}', 'move {dir}', 'go {dir} {small} lines', 'move the {thing} {dir}',
  'close window', 'close the {thing}', 'open a new {thing}', 'new {thing}', 'save the {thing}', 'delete the {thing}',
  'rename the {thing}', 'print the {thing}', 'share the {thing}', 'maximize the window', 'minimize the window',
  'full screen', 'exit full screen', 'next tab', 'previous tab', 'reopen the last tab', 'refresh the page', 'reload',
  'volume up', 'volume down', 'louder', 'quieter', 'set the volume to {small}', 'mute', 'unmute',
  'take a screenshot', 'take a picture', 'start recording', 'stop recording', 'pause recording',
  'play the {media}', 'pause the {media}', 'stop the {media}', 'skip this {media}', 'next {media}',
  'previous {media}', 'play', 'pause', 'resume', 'stop', 'cancel', 'go back', 'go forward', 'go home', 'undo',
  'redo', 'copy', 'paste', 'cut', 'select all', 'copy that', 'paste it here', 'zoom in', 'zoom out', 'reset zoom',
  'yes', 'no', 'okay', 'confirm', 'done', 'help', 'open the menu', 'search for {media}', 'call {person}',
  'send a message to {person}', 'read my messages', 'what time is it', 'set a timer for {small} minutes',
  'wake me up at {small}', 'remind me in {small} minutes', 'lock the screen', 'log out', 'shut down the computer',
  'restart the computer', 'go to sleep', 'wake up', 'show the desktop', 'switch windows', 'dictation mode',
  'command mode', 'start listening', 'stop listening', 'new line', 'new paragraph', 'delete that',
  'delete the last word', 'select the last sentence', 'press enter', 'press escape', 'press tab', 'click',
  'double click', 'right click', 'go to the top', 'go to the bottom', 'find {media}', 'open the {thing}',
  'turn the {device} {onoff}', 'brightness {dir}', 'increase the brightness', 'decrease the brightness',
  'answer the call', 'hang up', 'accept', 'decline', 'open tab number {n}', 'go to page {n}', 'jump to line {n}',
];

const ONOFF = ['on', 'off'];

/** One command phrase. */
export function commandPhrase(rng: Rng): string {
  const t = rng.pick(COMMAND_TEMPLATES);
  const body = t.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (name === 'onoff') return rng.pick(ONOFF);
    if (name === 'n') return spellCardinal(rng.int(1, 250));
    const list = SLOTS[name];
    if (!list) throw new Error(`commandPhrase: unknown slot {${name}} in template "${t}"`);
    return rng.pick(list);
  });
  const polite = rng.pick(SLOTS.polite);
  const tail = rng.pick(SLOTS.tail);
  const tailOk = !(polite.includes('please') && tail.includes('please'));
  return `${polite}${body}${tailOk ? tail : ''}`.replace(/\s+/g, ' ').trim();
}
