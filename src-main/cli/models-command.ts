/**
 * `hark models`: the installed model packages (the shipped ones and those in the user data
 * folder's models/, which the desktop app lists and switches between).
 *   hark models list [--json]                    every usable package, the app's current one marked;
 *                                                folders with a card this build cannot use, on stderr
 *   hark models use NAME|DIR                     make it the app's model (switch, or roll back to an older version)
 *   hark models import DIR [--replace]           check and install a package folder (e.g. exported elsewhere)
 *   hark models export NAME|DIR OUT              copy an installed package to a new folder
 *   hark models remove NAME                      remove an installed user model (not the one in use)
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { listModels } from '../model/model-registry.ts';
import { exportModel, importModel, removeModel } from '../model/model-install.ts';
import { trialRunModelPackage } from '../engine/model-trial-run.ts';
import { SETTINGS_FILE, SettingsStore } from '../backend/settings-store.ts';
import { PACKAGE_ROOT } from '../model/package-paths.ts';
import { defaultUserDataDir } from '../lexicon/user-vocabulary.ts';
import { settingsFromStored } from '../../src-shared/ipc/app-contract.ts';
import { helpText, parseCommand, UsageError, type CommandSpec } from './cli-args.ts';

export const modelsSpec: CommandSpec = {
  name: 'models',
  summary: 'List, use (switch or roll back), import, export or remove installed model versions.',
  usage: 'hark models list [--json] | use NAME|DIR | import DIR [--replace] | export NAME|DIR OUT | remove NAME',
  options: {
    json: { type: 'boolean', help: 'list: print JSON' },
    replace: { type: 'boolean', help: 'import: overwrite an installed model of the same name and version' },
  },
};

/** The model folder the app's settings select ('' = the shipped one). */
function selectedModelDir(userData: string): string {
  try {
    return settingsFromStored(JSON.parse(readFileSync(join(userData, SETTINGS_FILE), 'utf8'))).settings.modelDir;
  } catch {
    return '';
  }
}

export async function modelsCommand(argv: string[]): Promise<number> {
  const { options: o, positionals, help } = parseCommand(modelsSpec, argv);
  if (help) { process.stdout.write(helpText(modelsSpec)); return 0; }
  const [action, a, b, ...extra] = positionals;
  const usage = (msg: string) => new UsageError(`models: ${msg}\n\n${helpText(modelsSpec)}`);
  const userData = defaultUserDataDir();
  const userModels = join(userData, 'models');
  const roots = [{ dir: join(PACKAGE_ROOT, 'models'), shipped: true }, { dir: userModels, shipped: false }];
  if (extra.length) throw usage(`unexpected argument "${extra[0]}"`);
  switch (action) {
    case 'list': {
      const { models, broken } = await listModels(roots);
      const selected = selectedModelDir(userData);
      const current = (dir: string, shipped: boolean) => (selected ? resolve(selected) === dir : shipped && dir.endsWith(join('models', 'hark-en')));
      if (o.json) process.stdout.write(`${JSON.stringify(models.map((m) => ({ ...m, current: current(m.dir, m.shipped) })))}\n`);
      else for (const m of models) process.stdout.write(`${current(m.dir, m.shipped) ? '*' : ' '} ${m.name} ${m.version}\t${m.shipped ? 'shipped' : 'installed'}\t${m.architecture}, ${m.sizeMB} MB\t${m.dir}\n`);
      for (const b of broken) process.stderr.write(`broken ${b.dir}: ${b.reason}\n`);
      return 0;
    }
    case 'use': {
      if (!a || b) throw usage('use needs one model (installed name, "shipped", or folder)');
      const { models } = await listModels(roots);
      const pick = a === 'shipped' ? models.find((m) => m.shipped) : models.find((m) => basename(m.dir) === a || `${m.name}-${m.version}` === a || m.dir === resolve(a));
      if (!pick) throw new UsageError(`models: no installed model "${a}" (see hark models list)`);
      const settings = await SettingsStore.open(userData);
      await settings.update({ modelDir: pick.shipped ? '' : pick.dir });
      process.stdout.write(`the app now uses ${pick.name} ${pick.version} (${pick.dir})\n`);
      return 0;
    }
    case 'import': {
      if (!a || b) throw usage('import needs one package folder');
      const info = await importModel(a, userModels, { replace: Boolean(o.replace), trialRun: trialRunModelPackage });
      process.stdout.write(`installed ${info.name} ${info.version} in ${info.dir}\n`);
      return 0;
    }
    case 'export': {
      if (!a || !b) throw usage('export needs a model (installed name or folder) and an output folder');
      const { models } = await listModels(roots);
      const byName = models.find((m) => basename(m.dir) === a || `${m.name}-${m.version}` === a || m.name === a);
      await exportModel(byName?.dir ?? a, b);
      process.stdout.write(`exported ${byName ? `${byName.name} ${byName.version}` : a} to ${b}\n`);
      return 0;
    }
    case 'remove': {
      if (!a || b) throw usage('remove needs one installed model name (see hark models list)');
      const selected = selectedModelDir(userData);
      if (selected && resolve(selected) === resolve(join(userModels, a))) throw new UsageError(`models: ${a} is the app's current model; choose another in Settings first`);
      await removeModel(a, userModels);
      process.stdout.write(`removed ${a}\n`);
      return 0;
    }
    default:
      throw usage(`expected list, use, import, export or remove${action ? `, got "${action}"` : ''}`);
  }
}
