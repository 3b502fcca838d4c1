// Reproducible installs, checked offline: package-lock.json records exactly what every package.json
// asks for (else `npm install` rewrites it and `npm ci` refuses it), and every dependency with an
// install script is declared in the root `allowScripts` (else npm warns, or with
// strict-allow-scripts fails). `.ci/run` also fails when `npm install` changes the lockfile.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './process';

interface Manifest {
  name?: string;
  version?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}
interface LockEntry extends Manifest {
  link?: boolean;
  resolved?: string;
  hasInstallScript?: boolean;
}

const read = <T>(path: string): T => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;
const root = read<Manifest>('package.json');
const lock = read<{ lockfileVersion: number; packages: Record<string, LockEntry> }>('package-lock.json');
const KINDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

describe('package-lock.json', () => {
  it('is a version 3 lockfile of this workspace set', () => {
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages['']!.workspaces).toEqual(root.workspaces);
  });

  it.each(['.', ...(root.workspaces ?? [])])('records what %s/package.json asks for', (dir) => {
    const manifest = read<Manifest>(join(dir, 'package.json'));
    const entry = lock.packages[dir === '.' ? '' : dir];
    expect(entry, `no lock entry for ${dir}`).toBeDefined();
    for (const kind of KINDS) expect(entry![kind] ?? {}, `${dir} ${kind}`).toEqual(manifest[kind] ?? {});
    expect(entry!.version).toBe(manifest.version);
    if (dir !== '.') expect(lock.packages[`node_modules/${manifest.name}`]).toEqual({ resolved: dir, link: true });
  });

  it('declares every dependency that has an install script in allowScripts', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, e]) => e.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    expect([...new Set(withScripts)].filter((name) => root.allowScripts?.[name] === undefined)).toEqual([]);
  });
});
