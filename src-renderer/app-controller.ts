import type {
  AppInfo, DesktopEvent, DesktopStatus, FileJobEvent, HarkBridge, InvokeChannel, ModelList, ModelStatus, RecognitionEvent, RequestOf, ResponseOf, Settings,
  UserWordWire,
} from '../src-shared/ipc/app-contract.ts';
import type { RetrainJobStatus } from '../src-shared/retrain/retrain-types.ts';
import { toDbfs } from './audio/block-batcher.ts';
import { listMicrophones, MicrophoneError } from './audio/microphone-capture.ts';
import { markCaptureStart, traceDictation } from './live/latency-trace.ts';
import { LiveSession } from './live/live-session.ts';
import { DictationTranscript } from './view-state/dictation-transcript.ts';
import { Emitter } from './view-state/emitter.ts';
import { liveChangeBetween, modeSpecFor } from './view-state/live-config.ts';
import { micStateOf, type MicState } from './view-state/mic-state.ts';
import { TypedTextTracker } from './view-state/typed-text-tracker.ts';
import { listenActionFor } from './view-state/desktop-listen-action.ts';
import { listeningOnModelChange } from './view-state/model-change.ts';
import { sameModel } from './view-state/model-versions.ts';
import { errorMessage, Toasts } from './ui/toasts.ts';

/** What views can subscribe to. */
export interface AppEvents {
  settings: Settings;
  model: ModelStatus | null;
  info: AppInfo;
  /** The header state changed (listening, starting, microphone problems). */
  status: void;
  devices: MediaDeviceInfo[];
  /** A recognition event of the current (or last) stream. */
  recognition: RecognitionEvent;
  /** The dictation transcript changed (partial or final). */
  transcript: void;
  files: FileJobEvent;
  /** A captured block arrived (the level meter reads readLevelDb then). */
  level: void;
  /** The installed model versions (models:list, models:event). */
  models: ModelList;
  /** A retraining job's status changed. */
  retrain: RetrainJobStatus;
  /** The user's words after an edit on the Words screen (every word, as words:add / words:remove answer). */
  words: UserWordWire[];
  /** The desktop integration's status (shortcuts, typing back-end) changed. */
  desktop: DesktopStatus;
}

export type ListenPhase = 'idle' | 'starting' | 'listening' | 'stopping';

/**
 * The renderer's state and the one place that talks to the bridge: settings, model state,
 * the listening session and its transcript. Views read state from here and subscribe to `events`.
 * Every failed invoke is shown as a toast (and rethrown to the caller by `call`).
 */
export class AppController {
  readonly events = new Emitter<AppEvents>();
  readonly transcript = new DictationTranscript();
  settings: Settings;
  info: AppInfo | null = null;
  model: ModelStatus | null = null;
  devices: MediaDeviceInfo[] = [];
  /** Installed model versions with their cards, once listed. */
  modelList: ModelList | null = null;
  phase: ListenPhase = 'idle';
  micProblem: 'no-mic' | 'denied' | null = null;
  /** Largest block peak since the level meter last read it (linear). */
  private peakSinceRead = 0;
  /** Seconds of audio captured in the current session. */
  capturedSec = 0;
  private session: LiveSession | null = null;
  /** Stream whose events are shown: the current one, or the last one (its final may follow stop). */
  private shownStreamId: string | null = null;
  /** Listening was interrupted while a model loaded and resumes when it is ready. */
  private resumeAfterModel = false;
  /** Settings saves of this window not answered yet. */
  private savesInFlight = 0;
  /** Serializes start / stop / restart. */
  private lifecycle: Promise<void> = Promise.resolve();
  /** Global shortcuts, tray and typing into other applications (desktop:status; unavailable in a browser). */
  desktop: DesktopStatus | null = null;
  /** The session was started by the push-to-talk shortcut: it stops at its first final. */
  private oneUtterance = false;
  /** The listening state main was last told (the tray shows it). */
  private reportedListening = false;
  /** What of the dictation has been typed into the focused application. */
  private readonly typed = new TypedTextTracker();
  /** Typing edits in order, one after the other. */
  private typing: Promise<void> = Promise.resolve();

  constructor(readonly bridge: HarkBridge, readonly toasts: Toasts, initial: Settings) {
    this.settings = initial;
    this.transcript.setFormatting(initial.formatDictation);
  }

  /** Subscribes to the bridge's events and loads app info, settings and devices. */
  async init(): Promise<void> {
    // While this window's own saves are in flight, settings events carry states older than the
    // controls already show; the last save's answer brings the newest state.
    this.bridge.on('app:event', (e) => (e.type === 'model' ? this.setModel(e.model) : this.savesInFlight === 0 && this.applySettings(e.settings)));
    this.bridge.on('recognition:event', (m) => {
      if (m.streamId === this.shownStreamId) this.onRecognition(m.event);
    });
    this.bridge.on('files:event', (e) => this.events.emit('files', e));
    this.bridge.on('retrain:event', (s) => this.events.emit('retrain', s));
    this.bridge.on('models:event', (list) => this.setModelList(list));
    this.bridge.on('desktop:event', (e) => this.onDesktopEvent(e));
    // A model that finished loading may be another version: the list's "in use" follows it.
    this.events.on('model', (m) => {
      if (m?.state === 'ready' && this.modelList && !this.modelList.models.some((c) => c.inUse && sameModel(c, m.model))) void this.refreshModels();
    });
    const [info, settings] = await Promise.all([this.call('app:info', {}), this.call('settings:get', {})]);
    this.info = info;
    this.events.emit('info', info);
    // Start-up problems (a damaged settings file and where its copy is) stay on screen until dismissed.
    for (const notice of info.notices) this.toasts.show(notice, 'warning');
    this.applySettings(settings);
    // A model event may have overtaken the app:info answer (the model finished loading while the
    // answer was on its way): the event is newer, so the answer's state only fills a gap.
    if (!this.model) this.setModel(info.model);
    void this.refreshModels();
    void this.bridge.invoke('desktop:status', {}).then((status) => this.setDesktop(status), (e: unknown) => this.toasts.error(e, 'Desktop integration'));
    navigator.mediaDevices?.addEventListener?.('devicechange', () => void this.refreshDevices());
    await this.refreshDevices();
  }

  /** Invokes a channel; a rejection is shown as a toast and rethrown. */
  async call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    try {
      return await this.bridge.invoke(channel, request);
    } catch (e) {
      this.toasts.error(e);
      throw e;
    }
  }

  /** Lists the installed model versions again (a failure is a toast; the old list stays). */
  async refreshModels(): Promise<void> {
    try {
      this.setModelList(await this.call('models:list', {}));
    } catch {
      // shown as a toast by call()
    }
  }

  private setModelList(list: ModelList): void {
    this.modelList = list;
    this.events.emit('models', list);
  }

  get micState(): MicState {
    return micStateOf(this.model, this.phase === 'listening', this.micProblem);
  }

  get listening(): boolean {
    return this.phase === 'listening' || this.phase === 'starting';
  }

  /** Reads and resets the block peak (dBFS) for the level meter. */
  readLevelDb(): number {
    const db = toDbfs(this.peakSinceRead);
    this.peakSinceRead = 0;
    return db;
  }

  /**
   * Saves a settings patch. Resolves to null when accepted, or the backend's message when
   * rejected (also shown as a toast); a running stream follows the change.
   */
  /**
   * Saves a change. Answers to earlier saves that arrive while a later one is in flight are not
   * applied: they would put an older value back into a control the user has just changed (and a
   * change event then would save that older value). The last answer is the backend's newest state.
   */
  async saveSettings(patch: Partial<Settings>): Promise<string | null> {
    this.savesInFlight++;
    let saved: Settings | null = null;
    let problem: string | null = null;
    try {
      saved = await this.bridge.invoke('settings:set', { patch });
    } catch (e) {
      this.toasts.error(e, 'Setting not saved');
      problem = errorMessage(e);
    } finally {
      this.savesInFlight--;
    }
    if (this.savesInFlight === 0) {
      if (saved) this.applySettings(saved);
      else if (problem) this.applySettings(await this.bridge.invoke('settings:get', {}).catch(() => this.settings));
    }
    return problem;
  }

  /**
   * The user chose a listening mode (the header, Settings, a screen's notice): the only way the
   * mode changes. Commands mode without a command is refused with a message (the selectors show
   * the mode in use again); else as saveSettings.
   */
  async chooseMode(mode: Settings['mode']): Promise<string | null> {
    if (mode === 'commands' && this.settings.commands.length === 0) {
      const problem = 'Commands mode needs at least one command: add one on the Commands screen first.';
      this.toasts.show(problem, 'error');
      this.events.emit('settings', this.settings);
      return problem;
    }
    return this.saveSettings({ mode });
  }

  toggleListening(): Promise<void> {
    return this.listening ? this.stopListening() : this.startListening();
  }

  /** Listens for one utterance: its first final with words stops listening (push-to-talk). */
  listenForOneUtterance(): Promise<void> {
    this.oneUtterance = true;
    return this.startListening();
  }

  startListening(): Promise<void> {
    return this.serialize(() => this.doStart());
  }

  stopListening(): Promise<void> {
    this.resumeAfterModel = false;
    this.oneUtterance = false;
    return this.serialize(() => this.doStop());
  }

  /** Clears the dictation transcript. */
  clearTranscript(): void {
    this.transcript.clear();
    this.typed.rebase('');
    this.transcriptChanged();
  }

  private serialize(step: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(step, step);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }

  private setPhase(phase: ListenPhase): void {
    this.phase = phase;
    if (phase === 'idle') this.oneUtterance = false;
    this.events.emit('status', undefined);
    if (this.listening !== this.reportedListening) {
      this.reportedListening = this.listening;
      // The tray follows; a refusal changes nothing here.
      this.bridge.invoke('desktop:listening', { listening: this.listening }).catch(() => undefined);
    }
  }

  private async doStart(): Promise<void> {
    if (this.session) return;
    if (this.model?.state !== 'ready') {
      this.toasts.show(this.model?.state === 'error' ? `The model failed to load: ${this.model.error}` : 'The model is still loading.', 'error');
      return;
    }
    if (!modeSpecFor(this.settings)) {
      this.toasts.show('Commands mode needs at least one command: add one on the Commands tab, or switch to Dictation.', 'error');
      return;
    }
    this.setPhase('starting');
    this.capturedSec = 0;
    try {
      const session = await LiveSession.open(this.bridge, this.settings, {
        onBlock: (block, capturedSec) => {
          markCaptureStart();
          this.capturedSec = capturedSec;
          if (block.peak > this.peakSinceRead) this.peakSinceRead = block.peak;
          this.events.emit('level', undefined);
        },
        onFailure: (e) => {
          this.toasts.error(e, 'Listening stopped');
          void this.stopListening();
        },
      });
      this.session = session;
      this.shownStreamId = session.streamId;
      this.micProblem = null;
      this.setPhase('listening');
    } catch (e) {
      if (e instanceof MicrophoneError && e.problem !== 'other') this.micProblem = e.problem;
      this.toasts.error(e);
      this.setPhase('idle');
    }
  }

  private async doStop(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    this.setPhase('stopping');
    try {
      await session.stop();
    } catch (e) {
      this.toasts.error(e, 'Stopping');
    } finally {
      if (this.transcript.clearPartial()) this.transcriptChanged();
      this.setPhase('idle');
    }
  }

  /** Restarts a running stream (e.g. so it picks up new words); nothing when not listening. */
  async restartListening(): Promise<void> {
    if (this.session) await this.restart();
  }

  private async restart(): Promise<void> {
    await this.serialize(async () => {
      if (!this.session) return;
      await this.doStop();
      // No stream can start while a model loads: start again once it is ready.
      if (this.model?.state === 'loading') this.resumeAfterModel = true;
      else await this.doStart();
    });
  }

  /**
   * A model state event. Listening goes on while a new model loads and, when the backend
   * hot-swapped the running stream onto it (`swapped`), after it is ready too: no gap in capture.
   * Otherwise the stream restarts onto the new model; a model that fails stops listening.
   */
  private setModel(model: ModelStatus): void {
    const prev = this.model;
    this.model = model;
    this.events.emit('model', model);
    this.events.emit('status', undefined);
    switch (listeningOnModelChange(prev, model, this.session !== null, this.resumeAfterModel)) {
      case 'stop':
        this.resumeAfterModel = false;
        void this.serialize(() => this.doStop());
        break;
      case 'restart':
        void this.restart();
        break;
      case 'resume':
        this.resumeAfterModel = false;
        void this.startListening();
        break;
      case 'none':
        if (model.state === 'error') this.resumeAfterModel = false;
        break;
    }
  }

  private applySettings(next: Settings): void {
    const prev = this.settings;
    this.settings = next;
    this.events.emit('settings', next);
    if (this.transcript.setFormatting(next.formatDictation)) {
      // Rewritten in the window only: what was typed elsewhere stays as it is.
      this.typed.rebase(this.transcript.typedText());
      this.transcriptChanged();
    }
    const session = this.session;
    if (!session || this.phase !== 'listening') return;
    const change = liveChangeBetween(prev, next);
    if (change.restart) {
      void this.restart();
      return;
    }
    if (change.emptyCommands) this.toasts.show('The command list is empty: still listening with the previous mode.', 'error');
    if (change.configure.mode || change.configure.keywords) {
      session.configure(change.configure).catch((e) => this.toasts.error(e, 'Could not update the listening mode'));
    }
  }

  private async refreshDevices(): Promise<void> {
    try {
      this.devices = await listMicrophones();
    } catch {
      this.devices = [];
    }
    // A permission problem stays until the next start: without permission the list may be empty.
    if (this.devices.length === 0 && !this.session) this.micProblem ??= 'no-mic';
    else if (this.micProblem === 'no-mic') this.micProblem = null;
    this.events.emit('devices', this.devices);
    this.events.emit('status', undefined);
  }

  private onRecognition(event: RecognitionEvent): void {
    const version = this.transcript.version;
    if (event.type === 'partial') this.transcript.setPartial(event.text, event.stable);
    // Phrase-mode finals carry `phrase` and go to the command log; they only end the partial here.
    else if (event.type === 'final' && event.phrase === undefined) {
      if (this.transcript.addFinal(event)) this.typeFinal();
    } else if (event.type === 'final') this.transcript.clearPartial();
    if (this.transcript.version !== version) this.transcriptChanged();
    this.events.emit('recognition', event);
    // Push-to-talk's one utterance is over at its first final with words.
    if (event.type === 'final' && this.oneUtterance && event.text.trim() !== '') void this.stopListening();
  }

  /** Types what the last final changed into the focused application, when the setting is on. */
  private typeFinal(): void {
    const edit = this.typed.next(this.transcript.typedText());
    if (!edit || !this.settings.typeIntoFocusedApp || !this.desktop?.available) return;
    this.typing = this.typing.then(async () => {
      try {
        const outcome = await this.bridge.invoke('desktop:insert', edit);
        if (outcome.method === 'clipboard' && outcome.message) this.toasts.show(outcome.message, 'info');
      } catch (e) {
        this.toasts.error(e, 'Typing into the focused application');
      }
    });
  }

  /** A global shortcut, the tray menu, or a new desktop status (desktop-listen-action.ts). */
  private onDesktopEvent(e: DesktopEvent): void {
    if (e.type === 'status') this.setDesktop(e.status);
    const action = listenActionFor(e, this.listening);
    if (action === 'start') void this.startListening();
    else if (action === 'start-one-utterance') void this.listenForOneUtterance();
    else if (action === 'stop') void this.stopListening();
  }

  private setDesktop(status: DesktopStatus): void {
    this.desktop = status;
    this.events.emit('desktop', status);
  }

  private transcriptChanged(): void {
    traceDictation(this.capturedSec, this.transcript.visibleText());
    this.events.emit('transcript', undefined);
  }
}
