// Hall announcements, one at a time: a chime, then the call spoken in Arabic when the
// browser has an Arabic voice. Calls that arrive while one plays wait their turn, so two
// calls never overlap. Without sound permission or a voice the screen highlight remains.
import type { HallAnnounce } from '@shubbak/protocol';

/** How a line letter is read aloud in Egyptian usage. */
const LETTER_NAMES: Record<string, string> = {
  A: 'إيه', B: 'بي', C: 'سي', D: 'دي', E: 'إي', F: 'إف', G: 'جي', H: 'إتش', I: 'آي', J: 'جيه', K: 'كيه', L: 'إل', M: 'إم',
  N: 'إن', O: 'أو', P: 'بي', Q: 'كيو', R: 'آر', S: 'إس', T: 'تي', U: 'يو', V: 'في', W: 'دبليو', X: 'إكس', Y: 'واي', Z: 'زد',
};

export function spokenCall(a: HallAnnounce): string {
  const letter = a.ticket.slice(0, 1);
  const number = Number(a.ticket.slice(1));
  return `${a.recall ? 'تكرار النداء، ' : ''}العميل رقم ${LETTER_NAMES[letter] ?? letter} ${number}، يتوجه إلى شباك ${a.window}`;
}

export class Announcer {
  private readonly pending: HallAnnounce[] = [];
  private playing = false;
  private audio: AudioContext | null = null;
  /** Told when a call starts and ends (the screen highlights it meanwhile). */
  onState: ((current: HallAnnounce | null) => void) | null = null;

  constructor() {
    // Chromium loads its voice list lazily: ask now so an Arabic voice is known by the first call.
    window.speechSynthesis?.getVoices();
  }

  get soundBlocked(): boolean {
    return this.audio?.state === 'suspended';
  }

  /** Browsers allow sound after a user gesture (or with --autoplay-policy=no-user-gesture-required). */
  unlock(): void {
    this.audio ??= new AudioContext();
    void this.audio.resume();
  }

  enqueue(a: HallAnnounce): void {
    this.pending.push(a);
    if (!this.playing) void this.drain();
  }

  private async drain(): Promise<void> {
    this.playing = true;
    while (this.pending.length) {
      const a = this.pending.shift()!;
      this.onState?.(a);
      await this.chime();
      await this.speak(spokenCall(a));
      await sleep(600);
    }
    this.onState?.(null);
    this.playing = false;
  }

  private async chime(): Promise<void> {
    try {
      this.audio ??= new AudioContext();
      const ctx = this.audio;
      if (ctx.state !== 'running') return sleep(900);
      // Two soft tones, like the hall boards' chime.
      for (const [freq, at] of [[880, 0], [660, 0.35]] as const) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, ctx.currentTime + at);
        gain.gain.exponentialRampToValueAtTime(0.4, ctx.currentTime + at + 0.03);
        gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + at + 0.6);
        osc.connect(gain).connect(ctx.destination);
        osc.start(ctx.currentTime + at);
        osc.stop(ctx.currentTime + at + 0.65);
      }
      await sleep(1000);
    } catch {
      await sleep(900);
    }
  }

  private speak(text: string): Promise<void> {
    const synth = window.speechSynthesis;
    const voice = synth?.getVoices().find((v) => v.lang.toLowerCase().startsWith('ar'));
    if (!synth || !voice) return sleep(1500); // keep the highlight up as long as a call would take
    return new Promise((resolve) => {
      const u = new SpeechSynthesisUtterance(text);
      u.voice = voice;
      u.lang = voice.lang;
      u.rate = 0.9;
      const done = () => resolve();
      u.onend = done;
      u.onerror = done;
      setTimeout(done, 10_000); // a stuck engine must not stop the queue
      synth.speak(u);
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
