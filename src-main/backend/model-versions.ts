/**
 * The installed model versions as the Models screen sees them (the models:* channels): the shipped
 * packages and the user's (<user data>/models/, where imports and retraining install), each with
 * its card. Using a version sets settings.modelDir, which loads it; every change is told to every
 * window as models:event. Shipped versions, the one in use and the base of a running retraining
 * job are never removed.
 */
import { basename, dirname, join, resolve } from 'node:path';
import type { ModelInfo, ModelList } from '../../src-shared/ipc/app-contract.ts';
import { exportModel, importModel, removeModel } from '../model/model-install.ts';
import { trialRunModelPackage } from '../engine/model-trial-run.ts';
import { listModelCards } from './model-cards.ts';

export interface ModelVersionsOptions {
  /** Folder holding models/ (the shipped packages). */
  root: string;
  /** The user's models folder (<user data>/models/). */
  userModelsDir: string;
  /** The shipped model the settings name with modelDir ''. */
  shippedDir: string;
  /** The folder of the model in use. */
  inUseDir: () => string;
  /** Makes `modelDir` (a settings value: '' = the shipped model) the model in use. */
  setModelDir: (modelDir: string) => Promise<unknown>;
  /** The base model of the retraining job running now, if any. */
  retrainingBaseDir: () => string | undefined;
  /** Tells every window the new list. */
  broadcast: (list: ModelList) => void;
}

export class ModelVersions {
  constructor(private readonly opts: ModelVersionsOptions) {}

  private get roots(): { dir: string; shipped: boolean }[] {
    return [
      { dir: join(this.opts.root, 'models'), shipped: true },
      { dir: this.opts.userModelsDir, shipped: false },
    ];
  }

  /** Installed versions (shipped first) with their cards, which one is in use, and the broken folders. */
  async list(): Promise<ModelList> {
    return listModelCards(this.roots, this.opts.inUseDir());
  }

  /** The list again, told to every window (models:event). */
  async changed(): Promise<ModelList> {
    const list = await this.list();
    this.opts.broadcast(list);
    return list;
  }

  /** Switch or roll back: the settings name the version, which then loads (hot-swapped when it can be). */
  async use(dir: string): Promise<ModelList> {
    const card = await this.installed(dir);
    const modelDir = resolve(card.dir) === resolve(this.opts.shippedDir) ? '' : card.dir;
    await this.opts.setModelDir(modelDir);
    return this.changed();
  }

  async remove(dir: string): Promise<ModelList> {
    const card = await this.installed(dir);
    if (card.shipped) throw new Error(`${card.name} ${card.version} came with Hark and cannot be removed`);
    if (card.inUse) throw new Error(`${card.name} ${card.version} is the model in use: switch to another version first`);
    if (resolve(dirname(card.dir)) !== resolve(this.opts.userModelsDir)) throw new Error(`${card.dir} is not in your models folder`);
    const base = this.opts.retrainingBaseDir();
    if (base && resolve(base) === resolve(card.dir)) throw new Error(`${card.name} ${card.version} is being retrained: wait for the job or cancel it first`);
    await removeModel(basename(card.dir), this.opts.userModelsDir);
    return this.changed();
  }

  /** Checks and installs the package in folder `path` into the user's models. */
  async import(path: string): Promise<ModelList & { imported: ModelInfo }> {
    const imported = await importModel(resolve(path), this.opts.userModelsDir, { trialRun: trialRunModelPackage }).catch((e: Error) => {
      throw new Error(e.message.replace(/; use --replace to overwrite it$/, '; remove that version first to import it again'));
    });
    return { imported, ...(await this.changed()) };
  }

  /** Copies an installed version into folder `path` (new or empty). */
  async export(dir: string, path: string): Promise<{ path: string }> {
    const card = await this.installed(dir);
    const out = resolve(path);
    await exportModel(card.dir, out);
    return { path: out };
  }

  /** The card of the installed version in `dir`; throws when no installed version is there. */
  async installed(dir: string): Promise<ModelList['models'][number]> {
    const card = (await this.list()).models.find((m) => resolve(m.dir) === resolve(dir));
    if (!card) throw new Error(`no installed model in ${dir}: choose one of the installed versions (Models)`);
    return card;
  }
}
