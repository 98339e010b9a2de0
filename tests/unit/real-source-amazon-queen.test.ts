import { describe, expect, it } from 'vitest';
import { cleanText } from '../../src-main/train/data/real/sources/amazon-queen.ts';
import { canonicalSpeaker } from '../../src-main/train/data/real/sources/amazon-queen-actors.ts';
import { entryBytes, parseQueenTable } from '../../src-main/train/data/real/sources/amazon-queen-archive.ts';
import { parseCutaway, parseDialogue, splitSpeechSegments, voiceFileName } from '../../src-main/train/data/real/sources/amazon-queen-scripts.ts';

/** Big-endian byte builder for hand-made game files. */
class Bytes {
  b: number[] = [];
  get pos(): number {
    return this.b.length;
  }
  u8(v: number): this {
    this.b.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  ascii(s: string): this {
    for (const c of s) this.u8(c.charCodeAt(0));
    return this;
  }
  /** A length-prefixed game string, padded so the next item starts on `align`. */
  str(s: string, align = 2): this {
    this.u8(s.length).ascii(s);
    if (s.length) while (this.pos % align) this.u8(0);
    return this;
  }
  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.u8(0);
    return this;
  }
  set16(at: number, v: number): void {
    this.b[at] = (v >> 8) & 0xff;
    this.b[at + 1] = v & 0xff;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.b);
  }
}

function fakeArchive(files: [string, Uint8Array][]): Uint8Array {
  const w = new Bytes().ascii('QTBL').ascii('CEM10').u8(0).u16(0).u8(1).u16(files.length);
  let offset = 15 + files.length * 21;
  for (const [name, data] of files) {
    w.ascii(name).zeros(12 - name.length).u8(1).u32(offset).u32(data.length);
    offset += data.length;
  }
  for (const [, data] of files) for (const v of data) w.u8(v);
  return w.bytes();
}

describe('queen.1c table of contents', () => {
  it('reads the entries of a two-file archive and finds their bytes', () => {
    const buf = fakeArchive([
      ['020006P1.SB', Uint8Array.from([1, 2, 3])],
      ['test.dog', Uint8Array.from([9, 8, 7, 6, 5])],
    ]);
    const t = parseQueenTable(buf);
    expect(t.version).toBe('CEM10');
    expect(t.compression).toBe(1);
    expect([...t.entries.keys()]).toEqual(['020006P1.SB', 'TEST.DOG']);
    expect(t.entries.get('TEST.DOG')).toMatchObject({ bundle: 1, size: 5, offset: 15 + 42 + 3 });
    expect([...entryBytes(buf, t, '020006p1.sb')!]).toEqual([1, 2, 3]);
    expect([...entryBytes(buf, t, 'TEST.DOG', 2)!]).toEqual([7, 6, 5]);
    expect(entryBytes(buf, t, 'NOPE.SB')).toBeUndefined();
  });

  it('refuses a file without the QTBL header or with a table past its end', () => {
    expect(() => parseQueenTable(new TextEncoder().encode('RIFF0000000000000000'))).toThrow(/QTBL/);
    const buf = fakeArchive([['A.SB', Uint8Array.from([1])]]);
    expect(() => parseQueenTable(buf.subarray(0, 30))).toThrow(/past the end/);
  });
});

describe('speech segments and voice file names', () => {
  it('cuts sentences at *XX commands, counting every command', () => {
    expect(splitSpeechSegments('Hello there*14')).toEqual([{ index: 1, text: 'Hello there' }]);
    expect(splitSpeechSegments('*FRHello Joe.*00Bet you did not expect me!')).toEqual([
      { index: 1, text: '' },
      { index: 2, text: 'Hello Joe.' },
      { index: 3, text: 'Bet you did not expect me!' },
    ]);
    // *GD / *GM are gestures: their segment is not spoken but still counts; *XY carries coordinates
    expect(splitSpeechSegments('*GDGot it.*XY00(237,112)Now walk.')).toEqual([
      { index: 2, text: 'Got it.' },
      { index: 3, text: 'Now walk.' },
    ]);
    expect(splitSpeechSegments('Take*GMthis.*WT')).toEqual([
      { index: 2, text: 'this.' },
    ]);
  });

  it('zero-fills blanks, writes the segment in hex and upper-cases', () => {
    expect(voiceFileName(' 2  1eP', 1)).toBe('02001EP1.SB');
    expect(voiceFileName('C69E_14', 2)).toBe('C69E_142.SB');
    expect(voiceFileName('JOE0460', 11)).toBe('JOE0460B.SB');
  });

  it('cleans text and merges actor variants', () => {
    expect(cleanText('  <sneeze>  ')).toBe('');
    expect(cleanText('"Hi"  there...')).toBe('"Hi" there...');
    expect(canonicalSpeaker('X2_JOE')).toBe('joe');
    expect(canonicalSpeaker('SPARKY-F')).toBe('sparky');
    expect(canonicalSpeaker('LOLA_SHOWER')).toBe('lola');
    expect(canonicalSpeaker('MAN2')).toBe('man2');
  });
});

describe('dialogue files', () => {
  it('names the voice file of every line of a hand-made dialogue', () => {
    const w = new Bytes();
    w.u16(1).u16(77).u16(2).u16(2).u16(1); // one level, unique key, talk key 2, 2 Joe lines, 1 person line
    w.zeros(12); // game states
    const p1At = w.pos;
    w.u16(0).u16(0).u16(0).zeros(4); // person1, cutaway, person2 offsets (patched), padding
    w.zeros(96); // the dialogue tree (one level)
    expect(w.pos).toBe(32 + 96);
    w.u16(0).u16(0).str('Hi there.*14Who are you?', 4); // Joe's opening line (id 0)
    w.u16(0).u16(6).str('Where am I?', 4);
    w.set16(p1At, w.pos);
    w.u16(0).u16(6).str('*FRIn the jungle.*00Welcome.', 4);
    w.set16(p1At + 2, w.pos);
    w.u16(0).u16(0).str('');
    w.set16(p1At + 4, w.pos);
    w.str('Back again?').str('0');
    const d = parseDialogue(w.bytes());
    expect(d.talkKey).toBe(2);
    const files = d.sentences.flatMap((s) => splitSpeechSegments(s.text).filter((g) => g.text).map((g) => [voiceFileName(s.prefix, g.index), g.text, s.who]));
    expect(files).toEqual([
      ['02SSSSJ1.SB', 'Hi there.', 'joe'],
      ['02SSSSJ2.SB', 'Who are you?', 'joe'],
      ['020006J1.SB', 'Where am I?', 'joe'],
      ['020006P2.SB', 'In the jungle.', 'person'],
      ['020006P3.SB', 'Welcome.', 'person'],
      ['02XXXXP1.SB', 'Back again?', 'person'],
    ]);
  });
});

describe('cutaway files', () => {
  function object(w: Bytes, num: number, opts: { animList?: number; execute?: number; room?: number; persons?: number[] } = {}): void {
    const f = new Array(17).fill(0);
    f[0] = num;
    f[4] = opts.animList ?? 0;
    f[5] = opts.execute ?? 0;
    f[15] = opts.room ?? 0;
    for (const v of f) w.u16(v & 0xffff);
    const persons = opts.persons ?? [];
    w.u16(persons.length);
    for (const p of persons) w.u16(p & 0xffff);
  }

  it('gives each object its sentence, voice prefix and speaker object', () => {
    const w = new Bytes();
    w.u16(0).u16(4).u16(0).u16(0).u16(0).u16(0); // panel, 4 objects, flags, game states, sentences, banks
    object(w, 0, { persons: [-1, 5] }); // Joe speaks
    object(w, 5); // a person (object 5) speaks
    object(w, 9, { animList: 1, execute: 1 }); // an animation, with its frames
    w.u16(0).zeros(18).u16(0xfffe);
    object(w, -4); // a caption, not spoken
    w.set16(10, w.pos);
    w.u16(1).str('BANK.BBK').str('talk.dog').u16(55);
    w.set16(8, w.pos);
    w.str('').str('Hello.*02Bye.').str('I am five.').str('*').str('...meanwhile');
    const isPerson = (o: number) => o === 5;
    const c = parseCutaway('TEST.CUT', w.bytes(), isPerson);
    expect(c.parsed).toBe(true);
    expect(c.talkFile).toBe('talk.dog');
    expect(c.talkTo).toBe(55);
    expect(c.sentences).toEqual([
      { prefix: 'TEST_01', text: 'Hello.*02Bye.', who: 'joe' },
      { prefix: 'TEST_02', text: 'I am five.', who: 5 },
    ]);
    expect(voiceFileName(c.sentences[1].prefix, 1)).toBe('TEST_021.SB');
    // a long cutaway name is cut to five characters
    expect(parseCutaway('CINTRO.CUT', w.bytes(), isPerson).sentences[0].prefix).toBe('CINTR01');
  });

  it('reports an object list it cannot parse instead of guessing speakers', () => {
    const w = new Bytes();
    w.u16(0).u16(1).u16(0).u16(0).u16(0).u16(0);
    object(w, 9, { animList: 1, execute: 1 }); // promises animation frames that never end
    w.u16(5000);
    w.set16(10, w.pos);
    w.u16(0).str('').u16(0);
    w.set16(8, w.pos);
    w.str('').str('Who said this?');
    const c = parseCutaway('BAD.CUT', w.bytes(), () => false);
    expect(c.parsed).toBe(false);
    expect(c.sentences).toEqual([{ prefix: 'BAD__01', text: 'Who said this?', who: -999 }]);
  });
});
