// Loaded first by every Lockstep process (`npm start`, `npx lockstep`), before any other module:
// it shortens Node's resolution of ES modules, which on Node 24 parses a package's whole
// package.json again for each of its modules. drizzle-orm's is 179 KB, and it loads about 110
// modules: measured on Node 24.21, `import 'drizzle-orm/pg-core'` took 0.50 s and 275 MB of memory
// (0.06 s and 62 MB with these hooks; 0.14 s and 54 MB on Node 20), and `lockstep --help` 1.0 s and
// 310 MB (0.5 s and 155 MB). Two answers are given here without asking Node, both as Node gives them:
// - a relative `.js` import inside a package whose package.json says `"type": "module"` is that
//   file, an ES module (the package.json is read once per folder);
// - a package name imported from Lockstep's own code resolves the same from every one of its
//   files, so it is resolved once.
// Anything else (and any file that is not there) goes to Node as usual.
import fs from 'node:fs';
import { type ResolveFnOutput, registerHooks } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = pathToFileURL(path.resolve(import.meta.dirname, '../..')).href;
const ownCode = (url: string | undefined) =>
  url?.startsWith(`${root}/`) === true && !url.includes('/node_modules/');

const typeOfFolder = new Map<string, string | undefined>();

/** The "type" of the package.json nearest to the folder, within node_modules (undefined: none says). */
function packageType(folder: string): string | undefined {
  if (typeOfFolder.has(folder)) return typeOfFolder.get(folder);
  let type: string | undefined;
  const manifest = path.join(folder, 'package.json');
  if (fs.existsSync(manifest)) {
    const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: unknown };
    type = typeof parsed.type === 'string' ? parsed.type : undefined;
  } else if (path.basename(folder) !== 'node_modules' && path.dirname(folder) !== folder) {
    type = packageType(path.dirname(folder));
  }
  typeOfFolder.set(folder, type);
  return type;
}

/** The file with its links resolved, as Node imports it; undefined when it is not there. */
function realFile(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

const packagesOfOwnCode = new Map<string, ResolveFnOutput>();

registerHooks({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL;
    if (
      parent?.startsWith('file:') &&
      parent.includes('/node_modules/') &&
      (specifier.startsWith('./') || specifier.startsWith('../')) &&
      specifier.endsWith('.js')
    ) {
      const file = fileURLToPath(new URL(specifier, parent));
      const real = packageType(path.dirname(file)) === 'module' ? realFile(file) : undefined;
      if (real) return { url: pathToFileURL(real).href, format: 'module', shortCircuit: true };
    }
    const packageName = !/^[./#]/.test(specifier) && !specifier.includes(':');
    if (packageName && ownCode(parent)) {
      const key = `${specifier}\0${(context.conditions ?? []).join(',')}`;
      let resolved = packagesOfOwnCode.get(key);
      if (!resolved) {
        resolved = nextResolve(specifier, context);
        packagesOfOwnCode.set(key, resolved);
      }
      return { ...resolved, shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});
