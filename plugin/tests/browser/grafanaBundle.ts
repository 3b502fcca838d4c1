// Bundles the real @grafana/data, ui, runtime, scenes, React and rxjs from node_modules into one script
// (esbuild, IIFE) that a plain page loads before RequireJS; it publishes the modules on
// `window.FloorboardGrafanaLibs` for the harness to `define()` as AMD modules. Cached per version.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ENTRY = `
import React from 'react';
import ReactDOM from 'react-dom';
import * as ReactDOMClient from 'react-dom/client';
import * as data from '@grafana/data';
import * as ui from '@grafana/ui';
import * as runtime from '@grafana/runtime';
import * as scenes from '@grafana/scenes';
import * as rxjs from 'rxjs';
import * as emotionCss from '@emotion/css';

window.FloorboardGrafanaLibs = {
  React,
  ReactDOMClient,
  modules: {
    react: React,
    'react-dom': ReactDOM,
    '@grafana/data': data,
    '@grafana/ui': ui,
    '@grafana/runtime': runtime,
    '@grafana/scenes': scenes,
    rxjs,
    '@emotion/css': emotionCss,
  },
};
`;

function versionOf(pluginDir: string, name: string): string {
  const manifest = require.resolve(`${name}/package.json`, { paths: [pluginDir] });
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Builds (or reuses) `<outDir>/grafana.js` and `grafana.css`; returns outDir. */
export async function bundleGrafana(pluginDir: string, outDir: string): Promise<string> {
  const key =
    ['@grafana/data', '@grafana/ui', '@grafana/runtime', '@grafana/scenes', 'react', 'rxjs', 'esbuild']
      .map((name) => `${name}@${versionOf(pluginDir, name)}`)
      .join(' ') + ENTRY;
  const keyFile = join(outDir, 'key.txt');
  if (existsSync(keyFile) && existsSync(join(outDir, 'grafana.js')) && readFileSync(keyFile, 'utf8') === key) {
    return outDir;
  }
  mkdirSync(outDir, { recursive: true });
  await build({
    stdin: { contents: ENTRY, resolveDir: pluginDir, loader: 'js', sourcefile: 'grafana-libs.js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outdir: outDir,
    entryNames: 'grafana',
    assetNames: 'assets/[name]-[hash]',
    minify: false,
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: {
      '.woff': 'file',
      '.woff2': 'file',
      '.ttf': 'file',
      '.eot': 'file',
      '.svg': 'dataurl',
      '.png': 'dataurl',
      '.gif': 'dataurl',
      '.jpg': 'dataurl',
    },
  });
  writeFileSync(keyFile, key);
  return outDir;
}
